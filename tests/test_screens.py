"""An RE2 screen derived from a Python pattern matches wherever the pattern matches, so a
screened pattern finds exactly what the pattern alone finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.document import screens
from checker.document.page import Page
from checker.document.prose import prose_blocks
from checker.document.screens import Screen, Screened, compile_screen, superset_source
from checker.project.patterns import user_pattern
from checker.rules import voice
from tests.conftest import require_corpus

# Every construct the translation handles, in patterns that lookarounds, classes, anchors and
# repeat bounds make narrower than their screens.
PATTERNS = [
    re.compile(r"(?<!\byou )\bcannot (?:\w+ly )?provide\b(?=(?: [\w-]+,?){0,4}? info)", re.I),
    re.compile(r"\bhere(?:'s| is) (?:a |an )?(?:[\w-]+ ){0,3}?overview\b(?! by)", re.I),
    re.compile(r"providing [^.;:!?]{0,400}?\bimpossible\b", re.I),
    re.compile(r"^\s*+(?:[*+-]\s++|\d++[.)]\s++)?#{1,6}\s++[^#\n]++$", re.M),
    re.compile(r"\d+\s?(?:mg|g)\b|\D\.\d|[^\w\s]{2}|\S+\Z|\Bx\B|(?>ab|a)c"),
    re.compile(r".?end\.|a.b", re.DOTALL),
    re.compile(r"[^\W\d][^:*_]{0,60}?:|[\x1c-\x1f\v]"),
    # Lookarounds at the edges are matched as text; a word boundary keeps its place.
    re.compile(r"(?<=\d)\s?U(?=\b|/)"),
    re.compile(r"\b((?<=-)a)"),
    re.compile(r"(a(?=-))\b"),
    re.compile(r"(?<=a)(?<=[ab])c(?=d)(?=[de])"),
]
TEXTS = [
    "",
    "I cannot provide the info. You cannot provide info. They cannot easily provide it, or info.",
    "Here's an overview. Here is a short, plain overview by X. here's an  overview",
    "Providing a dose is impossible. Providing a dose. Is impossible.",
    "  ## Usage\n* 1. ### Dose ##\n#### x#",
    "500 mg, 5g, 12mgx, a.5, ?!, end word\nlast word\n",
    "an axe, xx, ac, abc",
    "the end.\nend. a\nb a-b",
    "Usage: take it\x1c. Side effects:\v none. 5x: no",
    "Only\vvertical\ttabs\rand\fforms",
    "10 U",
    "5U/kg",
    "-a",
    "a-",
    "acd",
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=range(len(PATTERNS)))
def test_a_screen_matches_wherever_its_pattern_does(
    pattern: re.Pattern[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = superset_source(pattern)
    assert source is not None
    screen = compile_screen(source)
    assert screen is not False
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    screened = Screened(pattern)
    matched = 0
    for text in TEXTS:
        found = [(m.span(), m.group()) for m in pattern.finditer(text)]
        if found:
            matched += 1
            assert screen.search(text) is not None, text
        assert [(m.span(), m.group()) for m in screened.finditer(text)] == found
        assert screened.sub("#", text) == pattern.sub("#", text)
    assert matched  # the texts exercise the pattern
    assert screened.screen.built


def test_a_screen_rules_texts_out() -> None:
    source = superset_source(PATTERNS[0])
    assert source is not None
    screen = compile_screen(source)
    assert screen.search("The dose is not known.") is None


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile(r"(a)\1"),  # a backreference
        re.compile(r"(a)?(?(1)b|c)"),  # a conditional
        re.compile(r"(?i:a)b"),  # scoped flags
        re.compile("caf\u00e9", re.I),  # folds to ASCII letters as re and RE2 each see fit
        re.compile("\u212a", re.I),  # the Kelvin sign: `k` to `re`
        re.compile(r"a", re.VERBOSE),
    ],
)
def test_a_pattern_without_a_safe_screen_is_always_run(
    pattern: re.Pattern[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert superset_source(pattern) is None
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    screened = Screened(pattern)
    assert screened.search("xyz") is None
    assert screened.screen._compiled is False


def test_one_screen_for_several_patterns_rules_out_only_what_none_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    screen = Screen((PATTERNS[0], PATTERNS[7], re.compile(r"(?!x)")))
    assert screen.rules_out("") is False  # the last pattern matches anywhere: nothing is ruled out
    screen = Screen((PATTERNS[0], PATTERNS[7]))
    for text in TEXTS:
        if any(pattern.search(text) for pattern in (PATTERNS[0], PATTERNS[7])):
            assert not screen.rules_out(text), text
    assert screen.rules_out("The dose is not known.")
    assert not screen.rules_out("Take 10 U daily.")
    # A user's pattern runs on RE2 and is never translated: nothing is ruled out for it.
    mixed = Screen((PATTERNS[7], user_pattern("dose")))
    assert not mixed.rules_out("The dose is not known.")
    assert not mixed.rules_out("Nothing at all.")
    assert not mixed.built


def test_text_outside_ascii_goes_to_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    pattern = re.compile(r"\bword\b")
    screened = Screened(pattern)
    # `re` sees no word boundary between `é` and `word`; RE2 alone would.
    assert screened.search("éword") is None
    assert screened.search("é word").span() == (2, 6)  # type: ignore[union-attr]
    assert screened.screen._compiled is None  # never needed: no ASCII text was asked about


# The writer's voice: words that its alternatives are made of, joined as prose joins them.
VOCABULARY = (
    "I am as an AI language model beyond the scope of this my response answer provided supplied"
    " text data information you requested format if can specify your request cannot can't"
    " provide give list dosage details here is are not difficult to it impossible providing"
    " requires expertise here's let's we will discuss below information describes each"
    " component separately both drugs individually assumes description needs address the this"
    " overview summary a of by they you be provided recommended in no but never"
)
WORDS = VOCABULARY.split()
SEPARATORS = [" ", " ", " ", "  ", ". ", ", ", "? ", "\n", "; ", "-"]


@given(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
    )
)
def test_the_screened_writer_voice_finds_what_the_pattern_alone_finds(
    pieces: list[tuple[str, str]],
) -> None:
    text = "".join(word + separator for word, separator in pieces)
    found = voice.statements(text)
    expected = voice.WRITER.pattern.search(found)
    screened = voice.WRITER.search(found)
    assert (screened and screened.span()) == (expected and expected.span())


@pytest.mark.corpus
def test_corpus_prose_meets_the_writer_voice_alike_screened_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    corpus = require_corpus().parent
    paths: list[Path] = []
    for name in ("rxhive-pages", "rxhive-v1-pages"):
        paths += sorted((corpus / name).rglob("*.md"))[::61]
    screened = Screened(voice.WRITER.pattern)
    found = 0
    for path in paths:
        page = Page(path, path.name, path.read_bytes())
        for block in prose_blocks(page):
            text = voice.statements(block.text)
            expected = voice.WRITER.pattern.search(text)
            match = screened.search(text)
            assert (match and match.span()) == (expected and expected.span()), path.name
            found += expected is not None
    assert found  # the sample holds the writer's voice, so both sides were compared
    assert screened.screen.built


def test_a_screen_is_built_for_one_large_text_but_not_for_a_few_small_ones() -> None:
    # A one-page check with a page of one huge paragraph must not try the writer-voice
    # patterns with `re` alone: the screen pays for itself on that much text.
    pattern = re.compile(r"\bcannot provide\b", re.IGNORECASE)
    small = Screened(pattern)
    for _ in range(10):
        assert small.search("Take it with food.") is None
    assert not small.screen.built
    large = Screened(pattern)
    assert large.search("word " * (screens.SCREEN_AFTER // 5 + 1)) is None
    assert large.screen.built
