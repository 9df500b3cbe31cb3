"""Medication-safety rules: dose notation that the ISMP and Joint Commission lists warn against."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import Field, field_validator

from checker.document.page import Page
from checker.document.prose import ProseBlock, prose_blocks, source_span
from checker.document.screens import Screen, screen_for
from checker.project.patterns import compile_user
from checker.rules.base import (
    Applicability,
    Edit,
    Fix,
    FixAvailability,
    FixSafety,
    Rule,
    RuleOptions,
    Severity,
    Violation,
)

# Units a number must carry to count as a dose; other numbers (versions, years, counts) pass.
DOSE_UNITS = r"(?:mg|mcg|µg|μg|ug|g|kg|mL|ml|L|units?|IU|mEq|mmol|U|cc|drops?|tablets?|capsules?)"
_NOT_IN_NUMBER = r"(?<![\w.,/])"


class Notation(RuleOptions):
    """One error-prone notation: a regular expression and the text to write instead."""

    pattern: str
    use: str
    case_sensitive: bool = True
    # What to write instead, when that is unambiguous ({1} is the first group); offered as an
    # unsafe fix, since it changes what the page says.
    replace: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        # Refused here, when the config loads, unless RE2 can run it (or it is built in).
        compile_user(value, trusted=_builtin_patterns())
        return value


def _builtin_patterns() -> frozenset[str]:
    """The notations' own patterns (they need lookbehind, so they run on Python's `re`)."""
    return frozenset(str(item["pattern"]) for item in NOTATIONS)


NOTATIONS: list[dict[str, Any]] = [
    {
        # Lab values (per dL or L of blood) may keep a trailing zero; doses may not.
        "pattern": _NOT_IN_NUMBER + r"(\d+)\.0+(?=\s?" + DOSE_UNITS + r"\b(?!/d?L\b))(?!\.\d)",
        "use": "{1} (no trailing zero: 5.0 mg is misread as 50 mg)",
        "replace": "{1}",
    },
    {
        "pattern": r"(?<![\w.,])\.(\d+)(?=\s?" + DOSE_UNITS + r"\b)",
        "use": "0.{1} (a leading zero: .5 mg is misread as 5 mg)",
        "replace": "0.{1}",
    },
    {
        "pattern": r"(?<=\d)\s?U(?=\b|/)",
        "use": "units (U is misread as 0 or 4: 10 U becomes 100)",
        "replace": "units",
    },
    {
        "pattern": r"(?<=\d)\s?IU(?=\b|/)",
        "use": "units or international units (IU is misread as IV or 10)",
    },
    {
        "pattern": r"(?<![\w.])q\.?\s?d\.?(?![\w])",
        "use": "daily (qd is misread as qid, four times a day)",
        "replace": "daily",
        "case-sensitive": False,
    },
    {
        "pattern": r"(?<![\w.])q\.?\s?o\.?\s?d\.?(?![\w])",
        "use": "every other day (qod is misread as qd or qid)",
        "replace": "every other day",
        "case-sensitive": False,
    },
    {
        "pattern": r"(?:(?<=\d)\s?ug|(?<![\w])[µμ]g)(?=\b|/)",
        "use": "mcg (µg is misread as mg, a thousandfold overdose)",
        "replace": "mcg",
    },
    {
        "pattern": r"(?<=\d)\s?cc\b",
        "use": "mL (cc is misread as U or 00)",
        "replace": "mL",
        "case-sensitive": False,
    },
]


def dose_blocks(page: Page) -> Iterator[ProseBlock]:
    """The prose that states doses: not the H1, which is the page's name and must equal its
    title (strength pages such as `Albendazole 125mg` carry the dose there), and never the
    front matter, which is not prose."""
    tokens = page.tokens or []
    for block in prose_blocks(page):
        if block.kind == "heading" and tokens[block.index - 1].tag == "h1":
            continue
        yield block


def _inside_word(text: str, match: re.Match[str]) -> bool:
    """A notation that is part of a longer word or name (`Hair4U`, `QDrops`): a letter stands
    right before the number it follows, or right after it."""
    start, end = match.start(), match.end()
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before.isalpha() or after.isalpha()


def _quoted(text: str, offset: int) -> bool:
    """Inside double quotes: a quoted name (`"Adrenochrome 0.75mg"`) is the requested page's
    name, not a dose the page states."""
    return text.count('"', 0, offset) % 2 == 1 or (
        text.count("\u201c", 0, offset) > text.count("\u201d", 0, offset)
    )


# Every built-in notation needs a digit, a `q` or a micro sign; most prose blocks have none of them.
_DOSE_HINT = re.compile(r"[\dqQµμ]")


def _suggestion(notation: Notation, match: re.Match[str]) -> str:
    suggestion = notation.use
    for number, group in enumerate(match.groups(), start=1):
        suggestion = suggestion.replace("{" + str(number) + "}", group or "")
    return suggestion


def _fill(template: str, match: re.Match[str]) -> str:
    for number, group in enumerate(match.groups(), start=1):
        template = template.replace("{" + str(number) + "}", group or "")
    return template


def _source_edit(page: Page, line: int, column: int, written: str, new: str) -> Edit | None:
    """An edit replacing `written` where the page's text has it, or None if it is not there."""
    assert page.text is not None
    start = page.line_offset(line) + column - 1
    if page.text[start : start + len(written)] != written:
        return None
    return Edit(start, start + len(written), new)


def _notation_fix(
    page: Page, notation: Notation, match: re.Match[str], line: int, column: int
) -> Fix | None:
    if notation.replace is None:
        return None
    matched = match.group()
    written = matched.strip()
    new = _fill(notation.replace, match)
    # `10U` becomes `10 units`: a word glued to a number gets a space before it.
    preceding = match.string[match.start() - 1] if match.start() else ""
    if matched == written and preceding.isdigit() and new[:1].isalpha():
        new = " " + new
    edit = _source_edit(page, line, column, written, new)
    if edit is None:
        return None
    return Fix(f"Write {new.strip()!r}", (edit,), Applicability.UNSAFE)


class DoseNotation(Rule):
    """## What it checks
    Dose notation on the ISMP list of error-prone abbreviations and the Joint Commission "Do Not
    Use" list, in the page's prose:

    - a trailing zero (`5.0 mg`: write `5 mg`);
    - a missing leading zero (`.5 mg`: write `0.5 mg`);
    - `U` or `IU` for units (write `units`);
    - `qd`, `q.d.`, `QD`, `qod` (write `daily`, `every other day`);
    - `µg` or `ug` (write `mcg`);
    - `cc` (write `mL`).

    A number counts as a dose only when a unit follows it, so versions, years and counts pass,
    and code spans are never read. The site adds notations with the option `extend`, a list of
    `{pattern, use}` entries.

    ## Why
    Each of these has caused real dosing errors: a lost decimal point turns `5.0 mg` into
    `50 mg`, and a handwritten or blurred `U` reads as a zero.

    ## Example
    `Take .5 mg qd.` gives two findings: `.5 mg` (use `0.5 mg`) and `qd` (use `daily`).
    """

    code = "CT005"
    fix = FixAvailability.SOMETIMES
    fix_safety = FixSafety.UNSAFE
    name = "dose-notation"
    summary = "Error-prone dose notation (ISMP / Joint Commission lists)"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        # Defaults are plain data so that the rule's documentation can show them.
        notations: list[Notation] = Field(default=NOTATIONS, validate_default=True)
        extend: list[Notation] = []

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        # Defaults may arrive unvalidated (as plain data) when options are built without checks.
        notations = [
            n if isinstance(n, Notation) else Notation.model_validate(n)
            for n in [*options.notations, *options.extend]
        ]
        builtin = _builtin_patterns()
        compiled = [
            (n, compile_user(n.pattern, not n.case_sensitive, trusted=builtin)) for n in notations
        ]
        hinted = not options.extend and all(n.pattern in builtin for n in notations)
        screen = screen_for(tuple(pattern for _, pattern in compiled))
        for block in dose_blocks(page):
            if hinted and not _DOSE_HINT.search(block.text):
                continue
            if screen.rules_out(block.text):
                continue
            for notation, pattern in compiled:
                for match in pattern.finditer(block.text):
                    written = match.group().strip()
                    if _quoted(block.text, match.start()) or (
                        any(c.isalpha() for c in written) and _inside_word(block.text, match)
                    ):
                        continue
                    start = match.start() + match.group().index(written)
                    line, column, end = source_span(page, block, start, written)
                    yield self.violation(
                        page,
                        f"error-prone dose notation {written!r}: write "
                        f"{_suggestion(notation, match)}",
                        line,
                        column,
                        end_column=end,
                        fix=_notation_fix(page, notation, match, line, column),
                    )


_GLUED = re.compile(r"(?<![\w.,/])(\d+(?:[.,]\d+)?)(mg|mcg|g|mL|ml|kg|mEq|mmol|units?)\b")
_MASS = r"(mg|mcg|g)"
_MIXED_RANGE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s?" + _MASS + r"\s?(?:to|-|\u2013|or)\s?(\d+(?:\.\d+)?)\s?"
    + _MASS + r"\b"
)  # fmt: skip
_STYLE_SCREEN = Screen((_GLUED, _MIXED_RANGE))


class DoseUnitStyle(Rule):
    """## What it checks
    How doses are written: a space between the number and its unit (`500 mg`, not `500mg`),
    and one unit across a range (`500 to 1000 mg`, not `500 mg to 1 g`).

    ## Why
    `500mg` is easy to misread (`5 00mg`, `500 rng`) and cannot be searched as `500 mg`; a range
    whose two ends use different units invites a thousandfold mistake.

    ## Example
    `Adults take 250mg to 1 g daily.` gives two findings.
    """

    code = "CT006"
    fix = FixAvailability.SOMETIMES
    name = "dose-unit-style"
    summary = "A dose written without a space, or a range that mixes mg, mcg and g"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        require_space: bool = True
        mixed_ranges: bool = True

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        for block in dose_blocks(page):
            if _STYLE_SCREEN.rules_out(block.text):
                continue
            if options.require_space:
                for match in _GLUED.finditer(block.text):
                    if _quoted(block.text, match.start()):
                        continue
                    number, unit = match.groups()
                    line, column, end = source_span(page, block, match.start(), match.group())
                    edit = _source_edit(page, line, column, match.group(), f"{number} {unit}")
                    yield self.violation(
                        page,
                        f"no space between number and unit in {match.group()!r}: "
                        f"write '{number} {unit}'",
                        line,
                        column,
                        end_column=end,
                        fix=Fix(f"Write '{number} {unit}'", (edit,)) if edit else None,
                    )
            if options.mixed_ranges:
                for match in _MIXED_RANGE.finditer(block.text):
                    _, low_unit, _, high_unit = match.groups()
                    if low_unit == high_unit:
                        continue
                    if _quoted(block.text, match.start()):
                        continue
                    line, column, end = source_span(page, block, match.start(), match.group())
                    yield self.violation(
                        page,
                        f"the range {match.group()!r} mixes {low_unit} and {high_unit}; "
                        "write both ends in one unit",
                        line,
                        column,
                        end_column=end,
                    )
