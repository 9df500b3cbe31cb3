"""FT007's `line-ending` option (any, lf, crlf), and FT001 on a two-line setext heading, where
two trailing spaces are a hard break that the fix keeps as a backslash."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import fix_text
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


def test_trailing_spaces_in_a_setext_heading_are_a_hard_break() -> None:
    page = v2_page(V2_SECTIONS.replace("# Aspirin\n", "Aspirin  \ntablets\n=======\n"))
    assert "Aspirin\\\ntablets\n=======" in fix_text(page, select=("FT001",))
    underline = v2_page(V2_SECTIONS.replace("# Aspirin\n", "Aspirin tablets\n=======  \n"))
    assert "Aspirin tablets\n=======\n" in fix_text(underline, select=("FT001",))
