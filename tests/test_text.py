"""The helpers of checker.document.text: wording for messages and `checker init`, and spaces."""

from __future__ import annotations

import re
import sys

import pytest

from checker.document.text import collapse_spaces, plural, share_of


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "page", "1 page"),
        (2, "page", "2 pages"),
        (3, "entry", "3 entries"),
        (2, "key", "2 keys"),
    ],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (40, 40, "every page"),
        (0, 40, "no page"),
        (3, 4, "3 pages"),  # a small total: the count says more than 75%
        (1, 19, "1 page"),
        (5, 1000, "5 pages"),  # under 1%: a percentage would round to 0%
        (10, 1000, "1% of pages"),
        (400, 1000, "40% of pages"),
    ],
)
def test_share_of_pages(count: int, total: int, expected: str) -> None:
    assert share_of(count, total) == expected


def test_collapse_spaces_treats_every_unicode_space_as_a_regex_would() -> None:
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(code))]
    assert len(spaces) > 20  # tabs, line breaks, no-break and other Unicode spaces
    for space in spaces:
        text = f"{space}Usage{space}{space}(Cetrimide):{space}take it{space}"
        assert collapse_spaces(text) == "Usage (Cetrimide): take it", repr(space)
    assert collapse_spaces("") == ""
    assert collapse_spaces("a\u200bb") == "a\u200bb"  # a zero-width space is not a space
