"""Faults: a rule that raises, and a missing or invalid config or rule pack."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_checker, run_process

PAGE = "---\nlayout: minimal-medicine\ntitle: Examplamine\n---\n\n# Examplamine\n\nText. \n"

FAILING_PLUGIN = '''
from checker.rules.base import Rule, RuleOptions, Severity


class Explodes(Rule):
    """## What it checks
    Nothing: it raises on pages that mention "boom", to test the engine.

    ## Why
    A broken rule must not stop the run.

    ## Example
    A page that says boom.
    """

    code = "XX001"
    name = "explodes"
    summary = "Raises on purpose"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        pass

    def check(self, page, options):
        if "boom" in (page.text or ""):
            raise ZeroDivisionError("boom on purpose")
        return iter(())


RULES = [Explodes]
'''


def env_with(path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{path}{os.pathsep}{ROOT}", "NO_COLOR": "1"}


def test_a_rule_that_raises_becomes_ie001_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "failing_plugin.py").write_text(FAILING_PLUGIN)
    (tmp_path / "checker.toml").write_text('plugins = ["failing_plugin"]\n')
    (tmp_path / "boom.md").write_text(PAGE + "\nboom\n")
    (tmp_path / "calm.md").write_text(PAGE)
    result = run_checker(
        "check", ".", "--output-format", "concise", cwd=tmp_path, env=env_with(tmp_path)
    )
    assert result.returncode == 2, result.stderr
    lines = result.stdout.splitlines()
    crash = [line for line in lines if "IE001" in line]
    assert len(crash) == 1
    assert crash[0].startswith("boom.md:1:1: IE001")
    assert "rule XX001 crashed" in crash[0] and "ZeroDivisionError: boom on purpose" in crash[0]
    # Every other rule still ran on the page that crashed one, and on the other page.
    assert "boom.md:8:6: FT001" in result.stdout
    assert "calm.md:8:6: FT001" in result.stdout
    assert not any(line.startswith("calm.md") and "IE001" in line for line in lines)
    assert "1 internal error: a rule crashed" in result.stderr


def test_an_internal_error_cannot_be_suppressed(tmp_path: Path) -> None:
    (tmp_path / "failing_plugin.py").write_text(FAILING_PLUGIN)
    (tmp_path / "checker.toml").write_text('plugins = ["failing_plugin"]\n')
    (tmp_path / "boom.md").write_text(PAGE + "\nboom <!-- checker: disable-file -->\n")
    result = run_checker("check", "boom.md", cwd=tmp_path, env=env_with(tmp_path))
    assert result.returncode == 2
    assert "boom.md:1:1: IE001" in result.stdout


@pytest.mark.parametrize(
    ("toml", "key", "reason"),
    [
        ("[limits]\nmax-nesting = 'deep'\n", "limits.max-nesting", "valid integer"),
        ("[limits]\nmax-page-seconds = -1\n", "limits.max-page-seconds", "greater than or equal"),
        ("[limits]\nmax-file-size = 0\n", "limits.max-file-size", "greater than 0"),
        ("selectt = ['FT']\n", "selectt", "unknown key"),
        ("plugins = ['no_such_plugin_module']\n", "plugins", "cannot import"),
        ("select = [\n", "", "invalid TOML"),
    ],
)
def test_an_invalid_config_exits_2_naming_file_key_and_reason(
    tmp_path: Path, toml: str, key: str, reason: str
) -> None:
    (tmp_path / "checker.toml").write_text(toml)
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr
    assert "checker: error:" in message
    if key != "plugins":  # plugin import errors name the config key, not its file
        assert str(tmp_path / "checker.toml") in message, message
    assert f"{key}:" in message, message
    assert reason in message, message


def test_a_missing_config_given_explicitly_exits_2(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", "--config", "nowhere.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert "nowhere.toml" in result.stderr and "not found" in result.stderr


def _copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", pack)
    return pack


def test_a_missing_pack_exits_2_naming_the_config_and_the_folder(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('pack = "no-such-pack"\n')
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path / 'checker.toml'}: pack: {tmp_path / 'no-such-pack'}" in result.stderr
    assert "holds no pack.yaml" in result.stderr


@pytest.mark.parametrize(
    ("edit", "where", "reason"),
    [
        (
            lambda text: text + "\nbogus-key: 1\n",
            "templates/drug-v2.yaml: bogus-key",
            "unknown key",
        ),
        (
            lambda text: text.replace("level: 3", "level: 9"),
            "sections.form.level",
            "less than or equal",
        ),
        (lambda text: text + "\n  : [\n", "templates/drug-v2.yaml: line", "invalid YAML"),
        (
            lambda text: text.replace(
                '"\\\\bnot\\\\b[^.]{0,60}\\\\bsubstitute\\\\b"', '"(?<!not )substitute"'
            ),
            "disclaimer.statements",
            "it uses lookbehind, which the linear-time engine does not run",
        ),
    ],
    ids=["unknown-key", "out-of-range", "invalid-yaml", "python-only-regex"],
)
def test_an_invalid_pack_exits_2_naming_file_key_and_reason(
    tmp_path: Path, edit: object, where: str, reason: str
) -> None:
    pack = _copy_pack(tmp_path)
    template = pack / "templates" / "drug-v2.yaml"
    original = template.read_text()
    changed = edit(original)  # type: ignore[operator]
    assert changed != original
    template.write_text(changed)
    (tmp_path / "checker.toml").write_text('pack = "pack"\n')
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert where in result.stderr, result.stderr
    assert reason in result.stderr, result.stderr
    assert textwrap.shorten(result.stdout, 10) == ""


@pytest.mark.slow  # the largest corpus page, checked by the real CLI
def test_the_page_that_stops_other_linters_is_checked(corpus: Path) -> None:
    # PyMarkdown 0.9.41 aborts a whole run of the corpus on this page, with an internal failure
    # in one of its rules; here it must be checked like any other, and the run go on.
    page = corpus / "s" / "sodium-cromoglicate-systemic.md"
    result = run_process("check", str(page), str(corpus / "s"), "--output-format", "concise")
    assert result.returncode in (0, 1), result.stderr
    assert "IE001" not in result.stdout
    checked = len(list((corpus / "s").glob("*.md")))
    assert f"of {checked} files checked" in result.stderr or "All checks passed" in result.stderr


def test_a_page_that_breaks_the_reader_is_ie001_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fault injected into reading: no known page breaks the parser any more, but the next
    # bug must cost one page, not the run.
    from checker.lint import pagecheck as engine_module
    from checker.lint.engine import Engine
    from checker.lint.resolver import Overrides
    from checker.project.config import ConfigFinder
    from checker.project.targets import Target

    (tmp_path / "bad.md").write_text(PAGE)
    (tmp_path / "good.md").write_text(PAGE)
    real_read_page = engine_module.read_page

    def read_page(target: Target, config: object) -> object:
        if target.display == "bad.md":
            raise ValueError("the parser broke")
        return real_read_page(target, config)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "read_page", read_page)
    engine = Engine(Overrides(), ConfigFinder())
    report = engine.check([Target(tmp_path / n, n) for n in ("bad.md", "good.md")])
    bad, good = report.results
    assert [(v.code, v.line) for v in bad.violations] == [("IE001", 1)]
    assert "reading the page crashed (ValueError: the parser broke" in bad.violations[0].message
    assert ("FT001", 8) in [(v.code, v.line) for v in good.violations]
    assert report.internal_errors == 1
