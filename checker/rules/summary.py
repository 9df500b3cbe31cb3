"""Compact, picklable summaries of pages: all that site-wide rules ever see of a page.

A summary is built once from the parsed Page in the per-page pass (or, by the site pass, from
a page under the content root that the run does not check). It is plain data, so it can be
computed in another process or stored in a cache. Site rules never see a parsed tree.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.document.parts import body_parts

if TYPE_CHECKING:
    from checker.document.page import Page

# Words per shingle and hashes kept per page for the body fingerprint (a bottom-k MinHash).
SHINGLE_WORDS = 4
SKETCH_SIZE = 64
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class SummarySuppression:
    """A suppression comment as the site pass needs it: the lines it covers, its codes (none
    means every rule) and where the comment stands."""

    first: int
    last: int
    codes: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class PageSummary:
    """What a site rule knows about one page."""

    path: str  # as shown in findings
    file: str  # resolved absolute path, to tell pages apart
    relpath: str  # relative to the content root, with `/`
    title: str
    title_line: int
    template: str | None
    slug: str  # the template's slug rule: "title" or "none"
    shingles: int  # how many distinct shingles the body has
    sketch: tuple[int, ...]  # the SKETCH_SIZE smallest shingle hashes, sorted
    # The suppression comments in force (not past their `until` date).
    suppressions: tuple[SummarySuppression, ...] = ()


def _title(page: Page) -> tuple[str, int]:
    front = page.front_matter
    value = front.data.get("title") if front and isinstance(front.data, dict) else None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value), front.key_lines.get("title", 1) if front else 1
    if page.outline.h1s:
        return page.outline.h1s[0].label, page.outline.h1s[0].line
    return "", 1


def body_words(page: Page) -> list[str]:
    """The body's words in order, without the H1, the disclaimer and the closing note."""
    tokens = page.tokens or []
    h1 = {block.token_index + 1 for block in page.outline.h1s}
    words: list[str] = []
    for part in body_parts(page):
        if part.kind in ("disclaimer", "note"):
            continue
        for index in range(part.start, part.stop):
            token = tokens[index]
            if token.type in ("inline", "fence", "code_block") and index not in h1:
                words.extend(_WORD.findall(token.content.casefold()))
    return words


def sketch(words: list[str]) -> tuple[int, tuple[int, ...]]:
    """Bottom-k MinHash of the word shingles: (number of shingles, smallest hashes)."""
    width = SHINGLE_WORDS
    # Shingles of UTF-8 words joined by spaces: the UTF-8 of the words' shingles. A body of
    # fewer words than a shingle is one shingle.
    encoded = [word.encode() for word in words]
    if len(encoded) < width:
        shingles = {b" ".join(encoded)}
    else:
        shingles = set(map(b" ".join, zip(*(encoded[i:] for i in range(width)), strict=False)))
    shingles.discard(b"")
    # CRC-32 is stable across processes and runs (unlike hash()) and fast enough for a sketch.
    hashes = set(map(zlib.crc32, shingles))
    return len(hashes), tuple(sorted(hashes)[:SKETCH_SIZE])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two pages' shingle sets from their sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[: min(len(a), len(b), SKETCH_SIZE)]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


def summarise(page: Page, content_root: Path | None) -> PageSummary:
    """The summary of a parsed page (with its template attached)."""
    file = page.path.resolve() if page.path is not None else None
    relpath = page.display_path
    if file is not None and content_root is not None:
        try:
            relpath = file.relative_to(content_root).as_posix()
        except ValueError:
            relpath = file.as_posix()
    title, line = _title(page)
    count, hashes = sketch(body_words(page)) if page.tokens is not None else (0, ())
    template = page.template
    return PageSummary(
        path=page.display_path,
        file=file.as_posix() if file else page.display_path,
        relpath=relpath,
        title=title,
        title_line=line,
        template=template.name if template else None,
        slug=template.slug if template else "none",
        shingles=count,
        sketch=hashes,
        suppressions=tuple(
            SummarySuppression(s.first, s.last, s.codes, s.line, s.column)
            for s in page.suppressions
            if not s.expired()
        ),
    )
