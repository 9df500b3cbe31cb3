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


# The writer's voice: words and phrases that its alternatives are made of, and words of the
# drug, joined as prose joins them (phrases, so that most texts hold some of the voice).
VOCABULARY = (
    "I am can hope as an AI the this these following provided supplied given text data you if"
    " can specify your request cannot could not unable to provide give offer list outline dose"
    " doses dosing dosage precautions names here is are be not difficult hard impossible it"
    " providing requires caution beyond would below above about of each component drug both"
    " drugs separately individually will a by they no but never patients stated tablet take"
    " with food nausea"
)
PHRASES = (
    *("I cannot", "I hope", "I'm", "as an AI", "language model", "this response", "you provided"),
    *("your request", "as requested", "the requested format", "if you can specify"),
    *("the provided text", "based on the data supplied", "the provided information"),
    *("this information cannot provide", "the information below", "is unable to provide"),
    *("dosage information", "cannot be provided", "cannot be stated", "are not detailed here"),
    *("it is impossible to provide", "difficult to provide", "providing information"),
    *("requires the expertise of", "is difficult to specify", "an accurate dose"),
    *("describes each component", "is based on", "is a general overview of", "is built from"),
    *("the individual properties of", "each drug will be discussed", "assumes"),
    *("a description needs to address", "answer is impossible", "to patients"),
)
WORDS = [*VOCABULARY.split(), *PHRASES]
SEPARATORS = [" ", " ", " ", "  ", ". ", ", ", "? ", "\n", "; ", "-"]


def _in_use(screen: Screen) -> Screen:
    """`screen`, built as a run builds it once it has been asked about that much text."""
    screen.rules_out(" " * screens.SCREEN_AFTER)
    assert screen.built
    return screen


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match and match.span()


@given(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
    )
)
def test_the_screened_writer_voice_finds_what_its_patterns_alone_find(
    pieces: list[tuple[str, str]],
) -> None:
    # The screens CT001 reads through: the one in front of both patterns, and the one in
    # front of the writer's alone.
    both, writer = _in_use(voice._VOICE), _in_use(voice.WRITER.screen)
    text = "".join(word + separator for word, separator in pieces)
    said = voice.statements(text)
    first_person = voice.FIRST_PERSON.search(said)
    found = voice.WRITER.pattern.search(said)
    assert _span(voice.writer_voice(text)) == _span(first_person or found)
    assert _span(voice.WRITER.search(said)) == _span(found)
    if first_person or found:
        assert not both.rules_out(said)
    if found:
        assert not writer.rules_out(said)


def test_the_writer_voice_screens_rule_out_the_drug_and_let_the_writer_through() -> None:
    both, writer = _in_use(voice._VOICE), _in_use(voice.WRITER.screen)
    drug = "Take one tablet twice a day with food. Nausea and headache may occur."
    assert both.rules_out(drug) and writer.rules_out(drug)
    assert voice.writer_voice(drug) is None
    said = "Dosage information cannot be provided here."
    assert not both.rules_out(said) and not writer.rules_out(said)
    assert _span(voice.writer_voice(said)) == (0, 37)
    assert not both.rules_out("I hope this helps.") and writer.rules_out("I hope this helps.")
    assert _span(voice.writer_voice("I hope this helps.")) == (0, 6)


@pytest.mark.corpus
def test_corpus_prose_meets_the_writer_voice_alike_screened_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(screens, "SCREEN_AFTER", 0)
    # Fresh screens, built on the first text they are asked about.
    both = Screen((voice.FIRST_PERSON, voice.WRITER.pattern))
    writer = Screened(voice.WRITER.pattern)
    monkeypatch.setattr(voice, "_VOICE", both)
    monkeypatch.setattr(voice, "WRITER", writer)
    corpus = require_corpus().parent
    paths: list[Path] = []
    for name in ("rxhive-pages", "rxhive-v1-pages"):
        paths += sorted((corpus / name).rglob("*.md"))[::61]
    found = ruled_out = 0
    for path in paths:
        page = Page(path, path.name, path.read_bytes())
        for block in prose_blocks(page):
            said = voice.statements(block.text)
            expected = voice.FIRST_PERSON.search(said) or writer.pattern.search(said)
            assert _span(voice.writer_voice(block.text)) == _span(expected), path.name
            assert _span(writer.search(said)) == _span(writer.pattern.search(said)), path.name
            found += expected is not None
            ruled_out += both.rules_out(said)
    # The sample holds the writer's voice and text without it, so both sides were compared.
    assert found and ruled_out
    assert both.built and writer.screen.built


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
