"""Custom rules: by module path relative to the config, and by installed entry point."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_checker

EXAMPLE = ROOT / "tests" / "plugins" / "example_rules.py"
PAGE = """\
---
layout: minimal-medicine
title: Aspirin
---

# Aspirin

### Usage!

Take it with food!
"""


def _site(tmp_path: Path, config: str) -> Path:
    (tmp_path / "checker.toml").write_text(config)
    (tmp_path / "aspirin.md").write_text(PAGE)
    return tmp_path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


@pytest.mark.parametrize("name", ["example_rules", "tools/example_rules.py", "tools.example_rules"])
def test_a_plugin_is_found_relative_to_the_config(tmp_path: Path, name: str) -> None:
    site = _site(tmp_path, f'plugins = ["{name}"]\nselect = ["EX"]\n')
    target = site / ("tools" if "tools" in name else "") / "example_rules.py"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(EXAMPLE, target)
    # Run from another folder, with no PYTHONPATH: the config's folder is where plugins live.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_checker("check", str(site / "aspirin.md"), "--no-cache", cwd=elsewhere, env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "aspirin.md:10:1: EX001 [warning] an exclamation mark; end the sentence with a period\n"
    )
    assert len(result.stdout.splitlines()) == 1  # the heading is allowed by default


def test_a_plugin_rule_takes_options_and_severity(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        'plugins = ["example_rules"]\nselect = ["exclamation-mark"]\n'
        '[rules.EX001]\nallow-in-headings = false\nseverity = "error"\n',
    )
    shutil.copyfile(EXAMPLE, site / "example_rules.py")
    result = run_checker("check", "aspirin.md", "--no-cache", cwd=site, env=_env())
    assert result.returncode == 1
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "aspirin.md:8:1:",
        "aspirin.md:10:1:",
    ]


def test_a_missing_plugin_names_the_config_file(tmp_path: Path) -> None:
    site = _site(tmp_path, 'plugins = ["not_here"]\n')
    result = run_checker("check", "aspirin.md", cwd=site, env=_env())
    assert result.returncode == 2
    assert f"{site / 'checker.toml'}: plugins: cannot import 'not_here'" in result.stderr
    assert "relative to the config's folder" in result.stderr


@pytest.fixture
def installed(tmp_path: Path) -> dict[str, str]:
    """The environment of a checker in whose site-packages the example rules are installed:
    what pip leaves there for a package that declares, in its pyproject.toml,

        [project.entry-points."checker.rules"]
        example = "example_rules"
    """
    packages = tmp_path / "site-packages"
    info = packages / "example_rules-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: example-rules\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[checker.rules]\nexample = example_rules\n")
    shutil.copyfile(EXAMPLE, packages / "example_rules.py")
    return _env(PYTHONPATH=str(packages))


def test_an_installed_entry_point_is_loaded_without_being_listed(
    tmp_path: Path, installed: dict[str, str]
) -> None:
    (tmp_path / "site").mkdir()
    site = _site(tmp_path / "site", "")
    env = installed
    result = run_checker("check", "aspirin.md", "--select", "EX", "--no-cache", cwd=site, env=env)
    assert result.returncode == 0, result.stderr
    assert "aspirin.md:10:1: EX001 [warning]" in result.stdout
    # Entry-point rules are on by default, like the built-in ones.
    assert "EX001" in run_checker("check", "aspirin.md", "--no-cache", cwd=site, env=env).stdout


def _listed(result: object) -> dict[str, list[str]]:
    rows = [line.split() for line in result.stdout.splitlines()[1:]]  # type: ignore[attr-defined]
    return {row[0]: row for row in rows}


def test_checker_rules_lists_the_configs_plugin_rules(tmp_path: Path) -> None:
    site = _site(tmp_path, 'plugins = ["example_rules"]\n')
    shutil.copyfile(EXAMPLE, site / "example_rules.py")
    listed = run_checker("rules", cwd=site, env=_env())
    assert listed.returncode == 0, listed.stderr
    rows = _listed(listed)
    assert rows["EX001"][:5] == ["EX001", "exclamation-mark", "warning", "-", "on"]
    assert "FT001" in rows  # the built-in rules are still there, first
    assert list(rows).index("EX001") == len(rows) - 1
    infos = json.loads(run_checker("rules", "--output-format", "json", cwd=site, env=_env()).stdout)
    (info,) = [info for info in infos if info["code"] == "EX001"]
    assert info["url"].endswith("#ex001-exclamation-mark")
    explained = run_checker("rule", "exclamation-mark", cwd=site, env=_env())
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("# EX001 exclamation-mark")
    assert "allow-in-headings" in explained.stdout
    every = run_checker("rule", "--all", "--output-format", "markdown", cwd=site, env=_env())
    assert "## EX001 exclamation-mark" in every.stdout
    # Elsewhere, without the config, the plugin is unknown.
    assert "EX001" not in run_checker("rules", cwd=tmp_path.parent, env=_env()).stdout


def test_checker_rules_lists_installed_entry_point_rules(
    tmp_path: Path, installed: dict[str, str]
) -> None:
    env = installed
    assert "EX001" in _listed(run_checker("rules", cwd=tmp_path, env=env))
    assert run_checker("rule", "EX001", cwd=tmp_path, env=env).returncode == 0


def test_a_broken_plugin_in_checker_rules_names_the_config_file(tmp_path: Path) -> None:
    site = _site(tmp_path, 'plugins = ["not_here"]\n')
    result = run_checker("rules", cwd=site, env=_env())
    assert result.returncode == 2
    assert f"{site / 'checker.toml'}: plugins: cannot import 'not_here'" in result.stderr
