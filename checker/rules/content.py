"""Content rules: what machine generation leaves in a page besides the drug information."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import field_validator

from checker.document.page import Page
from checker.document.parts import body_parts
from checker.document.prose import (
    MAX_INLINE_CHARS,
    ProseBlock,
    phrase_pattern,
    prose_blocks,
    source_column,
)
from checker.document.text import plural
from checker.rules.base import Rule, RuleOptions, Severity, Violation

if TYPE_CHECKING:
    from markdown_it.token import Token

ANYWHERE_PHRASES = [
    "as an AI",
    "as a language model",
    "as a large language model",
    "I cannot provide medical advice",
    "I cannot provide specific medical advice",
    "I can't provide medical advice",
    "I cannot provide",
    "I can't provide",
    "I cannot give",
    "I cannot create",
    "I cannot find",
    "I could not find",
    "I couldn't find",
    "I am unable to",
    "I'm unable to",
    "I don't have access",
    "I do not have access",
    "I don't have information",
    "I do not have information",
    "I am not a doctor",
    "I'm not a doctor",
    "I am not a medical professional",
    "I'm not a medical professional",
    "the information you requested",
    "the requested information",
    "I hope this helps",
    "I hope this information helps",
    "let me know if",
    "feel free to ask",
    "my knowledge cutoff",
    "my training data",
    "as of my last update",
    "as of my last knowledge update",
]

LEAD_PHRASES = [
    "It's crucial to understand that",
    "It is crucial to understand that",
    "It's important to understand that",
    "It is important to understand that",
    "It's important to note that",
    "It is important to note that",
    "It's important to clarify that",
    "It is important to clarify that",
    "It's important to remember that",
    "Please note",
    "Important note",
    "Here is",
    "Here's",
    "Sure,",
    "Certainly,",
    "Okay,",
]


def _compile_all(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"pattern {pattern!r} does not compile: {error}") from None
    return patterns


class AiArtifact(Rule):
    """## What it checks
    Assistant meta-text in the page's prose: the generator talking about itself or about the
    request ("As an AI…", "I cannot provide medical advice", "Here is the information you
    requested", "I hope this helps"), anywhere on the page; and commentary that opens the page
    before its first section ("It's crucial to understand that…", "Please note…").

    Only prose is read: code spans, code blocks and HTML are skipped. The same words inside a
    section ("It's crucial to inform your doctor") are content, not commentary, and pass.

    ## Why
    The pages are generated. Text addressed to whoever asked for the page tells readers that
    nobody edited it, and the commentary before the first section pushes the drug information
    down the page.

    ## Example
    A page whose first paragraph, right under the H1, is `Please note: I cannot provide medical
    advice. The information below is for general knowledge.` The two lists are the options
    `phrases` (anywhere) and `lead-phrases` (before the first section).
    """

    code = "CT001"
    name = "ai-artifact"
    summary = "Assistant meta-text in the page's prose"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        phrases: list[str] = ANYWHERE_PHRASES
        lead_phrases: list[str] = LEAD_PHRASES

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        anywhere = phrase_pattern(options.phrases)
        lead = phrase_pattern(options.lead_phrases)
        for part in body_parts(page):
            if part.kind in ("disclaimer", "note"):
                continue
            for block in prose_blocks(page, part.start, part.stop):
                patterns = [anywhere]
                if part.kind == "lead" and block.kind != "heading":
                    patterns.append(lead)
                for pattern in patterns:
                    if pattern is None:
                        continue
                    for match in pattern.finditer(block.text):
                        line = block.line_at(match.start())
                        yield self.violation(
                            page,
                            f"assistant meta-text {match.group()!r}: remove it, so that the page "
                            "speaks about the drug and not about the request",
                            line,
                            source_column(page, line, match.group()),
                        )


REFUSAL_PATTERNS = [
    r"\bplease provide (?:me with )?(?:the|a|an) (?:[\w-]+ ){0,5}name",
    r"\bI need (?:the|a|an) (?:[\w-]+ ){0,5}name",
    r"\bis not a (?:complete|valid|recognized|recognised|known|real) (?:[\w-]+ ){0,2}"
    r"(?:name|medicine|medication|drug)",
    r"\b(?:cannot|can't|could not|couldn't|unable to) (?:find|identify|locate) (?:a|any) "
    r"(?:[\w-]+ ){0,4}(?:medicine|medication|drug|substance|information)",
    r"\bI (?:cannot|can't) (?:provide|create|generate|give) (?:[\w-]+ ){0,4}"
    r"(?:information|document|monograph)",
    r"\bnot (?:a )?(?:medicine|medication|drug) itself",
    r"\bdoes not (?:appear to )?(?:be|refer to) a (?:recognized|recognised|known|real) ",
    r"\bno (?:known |recognized |recognised )?(?:medicine|medication|drug) (?:called|named)",
    r"\bno (?:established|recognized|recognised|approved|known) (?:generic )?"
    r"(?:medicine|medication|drug)",
    r"\b(?:is not|isn't) a (?:standard|single|recognized|recognised),? (?:[\w-]+,? ){0,3}"
    r"(?:medicine|medication|drug|formulation|combination|product)",
    r"\binstead of providing (?:[\w-]+ ){0,3}information",
    r"\bproviding [^.]{0,120}?(?:information|details)[^.]{0,120}?"
    r"(?:is not possible|isn't possible|would be misleading|requires knowing)",
    r"\bcannot be (?:accurately )?completed",
]


class Refusal(Rule):
    """## What it checks
    The page does not describe a drug: the generator asked for a name ("Please provide the
    generic name…"), said the name is unknown or not a medicine, or refused, and the page has
    at most `max-sections` sections with content. A page that refuses in one sentence and then
    describes the drug in full is left to CT001.

    ## Why
    A refusal published as a drug page tells readers nothing, and search engines index it as if
    it did. It must be regenerated or removed, which is why this is an error.

    ## Example
    A page whose whole body is `Please provide the generic name of the medicine you'd like
    information on.` The regular expressions are the option `patterns`.
    """

    code = "CT002"
    name = "refusal"
    summary = "The page is a refusal or a request for a name, not a drug page"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        patterns: list[str] = REFUSAL_PATTERNS
        max_sections: int = 1

        _compiles = field_validator("patterns")(_compile_all)

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        filled = sum(1 for section in page.sections if section.has_content)
        if filled > options.max_sections or not options.patterns:
            return
        pattern = re.compile("|".join(f"(?:{p})" for p in options.patterns), re.IGNORECASE)
        for block in prose_blocks(page):
            match = pattern.search(block.text)
            if match:
                line = block.line_at(match.start())
                yield self.violation(
                    page,
                    f"the page is a refusal, not a drug page ({match.group()!r}, and "
                    f"{plural(filled, 'section')} with content); regenerate it for a real drug "
                    "name or remove it",
                    line,
                    source_column(page, line, match.group()),
                )
                return


DANGLING_WORDS = [
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for",
    "with", "from", "as", "such", "including", "like", "than", "that", "which", "who", "is",
    "are", "was", "be", "may", "can", "should", "will", "e.g", "i.e", "your", "its", "their",
]  # fmt: skip


class Truncated(Rule):
    """## What it checks
    The page, or one of its sections, ends mid-sentence: its last paragraph has no terminal
    punctuation, or its last paragraph or list item ends on a dangling word ("and", "the",
    "such as") or a comma, or bold markup is left open (`**Dosage` with no closing `**`), or
    the last list item is empty. The closing note and the disclaimer are not read, and
    neither is anything that is not prose (tables, code).

    ## Why
    Generation that stops at a length limit leaves sentences cut off, often in the middle of a
    dose or a warning. A reader cannot tell what is missing.

    ## Example
    A `### Dosage` section whose last line is `Adults usually take 500 mg every`.
    """

    code = "CT003"
    name = "truncated"
    summary = "The page or a section ends mid-sentence"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        terminal: str = ".!?:;)]\"'\u201d\u2026*_"
        dangling_words: list[str] = DANGLING_WORDS
        # Shorter paragraphs, or ones mostly in capitals, are names ("Vitamin B + Zinc"), not
        # sentences; only sentences need closing punctuation.
        min_words: int = 8

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        dangling = set(options.dangling_words)
        tokens = page.tokens or []
        for part in body_parts(page):
            if part.kind in ("disclaimer", "note"):
                continue
            blocks = [b for b in prose_blocks(page, part.start, part.stop) if b.kind != "heading"]
            problem = None
            if blocks:
                problem = _ending_problem(blocks[-1], options, dangling)
            line = blocks[-1].end_line if blocks else page.token_line(tokens[part.start])
            empty = _empty_last_item(tokens, part.start, part.stop)
            if problem is None and empty is not None:
                problem, line = "its last list item is empty", page.token_line(tokens[empty])
            if problem is None:
                continue
            where = f"section {part.label!r}" if part.kind == "section" else "the page's opening"
            yield self.violation(
                page,
                f"{where} looks cut off: {problem}; finish the sentence or regenerate the page",
                line,
            )


_WORD_AT_END = re.compile(r"([\w.]+)\W*$")


def _ending_problem(
    block: ProseBlock, options: Truncated.Options, dangling: set[str]
) -> str | None:
    text = block.text.rstrip()
    if block.unclosed_bold:
        return "bold markup is left open"
    if not text:
        return None
    sentence = _reads_as_sentence(text, options.min_words)
    if sentence and text[-1] in ",-\u2013\u2014(/+&":
        return f"it ends with {text[-1]!r}"
    word = _WORD_AT_END.search(text)
    # Only a lower-case word dangles: "Type A" and "Vitamin E" end names, not sentences.
    if word and text[-1].isalpha() and word.group(1) in dangling:
        return f"it ends on the word {word.group(1)!r}"
    if block.kind == "paragraph" and sentence and text[-1] not in options.terminal:
        return "its last paragraph has no closing punctuation"
    return None


def _reads_as_sentence(text: str, min_words: int) -> bool:
    """Long enough, and mostly lower-case words: a sentence, not a name such as "A + B Acid"."""
    words = [word for word in text.split() if word[:1].isalpha()]
    lower = sum(1 for word in words if word[0].islower())
    return len(words) >= min_words and lower * 2 >= len(words)


def _empty_last_item(tokens: list[Token], start: int, stop: int) -> int | None:
    """The index of the part's last list item when it holds no text (or only a comment)."""
    last_open = None
    for index in range(start, stop):
        if tokens[index].type == "list_item_open":
            last_open = index
    if last_open is None:
        return None
    for token in tokens[last_open + 1 : stop]:
        if token.type == "list_item_close" and token.level == tokens[last_open].level:
            break
        if token.type in ("inline", "fence", "code_block") and token.content.strip():
            return None
    return last_open


PLACEHOLDER_PHRASES = [
    "No details available",
    "Lorem ipsum",
    "[insert ...]",
    "[placeholder]",
    "[drug name]",
    "[medicine name]",
    "to be added",
    "coming soon",
]
PLACEHOLDER_MARKERS = ["TODO", "TBD", "XXX", "FIXME", "TKTK"]
_EMPTY_LABEL = re.compile(r"\s*:?\s*")
_LITERAL_EMPTY_BOLD = re.compile(r"(?<![*])\*{4}(?![*])|(?<!_)_{4}(?!_)")


def _has_empty_bold(children: list[Token]) -> bool:
    """`**:**` or `** **` (bold around nothing), or `****` left as text."""
    for position, child in enumerate(children):
        if child.type == "text" and _LITERAL_EMPTY_BOLD.search(child.content):
            return True
        if child.type != "strong_open":
            continue
        inner = []
        for following in children[position + 1 :]:
            if following.type == "strong_close":
                break
            inner.append(following)
        if all(c.type == "text" and _EMPTY_LABEL.fullmatch(c.content) for c in inner):
            return True
    return False


class Placeholder(Rule):
    """## What it checks
    Placeholder text left in the page's prose: "_(No details available)_", "Lorem ipsum",
    "[insert …]", markers such as TODO, TBD and XXX (matched in capitals only), and empty bold
    labels such as `**:**` or `****`.

    ## Why
    A placeholder published as content means a section was never written; readers take the
    gap for information ("no details" about side effects reads as "no side effects").

    ## Example
    `**Side Effects:** _(No details available)_`. The options `phrases` (any case) and
    `markers` (exact case) hold the lists.
    """

    code = "CT004"
    name = "placeholder"
    summary = "Placeholder text instead of content"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        phrases: list[str] = PLACEHOLDER_PHRASES
        markers: list[str] = PLACEHOLDER_MARKERS

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        phrases = phrase_pattern(options.phrases)
        markers = None
        if options.markers:
            words = "|".join(re.escape(m) for m in sorted(options.markers, key=len, reverse=True))
            markers = re.compile(rf"(?<![\w]){words}(?![\w])")
        tokens = page.tokens or []
        for block in prose_blocks(page):
            for pattern in (phrases, markers):
                if pattern is None:
                    continue
                for match in pattern.finditer(block.text):
                    line = block.line_at(match.start())
                    yield self.violation(
                        page,
                        f"placeholder {match.group()!r}: write the content or remove the line",
                        line,
                        source_column(page, line, match.group()),
                    )
            token = tokens[block.index]
            if len(token.content) <= MAX_INLINE_CHARS and _has_empty_bold(page.inline(token)):
                yield self.violation(
                    page, "empty bold label: give it a name or remove it", block.line
                )


CLAIM_PHRASES = [
    "cures",
    "guaranteed",
    "guarantees",
    "100% safe",
    "100% effective",
    "no side effects",
    "completely safe",
    "totally safe",
    "absolutely safe",
    "perfectly safe",
    "entirely safe",
    "risk-free",
    "miracle",
    "works for everyone",
]
NEGATIONS = [
    "not", "no", "never", "without", "nor", "neither", "none", "isn't", "aren't", "doesn't",
    "don't", "won't", "cannot", "can't", "nothing", "unlikely",
]  # fmt: skip
_SENTENCE_BREAK = re.compile(r"[.!?;:]\s")


class UnsupportedClaim(Rule):
    """## What it checks
    Absolute claims of efficacy or safety in the prose: "cures", "guaranteed", "100% safe",
    "no side effects", "completely safe", "miracle". A claim is not flagged when a negation
    ("not", "no", "never", "without", …) stands before it in the same sentence, within
    `negation-window` words: "does not cure", "no medicine is completely safe".

    ## Why
    No medicine is free of risk, and an absolute promise on a drug page misleads readers and
    can break advertising rules for medicines.

    ## Example
    `This cream is completely safe and cures eczema.` The options `phrases` and `negations`
    hold the lists.
    """

    code = "CT007"
    name = "unsupported-claim"
    summary = "An absolute claim of efficacy or safety"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        phrases: list[str] = CLAIM_PHRASES
        negations: list[str] = NEGATIONS
        negation_window: int = 6

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        pattern = phrase_pattern(options.phrases)
        if pattern is None:
            return
        negations = {word.casefold() for word in options.negations}
        for block in prose_blocks(page):
            for match in pattern.finditer(block.text):
                before = block.text[: match.start()]
                breaks = list(_SENTENCE_BREAK.finditer(before))
                sentence = before[breaks[-1].end() :] if breaks else before
                words = re.findall(r"[\w']+", sentence.casefold())[-options.negation_window :]
                if any(word in negations or word.endswith("n't") for word in words):
                    continue
                line = block.line_at(match.start())
                yield self.violation(
                    page,
                    f"absolute claim {match.group()!r}: no medicine is risk-free or always "
                    "effective; state what the evidence shows",
                    line,
                    source_column(page, line, match.group()),
                )
