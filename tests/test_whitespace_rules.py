"""FT007's `line-ending` option (any, lf, crlf), one finding for a trailing tab, and FT001 on a
two-line setext heading, where two trailing spaces are a hard break that the fix keeps as a
backslash."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import fix_text
from tests.conftest import run_checker
from tests.fix_pages import V2_SECTIONS, v2_page
from tests.rule_fixtures import check_only

PAGE = v2_page(V2_SECTIONS)


def found(tmp_path: Path, code: str, data: bytes, option: str = "") -> list[str]:
    (tmp_path / "checker.toml").write_text(option)
    page = tmp_path / "page.md"
    page.write_bytes(data)
    violations = check_only(code, [page], tmp_path / "checker.toml").violations
    return [
        f"{v.line}:{v.column} {v.message}"
        + (f" | {v.fix.title}, newline {v.fix.newline!r}" if v.fix else "")
        for v in violations
    ]


@pytest.mark.parametrize(
    ("option", "endings", "expected"),
    [
        ("", "\r\n", []),
        ("", "\n", []),
        (
            'line-ending = "lf"',
            "\r\n",
            ["1:1 the file uses CRLF line endings; use LF | Use LF line endings, newline '\\n'"],
        ),
        ('line-ending = "lf"', "\n", []),
        (
            'line-ending = "crlf"',
            "\n",
            [
                "1:1 the file uses LF line endings; use CRLF | Use CRLF line endings, "
                "newline '\\r\\n'"
            ],
        ),
        ('line-ending = "crlf"', "\r\n", []),
    ],
)
def test_the_line_ending_option(
    tmp_path: Path, option: str, endings: str, expected: list[str]
) -> None:
    config = f"[rules.FT007]\n{option}\n" if option else ""
    data = PAGE.replace("\n", endings).encode()
    assert found(tmp_path, "FT007", data, config) == expected


def test_a_one_line_file_is_not_told_to_use_crlf(tmp_path: Path) -> None:
    config = '[rules.FT007]\nline-ending = "crlf"\n'
    assert found(tmp_path, "FT007", b"# Aspirin\n", config) == []


def test_mixed_endings_are_fixed_to_one(tmp_path: Path) -> None:
    data = PAGE.replace("\n", "\r\n", 3).encode()
    assert found(tmp_path, "FT007", data) == [
        "1:1 the file mixes line endings; save it with LF line endings throughout | Use LF "
        "line endings, newline '\\n'"
    ]


def test_mixed_endings_are_told_the_ending_the_fix_writes(tmp_path: Path) -> None:
    config = '[rules.FT007]\nline-ending = "crlf"\n'
    data = PAGE.replace("\n", "\r\n", 3).encode()
    assert found(tmp_path, "FT007", data, config) == [
        "1:1 the file mixes line endings; save it with CRLF line endings throughout | Use CRLF "
        "line endings, newline '\\r\\n'"
    ]
    cr_only = PAGE.replace("\n", "\r").encode()
    assert found(tmp_path, "FT007", cr_only, config) == [
        "1:1 the file uses CR-only line endings; save it with CRLF line endings | Use CRLF "
        "line endings, newline '\\r\\n'"
    ]


def test_a_trailing_tab_is_one_finding_of_ft001(tmp_path: Path) -> None:
    """A tab at the end of a line is trailing whitespace: FT001 reports it, FT007 does not
    tell the page to indent with spaces; a tab inside the line is FT007's."""
    page = tmp_path / "page.md"
    page.write_text(
        PAGE.replace("Used for pain.", "Used for pain.\t").replace("500 mg.", "500\tmg.")
    )
    result = run_checker("check", "--no-cache", "--select", "FT001,FT007", "page.md", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "page.md:14:15: FT001 [*] [warning] 1 trailing whitespace character; remove it",
        "page.md:18:4: FT007 [*] [warning] a tab character; indent with spaces",
    ]
    fixed = run_checker(
        "check", "--no-cache", "--fix", "--select", "FT001,FT007", "page.md", cwd=tmp_path
    )
    assert fixed.returncode == 0, fixed.stderr
    assert "Used for pain.\n" in page.read_text()
    assert "500 mg." in page.read_text()


def test_trailing_spaces_in_a_setext_heading_are_a_hard_break() -> None:
    page = v2_page(V2_SECTIONS.replace("# Aspirin\n", "Aspirin  \ntablets\n=======\n"))
    assert "Aspirin\\\ntablets\n=======" in fix_text(page, select=("FT001",))
    underline = v2_page(V2_SECTIONS.replace("# Aspirin\n", "Aspirin tablets\n=======  \n"))
    assert "Aspirin tablets\n=======\n" in fix_text(underline, select=("FT001",))
