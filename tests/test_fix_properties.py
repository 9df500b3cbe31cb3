"""Properties of fixing, over generated pages: nothing safe left, idempotent, convergent, and
never losing text or whitespace outside the edits.

Each property is a function of the fixer, and the tests at the end show that each one fails
against a deliberately broken fixer (its internals replaced here, in the test, never in the
product).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document.markdown import parser
from checker.document.page import Page
from checker.fixing import fixer as fixer_module
from checker.fixing.fixer import FixOutcome, fix_page
from checker.lint.engine import Engine
from checker.lint.pagecheck import check_page, read_page
from checker.lint.resolver import Overrides
from checker.lint.results import FileResult
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.base import Edit

WORDS = st.sampled_from(
    ["aspirin", "dose", "500", "mg", "pain", "Take", "with", "food", "*a*", "`x`"]
)
TRAIL = st.sampled_from(["", "", "", " ", "  ", "   ", "\t", " \t"])
ODD = st.sampled_from([" ", " ", " ", "\u00a0", "\t"])
SECTIONS = st.sampled_from(
    ["Generic Name", "Usage", "Dosage", "Side Effects", "Precautions", "FAQs"]
)


@st.composite
def text_line(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=6))
    gaps = [draw(ODD) for _ in words[1:]]
    line = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:], strict=True))
    return line + draw(TRAIL)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 10))
    lines = draw(st.lists(text_line(), min_size=1, max_size=3))
    name = draw(SECTIONS)
    if kind == 0:
        return "#" * draw(st.integers(2, 4)) + " " + name + draw(TRAIL)
    if kind == 1:
        return f"**{name}:** " + "\n".join(lines)
    if kind == 2:
        return f"**{name}:**" + draw(TRAIL) + ("\n" + lines[0] if draw(st.booleans()) else "")
    if kind == 3:
        return "\n".join("* " + line for line in lines)
    if kind == 4:
        return f"* **{name}:** " + lines[0]
    if kind == 5:
        return "```\n" + "\n".join(lines) + "\n```"
    if kind == 6:
        return "> " + lines[0] + "\n> ## " + name
    if kind == 7:
        return lines[0].rstrip() + "\n" + draw(st.sampled_from(["===", "---"]))
    if kind == 8:
        return "<div>\n" + lines[0] + "\n</div>"
    return "\n".join(lines)


SEPARATORS = st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n", "\n \n\n", "\n\t\n"])


@st.composite
def page_text(draw: st.DrawFn) -> str:
    v1 = draw(st.booleans())
    head = (
        "---\nlayout: minimal\nnav_exclude: true\ntitle: Aspirin\n---\n"
        if v1
        else ("---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n")
    )
    blocks = draw(st.lists(block(), min_size=1, max_size=8))
    body = draw(st.sampled_from(["", "\n"])) + "# " + draw(st.sampled_from(["Aspirin", "Asp"]))
    for item in blocks:
        body += draw(SEPARATORS) + item
    return head + body + draw(st.sampled_from(["", "\n", "\n\n", "\n\n\n"]))


def fix(
    text: str, select: tuple[str, ...] | None = None, unsafe: bool = False
) -> FixOutcome[FileResult]:
    engine = Engine(Overrides(select=select), ConfigFinder())
    target = Target(None, "page.md", text.encode("utf-8"))
    ruleset = engine.ruleset_for(engine.config_for(target))
    page = read_page(target, ruleset.config)
    return fix_page(page, lambda p: check_page(p, ruleset, None), unsafe)


def html(text: str) -> str:
    page = Page(None, "page.md", text.encode("utf-8"))
    page.parse_all_inline()
    md = parser(page.limits.max_nesting)
    return md.renderer.render(page.tokens or [], md.options, {})


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def kept_outside_the_edits(outcome: FixOutcome[FileResult]) -> list[tuple[list[str], list[str]]]:
    """For each pass: the text outside its edits before the pass, and the same stretches after.

    The stretches after are found by shifting each one by what the edits before it added or
    removed; the text after a pass is the next pass's starting text, or the final page.
    """
    texts = [step.text for step in outcome.passes] + [outcome.text]
    found = []
    for step, after in zip(outcome.passes, texts[1:], strict=True):
        kept_before: list[str] = []
        kept_after: list[str] = []
        position = shift = 0
        for edit in sorted(step.edits, key=lambda e: e.start):
            kept_before.append(step.text[position : edit.start])
            kept_after.append(after[position + shift : edit.start + shift])
            shift += len(edit.replacement) - (edit.end - edit.start)
            position = edit.end
        kept_before.append(step.text[position:])
        kept_after.append(after[position + shift :])
        found.append((kept_before, kept_after))
    return found


# -- the properties, as functions of a fixer, so that they can be run against broken ones -------

Fixer = Callable[..., FixOutcome[FileResult]]


def nothing_safe_is_left(text: str, fixer: Fixer = fix) -> None:
    """After fixing, no finding with a safe fix remains, and no fix was rejected."""
    outcome = fixer(text)
    assert outcome.converged
    assert outcome.rejected == []
    left = [v for v in outcome.result.violations if v.fix is not None and v.fix.is_safe]
    assert left == [], [(v.code, v.line, v.fix.title if v.fix else "") for v in left]


def fixing_is_idempotent(text: str, fixer: Fixer = fix, unsafe: bool = False) -> None:
    once = fixer(text, unsafe=unsafe)
    assert once.converged
    twice = fixer(once.text, unsafe=unsafe)
    assert twice.text == once.text
    assert twice.fixed == 0


def no_word_outside_the_edits_is_lost(text: str, fixer: Fixer = fix, unsafe: bool = False) -> None:
    """Every character but whitespace outside the edited ranges survives, in order."""
    outcome = fixer(text, unsafe=unsafe)
    for before, after in kept_outside_the_edits(outcome):
        assert no_space("".join(before)) == no_space("".join(after))


def whitespace_outside_the_edits_is_unchanged(
    text: str, fixer: Fixer = fix, unsafe: bool = False
) -> None:
    outcome = fixer(text, unsafe=unsafe)
    for before, after in kept_outside_the_edits(outcome):
        assert before == after


# CHECKER_PROPERTY_EXAMPLES lowers the count where each run must be quick (mutation testing).
PROPERTY = settings(
    max_examples=int(os.environ.get("CHECKER_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(page_text())
def test_after_fixing_no_safe_fix_is_left_and_none_was_rejected(text: str) -> None:
    nothing_safe_is_left(text)


@PROPERTY
@given(page_text(), st.booleans())
def test_fixing_converges_and_is_idempotent(text: str, unsafe: bool) -> None:
    fixing_is_idempotent(text, unsafe=unsafe)


@PROPERTY
@given(page_text(), st.booleans())
def test_no_text_outside_the_edits_is_dropped_or_reordered(text: str, unsafe: bool) -> None:
    no_word_outside_the_edits_is_lost(text, unsafe=unsafe)


@PROPERTY
@given(page_text(), st.booleans())
def test_whitespace_outside_the_edits_is_unchanged(text: str, unsafe: bool) -> None:
    whitespace_outside_the_edits_is_unchanged(text, unsafe=unsafe)


@PROPERTY
@given(page_text())
def test_safe_fixes_keep_every_word_in_order(text: str) -> None:
    outcome = fix(text)
    assert re.findall(r"\w+", outcome.text) == re.findall(r"\w+", text)


@PROPERTY
@given(page_text())
def test_safe_formatting_fixes_leave_the_html_unchanged_apart_from_whitespace(text: str) -> None:
    outcome = fix(text, select=("FT",))
    assert no_space(html(outcome.text)) == no_space(html(text))


# -- the properties bite: each fails against a deliberately broken fixer ------------------------

# A page with something for most safe fixes: trailing spaces, a tab, blank lines in a row, a
# `**Usage:**` label, `500mg`, and a final line without its newline.
BROKEN_PAGE = (
    "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n"
    "### Generic Name   \n\nAcetylsalicylic  acid\n\n\n\n**Usage:** For pain.\t\n\n"
    "### Dosage\n\nTake 500mg with food.\n\n* one\n*  two\n\nLast line, no newline."
)


REAL_APPLY_EDITS = fixer_module.apply_edits


def _apply_nothing(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    return text, [(edit.start, edit.start) for edit in edits]


def _apply_then_drop_a_word(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """Apply the edits, then drop the first word after the last of them."""
    new, ranges = REAL_APPLY_EDITS(text, edits)
    end = max((stop for _, stop in ranges), default=0)
    word = re.compile(r"[A-Za-z]+").search(new, end)
    if word is None:
        return new, ranges
    return new[: word.start()] + new[word.end() :], ranges


def _apply_then_squeeze_spaces(
    text: str, edits: Sequence[Edit]
) -> tuple[str, list[tuple[int, int]]]:
    """Apply the edits, then squeeze double spaces after the last of them into one."""
    new, ranges = REAL_APPLY_EDITS(text, edits)
    end = max((stop for _, stop in ranges), default=0)
    return new[:end] + re.sub(r"(?<=\S)  (?=\S)", " ", new[end:]), ranges


def _reject_everything(*_: object) -> str:
    return "rejected by a broken verifier"


def _accept_everything(*_: object) -> None:
    return None


# name: the fixer's internals it replaces (apply_edits, verify).
BROKEN_FIXERS: dict[str, dict[str, Callable[..., Any]]] = {
    "applies no fix": {"wanted": lambda *_: False},
    "does nothing": {"apply_edits": _apply_nothing},
    "rejects every fix": {"verify": _reject_everything},
    "drops a word beside its edits": {
        "apply_edits": _apply_then_drop_a_word,
        "verify": _accept_everything,
    },
    "squeezes spaces beside its edits": {
        "apply_edits": _apply_then_squeeze_spaces,
        "verify": _accept_everything,
    },
}

# Which broken fixer each property must catch.
CAUGHT = [
    (nothing_safe_is_left, "applies no fix"),
    (nothing_safe_is_left, "does nothing"),
    (nothing_safe_is_left, "rejects every fix"),
    (fixing_is_idempotent, "does nothing"),
    (no_word_outside_the_edits_is_lost, "drops a word beside its edits"),
    (whitespace_outside_the_edits_is_unchanged, "squeezes spaces beside its edits"),
]


def broken_fixer(name: str, monkeypatch: pytest.MonkeyPatch) -> Fixer:
    for attribute, replacement in BROKEN_FIXERS[name].items():
        monkeypatch.setattr(fixer_module, attribute, replacement)
    return fix


def test_the_example_page_passes_every_property() -> None:
    for check, _ in CAUGHT:
        check(BROKEN_PAGE)
    assert fix(BROKEN_PAGE).fixed >= 5


@pytest.mark.parametrize(
    ("check", "name"), [pytest.param(c, n, id=f"{c.__name__}-{n}") for c, n in CAUGHT]
)
def test_each_property_fails_against_a_broken_fixer(
    check: Callable[..., None], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(AssertionError):
        check(BROKEN_PAGE, broken_fixer(name, monkeypatch))
