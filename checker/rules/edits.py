"""Helpers that turn page lines and blocks into text edits for rules' fixes.

Offsets are into the page's LF-normalised `text`, as `Edit` expects.
"""

from __future__ import annotations

from checker.document.page import Page
from checker.rules.base import Edit


def line_start(page: Page, line: int) -> int:
    """Offset of the first character of a 1-based line; past the last line, the end of text."""
    if line > page.line_count:
        return len(page.text or "")
    return page.line_offset(line)


def line_end(page: Page, line: int) -> int:
    """Offset just past the last character of a line, before its newline."""
    return page.line_offset(line) + page.line_length(line)


def replace_lines(page: Page, first: int, last: int, replacement: str) -> Edit:
    """Replace the content of lines first..last (their final newline is kept)."""
    return Edit(line_start(page, first), line_end(page, last), replacement)


def append_block(page: Page, block: str) -> Edit:
    """Add a block at the end of the page, one blank line after the last content."""
    text = page.text or ""
    trailing = len(text) - len(text.rstrip("\n"))
    if not text.strip():
        return Edit(len(text), len(text), block + "\n")
    prefix = "\n" * max(0, 2 - trailing)
    return Edit(len(text), len(text), prefix + block + "\n")


def insert_block_before(page: Page, line: int, block: str) -> Edit:
    """Insert a block, and a blank line after it, before the given line."""
    offset = line_start(page, line)
    before = (page.text or "")[:offset]
    prefix = "" if not before.strip() or before.endswith("\n\n") else "\n"
    return Edit(offset, offset, prefix + block + "\n\n")
