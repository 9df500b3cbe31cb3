"""Inline content that is a bold label and plain text gets its children without the inline
parser: they must be exactly the tokens the parser gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from checker.document.markdown import (
    bold_label_children,
    parser,
    require_commonmark_inline,
    run_inline_parser,
)
from checker.document.page import Page
from tests.conftest import require_corpus


def _parsed(content: str) -> list[Token]:
    token = Token("inline", "", 0, content=content)
    run_inline_parser(token, 50, {})
    return token.children or []


BUILT = [
    "**Usage:** Take it with food.",
    "**Usage:**",
    "**Usage**: with the colon outside",
    "**Generic Name:** A  \n  hard break, a soft one \nand a tab\t\nthen the end",
    "**Dose:**\nthe text on the next line",
    "**Dose:** \n\t \n",
    "**Side Effects:**\u2014a dash after the label",
    "**x**\u00a0a no-break space after it",
    "**(Cetrimide)** in brackets",
    "**Note**.",
    "**Caf\u00e9 au lait:** caf\u00e9",
]
NOT_BUILT = [
    "**Usage:**text",  # punctuation before the closing `**` and a letter after: not closed
    "** Usage:** text",  # space after the opening `**`: not opened
    "**Usage: ** text",  # space before the closing `**`: not closed
    "**\u00a0Usage** text",
    "**x.**y",
    "Plain text",
    "**Usage:** *emphasis* too",
    "**Usage:** [a link](x)",
    "**Usage:** a `code span`",
    "**Usage:** an &amp; entity",
    "**Two\nlines:** label",
    "***",
]


@pytest.mark.parametrize("content", BUILT)
def test_a_bold_label_gets_the_parsers_children(content: str) -> None:
    children = bold_label_children(content)
    assert children is not None
    assert children == _parsed(content)


def test_the_parser_is_one_whose_inline_tokens_the_labels_are_built_as() -> None:
    require_commonmark_inline(parser(50))
    for md in (
        MarkdownIt("commonmark").enable("strikethrough"),
        MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"]),
        MarkdownIt("commonmark", {"linkify": True}),
        MarkdownIt("gfm-like"),
    ):
        with pytest.raises(RuntimeError, match="commonmark's inline tokens"):
            require_commonmark_inline(md)


@pytest.mark.parametrize("content", NOT_BUILT)
def test_other_content_goes_to_the_parser(content: str) -> None:
    assert bold_label_children(content) is None


PIECES = st.sampled_from(
    [
        *("a", "Usage", "B", ":", ".", "(", ")", "-", "1", "?", " ", "  ", "\t", "\n", "*", "**"),
        *("\u00a0", "\u2003", "\u2014", "\u00e9", "\u3000", "\u00bf", "\u2019", '"', "'", "#"),
    ]
)


@given(st.lists(PIECES, max_size=6), st.lists(PIECES, max_size=12))
def test_built_children_are_the_parsers_for_any_label_and_text(
    label: list[str], text: list[str]
) -> None:
    content = "**" + "".join(label) + "**" + "".join(text)
    children = bold_label_children(content)
    if children is None:
        return
    assert children == _parsed(content)


@pytest.mark.corpus
def test_corpus_labels_get_the_parsers_children() -> None:
    corpus = require_corpus().parent
    paths: list[Path] = []
    for name in ("rxhive-pages", "rxhive-v1-pages"):
        paths += sorted((corpus / name).rglob("*.md"))[::29]
    built = 0
    for path in paths:
        page = Page(path, path.name, path.read_bytes())
        for token in page.tokens or []:
            if token.type != "inline":
                continue
            children = bold_label_children(token.content)
            if children is not None:
                built += 1
                assert children == _parsed(token.content), path.name
    assert built > 1000
