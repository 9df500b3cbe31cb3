"""Content rules: what machine generation leaves in a page besides the drug information."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import field_validator

from checker.document.names import INGREDIENT_SPLIT, ingredients
from checker.document.page import Page
from checker.document.parts import Part, body_parts
from checker.document.prose import (
    MAX_INLINE_CHARS,
    ProseBlock,
    cell_blocks,
    normalise_quotes,
    phrase_pattern,
    prose_blocks,
    source_span,
)
from checker.document.screens import Screened
from checker.document.sections import split_label
from checker.document.text import normalise_name, plural
from checker.project.patterns import compile_user, user_pattern
from checker.rules.base import Rule, RuleOptions, Severity, Violation
from checker.rules.voice import (
    FIRST_PERSON,
    REQUEST_INPUT,
    about_request,
    declines,
    statements,
    voice_in,
)

if TYPE_CHECKING:
    from markdown_it.token import Token


def _compile_all(patterns: list[str]) -> list[str]:
    # Refused when the config loads unless RE2 can run it (see checker.project.patterns).
    for pattern in patterns:
        compile_user(pattern, ignore_case=True)
    return patterns


def _worded(phrases: list[str]) -> list[str]:
    # A phrase without a word ("", "...") would match every paragraph of every page.
    for phrase in phrases:
        if not re.search(r"\w", phrase):
            raise ValueError(f"{phrase!r} holds no word; give each phrase at least one word")
    return phrases


class AiArtifact(Rule):
    """## What it checks
    The writer of a generated answer showing through the page's prose, where a reader should
    only read about the drug. The writer

    - speaks of itself: any statement in the first person ("I can offer…", "I cannot
      provide…"; questions such as "Can I take it with food?" are the reader's voice and
      pass), "as an AI", "a language model";
    - speaks of the request or its input: it addresses the requester ("the name you
      provided", "your request", "as requested", "in the requested format", "if you can
      specify") or names the input ("the provided text", "based on the data supplied");
    - says what it can or cannot provide, with itself or the answer as the subject: "this
      information cannot provide specific dosage recommendations", "dosage information
      cannot be provided", "specific precautions are not detailed here", "it is impossible
      to provide…" (nobody but the writer could), "providing … requires the expertise of a
      doctor". A doctor who "cannot give an exact dose" is a statement about the drug;
    - frames its answer: it calls itself a response ("this response"), or says how it treats
      the drug's parts ("The information below describes each component separately", "… is
      based on the individual properties of each ingredient").

    These signals hold on any site. The wordings a site's generator frames its answers with
    ("Here's an overview", "Let's break down…", "we can discuss…") are the site's data: the
    option `phrases` lists wordings reported anywhere, `lead-phrases` wordings reported only
    before the first section ("Sure,", "Here is"). A site whose own voice says "we" takes
    those wordings out with `remove-phrases`. Phrases are matched as words, case-insensitively;
    `...` stands for up to 60 characters; each needs at least one word.

    The caveats a printed patient leaflet carries too pass wherever they stand ("This is not a
    complete list", "The information below is for general guidance only", "for educational
    purposes only", "should not substitute professional advice"), and so do statements about
    the drug or the state of knowledge ("no standard dose exists", "the mechanism is not fully
    understood") and advice to the reader ("consult your doctor", "let us know how you
    feel"). Questions are the reader's voice, and no signal or phrase is looked for in them.
    The disclaimer is read only for the request and its input ("This information is based on
    the provided text"), the closing note not at all.

    A block (paragraph, list item) is reported at each listed phrase it holds, else once at
    the first signal. Only prose is read: code spans, code blocks and HTML are skipped.

    ## Why
    The pages are generated. Text addressed to whoever asked for the page tells readers that
    nobody edited it, and talk about what the page cannot say pushes the drug information
    down the page.

    ## Example
    A page whose first paragraph, right under the H1, is `Please note: I cannot provide medical
    advice. The information below describes each ingredient separately.`
    """

    code = "CT001"
    name = "ai-artifact"
    summary = "Assistant meta-text in the page's prose"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        phrases: list[str] = []
        lead_phrases: list[str] = []

        _worded = field_validator("phrases", "lead_phrases")(_worded)

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        anywhere = phrase_pattern(options.phrases)
        lead = phrase_pattern(options.lead_phrases)
        for part in body_parts(page):
            if part.kind == "note":
                continue  # the note says who wrote the page, as the site asks it to
            for block in prose_blocks(page, part.start, part.stop):
                if part.kind == "disclaimer":
                    # A disclaimer's caveats are a leaflet's; the request and its input are not.
                    voice = REQUEST_INPUT.search(block.text)
                    if voice is not None:
                        yield self._voice(page, block, voice)
                    continue
                heading = block.kind == "heading"
                said = statements(block.text)
                wordings = [anywhere, lead if part.kind == "lead" and not heading else None]
                found = _apart([m for w in wordings if w is not None for m in w.finditer(said)])
                if not found and not heading:
                    voice = voice_in(said)
                    found = [voice] if voice is not None else []
                for match in found:
                    yield self._voice(page, block, match)

    def _voice(self, page: Page, block: ProseBlock, voice: re.Match[str]) -> Violation:
        line, column, end = source_span(page, block, voice.start(), _as_written(page, block, voice))
        said = voice.group() if len(voice.group()) <= 80 else voice.group()[:79] + "…"
        return self.violation(
            page,
            f"the writer of the answer shows through ({said!r}): remove it, so that the page "
            "speaks about the drug",
            line,
            column,
            end_column=end,
        )


def _apart(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """The matches in text order without those that overlap an earlier or longer one: "Here's
    an overview" in the lead is one finding, not one per list that holds it."""
    kept: list[re.Match[str]] = []
    for match in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def _as_written(page: Page, block: ProseBlock, match: re.Match[str]) -> str:
    """The longest run of a match's first words that its page line holds as written: a long
    match may cross emphasis (`a *general* overview`) or a line break, and a finding spans
    only text the line shows."""
    line = block.line_at(match.start())
    source = normalise_quotes(page.lines[line - 1]) if line <= page.line_count else ""
    words = match.group().split(" ")
    for count in range(len(words), 0, -1):
        shown = " ".join(words[:count])
        if shown in source:
            return shown
    return match.group()


# What a refusal says besides the writer's voice (`voice.about_request`): it asks for a clearer
# name ("please provide the generic name", "could you clarify which"), or says that the name
# matches no product ("there is no medication called…", "a misspelling", "does not exist").
_REFUSES = re.compile(
    r"\b(?:please|could you|can you) (?:please )?(?:provide|specify|clarify|check|double-check"
    r"|confirm|verify) (?:me with )?(?:[\w-]+ ){0,4}?(?:name|spelling|ingredients?|composition"
    r"|strength|formulation|which|what|whether)\b"
    r"|\b(?:a |the )?misspell(?:ing|ed)\b"
    r"|\b(?:does not|doesn't|do not|don't) exist\b|\bnon-?existent\b"
    r"|\bno (?:[\w-]+ ){0,3}(?:medication|medicine|drug|product|formulation|combination)"
    r" (?:called|named|with the (?:generic )?name|containing|combining|of)\b"
    r"|\b(?:is not|isn't) (?:a|an) (?:[\w-]+,? ){0,3}(?:medication|medicine|drug|product"
    r"|formulation|combination|pharmaceutical)\b",
    re.IGNORECASE,
)
# "No reliable information is available for Xyz": a refusal when what is unknown is the page's
# name itself, not one use of it ("No data is available on its use in children").
_NOTHING_KNOWN = re.compile(
    r"\b(?:no|insufficient) (?:[\w-]+ ){0,2}(?:information|data|details) (?:is |are )?"
    r"(?:available|exists?|can be found) (?:on|about|for|regarding) (?P<about>[^.;:!?,()]{1,120})",
    re.IGNORECASE,
)
_THE_PRODUCT = re.compile(
    r"(?:(?:the|this|that|such an?|an?) )?(?:(?:[\w-]+ ){0,2}?(?:combination|product|name"
    r"|substance|medication|medicine|drug|formulation|mixture)(?: (?:of|containing|called|named)"
    r" .+)?|the two|both)(?: (?:together|combined|as (?:a|one) (?:[\w-]+ )?(?:product"
    r"|combination)))?",
    re.IGNORECASE,
)


def _names_the_page(about: str, names: frozenset[str]) -> bool:
    """Whether `about` is the page's product itself: its ingredients' names, or "this
    combination", "the two together", with nothing that narrows it down."""
    about = re.sub(r"[\"'*_\u201c\u201d\u2018\u2019]", "", about).strip()
    if _THE_PRODUCT.fullmatch(about):
        return True
    pieces = [normalise_name(p) for p in INGREDIENT_SPLIT.split(about.removeprefix("the ")) if p]
    return bool(pieces) and all(piece in names for piece in pieces)


def _nothing_known(page: Page, text: str) -> re.Match[str] | None:
    if _NOTHING_KNOWN.search(text) is None:
        return None  # most blocks: the page's names are not needed
    title = page.data.get("title")
    if not isinstance(title, str) or not title:
        title = page.outline.h1s[0].text if page.outline.h1s else ""
    names = ingredients(title)
    for match in _NOTHING_KNOWN.finditer(text):
        if _names_the_page(match.group("about"), names):
            return match
    return None


# A line that opens with a label or a heading, in any of the forms pages use: `### Usage`,
# `**Usage:**`, `* **Usage:**`, `Usage:`, nested or not.
# Possessive runs of spaces: a run that the next part cannot match is never handed back, so a
# line of many spaces costs linear time (with `\s*\s*` it cost the square of its length).
_LINE_LABEL = re.compile(
    r"^\s*+(?:[*+-]\s++|\d++[.)]\s++)?(?:#{1,6}\s++(?P<heading>[^#]++)#*+\s*+$"
    r"|(?:\*\*|__)?\s*+(?P<label>[^\W\d][^:*_]{0,60}?)\s*+(?:\*\*|__)?\s*+:)"
)


def _label_lines(page: Page) -> dict[str, int]:
    """The template's sections the page names, each with the last line that names it: as a
    section or as a label opening any line (nested list items and unbolded labels included). A
    page that describes its ingredients one by one names several."""
    template = page.template
    if template is None:
        return {}
    lookup = template.section_lookup
    found = {section.key: section.line for section in page.sections if section.key}
    start = page.body_start_line
    for number, line in enumerate(page.lines[start - 1 :], start=start):
        match = _LINE_LABEL.match(line)
        if match is None:
            continue
        spec = lookup.get(normalise_name(match.group("heading") or match.group("label") or ""))
        if spec is not None:
            found[spec.key] = max(found.get(spec.key, 0), number)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of each sentence of a block's text."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        yield start, boundary.start()
        start = boundary.end()
    yield start, len(text)


@functools.lru_cache(maxsize=16)
def _section_names(keys: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted(keys, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _declined(page: Page) -> tuple[dict[str, int], tuple[ProseBlock, re.Match[str]] | None]:
    """The template's sections that a sentence of the page declines to give, two or more at
    once ("It is impossible to provide dosage, side effects, precautions…"), each with that
    sentence's line; and the first such sentence's refusal."""
    template = page.template
    if template is None:
        return {}, None
    lookup = template.section_lookup
    names = _section_names(tuple(sorted(lookup)))
    declined: dict[str, int] = {}
    first = None
    for block in _prose_outside_notices(page):
        for start, end in _sentences(block.text):
            refusal = declines().search(block.text, start, end)
            if refusal is None:
                continue
            # A name the pattern matches may still be no key: a dotless i (U+0131) matches "i".
            specs = (
                lookup.get(normalise_name(m.group()))
                for m in names.finditer(block.text, start, end)
            )
            keys = {spec.key for spec in specs if spec is not None}
            if len(keys) < 2:
                continue
            line = block.line_at(refusal.start())
            for key in keys:
                declined[key] = max(declined.get(key, 0), line)
            first = first or (block, refusal)
    return declined, first


def _prose_outside_notices(page: Page) -> Iterator[ProseBlock]:
    """The page's prose without its disclaimer and closing note: their wording is the site's
    own ("please consult…"), never the page speaking about a request."""
    for part in body_parts(page):
        if part.kind not in ("disclaimer", "note"):
            yield from prose_blocks(page, part.start, part.stop)


def _speaks_about_request(page: Page) -> tuple[ProseBlock, re.Match[str]] | None:
    for block in _prose_outside_notices(page):
        if block.kind == "heading":
            continue
        said = statements(block.text)
        match = (
            about_request().search(said)
            or _REFUSES.search(said)
            or FIRST_PERSON.search(said)
            or _nothing_known(page, said)
        )
        if match:
            return block, match
    return None


class Refusal(Rule):
    """## What it checks
    The page does not describe a drug. Two signals, either of which is enough:

    - the page's structure: it names at most `max-sections` of its template's sections (as a
      section or as a label anywhere, nested list items included), and its prose speaks about
      the request instead of a drug: the writer in the first person ("I cannot…", questions
      aside), the requester addressed ("the name you provided", "please specify", "could you
      clarify"), a statement that the name matches no product ("there is no medication
      called…", "a misspelling", "does not exist"), the writer saying what it cannot provide
      ("it is not possible to provide dosage information…", "a leaflet cannot be created"),
      or a statement that nothing is known of the page's product itself ("no reliable
      information is available for Xyz + Abc", "… for this combination"; "no data is
      available on its use in children" is a statement about the drug);
    - a phrase from the option `patterns` ("Please provide the generic name…"), on a page that
      names at most `max-sections` sections in the same way.

    A refusal that keeps a section label or two, or gives each ingredient a line before it
    declines, is still one; so is a page whose labels a later sentence declines to fill ("It is
    impossible to provide dosage, side effects, precautions…"): declined labels name nothing
    the page gives. A page that refuses in one sentence and then describes the drug, or each
    ingredient, under more of the template's sections is left to CT001. When CT002 fires, the
    structure and disclaimer rules (ST001 to ST008, DS001 to DS003) stay silent on the page:
    they would only restate that it is not a drug page.

    ## Why
    A refusal published as a drug page tells readers nothing, and search engines index it as if
    it did. It must be regenerated or removed, which is why this is an error.

    ## Example
    A page whose whole body is `There is no medication called "Xyz"; it may be a misspelling.
    Please provide the active ingredient.`
    """

    code = "CT002"
    name = "refusal"
    summary = "The page is a refusal or a request for a name, not a drug page"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        patterns: list[str] = []
        max_sections: int = 2

        _compiles = field_validator("patterns")(_compile_all)

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        filled = sum(1 for s in page.sections if s.spec is not None and s.has_content)
        if filled > options.max_sections:
            return
        labels = _label_lines(page)
        found = None
        if len(labels) > options.max_sections:
            # Labels that a later sentence declines to fill ("it is impossible to provide
            # dosage, side effects and precautions") name nothing the page gives.
            declined, found = _declined(page)
            given = [key for key, line in labels.items() if declined.get(key, 0) < line]
            if len(given) > options.max_sections:
                return
        found = found or _speaks_about_request(page)
        if found is None and options.patterns:
            # The patterns are the rule pack's data: they run on RE2 like any a user supplies.
            joined = "|".join(f"(?:{p})" for p in options.patterns)
            pattern = user_pattern(joined, ignore_case=True)
            for block in _prose_outside_notices(page):
                match = pattern.search(block.text)
                if match:
                    found = block, match
                    break
        if found is None:
            return
        block, match = found
        line, column, end = source_span(page, block, match.start(), match.group())
        yield self.violation(
            page,
            f"the page is a refusal, not a drug page ({match.group()!r}, and "
            f"{plural(filled, 'section')} with content); regenerate it for a real drug name or "
            "remove it",
            line,
            column,
            end_column=end,
        )


class Truncated(Rule):
    """## What it checks
    The page, or one of its sections, ends mid-sentence. The last block of each section, of any
    kind (paragraph, list item, table cell), is cut off when bold markup is left open
    (`**Dosage` with no closing `**`), when it ends on a dangling word ("and", "the", "such
    as") or a comma, or when its last list item is empty. The page's own last block, before
    the disclaimer and the note, is also cut off when a bracket is left open, when it is a
    paragraph of running prose without closing punctuation, or when it is a list item of
    running prose (a question and its answer, or more than one sentence) without it. A list
    item, a table cell or a labelled value that is a name or a noun phrase ("Other
    inflammatory skin conditions", `**Generic Name:** A sodium oral suspension`) is complete
    without punctuation, and so is a section in the middle of the page that ends in one.
    Code and HTML are not read.

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
        dangling_words: list[str] = []
        # Shorter paragraphs, or ones mostly in capitals, are names ("Vitamin B + Zinc"), not
        # sentences; only sentences need closing punctuation.
        min_words: int = 8

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        dangling = set(options.dangling_words)
        tokens = page.tokens or []
        endings: list[tuple[Part, ProseBlock | None]] = []
        for part in body_parts(page):
            if part.kind in ("disclaimer", "note"):
                continue
            blocks = [b for b in prose_blocks(page, part.start, part.stop) if b.kind != "heading"]
            blocks += cell_blocks(page, part.start, part.stop)
            endings.append((part, max(blocks, key=lambda b: b.index) if blocks else None))
        # The page's own last block, before the disclaimer and the note: where generation stops.
        final = max((i for i, (_, block) in enumerate(endings) if block is not None), default=-1)
        for position, (part, block) in enumerate(endings):
            problem = None
            if block is not None:
                problem = _ending_problem(page, block, options, dangling, position == final)
            line = block.end_line if block else page.token_line(tokens[part.start])
            empty = _empty_last_item(tokens, part.start, part.stop)
            if problem is None and empty is not None:
                problem, line = "its last list item is empty", page.token_line(tokens[empty])
            if problem is None:
                continue
            where = f"section {part.label!r}" if part.kind == "section" else "the page's opening"
            column, end = _ending_span(page, line, problem)
            yield self.violation(
                page,
                f"{where} looks cut off: {problem}; finish the sentence or regenerate the page",
                line,
                column,
                end_column=end,
            )


_WORD_AT_END = re.compile(r"([\w.]+)\W*$")
_LAST_TOKEN = re.compile(r"(\S+)\s*$")
# A sentence that ends before the block does: the block is running prose (a question and its
# answer, or several sentences), not a name or a noun phrase, so it must end as prose does.
_EARLIER_SENTENCE = re.compile(r"[.!?]\s+\S")


def _word_at_end(text: str) -> re.Match[str] | None:
    """`_WORD_AT_END.search(text)` for a text that ends in a letter, reading only its end.

    Such a text's match is its last run of word characters and dots: a search from before the
    run finds it, and one from inside it a match that starts where the search does, and only
    then is the whole text searched. (A search from the start tries every place of the text.)"""
    start = max(0, len(text) - 80)
    match = _WORD_AT_END.search(text, start)
    if start and (match is None or match.start() == start):
        match = _WORD_AT_END.search(text)
    return match


def _ending_span(page: Page, line: int, problem: str) -> tuple[int, int]:
    """The columns of the token that shows the cut: the open `**`, or the last word."""
    source = page.lines[line - 1] if line <= page.line_count else ""
    if problem.startswith("bold markup"):
        found = source.rfind("**")
        if found < 0:
            found = source.rfind("__")
        if found >= 0:
            return found + 1, found + 2
    # A table row ends with the pipe that closes its last cell; the cut is before it.
    cell = re.match(r"^(.*?)\s*\|\s*$", source) if source.lstrip().startswith("|") else None
    match = _LAST_TOKEN.search(cell.group(1) if cell else source)
    if match is None:
        return 1, max(1, len(source))
    return match.start(1) + 1, match.end(1)


def _ending_problem(
    page: Page, block: ProseBlock, options: Truncated.Options, dangling: set[str], final: bool
) -> str | None:
    """Why a block's ending looks cut off. Any block that ends a section is read for the
    strong signs (open markup, a dangling word or comma); only the page's last block also for
    a sentence without its closing punctuation, since a section may end in a phrase."""
    text = block.text.rstrip()
    if block.unclosed_bold:
        return "bold markup is left open"
    if not text:
        return None
    sentence = _reads_as_sentence(text, options.min_words)
    if sentence and text[-1] in ",-\u2013\u2014(/+&":
        return f"it ends with {text[-1]!r}"
    # Only a lower-case word dangles: "Type A" and "Vitamin E" end names, not sentences.
    word = _word_at_end(text) if text[-1].isalpha() else None
    if word and word.group(1) in dangling:
        return f"it ends on the word {word.group(1)!r}"
    if not final or block.kind == "cell" or text[-1] in options.terminal:
        return None
    if _open_bracket(text):
        return "a bracket is left open"
    # After a bold label (`**Generic Name:** …`) only the value is read: a long label does not
    # make a name into a sentence.
    value = _label_value(page, block)
    rest = text if value is None else value
    if block.kind == "paragraph" and _reads_as_sentence(rest, options.min_words):
        return "its last paragraph has no closing punctuation"
    if (
        block.kind == "item"
        and _EARLIER_SENTENCE.search(rest)
        and _reads_as_sentence(rest, options.min_words)
    ):
        return "its last list item stops mid-sentence"
    return None


def _open_bracket(text: str) -> bool:
    return text.count("(") > text.count(")") or text.count("[") > text.count("]")


def _label_value(page: Page, block: ProseBlock) -> str | None:
    """The text after a block's opening bold label, or None when it opens with none."""
    tokens = page.tokens or []
    token = tokens[block.index]
    if len(token.content) > MAX_INLINE_CHARS or not token.content.startswith(("**", "__")):
        return None
    page.inline(token)
    parts = split_label(token)
    return parts[1] if parts is not None and parts[2] == "strong_open" else None


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


_EMPTY_LABEL = re.compile(r"\s*:?\s*")
_LITERAL_EMPTY_BOLD = re.compile(r"(?<![*])\*{4}(?![*])|(?<!_)_{4}(?!_)")


def _has_empty_bold(children: list[Token]) -> bool:
    """`**:**` or `** **` (bold around nothing), or `****` left as text."""
    for position, child in enumerate(children):
        content = child.content
        # The pattern needs four marks in a row; most text holds none.
        if (
            child.type == "text"
            and ("****" in content or "____" in content)
            and _LITERAL_EMPTY_BOLD.search(content)
        ):
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


@functools.lru_cache(maxsize=16)
def _markers_pattern(markers: tuple[str, ...]) -> Screened | None:
    if not markers:
        return None
    words = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return Screened(re.compile(rf"(?<![\w]){words}(?![\w])"))


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
        phrases: list[str] = []
        markers: list[str] = []

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        phrases = phrase_pattern(options.phrases)
        markers = _markers_pattern(tuple(options.markers))
        tokens = page.tokens or []
        for block in prose_blocks(page):
            for pattern in (phrases, markers):
                if pattern is None:
                    continue
                for match in pattern.finditer(block.text):
                    line, column, end = source_span(page, block, match.start(), match.group())
                    yield self.violation(
                        page,
                        f"placeholder {match.group()!r}: write the content or remove the line",
                        line,
                        column,
                        end_column=end,
                    )
            token = tokens[block.index]
            # Bold markup, and a literal `****`, need `**` or `__`: other blocks are not parsed.
            content = token.content
            if (
                len(content) <= MAX_INLINE_CHARS
                and ("**" in content or "__" in content)
                and _has_empty_bold(page.inline(token))
            ):
                yield self.violation(
                    page, "empty bold label: give it a name or remove it", block.line
                )


_SENTENCE_BREAK = re.compile(r"[.!?;:]\s")


_CLAUSE_END = re.compile(r"[.!?;](?:\s|$)|$")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence (or clause after a colon or semicolon) holding `text[start:end]`."""
    breaks = list(_SENTENCE_BREAK.finditer(text, 0, start))
    begin = breaks[-1].end() if breaks else 0
    after = _CLAUSE_END.search(text, end)
    return begin, after.end() if after else len(text)


class UnsupportedClaim(Rule):
    """## What it checks
    Absolute claims of efficacy or safety in the prose: "cures", "guaranteed", "100% safe",
    "no side effects", "completely safe", "miracle". A claim is not flagged in a question ("Is
    it 100% effective?"), or when its sentence holds a negation ("does not cure", "no medicine
    is completely safe", "there is no guarantee") or a hedge ("may", "claimed", "marketed as").

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
        phrases: list[str] = []
        negations: list[str] = []
        hedges: list[str] = []

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        pattern = phrase_pattern(options.phrases)
        if pattern is None:
            return
        negations = {word.casefold() for word in options.negations}
        hedges = {word.casefold() for word in options.hedges}
        for block in prose_blocks(page):
            for match in pattern.finditer(block.text):
                begin, stop = _sentence_around(block.text, match.start(), match.end())
                if block.text[begin:stop].rstrip().rstrip("*_\"')]").endswith("?"):
                    continue  # a question ("Is it 100% effective?") claims nothing
                # The claims themselves ("no side effects") negate nothing.
                rest = pattern.sub(" ", block.text[begin:stop])
                words = re.findall(r"[\w']+", rest.casefold())
                if any(
                    word in negations or word in hedges or word.endswith("n't") for word in words
                ):
                    continue
                line, column, end = source_span(page, block, match.start(), match.group())
                yield self.violation(
                    page,
                    f"absolute claim {match.group()!r}: no medicine is risk-free or always "
                    "effective; state what the evidence shows",
                    line,
                    column,
                    end_column=end,
                )
