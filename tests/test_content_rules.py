"""Content and medication-safety rules (CT001-CT007): options, messages and the seed page."""

from __future__ import annotations

from pathlib import Path

from checker.rules.base import Severity
from checker.rules.registry import rule_by_code
from tests.conftest import run_checker
from tests.fix_pages import v2_page
from tests.rule_fixtures import FIXTURES, check_only

# The fixture pages themselves are run by tests/test_rules.py, with their expected lines.
CONTENT = FIXTURES / "rules"
CODES = ["CT001", "CT002", "CT003", "CT004", "CT005", "CT006", "CT007"]


def test_refusal_with_full_sections_is_left_to_ai_artifact() -> None:
    page = CONTENT / "CT002-ok.md"
    assert not check_only("CT002", [page]).violations
    assert [v.line for v in check_only("CT001", [page]).violations] == [7]


def test_findings_name_the_text_and_what_to_write_instead() -> None:
    report = check_only("CT005", [CONTENT / "CT005.md"])
    messages = [v.message for v in report.violations]
    assert any("'5.0'" in m and "write 5 " in m for m in messages), messages
    assert any("'.5'" in m and "write 0.5 " in m for m in messages), messages
    assert any("'cc'" in m and "mL" in m for m in messages), messages
    assert all(v.severity is Severity.ERROR for v in report.violations)


def test_rule_pack_options_replace_the_phrase_lists(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\nlayout: minimal-medicine\ntitle: X\n---\n\n# X\n\n### Usage\n"
        "Examplomycin is a wonder drug. Take 5 gtt daily.\n",
        encoding="utf-8",
    )
    (tmp_path / "checker.toml").write_text(
        '[rules.CT007]\nphrases = ["wonder drug"]\n\n'
        '[rules.dose-notation]\nextend = [{pattern = "\\\\bgtt\\\\b", use = "drops"}]\n',
        encoding="utf-8",
    )
    config = tmp_path / "checker.toml"
    claims = check_only("CT007", [page], config).violations
    assert [(v.line, "'wonder drug'" in v.message) for v in claims] == [(9, True)]
    doses = check_only("CT005", [page], config).violations
    assert [v.message for v in doses] == ["error-prone dose notation 'gtt': write drops"]


def test_every_content_rule_is_registered_and_documented() -> None:
    for code in CODES:
        rule = rule_by_code(code)
        assert rule is not None, code
        doc = rule.__doc__ or ""
        for heading in ("## What it checks", "## Why", "## Example"):
            assert heading in doc, (code, heading)


def test_seed_page_gets_no_content_finding(seed: Path) -> None:
    report = check_only("CT", [seed])
    assert report.violations == []


def test_refusal_patterns_do_not_read_the_disclaimer(tmp_path: Path) -> None:
    """CT002's `patterns`, like its reading of the prose, skip the disclaimer and the note: a
    short page whose disclaimer holds a pattern's words is not a refusal, while the same
    words in a section are."""
    (tmp_path / "checker.toml").write_text(
        '[rules.CT002]\nextend-patterns = ["\\\\bconsult a healthcare professional"]\n'
    )
    short = "# Aspirin\n\n### Generic Name\n\nAcetylsalicylic acid\n"
    (tmp_path / "disclaimer.md").write_text(v2_page(short))
    (tmp_path / "section.md").write_text(
        v2_page(short + "\n### Usage\n\nConsult a healthcare professional.\n")
    )
    result = run_checker("check", "--no-cache", "--select", "CT002", ".", cwd=tmp_path)
    assert [line.split(": CT002")[0] for line in result.stdout.splitlines()] == [
        "section.md:14:1"
    ], result.stdout
