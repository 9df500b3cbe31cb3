"""Token ranges of a page's parts, for content rules that read prose section by section."""

from __future__ import annotations

from dataclasses import dataclass

from checker.document.page import Page


@dataclass(frozen=True, slots=True)
class Part:
    """Tokens `[start, stop)` of one part of the body: the lead-in, a section, or boilerplate."""

    kind: str  # "lead" (before any marker), "section", "disclaimer" or "note"
    label: str
    start: int
    stop: int


def body_parts(page: Page) -> list[Part]:
    """Split the body at every section, disclaimer and note marker, in page order."""
    outline = page.outline
    markers: list[tuple[int, str, str]] = [
        (section.marker.token_index, "section", section.title) for section in outline.sections
    ]
    markers += [(block.token_index, "disclaimer", block.label) for block in outline.disclaimers]
    if outline.note is not None:
        markers.append((outline.note.token_index, "note", outline.note.label))
    markers.sort()
    total = len(page.tokens or [])
    parts = []
    first = markers[0][0] if markers else total
    if first > 0:
        parts.append(Part("lead", "", 0, first))
    for position, (index, kind, label) in enumerate(markers):
        stop = markers[position + 1][0] if position + 1 < len(markers) else total
        parts.append(Part(kind, label, index, stop))
    return parts
