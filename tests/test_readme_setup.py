"""The README's "Set up your own site" steps do what they say: its minimal page passes, its
severity snippet makes a warning block, and its pre-commit snippets are valid configs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_checker

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = README.split("\n## Set up your own site in ten minutes\n", 1)[1].split("\n## ", 1)[0]


def blocks(language: str, text: str = SETUP) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def _site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "checker.toml").write_text(blocks("toml")[0])
    (tmp_path / "content" / "aspirin.md").write_text(blocks("markdown")[0])
    return tmp_path


def test_the_minimal_page_passes_every_rule_under_the_minimal_config(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_checker("check", "--no-cache", "--select", "ALL", cwd=site)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    assert "1 file checked" in result.stderr


def test_the_page_has_the_sections_checker_template_lists(tmp_path: Path) -> None:
    outline = run_checker("template", "drug-v2", cwd=tmp_path).stdout
    listed = [line[2:].split("  ")[0] for line in outline.splitlines() if line.startswith("  ###")]
    page = blocks("markdown")[0]
    assert [line for line in page.splitlines() if line.startswith("### ")] == listed
    assert len(listed) == 7


def test_the_severity_snippet_makes_a_warning_block(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    text = page.read_text()
    usage = text.index("### Usage")
    dosage = text.index("### Dosage")
    side = text.index("### Side Effects")
    page.write_text(text[:usage] + text[dosage:side] + text[usage:dosage] + text[side:])
    warned = run_checker("check", "--no-cache", cwd=site)
    assert warned.returncode == 0, warned.stdout
    assert " ST002 [warning] " in warned.stdout
    snippet = next(block for block in blocks("toml") if "severity" in block)
    config = site / "checker.toml"
    config.write_text(config.read_text() + "\n" + snippet)
    blocked = run_checker("check", "--no-cache", cwd=site)
    assert blocked.returncode == 1, blocked.stdout
    assert " ST002 [error] " in blocked.stdout


@pytest.mark.precommit
def test_the_pre_commit_snippets_are_valid_configs_for_the_hook(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    snippets = [b for b in blocks("yaml", README) if b.startswith("repos:")]
    assert len(snippets) == 2
    for number, snippet in enumerate(snippets):
        (repo,) = yaml.safe_load(snippet)["repos"]
        assert [h["id"] for h in repo["hooks"]] == [hook["id"]]
        config = tmp_path / f"config-{number}.yaml"
        config.write_text(snippet)
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
