"""Formatting rules: whitespace, blank lines, headings and list markers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from checker.document.page import Page
from checker.document.text import plural
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
from checker.rules.edits import line_end, line_start

_TRAILING = re.compile(r"[ \t]+$")


def hard_break_lines(page: Page) -> set[int]:
    """Page lines inside a paragraph (or setext heading) that another of its lines follows.

    Two trailing spaces on such a line are a hard line break, which a backslash keeps.
    """
    lines: set[int] = set()
    for token in page.tokens or []:
        if token.map is None:
            continue
        start, end = page.body_start_line + token.map[0], page.body_start_line + token.map[1]
        if token.type == "paragraph_open":
            lines.update(range(start, end - 1))
        elif token.type == "heading_open" and token.markup in ("=", "-"):
            # A setext heading: its text lines, then the underline.
            lines.update(range(start, end - 2))
    return lines


class TrailingWhitespace(Rule):
    """## What it checks
    No line ends in spaces or tabs.

    Inside a code block the spaces belong to the code the page shows: they are reported, and
    their fix (which changes the code) is unsafe.

    ## Why
    Trailing spaces are invisible, make diffs noisy, and two of them silently turn into a hard
    line break in Markdown.

    ## Example
    `**Usage:** Used for pain.␠␠` (two spaces after the full stop).
    """

    code = "FT001"
    name = "trailing-whitespace"
    summary = "Whitespace at the end of a line"
    default_severity = Severity.WARNING
    fix = FixAvailability.ALWAYS
    needs_body = False

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        breaks = hard_break_lines(page) if page.tokens is not None else set()
        in_code = page.code_lines if page.tokens is not None else frozenset()
        for number, line in enumerate(page.lines, start=1):
            if line and line[-1] in " \t":
                match = _TRAILING.search(line)
                assert match is not None
                start = line_start(page, number) + match.start()
                hard_break = (
                    match.group().endswith("  ")
                    and number in breaks
                    and number not in in_code
                    and bool(line.strip())
                    and not line.rstrip().endswith("\\")
                )
                if hard_break:
                    fix = Fix(
                        "Keep the line break as a backslash",
                        (Edit(start, start + len(match.group()), "\\"),),
                    )
                elif number in in_code:
                    # Inside a code block the spaces are part of the code the page shows.
                    fix = Fix(
                        "Remove trailing whitespace from the code",
                        (Edit(start, start + len(match.group()), ""),),
                        Applicability.UNSAFE,
                    )
                else:
                    fix = Fix(
                        "Remove trailing whitespace", (Edit(start, start + len(match.group()), ""),)
                    )
                where = " inside a code block" if number in in_code else ""
                yield self.violation(
                    page,
                    f"{plural(len(match.group()), 'trailing whitespace character')}{where}; "
                    f"remove {'it' if len(match.group()) == 1 else 'them'}",
                    number,
                    match.start() + 1,
                    end_column=len(line),
                    fix=fix,
                )


class FinalNewline(Rule):
    """## What it checks
    The file ends with exactly one newline.

    ## Why
    Tools that join or diff files expect a final newline; extra blank lines at the end are
    noise in every diff.

    ## Example
    A page whose last line, `**Note:** …`, has no newline after it.
    """

    code = "FT002"
    name = "final-newline"
    summary = "A missing or repeated final newline"
    default_severity = Severity.WARNING
    fix = FixAvailability.ALWAYS
    needs_body = False

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        text = page.text
        assert text is not None
        if not text:
            return
        if not text.endswith("\n"):
            yield self.violation(
                page,
                "the file does not end with a newline; add one",
                page.line_count,
                page.line_length(page.line_count) + 1,
                fix=Fix("Add a final newline", (Edit(len(text), len(text), "\n"),)),
            )
            return
        stripped = text.rstrip("\n")
        extra = len(text) - len(stripped) - 1
        if extra > 0 and stripped:
            first_blank = page.line_of_offset(len(stripped) + 1)
            yield self.violation(
                page,
                f"the file ends with {plural(extra, 'blank line')}; keep a single final newline",
                first_blank,
                end_line=page.line_count,
                fix=Fix("Remove the extra blank lines", (Edit(len(stripped) + 1, len(text), ""),)),
            )


class MultipleBlankLines(Rule):
    """## What it checks
    No more than `maximum` blank lines in a row (code blocks and the end of the file aside).

    ## Why
    Runs of blank lines render the same as one but make the source ragged and diffs noisy.

    ## Example
    Two empty lines between the Usage and Side Effects sections.
    """

    code = "FT003"
    name = "multiple-blank-lines"
    summary = "More than one blank line in a row"
    default_severity = Severity.WARNING
    fix = FixAvailability.ALWAYS

    class Options(RuleOptions):
        maximum: int = 1

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        in_code = page.code_lines
        lines = page.lines
        run_start = 0
        run = 0
        last_content = max((i for i, line in enumerate(lines, 1) if line.strip()), default=0)
        for number, line in enumerate(lines, start=1):
            if not line.strip() and number not in in_code and number <= last_content:
                if run == 0:
                    run_start = number
                run += 1
                continue
            if run > options.maximum:
                first_extra = run_start + options.maximum
                extra = Edit(line_start(page, first_extra), line_start(page, run_start + run), "")
                yield self.violation(
                    page,
                    f"{run} blank lines in a row; keep at most {options.maximum}",
                    first_extra,
                    end_line=run_start + run - 1,
                    fix=Fix("Remove the extra blank lines", (extra,)),
                )
            run = 0


class BlankLinesAroundHeadings(Rule):
    """## What it checks
    Every heading has a blank line before it (unless it opens the body) and after it (unless
    it ends the file). In a block quote, a line holding only `>` is a blank line.

    ## Why
    Some Markdown renderers and most editors' outlines need the blank lines to see a heading,
    and they make the source readable.

    ## Example
    `# Aspirin` immediately followed by `### Generic Name` on the next line.
    """

    code = "FT004"
    name = "blank-lines-around-headings"
    summary = "A heading without a blank line before or after it"
    default_severity = Severity.WARNING
    # Only top-level headings are fixed: a blank line inside a list or quote would split it.
    fix = FixAvailability.SOMETIMES

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        lines = page.lines
        # A heading on the body's first line needs no blank line before it.
        body_first = page.first_content_line
        for token in page.tokens or []:
            if token.type != "heading_open" or token.map is None:
                continue
            first = page.body_start_line + token.map[0]
            last = page.body_start_line + token.map[1] - 1
            top_level = token.level == 0
            # In a block quote, `>` is structure: a line holding only `>` is a blank line.
            quoted = _QUOTE_PREFIX.match(lines[first - 1]) is not None
            if first > body_first and not _blank(lines[first - 2], quoted):
                offset = line_start(page, first)
                yield self.violation(
                    page,
                    "no blank line before this heading; add one",
                    first,
                    fix=_blank_line(offset) if top_level else None,
                )
            if last < len(lines) and not _blank(lines[last], quoted):
                offset = line_end(page, last) + 1
                yield self.violation(
                    page,
                    "no blank line after this heading; add one",
                    last,
                    fix=_blank_line(offset) if top_level else None,
                )


_QUOTE_PREFIX = re.compile(r"(?: {0,3}>[ \t]?)+")


def _blank(line: str, quoted: bool) -> bool:
    if quoted:
        line = _QUOTE_PREFIX.sub("", line, count=1)
    return not line.strip()


def _blank_line(offset: int) -> Fix:
    return Fix("Add a blank line", (Edit(offset, offset, "\n"),))


class HeadingIncrement(Rule):
    """## What it checks
    Heading levels go down one at a time: an H2 may follow an H1, but not an H3.

    ## Why
    Skipped levels break the document outline that screen readers and tables of contents use.
    Templates that skip a level by design (such as `drug-v2`, from `#` to `###`) switch this
    rule off in the pack.

    ## Example
    `# Aspirin` followed by `#### Dosage`.
    """

    code = "FT005"
    name = "heading-increment"
    summary = "A heading that skips a level"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        previous = 0
        for token in page.tokens or []:
            if token.type != "heading_open":
                continue
            level = int(token.tag[1])
            if previous and level > previous + 1:
                yield self.violation(
                    page,
                    f"heading level {level} follows level {previous}; use level {previous + 1}",
                    page.token_line(token),
                )
            previous = level


class ListMarkerStyle(Rule):
    """## What it checks
    Bullet lists use one marker throughout the page: the first one used, or the configured
    `style`.

    ## Why
    Mixed `*` and `-` markers make the source inconsistent and, next to each other, start a
    new list in Markdown, which changes the spacing readers see.

    ## Example
    Side effects listed with `*` and precautions with `-` on the same page.
    """

    code = "FT006"
    name = "list-marker-style"
    summary = "Mixed list markers in one page"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        style: Literal["consistent", "asterisk", "dash", "plus"] = "consistent"

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        wanted = {"asterisk": "*", "dash": "-", "plus": "+"}.get(options.style)
        for token in page.tokens or []:
            if token.type != "bullet_list_open":
                continue
            marker = token.markup
            if wanted is None:
                wanted = marker
            if marker != wanted:
                yield self.violation(
                    page,
                    f"list uses `{marker}` but this page's lists use `{wanted}`; use `{wanted}`",
                    page.token_line(token),
                )


_ODD = {
    "\u00a0": "a no-break space",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark inside the text",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\u00ad": "a soft hyphen",
    "\u180e": "a Mongolian vowel separator",
    "\u2061": "an invisible function application",
    "\u2062": "an invisible times",
    "\u2063": "an invisible separator",
    "\u2064": "an invisible plus",
}
# Bidirectional controls reorder how the text around them is displayed: a page can show
# "600 mg" while its source says "006" (the Trojan Source class, CVE-2021-42574).
_BIDI = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_ODD |= {
    char: f"a bidirectional control ({name}), which changes the order in which the text "
    "around it is displayed"
    for char, name in _BIDI.items()
}
_ODD_PATTERN = re.compile("[" + "".join(_ODD) + "]")


class OddWhitespace(Rule):
    """## What it checks
    No tabs (outside code blocks), no no-break or zero-width spaces, soft hyphens or other
    invisible characters, no bidirectional controls (U+202A to U+202E, U+2066 to U+2069, and the
    marks U+200E, U+200F, U+061C), and line endings that are LF or CRLF (as `line-ending`
    asks), never a lone CR and never a mix. Tabs at the end of a line are trailing whitespace,
    which FT001 reports.

    ## Why
    Invisible characters break search, copy-paste of doses, and word wrapping; CR-only files
    look like one long line to most tools. Bidirectional controls display text in another
    order than it is written: a page can show "600 mg" while its source says "006" (the
    Trojan Source class of attack, CVE-2021-42574), so a reviewer approves what readers do
    not see.

    ## Example
    `500\u00a0mg` typed with a no-break space, or a file saved with classic Mac line endings.
    """

    code = "FT007"
    name = "odd-whitespace"
    summary = "Tabs, invisible or bidirectional-control characters, or CR-only line endings"
    default_severity = Severity.WARNING
    fix = FixAvailability.ALWAYS
    fix_safety = FixSafety.MIXED
    needs_body = False

    class Options(RuleOptions):
        tabs: bool = True
        invisible: bool = True
        line_ending: Literal["any", "lf", "crlf"] = "any"

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        newline = page.newline
        crlf = options.line_ending == "crlf"
        # What the fix writes, and so what the message asks for: LF unless the option says CRLF.
        wanted, ending = ("\r\n", "CRLF") if crlf else ("\n", "LF")
        to_wanted = Fix(f"Use {ending} line endings", (), newline=wanted)
        if newline == "\r":
            yield self.violation(
                page,
                f"the file uses CR-only line endings; save it with {ending} line endings",
                1,
                fix=to_wanted,
            )
        elif newline == "mixed":
            yield self.violation(
                page,
                f"the file mixes line endings; save it with {ending} line endings throughout",
                1,
                fix=to_wanted,
            )
        elif options.line_ending == "lf" and newline == "\r\n":
            yield self.violation(page, "the file uses CRLF line endings; use LF", 1, fix=to_wanted)
        elif options.line_ending == "crlf" and newline == "\n" and page.line_count > 1:
            yield self.violation(page, "the file uses LF line endings; use CRLF", 1, fix=to_wanted)
        in_code = page.code_lines if page.tokens is not None else frozenset()
        for number, line in enumerate(page.lines, start=1):
            # A tab among a line's trailing whitespace is FT001's: one finding per problem.
            content = line.rstrip(" \t")
            if options.tabs and "\t" in content and number not in in_code:
                column = content.index("\t") + 1
                yield self.violation(
                    page,
                    "a tab character; indent with spaces",
                    number,
                    column,
                    end_column=column,
                    fix=_expand_tabs(line, line_start(page, number)),
                )
            if options.invisible:
                for match in _ODD_PATTERN.finditer(line):
                    column = match.start() + 1
                    yield self.violation(
                        page,
                        f"{_ODD[match.group()]} (U+{ord(match.group()):04X}); "
                        "replace it with a plain space or remove it",
                        number,
                        column,
                        end_column=column,
                        fix=_plain_space(
                            match.group(),
                            line_start(page, number) + match.start(),
                            code=number in in_code,
                        ),
                    )


TAB_STOP = 4


def _expand_tabs(line: str, offset: int) -> Fix:
    """Spaces up to the next tab stop for every tab before the line's trailing whitespace, as
    CommonMark reads tabs. The trailing whitespace is FT001's to remove."""
    edits = []
    column = 0
    for index, char in enumerate(line.rstrip(" \t")):
        if char == "\t":
            width = TAB_STOP - column % TAB_STOP
            edits.append(Edit(offset + index, offset + index + 1, " " * width))
            column += width
        else:
            column += 1
    return Fix("Replace tabs with spaces", tuple(edits))


def _plain_space(char: str, offset: int, code: bool = False) -> Fix:
    # Visible spacing stays when a space-like character becomes a space; removing a
    # zero-width character joins the text around it, which may change a word, so it is unsafe.
    # Inside a code block any change changes the code, so it is unsafe too.
    if char.isspace():
        return Fix(
            "Replace with a plain space",
            (Edit(offset, offset + 1, " "),),
            Applicability.UNSAFE if code else Applicability.SAFE,
        )
    return Fix(
        "Remove the invisible character",
        (Edit(offset, offset + 1, ""),),
        Applicability.UNSAFE,
    )
