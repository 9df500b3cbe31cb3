"""Properties of fixing, over generated pages: idempotent, convergent, and never losing text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document.markdown import parser
from checker.document.page import Page
from checker.fixing.fixer import FixOutcome, fix_page
from checker.lint.engine import Engine
from checker.lint.pagecheck import check_page, read_page
from checker.lint.resolver import Overrides
from checker.lint.results import FileResult
from checker.project.config import ConfigFinder
from checker.project.targets import Target

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


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(page_text(), st.booleans())
def test_fixing_converges_and_is_idempotent(text: str, unsafe: bool) -> None:
    once = fix(text, unsafe=unsafe)
    assert once.converged
    assert not once.rejected or all(r.violation.fix for r in once.rejected)
    twice = fix(once.text, unsafe=unsafe)
    assert twice.text == once.text
    assert twice.fixed == 0


@PROPERTY
@given(page_text(), st.booleans())
def test_no_text_outside_the_edits_is_dropped_or_reordered(text: str, unsafe: bool) -> None:
    outcome = fix(text, unsafe=unsafe)
    texts = [step.text for step in outcome.passes] + [outcome.text]
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
        assert [no_space(k) for k in kept_before] == [no_space(k) for k in kept_after]


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
