"""CT003 (a page or section cut off mid-sentence): which endings count, where the finding
stands (the token that shows the cut), what it says, and what is never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rule_fixtures import check_only

V2 = "---\nlayout: minimal-medicine\ntitle: Examplomycin\n---\n\n# Examplomycin\n\n"
V1 = "---\nlayout: minimal-medicine\nnav_exclude: true\ntitle: Examplomycin\n---\n\n# Examplomycin\n\n"
SENTENCE = "Adults usually take one tablet with water in the morning"


def found(tmp_path: Path, text: str) -> list[tuple[int, int, int, str]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return [
        (v.line, v.column, v.end_column, v.message) for v in check_only("CT003", [page]).violations
    ]


def cut(where: str, problem: str) -> str:
    return f"{where} looks cut off: {problem}; finish the sentence or regenerate the page"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            f"{SENTENCE},\n\n### Usage\n\nPain.\n",
            [(8, 50, 57, cut("the page's opening", "it ends with ','"))],
            id="opening-comma",
        ),
        pytest.param(
            f"### Usage\n\n{SENTENCE} \u2014\n",
            [(10, 58, 58, cut("section 'Usage'", "it ends with '\u2014'"))],
            id="dash",
        ),
        pytest.param(
            f"### Usage\n\n{SENTENCE} and\n",
            [(10, 58, 60, cut("section 'Usage'", "it ends on the word 'and'"))],
            id="dangling-word",
        ),
        pytest.param(
            f"### Usage\n\n{SENTENCE}\n",
            [(10, 50, 56, cut("section 'Usage'", "its last paragraph has no closing punctuation"))],
            id="no-punctuation",
        ),
        pytest.param(
            "### Usage\n\nTake it with __food and water\n",
            [(10, 14, 15, cut("section 'Usage'", "bold markup is left open"))],
            id="open-underscore-bold",
        ),
        pytest.param(
            "### Usage\n\n* Pain.\n* Does it help? It helps with most kinds of pain and\n",
            [(11, 50, 52, cut("section 'Usage'", "it ends on the word 'and'"))],
            id="item-dangling",
        ),
        pytest.param(
            "### Usage\n\n* Pain.\n* Does it help? It helps with most kinds of pain\n",
            [(11, 45, 48, cut("section 'Usage'", "its last list item stops mid-sentence"))],
            id="item-mid-sentence",
        ),
        pytest.param(
            "### Usage\n\n* Pain.\n*\n",
            [(11, 1, 1, cut("section 'Usage'", "its last list item is empty"))],
            id="empty-item",
        ),
        # What is complete: names and noun phrases, a heading at the end of a section (the
        # paragraph before it is what ends the section), a short name in capitals.
        pytest.param("### Usage\n\n* Pain.\n* Other inflammatory skin conditions\n", [], id="noun"),
        pytest.param(f"### Usage\n\n{SENTENCE}.\n\n#### More\n", [], id="heading-last"),
        pytest.param("### Usage\n\nVitamin B + Zinc\n", [], id="name"),
    ],
)
def test_what_counts_as_cut_off_and_where_it_is_marked(
    tmp_path: Path, body: str, expected: list[tuple[int, int, int, str]]
) -> None:
    assert found(tmp_path, V2 + body) == expected


def test_the_disclaimer_and_the_closing_note_are_not_read(tmp_path: Path) -> None:
    page = V1 + f"**Usage:** Pain.\n\n**Disclaimer:** {SENTENCE} and\n\n**Note:** {SENTENCE} and\n"
    assert found(tmp_path, page) == []
    assert found(tmp_path, page.replace("**Usage:** Pain.", f"**Usage:** {SENTENCE} and")) == [
        (9, 69, 71, cut("section 'Usage'", "it ends on the word 'and'"))
    ]
