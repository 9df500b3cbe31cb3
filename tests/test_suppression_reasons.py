"""Suppressions with reasons and expiry dates: SP002, SP003 and `require-reason`.

The rules' fixture pages (tests/fixtures/rules/SP002.md, SP003.md) run in test_rules.py; these
tests pin how the rules work with the engine and the config."""

from __future__ import annotations

from pathlib import Path

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import FileResult
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from tests.conftest import run_checker

PAGE = """\
---
layout: minimal-medicine
title: Aspirin
---

# Aspirin

{comment}
### Generic Name{trailing}

Acetylsalicylic acid
"""


def check(path: Path, *codes: str, config: Path | None = None) -> FileResult:
    engine = Engine(Overrides(select=codes or None), ConfigFinder(config))
    report = engine.check([Target(path, path.name)])
    return report.results[0]


def _page(tmp_path: Path, comment: str, trailing: str = "  ") -> Path:
    path = tmp_path / "aspirin.md"
    path.write_text(PAGE.format(comment=comment, trailing=trailing), encoding="utf-8")
    return path


def test_a_suppression_in_force_still_suppresses(tmp_path: Path) -> None:
    page = _page(tmp_path, '<!-- checker: disable-next-line FT001 until=2999-12-31 reason="x" -->')
    assert check(page, "FT001", "SP").violations == []


def test_an_expired_suppression_no_longer_suppresses(tmp_path: Path) -> None:
    page = _page(tmp_path, '<!-- checker: disable-next-line FT001 until=2001-01-31 reason="x" -->')
    found = [(v.code, v.line) for v in check(page, "FT001", "SP").violations]
    # The finding it hid comes back, SP002 says why, and SP001 does not call it unused too.
    assert found == [("SP002", 8), ("FT001", 9)]


def test_without_a_reason_is_fine_by_default(tmp_path: Path) -> None:
    page = _page(tmp_path, "<!-- checker: disable-next-line FT001 -->")
    codes = {v.code for v in check(page).violations}
    assert "ST001" in codes  # every default rule ran,
    assert not codes & {"SP003", "FT001", "SP001"}  # and SP003 is not among them


def test_require_reason_in_the_config_makes_a_bare_suppression_a_finding(tmp_path: Path) -> None:
    config = tmp_path / "checker.toml"
    config.write_text('select = ["FT001", "SP001"]\nrequire-reason = true\n', encoding="utf-8")
    bare = _page(tmp_path, "<!-- checker: disable-next-line FT001 -->")
    result = check(bare)
    assert [(v.code, v.line, str(v.severity)) for v in result.violations] == [("SP003", 8, "error")]
    reasoned = _page(tmp_path, '<!-- checker: disable-next-line FT001 reason="from the label" -->')
    assert check(reasoned).violations == []


def test_require_reason_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("require-reason = true\n", encoding="utf-8")
    _page(tmp_path, "<!-- checker: disable-next-line FT001 -->")
    result = run_checker("check", "aspirin.md", "--select", "FT001,SP001", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("aspirin.md:8:1: SP003 [error] `disable-next-line` gives no")
    assert len(result.stdout.splitlines()) == 1
