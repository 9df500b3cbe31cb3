"""Turn offsets into a page's LF-normalised text into line/column positions.

Fix edits are offsets (see `checker.rules.base.Edit`); reports and editors want lines and columns.
"""

from __future__ import annotations

import bisect


class LineIndex:
    """The start offset of every line of one text, for offset -> (line, column) look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.starts.append(index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, column in code points) of an offset, clamped to the text."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def line_text(self, line: int) -> str:
        """The text of a 0-based line, without its newline."""
        if not 0 <= line < len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]
