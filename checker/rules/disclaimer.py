"""Disclaimer and closing-note rules."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from checker.document.page import Page
from checker.document.sections import Block
from checker.document.text import collapse_spaces, similarity, words
from checker.project.outline import notice_paragraph
from checker.project.pack import DisclaimerSpec, NoteSpec
from checker.project.patterns import makes_statement
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
from checker.rules.edits import append_block, insert_block_before, line_start, replace_lines


def _similarity(found: str, expected: str) -> float:
    return similarity(words(found), words(expected))


def word_diff(found: str, expected: str, limit: int = 12) -> str:
    """A short account of how `found` differs from `expected`, word by word."""
    a, b = words(found), words(expected)
    missing: list[str] = []
    extra: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            extra.append(" ".join(a[i1:i2]))
        if op in ("replace", "insert"):
            missing.append(" ".join(b[j1:j2]))
    parts = []
    if missing:
        parts.append("missing: " + "; ".join(f"“{m}”" for m in missing[:limit]))
    if extra:
        parts.append("not in the canonical text: " + "; ".join(f"“{e}”" for e in extra[:limit]))
    return ", ".join(parts) or "differs only in punctuation"


def _unsafe(title: str, edit: Edit) -> Fix:
    # Inserting or replacing prose changes what the page says, so it waits for --unsafe-fixes.
    return Fix(title, (edit,), Applicability.UNSAFE)


def _replaceable(block: Block) -> bool:
    """A disclaimer or note written as a paragraph, which can be replaced as a whole."""
    return block.form in ("label", "emphasis")


class _DisclaimerRule(Rule):
    def applies(self, page: Page) -> bool:
        return (
            super().applies(page)
            and page.template is not None
            and page.template.disclaimer is not None
        )

    @staticmethod
    def spec(page: Page) -> DisclaimerSpec:
        assert page.template is not None and page.template.disclaimer is not None
        return page.template.disclaimer


class DisclaimerMissing(_DisclaimerRule):
    """## What it checks
    The page carries the medical disclaimer its template requires: a paragraph opened by the
    disclaimer label (`**Disclaimer:**`, or an alias such as `**Important Disclaimer:**`), or a
    heading of that name.

    ## Why
    Health content published without a disclaimer can be read as medical advice. On a site of
    machine-generated pages, the disclaimer is the one sentence every page must carry.

    ## Example
    A `drug-v2` page that ends after its FAQs with no `**Disclaimer:**` paragraph.
    """

    code = "DS001"
    name = "disclaimer-missing"
    summary = "The page has no disclaimer"
    default_severity = Severity.ERROR
    fix = FixAvailability.ALWAYS
    fix_safety = FixSafety.UNSAFE

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        if page.outline.disclaimers:
            return
        spec = self.spec(page)
        yield self.violation(
            page,
            f"the page has no disclaimer; add a `**{spec.label}:**` paragraph after the last "
            f"section, with the text: {spec.text}",
            page.line_count,
            fix=_unsafe("Insert the canonical disclaimer", _disclaimer_insertion(page, spec)),
        )


def _disclaimer_insertion(page: Page, spec: DisclaimerSpec) -> Edit:
    paragraph = notice_paragraph(spec.label, spec.text)
    if spec.position == "top" and page.sections:
        return insert_block_before(page, page.sections[0].line, paragraph)
    note = page.outline.note
    if note is not None:
        return insert_block_before(page, note.line, paragraph)
    return append_block(page, paragraph)


class DisclaimerText(_DisclaimerRule):
    """## What it checks
    The disclaimer says what the template requires. With `match: exact`, its text must be close
    to the canonical text (word similarity at or above `similarity`). With `match: statements`,
    it must make each required statement, matched loosely by patterns, such as "not medical
    advice" and "consult a healthcare professional".

    ## Why
    Real disclaimers drift in wording. Small changes are harmless; losing "consult a
    professional" is not.

    ## Example
    `**Disclaimer:** This page is for information.` (no "not medical advice", no "consult").
    """

    code = "DS002"
    name = "disclaimer-text"
    summary = "The disclaimer's text differs from the canonical text"
    default_severity = Severity.WARNING
    # A disclaimer written as a heading has its text in blocks of unknown extent: not rewritten.
    fix = FixAvailability.SOMETIMES
    fix_safety = FixSafety.UNSAFE

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        return super().applies(page) and bool(page.outline.disclaimers)

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        spec = self.spec(page)
        block = page.outline.disclaimers[0]
        found = block.value
        gap = shortfall(spec, found)
        if gap is None:
            return
        fix = None
        if _replaceable(block):
            canonical = notice_paragraph(spec.label, spec.text)
            fix = _unsafe(
                "Replace with the canonical disclaimer",
                replace_lines(page, block.line, block.end_line, canonical),
            )
        if gap.lacking:
            message = (
                f"the disclaimer does not state: {'; '.join(gap.lacking)}; "
                f"use the canonical text: {spec.text}"
            )
        else:
            message = (
                f"the disclaimer differs from the canonical text (similarity {gap.similarity:.2f}, "
                f"needs {spec.similarity:.2f}): {word_diff(found, spec.text)}; "
                "replace it with the canonical text"
            )
        yield self.violation(page, message, block.line, end_line=block.end_line, fix=fix)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """How a text falls short of the template's disclaimer: under `exact`, its similarity to
    the canonical text; under `statements`, the statements it does not make."""

    similarity: float = 0.0
    lacking: tuple[str, ...] = ()


def shortfall(spec: DisclaimerSpec, text: str) -> Shortfall | None:
    """How `text` falls short of what the template's disclaimer says, or None when it says
    all of it. A disclaimer with no wording (a heading alone: `text: ""`, no statements) asks
    for no words, so no text falls short of it."""
    if spec.match == "exact":
        if not spec.text or collapse_spaces(text) == collapse_spaces(spec.text):
            return None
        score = _similarity(text, spec.text)
        return None if score >= spec.similarity else Shortfall(similarity=score)
    lacking = tuple(
        name for name, patterns in spec.statements.items() if not makes_statement(patterns, text)
    )
    return Shortfall(lacking=lacking) if lacking else None


def says_disclaimer(spec: DisclaimerSpec, text: str) -> bool:
    """Whether `text` says what the template's disclaimer says, whatever its label. A
    disclaimer with no wording says nothing a text could repeat, so no text says it."""
    worded = bool(spec.text) if spec.match == "exact" else bool(spec.statements)
    return worded and shortfall(spec, text) is None


def _last_section_line(page: Page) -> int:
    return max((s.line for s in page.sections), default=0)


class DisclaimerPosition(_DisclaimerRule):
    """## What it checks
    The disclaimer stands where the template puts it: after the last section
    (`after-sections`), as the last block before any closing note (`end`), or before the first
    section (`top`). A page has one disclaimer.

    ## Why
    Readers look for the disclaimer in the same place on every page; a disclaimer buried
    between sections is easy to miss.

    ## Example
    A `**Disclaimer:**` paragraph between `### Usage` and `### Dosage`.
    """

    code = "DS003"
    name = "disclaimer-position"
    summary = "The disclaimer is not where the template requires"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        return super().applies(page) and bool(page.outline.disclaimers)

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        spec = self.spec(page)
        blocks = page.outline.disclaimers
        first = blocks[0]
        for extra in blocks[1:]:
            yield self.violation(
                page,
                f"a second disclaimer (the first is at line {first.line}); keep only one",
                extra.line,
                end_line=extra.end_line,
            )
        sections = page.sections
        misplaced = False
        if spec.position in ("after-sections", "end"):
            misplaced = first.line < _last_section_line(page)
        elif spec.position == "top":
            misplaced = bool(sections) and first.line > sections[0].line
        if spec.position == "end" and not misplaced:
            misplaced = _blocks_after(page, first)
        if misplaced:
            where = {
                "after-sections": "after the last section",
                "end": "at the end of the page",
                "top": "before the first section",
            }[spec.position]
            yield self.violation(
                page,
                f"the disclaimer should stand {where}; move it there",
                first.line,
                end_line=first.end_line,
            )


def _blocks_after(page: Page, block: Block) -> bool:
    """Whether any top-level block other than the closing note follows `block`."""
    note = page.outline.note
    for token in (page.tokens or [])[block.token_index + 1 :]:
        if token.level == 0 and token.nesting == 1 and token.map is not None:
            line = page.token_line(token)
            if note is not None and line == note.line:
                continue
            if line > block.end_line:
                return True
    return False


class NoteMissing(Rule):
    """## What it checks
    When the template requires a closing note, the page ends with it (after the disclaimer)
    and its text is close to the template's text.

    ## Why
    The note tells readers that the content is machine-generated or crowd-sourced. Sites that
    promise that note on every page must keep it there, unaltered.

    ## Example
    A `drug-v1` page whose last paragraph is the disclaimer, with no
    `**Note:** This information is AI-generated…`.
    """

    code = "DS004"
    name = "note-missing"
    summary = "The template's closing note is missing or altered"
    default_severity = Severity.ERROR
    fix = FixAvailability.ALWAYS
    fix_safety = FixSafety.UNSAFE

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        template = page.template
        return (
            super().applies(page)
            and template is not None
            and template.note is not None
            and template.note.required
        )

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        assert page.template is not None
        spec: NoteSpec | None = page.template.note
        assert spec is not None
        note = page.outline.note
        if note is None:
            yield self.violation(
                page,
                f"the closing note is missing; end the page with: **{spec.label}:** {spec.text}",
                page.line_count,
                fix=_unsafe(
                    "Insert the closing note",
                    append_block(page, notice_paragraph(spec.label, spec.text)),
                ),
            )
            return
        score = _similarity(note.value, spec.text)
        if score < spec.similarity:
            yield self.violation(
                page,
                f"the closing note is altered (similarity {score:.2f}): "
                f"{word_diff(note.value, spec.text)}; restore the template's text",
                note.line,
                end_line=note.end_line,
                # The outline only finds a closing note in a paragraph, which is replaced whole.
                fix=_unsafe(
                    "Restore the closing note",
                    replace_lines(
                        page, note.line, note.end_line, notice_paragraph(spec.label, spec.text)
                    ),
                ),
            )
        if _blocks_after(page, note):
            yield self.violation(
                page,
                "the closing note is not the last paragraph; move it to the end of the page, "
                "after the disclaimer",
                note.line,
                end_line=note.end_line,
                fix=_move_to_end(page, note),
            )


def _move_to_end(page: Page, block: Block) -> Fix:
    """Cut a paragraph (and one blank line after it) and add it again at the end of the page."""
    paragraph = "\n".join(page.lines[block.line - 1 : block.end_line])
    last = block.end_line + 1 if not page.line_length(block.end_line + 1) else block.end_line
    cut = Edit(line_start(page, block.line), line_start(page, last + 1), "")
    # Unsafe: the page's reading order changes.
    return Fix(
        "Move the closing note to the end",
        (cut, append_block(page, paragraph)),
        Applicability.UNSAFE,
    )
