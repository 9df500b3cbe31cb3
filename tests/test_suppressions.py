"""Inline suppressions: disable/enable, disable-next-line, disable-file, code lists, prefixes,
and SP001 for suppressions that hide nothing. Runs the real engine over pages written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.project.config import ConfigFinder
from checker.project.targets import Target

HEAD = "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n"


def check(tmp_path: Path, body: str, select: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, code) of every finding on HEAD + body, with only `select` running."""
    (tmp_path / "checker.toml").write_text("")
    page = tmp_path / "page.md"
    page.write_text(HEAD + body, encoding="utf-8")
    report = Engine(Overrides(select=select), ConfigFinder()).check([Target(page, "page.md")])
    return [(v.line, v.code) for v in report.violations]


def test_disable_and_enable_bracket_a_region(tmp_path: Path) -> None:
    body = (
        "Before  \n\n"  # line 8
        "<!-- checker: disable FT001 -->\n\n"  # line 10
        "Inside  \n\n"  # line 12
        "Also inside  \n\n"  # line 14
        "<!-- checker: enable -->\n\n"  # line 16
        "After  \n"  # line 18
    )
    assert check(tmp_path, body, ("FT001", "SP001")) == [(8, "FT001"), (18, "FT001")]


def test_disable_without_enable_runs_to_the_end(tmp_path: Path) -> None:
    body = "Before  \n\n<!-- checker: disable FT001 -->\n\nInside  \n\nStill inside  \n"
    assert check(tmp_path, body, ("FT001", "SP001")) == [(8, "FT001")]


def test_disable_next_line_covers_only_the_next_line(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 -->\nHidden  \nShown  \n"
    assert check(tmp_path, body, ("FT001", "SP001")) == [(10, "FT001")]


def test_disable_file_covers_every_line_of_that_code_only(tmp_path: Path) -> None:
    body = "One  \n\nTwo  \n\n\n\nThree  \n\n<!-- checker: disable-file FT001 -->\n"
    found = check(tmp_path, body, ("FT001", "FT003", "SP001"))
    assert found == [(12, "FT003")]


def test_code_lists_and_prefixes(tmp_path: Path) -> None:
    body = (
        "<!-- checker: disable-next-line FT001, FT007 -->\n"  # line 8
        "Tab\there  \n"  # line 9: FT001 and FT007, both listed
        "<!-- checker: disable-next-line FT -->\n"  # line 10
        "Tab\there  \n"  # line 11: FT001 and FT007, both under the prefix FT
        "<!-- checker: disable-next-line FT001 -->\n"  # line 12
        "Tab\there  \n"  # line 13: only FT001 listed
    )
    found = check(tmp_path, body, ("FT001", "FT007", "SP001"))
    assert found == [(13, "FT007")]


def test_a_suppression_without_codes_hides_every_rule(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line -->\nTab\there  \nTab\there  \n"
    found = check(tmp_path, body, ("FT001", "FT007", "SP001"))
    assert sorted(found) == [(10, "FT001"), (10, "FT007")]


def test_enable_with_a_code_ends_only_that_region(tmp_path: Path) -> None:
    body = (
        "<!-- checker: disable FT001 -->\n"  # line 8
        "<!-- checker: disable FT007 -->\n\n"  # line 9
        "Tab\there  \n\n"  # line 11: both hidden
        "<!-- checker: enable FT007 -->\n\n"  # line 13
        "Tab\there  \n"  # line 15: FT007 again, FT001 still hidden
    )
    found = check(tmp_path, body, ("FT001", "FT007", "SP001"))
    assert found == [(15, "FT007")]


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- checker: disable-next-line FT001 -->",
        "<!-- checker: disable FT001 -->",
        "<!-- checker: disable-file FT001 -->",
        "<!-- checker: disable-next-line -->",
    ],
)
def test_sp001_reports_a_suppression_that_hides_nothing(tmp_path: Path, comment: str) -> None:
    body = f"{comment}\nNo trailing space here.\n"
    found = check(tmp_path, body, ("FT001", "SP001"))
    assert found == [(8, "SP001")]


def test_sp001_is_quiet_for_a_used_suppression(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 -->\nHidden  \n"
    assert check(tmp_path, body, ("FT001", "SP001")) == []


def test_sp001_reports_words_that_are_not_codes(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 because -->\nHidden  \n"
    (tmp_path / "checker.toml").write_text("")
    page = tmp_path / "page.md"
    page.write_text(HEAD + body, encoding="utf-8")
    report = Engine(Overrides(select=("FT001", "SP001")), ConfigFinder()).check(
        [Target(page, "page.md")]
    )
    assert [(v.line, v.code) for v in report.violations] == [(8, "SP001")]
    assert "'because' is not a rule code" in report.violations[0].message


def test_sp001_runs_only_when_selected(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 -->\nNothing to hide.\n"
    assert check(tmp_path, body, ("FT001",)) == []


def test_comments_shown_as_code_do_not_suppress(tmp_path: Path) -> None:
    body = (
        "To silence a rule for a whole page, write:\n\n"  # line 8
        "```md\n<!-- checker: disable-file -->\n```\n\n"  # lines 10-12
        "    <!-- checker: disable-file -->\n\n"  # line 14: an indented code block
        "or inline: `<!-- checker: disable-file -->`.\n\n"  # line 16
        "Trailing  \n"  # line 18
    )
    assert check(tmp_path, body, ("FT001", "SP001")) == [(18, "FT001")]
