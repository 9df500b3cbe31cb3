"""Apply the rules' fixes to a page, pass after pass, checking every pass before keeping it.

A pass takes the fixes of the page's current violations, keeps those whose edits do not touch
each other, applies them together, and checks the result: the page must still parse, its front
matter must hold the same data, and every top-level block outside the edits must render to the
same HTML as before. A pass that fails the check is retried fix by fix, and the fixes that fail
on their own are rejected and reported. Passes repeat until no fix is left to apply, up to a
bound; a page still changing at the bound, or cycling, is reported as not converged.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from checker.document.markdown import parser
from checker.document.page import UTF8_BOM, Page
from checker.fixing.writer import encode
from checker.rules.base import Edit, Fix, Violation

if TYPE_CHECKING:
    from markdown_it.token import Token

MAX_PASSES = 10


class Checked(Protocol):
    """What checking a page gives the fixer: its findings (the lint run's FileResult)."""

    @property
    def violations(self) -> list[Violation]: ...


Result = TypeVar("Result", bound=Checked)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A fix that was not applied, and why."""

    violation: Violation
    reason: str


@dataclass(frozen=True, slots=True)
class State:
    """What would be written: the LF-normalised text, its line endings and BOM."""

    text: str
    newline: str
    bom: bool

    def encode(self) -> bytes:
        return encode(self.text, self.newline, self.bom)


@dataclass(frozen=True, slots=True)
class Pass:
    """One applied pass: the text it started from and the edits it made to that text."""

    text: str
    edits: tuple[Edit, ...]


@dataclass
class FixOutcome(Generic[Result]):
    """What fixing did to one page."""

    display: str
    path: Path | None
    original: bytes
    # The check before any fix, and the check of the last pass's page.
    initial: Result
    result: Result
    final: bytes
    # Whether `initial` is only the probe's check (the rules that can fix), not a full one.
    initial_is_probe: bool = False
    fixed: int = 0
    converged: bool = True
    rejected: list[Rejected] = field(default_factory=list)
    # Why the page was left alone, when it was (it cannot be read, or its YAML is broken).
    skipped: str | None = None
    passes: list[Pass] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.final != self.original

    @property
    def text(self) -> str:
        """The fixed page as text, BOM and line endings included."""
        return self.final.decode("utf-8")


def original_bytes(page: Page) -> bytes:
    """The bytes the page was read from (pages that could not be decoded are never written)."""
    if page.source is None:
        return b""
    data = page.source.encode("utf-8")
    return UTF8_BOM + data if page.bom else data


def _never_modified(page: Page) -> str | None:
    if page.text is None or page.input_problem is not None:
        return "the file cannot be read as UTF-8 text (IO001); it is never modified"
    problem = page.front_matter_problem
    if problem is not None and problem.code == "FM002":
        return "the front matter is not valid YAML (FM002); it is never modified"
    return None


def wanted(violation: Violation, unsafe: bool) -> bool:
    fix = violation.fix
    return fix is not None and (fix.is_safe or unsafe)


# -- applying edits ---------------------------------------------------------------------


def _conflict(a: Edit, b: Edit) -> bool:
    # Edits that merely touch also conflict: which one goes first would change the result.
    return a.start <= b.end and b.start <= a.end


def well_formed(fix: Fix, length: int) -> bool:
    """Edits in order, inside the text, and not overlapping each other."""
    previous_end = -1
    for edit in fix.edits:
        if not 0 <= edit.start <= edit.end <= length or edit.start < previous_end:
            return False
        previous_end = edit.end if edit.end > edit.start else edit.end + 1
    return True


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """The text with the edits applied, and where each replacement stands in the new text."""
    pieces: list[str] = []
    ranges: list[tuple[int, int]] = []
    position = 0
    length = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        kept = text[position : edit.start]
        pieces.append(kept)
        length += len(kept)
        pieces.append(edit.replacement)
        ranges.append((length, length + len(edit.replacement)))
        length += len(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), ranges


@dataclass(slots=True)
class _Group:
    """One fix to apply, and every violation it fixes (identical fixes are merged)."""

    fix: Fix
    violations: list[Violation]


def choose_fixes(candidates: Sequence[Violation]) -> list[_Group]:
    """Fixes whose edits touch none of the fixes chosen before them, in page order."""
    groups: dict[tuple[tuple[Edit, ...], str | None], _Group] = {}
    taken: list[Edit] = []
    ordered = sorted(
        candidates, key=lambda v: v.fix.edits[0].start if v.fix and v.fix.edits else -1
    )
    for violation in ordered:
        fix = violation.fix
        assert fix is not None
        key = (fix.edits, fix.newline)
        if key in groups:
            groups[key].violations.append(violation)
            continue
        if any(_conflict(edit, other) for edit in fix.edits for other in taken):
            continue
        taken.extend(fix.edits)
        groups[key] = _Group(fix, [violation])
    return list(groups.values())


# -- verifying a pass --------------------------------------------------------------------


def _offset_of_line(page: Page, line: int) -> int:
    if line > page.line_count:
        return len(page.text or "")
    return page.line_offset(line)


# Each page's top-level blocks, worked out once: a page is the "after" of one pass and the
# "before" of the next, and a pass that fails is tried again fix by fix.
_BLOCKS: weakref.WeakKeyDictionary[Page, list[tuple[int, int, int, int]]] = (
    weakref.WeakKeyDictionary()
)
_HTML: weakref.WeakKeyDictionary[Page, dict[int, str]] = weakref.WeakKeyDictionary()


def _block_spans(page: Page) -> list[tuple[int, int, int, int]]:
    """(start, end, first token, last token) of every top-level block of the body."""
    found = _BLOCKS.get(page)
    if found is not None:
        return found
    blocks: list[tuple[int, int, int, int]] = []
    body = page.body_start_line
    tokens = page.tokens or []
    opener: tuple[int, Token] | None = None

    def add(first: int, last: int, head: Token) -> None:
        if head.map is not None:
            start = _offset_of_line(page, body + head.map[0])
            end = _offset_of_line(page, body + head.map[1])
            blocks.append((start, end, first, last))

    # Top-level tokens are those of level 0: an opener, its closer, or a block of its own.
    for index, token in enumerate(tokens):
        if token.level:
            continue
        if token.nesting == 1:
            opener = index, token
        elif token.nesting == -1 and opener is not None:
            add(opener[0], index, opener[1])
            opener = None
        else:
            add(index, index, token)
    if opener is not None:  # never closed: the block runs to the end
        add(opener[0], len(tokens), opener[1])
    _BLOCKS[page] = blocks
    return blocks


def _block_html(page: Page, first: int, last: int) -> str:
    rendered = _HTML.setdefault(page, {})
    html = rendered.get(first)
    if html is None:
        # Inline content is parsed lazily; rendering needs it, block by block.
        tokens = page.tokens or []
        for token in tokens[first : last + 1]:
            if token.type == "inline":
                page.inline(token)
        md = parser(page.limits.max_nesting)
        html = rendered[first] = md.renderer.render(tokens[first : last + 1], md.options, {})
    return html


def _untouched(page: Page, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """The spans of the blocks that no range touches.

    A pass may hold one edit per line of a long page: ranges are sorted once and each block
    is looked up by bisection, so the cost grows with blocks plus edits, not their product."""
    ordered = sorted(ranges)
    starts = [r_start for r_start, _ in ordered]
    # The furthest end among the first i ranges.
    reach: list[int] = []
    furthest = -1
    for _, r_end in ordered:
        furthest = max(furthest, r_end)
        reach.append(furthest)
    kept = []
    for span in _block_spans(page):
        count = bisect.bisect_right(starts, span[1])
        if count == 0 or reach[count - 1] < span[0]:
            kept.append(span)
    return kept


def _same_blocks(
    before: Page,
    after: Page,
    kept_before: list[tuple[int, int, int, int]],
    kept_after: list[tuple[int, int, int, int]],
) -> bool:
    """Whether the blocks render to the same HTML, pair by pair.

    A top-level block's HTML follows from its source lines and the page's link references
    alone, so blocks whose source is the same need not be rendered."""
    if len(kept_before) != len(kept_after):
        return False
    text_before, text_after = before.text or "", after.text or ""
    same_references = before.link_references == after.link_references
    return all(
        (same_references and text_before[b_start:b_end] == text_after[a_start:a_end])
        or _block_html(before, b_first, b_last) == _block_html(after, a_first, a_last)
        for (b_start, b_end, b_first, b_last), (a_start, a_end, a_first, a_last) in zip(
            kept_before, kept_after, strict=True
        )
    )


def verify(
    before: Page,
    after: Page,
    before_ranges: Sequence[tuple[int, int]],
    after_ranges: Sequence[tuple[int, int]],
) -> str | None:
    """Why the fixed page is worse than a formatting change should make it, or None."""
    if after.text is None or after.input_problem is not None:
        return "the result is no longer readable text"
    if after.front_matter_problem is not None and (
        before.front_matter_problem is None
        or after.front_matter_problem.code != before.front_matter_problem.code
    ):
        return f"the result no longer parses: {after.front_matter_problem.message}"
    if (before.front_matter is None) != (after.front_matter is None) or (
        before.front_matter is not None
        and after.front_matter is not None
        and before.front_matter.data != after.front_matter.data
    ):
        return "it changes the front matter's data"
    kept_before, kept_after = _untouched(before, before_ranges), _untouched(after, after_ranges)
    if not _same_blocks(before, after, kept_before, kept_after):
        return "it changes the rendered HTML of blocks outside its edits"
    return None


# -- the loop ----------------------------------------------------------------------------


class _PageFixer:
    def __init__(self, page: Page, unsafe: bool) -> None:
        self.original_page = page
        self.unsafe = unsafe
        self.rejected: list[Rejected] = []
        self.rejected_keys: set[tuple[object, ...]] = set()

    def make_page(self, state: State, earlier: Page) -> Page:
        page = self.original_page
        return Page(page.path, page.display_path, state.encode(), page.limits, earlier=earlier)

    def key(self, violation: Violation, text: str) -> tuple[object, ...]:
        # By content, not offsets, so a rejected fix is recognised after other edits move it.
        fix = violation.fix
        assert fix is not None
        parts = tuple((text[e.start : e.end], e.replacement) for e in fix.edits)
        return (violation.code, violation.message, parts, fix.newline)

    def attempt(
        self, page: Page, state: State, groups: Sequence[_Group]
    ) -> tuple[State, Page] | str:
        edits = [edit for group in groups for edit in group.fix.edits]
        newline = next((g.fix.newline for g in groups if g.fix.newline), state.newline)
        text, after_ranges = apply_edits(state.text, edits)
        new_state = State(text, newline, state.bom)
        new_page = self.make_page(new_state, page)
        before_ranges = [(e.start, e.end) for e in edits]
        reason = verify(page, new_page, before_ranges, after_ranges)
        return reason if reason is not None else (new_state, new_page)

    def reject(self, group: _Group, reason: str, text: str) -> None:
        for violation in group.violations:
            self.rejected_keys.add(self.key(violation, text))
            self.rejected.append(Rejected(violation, reason))

    def verified(self, page: Page, state: State, groups: list[_Group]) -> list[_Group]:
        """The groups that verify, found by halving: a page with one bad fix among thousands
        costs a few dozen attempts, not one per fix. Groups that fail alone are rejected."""
        outcome = self.attempt(page, state, groups)
        if not isinstance(outcome, str):
            return groups
        if len(groups) == 1:
            self.reject(groups[0], outcome, state.text)
            return []
        middle = len(groups) // 2
        return self.verified(page, state, groups[:middle]) + self.verified(
            page, state, groups[middle:]
        )

    def apply_pass(
        self, page: Page, state: State, groups: list[_Group]
    ) -> tuple[State, Page, list[_Group]] | None:
        """Apply as many of the groups as verify; None when none of them does."""
        outcome = self.attempt(page, state, groups)
        if not isinstance(outcome, str):
            return (*outcome, groups)
        if len(groups) == 1:
            self.reject(groups[0], outcome, state.text)
            return None
        middle = len(groups) // 2
        good = self.verified(page, state, groups[:middle]) + self.verified(
            page, state, groups[middle:]
        )
        if not good:
            return None
        together = self.attempt(page, state, good)
        if not isinstance(together, str):
            return (*together, good)
        # Each is fine alone but not with the others: apply the first, the rest next pass.
        first = self.attempt(page, state, good[:1])
        assert not isinstance(first, str)
        return (*first, good[:1])

    def candidates(self, result: Checked, state: State) -> list[Violation]:
        found = [
            v
            for v in result.violations
            if wanted(v, self.unsafe)
            and v.fix is not None
            and well_formed(v.fix, len(state.text))
            and self.key(v, state.text) not in self.rejected_keys
        ]
        if state.newline == "mixed":
            # Until one line ending is chosen, no edited text can be written back.
            found = [v for v in found if v.fix is not None and v.fix.newline]
        return found


def fix_page(
    page: Page,
    check: Callable[[Page], Result],
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
    initial: Result | None = None,
    probe: Callable[[Page], Result] | None = None,
) -> FixOutcome[Result]:
    """Fix one page until nothing fixable is left (or the bound is hit); nothing is written.

    `initial` is the check of `page` when the caller has it already (from a cache). Without
    it, `probe` (a check by the rules that can offer fixes) finds the first fixes, and the
    full `check` of the page runs only when nothing was fixed: a fixed page is checked in
    full after each pass anyway, so its first check need not be."""
    outcome = _fix(page, check, unsafe, max_passes, initial, probe)
    if outcome.initial_is_probe and not outcome.passes:
        outcome.initial = outcome.result = check(page)
        outcome.initial_is_probe = False
    return outcome


def _fix(
    page: Page,
    check: Callable[[Page], Result],
    unsafe: bool,
    max_passes: int,
    initial: Result | None,
    probe: Callable[[Page], Result] | None,
) -> FixOutcome[Result]:
    original = original_bytes(page)
    skipped = _never_modified(page)
    from_probe = initial is None and probe is not None and skipped is None
    if initial is not None:
        first = initial
    elif from_probe:
        assert probe is not None
        first = probe(page)
    else:
        first = check(page)
    outcome = FixOutcome(page.display_path, page.path, original, first, first, original)
    outcome.initial_is_probe = from_probe
    outcome.skipped = skipped
    if skipped is not None:
        return outcome
    assert page.text is not None
    fixer = _PageFixer(page, unsafe)
    state = State(page.text, page.newline, page.bom)
    current, result = page, first
    seen = {(state.text, state.newline)}
    passes = 0
    while True:
        candidates = fixer.candidates(result, state)
        if not candidates:
            break
        if passes >= max_passes:
            outcome.converged = False
            break
        passes += 1
        applied = fixer.apply_pass(current, state, choose_fixes(candidates))
        if applied is None:
            continue
        new_state, current, groups = applied
        outcome.passes.append(Pass(state.text, tuple(e for g in groups for e in g.fix.edits)))
        outcome.fixed += sum(len(group.violations) for group in groups)
        state = new_state
        result = check(current)
        if (state.text, state.newline) in seen:
            outcome.converged = False  # the fixes undo each other
            break
        seen.add((state.text, state.newline))
    outcome.rejected = fixer.rejected
    outcome.result = result
    if outcome.passes:
        outcome.final = state.encode()
    return outcome
