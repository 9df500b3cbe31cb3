"""Prose of a page: the text that readers read, block by block, with its page lines.

Content rules match phrases here and never in code spans, code blocks or HTML. Each block is one
inline token (a paragraph, a heading, or a list item's paragraph); its text joins the token's
`text` children, with a code span standing in as `CODE_MARK` so that words on either side of it
never run together into a phrase.
"""

from __future__ import annotations

import bisect
import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.document.page import Page
from checker.document.screens import Screened
from checker.document.text import before_break

if TYPE_CHECKING:
    from markdown_it.token import Token

CODE_MARK = "\u2063"
# Longer blocks are read as raw text, without inline parsing.
MAX_INLINE_CHARS = 20_000
# Characters that start inline markup under CommonMark (an escape, a code span, emphasis, a
# link or image, an autolink or HTML, an entity). A block without any of them parses to text
# and line breaks only, so its prose is read from its source without an inline parse
# (`text_from_source`, which gives what `text_from_parse` gives).
INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<&]")
# Apostrophes and spaces as a reader sees them: curly quotes and runs of spaces do not matter.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True, slots=True)
class ProseBlock:
    """One inline token's prose. `starts` holds (offset in `text`, page line) pairs."""

    index: int
    kind: str  # "paragraph", "heading", "item" (a paragraph inside a list item) or "cell"
    level: int  # nesting level of the paragraph token (0 for a top-level paragraph)
    line: int
    end_line: int
    text: str
    starts: tuple[tuple[int, int], ...]
    # An odd number of literal `**` (or `__`) in the text: bold markup opened and never closed.
    unclosed_bold: bool = False

    def line_at(self, offset: int) -> int:
        position = bisect.bisect_right([start for start, _ in self.starts], offset) - 1
        return self.starts[max(position, 0)][1]


def normalise_quotes(text: str) -> str:
    return text.translate(_APOSTROPHES)


def text_from_parse(
    children: list[Token], first_line: int
) -> tuple[str, tuple[tuple[int, int], ...], bool]:
    """(text, (offset, page line) starts, unclosed bold) of an inline token's parsed children."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = [(0, first_line)]
    length = 0
    line = first_line
    stars = lows = 0
    for child in children:
        if child.type == "text":
            piece = normalise_quotes(child.content)
            stars += piece.count("**")
            lows += piece.count("__")
        elif child.type == "code_inline":
            piece = CODE_MARK
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
            parts.append(" ")
            length += 1
            starts.append((length, line))
            continue
        else:
            continue
        parts.append(piece)
        length += len(piece)
    # An odd number of literal `**` means one was opened and never closed; a pair that did not
    # render (`** Word:**`) is a formatting slip, not a cut-off.
    return "".join(parts), tuple(starts), stars % 2 == 1 or lows % 2 == 1


def text_from_source(
    content: str, first_line: int
) -> tuple[str, tuple[tuple[int, int], ...], bool]:
    """What `text_from_parse` makes of the parsed children of inline content without markup:
    one text token per line, as markdown-it's `newline` rule leaves it (spaces before a line
    break dropped, those opening the next line skipped), joined by the breaks' spaces."""
    if "\n" not in content:
        return normalise_quotes(content), ((0, first_line),), False
    parts: list[str] = []
    starts: list[tuple[int, int]] = [(0, first_line)]
    length = 0
    lines = content.split("\n")
    last = len(lines) - 1
    for number, source in enumerate(lines):
        pending = source
        if number:
            pending = pending.lstrip(" \t")
            parts.append(" ")
            length += 1
            starts.append((length, first_line + number))
        if number < last:
            pending = before_break(pending)
        piece = normalise_quotes(pending)
        parts.append(piece)
        length += len(piece)
    return "".join(parts), tuple(starts), False


# Every content rule reads the same blocks; they are built once per page, with their token
# indexes (in order) to find the blocks of a part.
_BLOCKS: weakref.WeakKeyDictionary[Page, tuple[tuple[ProseBlock, ...], list[int]]] = (
    weakref.WeakKeyDictionary()
)


def prose_blocks(page: Page, start: int = 0, stop: int | None = None) -> Iterator[ProseBlock]:
    """Prose blocks among `page.tokens[start:stop]`, in page order."""
    found = _BLOCKS.get(page)
    if found is None:
        blocks = tuple(_build_blocks(page))
        found = _BLOCKS[page] = blocks, [block.index for block in blocks]
    blocks, indexes = found
    first = bisect.bisect_left(indexes, start)
    last = len(indexes) if stop is None else bisect.bisect_left(indexes, stop)
    return iter(blocks[first:last])


def _build_blocks(page: Page) -> Iterator[ProseBlock]:
    tokens = page.tokens or []
    in_item = 0
    for index in range(len(tokens)):
        token = tokens[index]
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        if token.type != "inline" or index == 0:
            continue
        opener = tokens[index - 1]
        if opener.type == "paragraph_open":
            kind = "item" if in_item else "paragraph"
        elif opener.type == "heading_open":
            kind = "heading"
        else:
            continue  # table cells and the like are not running prose
        yield _block(page, index, kind)


def _block(page: Page, index: int, kind: str) -> ProseBlock:
    tokens = page.tokens or []
    token, opener = tokens[index], tokens[index - 1]
    # A table cell's opener has no line map; its inline token has the row's.
    anchor = opener if opener.map is not None else token
    first = page.token_line(anchor)
    last = page.body_start_line + anchor.map[1] - 1 if anchor.map else first
    key = ("prose", token.content)
    known = page.by_source.get(key)
    if known is None:
        page.by_source[key] = known = (first, *_text(page, token, first))
    at, text, starts, unclosed = known
    if at != first:
        # The same source on other lines (elsewhere on the page, or in another version of it).
        starts = tuple((offset, line + first - at) for offset, line in starts)
    return ProseBlock(index, kind, opener.level, first, last, text, starts, unclosed)


def _text(page: Page, token: Token, first: int) -> tuple[str, tuple[tuple[int, int], ...], bool]:
    """(text, starts, unclosed bold) of an inline token whose first line is `first`."""
    if len(token.content) > MAX_INLINE_CHARS:
        # Inline parsing can be quadratic on hostile text; a block this long is read raw.
        return normalise_quotes(token.content), ((0, first),), False
    if INLINE_MARKUP.search(token.content) is None:
        return text_from_source(token.content, first)
    return text_from_parse(page.inline(token), first)


def cell_blocks(page: Page, start: int = 0, stop: int | None = None) -> Iterator[ProseBlock]:
    """The text of each table cell among `page.tokens[start:stop]`, as blocks of kind "cell".

    Cells are not running prose, so the content rules leave them out of `prose_blocks`; a rule
    that reads how a page ends asks for them here.
    """
    tokens = page.tokens or []
    stop = len(tokens) if stop is None else stop
    for index in range(max(start, 1), stop):
        if tokens[index].type == "inline" and tokens[index - 1].type in ("td_open", "th_open"):
            yield _block(page, index, "cell")


def phrase_pattern(phrases: list[str]) -> Screened | None:
    return _phrase_pattern(tuple(phrases))


@functools.lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> Screened | None:
    """One case-insensitive pattern for literal phrases, matched on word boundaries.

    Spaces in a phrase match any run of spaces; an ellipsis (`...` or `…`) stands for
    "up to 60 characters", so `[insert ...]` matches `[insert drug name]`. Its screen is
    derived from it (phrases that are not ASCII leave it unscreened).
    """
    alternatives = []
    normalised = sorted({normalise_quotes(p.strip()) for p in phrases if p.strip()}, key=len)
    for phrase in normalised:
        pieces = re.split(r"\.\.\.|\u2026", phrase)
        words = [[re.escape(word) for word in piece.split()] for piece in pieces]
        body = r"[^\n]{0,60}?".join(r"\s+".join(piece) for piece in words)
        lead = r"\b" if phrase[:1].isalnum() else ""
        end = r"\b" if phrase[-1:].isalnum() else ""
        alternatives.append(lead + body + end)
    if not alternatives:
        return None
    alternatives.reverse()  # longest first, so the fullest phrase is the one reported
    # Looking ahead at the first letter first spares trying every phrase at every position.
    firsts = {p.strip()[0].casefold() for p in phrases if p.strip()}
    lead_in = "(?=[" + re.escape("".join(sorted(firsts | {f.upper() for f in firsts}))) + "])"
    body = "|".join(f"(?:{a})" for a in alternatives)
    return Screened(re.compile(f"{lead_in}(?:{body})", re.IGNORECASE))


def source_span(page: Page, block: ProseBlock, offset: int, fragment: str) -> tuple[int, int, int]:
    """(line, column, end column) of `fragment`, found at `offset` in `block.text`, on its page
    line: the same occurrence when the fragment repeats on the line, and only its characters.

    When markup splits the fragment in the source, the span is the whole line from column 1.
    """
    line = block.line_at(offset)
    source = normalise_quotes(page.lines[line - 1] if line <= page.line_count else "")
    line_start = max((start for start, at in block.starts if at == line), default=0)
    earlier = block.text.count(fragment, line_start, offset) if fragment else 0
    found = -1
    for _ in range(earlier + 1):
        found = source.find(fragment, found + 1)
        if found < 0:
            break
    if found < 0:
        found = source.find(fragment)
    if found < 0 or not fragment:
        return line, 1, max(1, len(source))
    return line, found + 1, found + len(fragment)
