"""A unified diff of a fixed page, as `checker check --diff` prints it."""

from __future__ import annotations

import difflib
import re

_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _lines(text: str) -> list[str]:
    # One definition of a line: LF, CRLF or CR ends it, and nothing else does.
    return _LINE.findall(text.replace("\r\n", "\n").replace("\r", "\n"))


def unified_diff(name: str, before: bytes, after: str) -> str:
    """The diff from the page's original bytes to its fixed text, with `a/` and `b/` names."""
    old = before.decode("utf-8", errors="replace")
    lines = difflib.unified_diff(
        _lines(old), _lines(after), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    if not text:
        # Only the line endings changed, which a line diff cannot show.
        text = f"--- a/{name}\n+++ b/{name}\n# line endings changed\n"
    return text
