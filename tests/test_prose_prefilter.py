"""A prose block without inline markup is read from its source, not parsed: the prose (and so
every content rule's findings) must be exactly what the inline parse gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.document import markdown, prose, screens
from checker.document.page import Page
from checker.lint.pagecheck import check_page
from checker.lint.resolver import Overrides, build_ruleset
from checker.project.config import default_config
from tests.conftest import require_corpus

ROOT = Path(__file__).resolve().parent.parent
RULESET = build_ruleset(default_config(ROOT), Overrides())

# Line breaks in every form the `newline` rule trims: one trailing space, a hard break of two
# or more, a tab before the break, indented continuation lines, curly quotes.
PLAIN = [
    "One line.",
    "Soft break \nand the next line.",
    "Hard break  \nafter two spaces, and   \n   three more,\n\tthen a tab.",
    "A tab stays\t\nbefore a break, and a lone space \n  too.",
    "Curly \u2019quotes\u2019 and \u2018others\u2019 \u201cdo not\u201d matter.",
    "Doses: 500mg, 1 g - 2 g; q.d. (daily) #1 ~ 50% + $3 {x} | a:b = c ^ d.",
]


def _page(body: str) -> Page:
    return Page(None, "page.md", f"---\ntitle: T\n---\n# T\n\n{body}\n".encode())


def _blocks(page: Page) -> list[prose.ProseBlock]:
    return list(prose.prose_blocks(page))


def _read_both_ways(page: Page) -> list[tuple[object, object]]:
    """For each inline token without markup: its prose read from its source, and from its
    inline parse."""
    tokens = page.tokens or []
    return [
        (
            prose.text_from_source(token.content, page.token_line(token)),
            prose.text_from_parse(page.inline(token), page.token_line(token)),
        )
        for token in tokens
        if token.type == "inline" and prose.INLINE_MARKUP.search(token.content) is None
    ]


@pytest.mark.parametrize("body", PLAIN)
def test_a_block_without_markup_reads_as_its_parse_does(body: str) -> None:
    assert prose.INLINE_MARKUP.search(body) is None
    page = _page(body)
    both = _read_both_ways(page)
    assert len(both) == 2  # the H1 and the paragraph
    for source, parse in both:
        assert source == parse
    assert [block.text for block in _blocks(page)] == [text for (text, _, _), _ in both]
    assert _blocks(page)[1].text


def test_a_block_read_from_its_source_is_not_parsed() -> None:
    page = _page(PLAIN[2])
    _blocks(page)
    paragraph = next(t for t in page.tokens or [] if t.type == "inline" and "Hard" in t.content)
    assert not paragraph.children  # the block parser leaves it empty; nothing filled it
    marked = _page("Some **bold** text.")
    _blocks(marked)
    bold = next(t for t in marked.tokens or [] if t.type == "inline" and "bold" in t.content)
    assert bold.children


def _sample() -> list[Path]:
    corpus = require_corpus().parent
    pages: list[Path] = []
    for name in ("rxhive-pages", "rxhive-v1-pages"):
        pages += sorted((corpus / name).rglob("*.md"))[::97]
    return pages


@pytest.mark.corpus
def test_corpus_pages_have_the_same_prose_and_findings_with_the_prefilters_on_and_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = _sample()
    assert len(pages) > 80
    plain = 0
    for path in pages:
        for source, parse in _read_both_ways(Page(path, path.name, path.read_bytes())):
            assert source == parse, path.name
            plain += 1
    assert plain > 500  # both ways were compared on many blocks

    def run() -> list[tuple[list[prose.ProseBlock], object]]:
        found = []
        for path in pages:
            page = Page(path, path.name, path.read_bytes())
            result = check_page(page, RULESET, None)
            found.append((_blocks(page), result))
        return found

    with_prefilter = run()
    # Without the screens (no text ruled out) and without built label tokens (all parsed).
    monkeypatch.setattr(screens.Screen, "rules_out", lambda self, text: False)
    monkeypatch.setattr(markdown, "bold_label_children", lambda content: None)
    without = run()
    assert with_prefilter == without
    # The sample holds blocks with markup too, which are parsed.
    texts = [block for blocks, _ in with_prefilter for block in blocks]
    assert any(prose.INLINE_MARKUP.search(block.text) for block in texts)


SCREENED = [
    ["I hope this helps", "as an AI", "[insert ...]", "no side effects", "100% safe"],
    ["it\u2019s crucial", "TBD", "lorem ipsum"],  # a curly apostrophe, read as a straight one
    ["caf\u00e9 au lait", "hope"],  # not ASCII: never screened
]
TEXTS = [
    "Nothing here.",
    "I hope\tthis helps. I  hope\vthis helps. I hope\u00a0this helps.",
    "Only a vertical tab: I hope\vthis helps; no\vside effects.",
    # Separators: spaces to Python's `\s`, not to RE2's.
    "Separators: I hope\x1cthis helps; no\x1fside effects.",
    "As an ai model. AS AN AI. as anAI. [insert the drug name here] and [Insert ...].",
    "There are no side effects; no\nside effects; 100% safe, 100 % safe.",
    "It's crucial. it\u2019s crucial. TBD and tbd. Lorem Ipsum dolor.",
    "Caf\u00e9 au lait, CAF\u00c9 AU LAIT, hopeful, hope.",
    "\u00c9 I hope this helps.",  # not ASCII: goes to the pattern
]


@pytest.mark.parametrize("phrases", SCREENED, ids=["ascii", "curly", "accented"])
def test_a_screened_phrase_pattern_finds_what_the_pattern_alone_finds(
    phrases: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    screened = prose._phrase_pattern.__wrapped__(tuple(phrases))
    assert screened is not None
    for text in TEXTS:
        found = [(m.start(), m.group()) for m in screened.pattern.finditer(text)]
        assert [(m.start(), m.group()) for m in screened.finditer(text)] == found, text
        assert screened.sub(" ", text) == screened.pattern.sub(" ", text)
        assert (screened.search(text) is None) == (not found)
    # The screen was built and used where it may be: on ASCII text, for ASCII phrases.
    assert screened.screen.built == (phrases is not SCREENED[2])
