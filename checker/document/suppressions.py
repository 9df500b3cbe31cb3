"""Inline suppressions written as HTML comments.

    <!-- checker: disable CT007,DS002 -->  ...  <!-- checker: enable -->
    <!-- checker: disable-next-line CT007 reason="quoted from the label" until=2027-06-30 -->
    <!-- checker: disable-file FT001 -->

A code list may be left out to mean every rule; codes may be prefixes (`FT`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

_COMMENT = re.compile(
    r"<!--\s*checker:\s*(?P<action>disable-next-line|disable-file|disable|enable)\b"
    r"(?P<rest>.*?)-->"
)
_ATTRIBUTE = re.compile(r"""(?P<key>[a-z][a-z-]*)=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))""")
_CODE = re.compile(r"[A-Z]{1,4}[0-9]{0,3}")


@dataclass(slots=True)
class Suppression:
    action: str
    codes: tuple[str, ...]
    line: int
    column: int
    end_column: int
    # Lines covered, inclusive; filled in by `parse_suppressions`.
    first: int = 0
    last: int = 0
    reason: str | None = None
    until: datetime.date | None = None
    problems: list[str] = field(default_factory=list)

    def expired(self, today: datetime.date | None = None) -> bool:
        """Past its `until` date; the date itself still counts as in force."""
        return self.until is not None and self.until < (today or datetime.date.today())

    def covers(self, code: str, line: int) -> bool:
        if not self.first <= line <= self.last or self.expired():
            return False
        return not self.codes or any(code.startswith(prefix) for prefix in self.codes)


def _parse_rest(rest: str, suppression: Suppression) -> None:
    codes: list[str] = []
    for match in _ATTRIBUTE.finditer(rest):
        key, value = match["key"], match["quoted"] if match["quoted"] is not None else match["bare"]
        if key == "reason":
            suppression.reason = value
        elif key == "until":
            try:
                suppression.until = datetime.date.fromisoformat(value)
            except ValueError:
                suppression.problems.append(f"until={value!r} is not a date; write YYYY-MM-DD")
        else:
            suppression.problems.append(f"unknown attribute {key!r}; use reason= or until=")
    plain = _ATTRIBUTE.sub(" ", rest)
    for word in re.split(r"[\s,]+", plain.strip()):
        if not word:
            continue
        if _CODE.fullmatch(word):
            codes.append(word)
        else:
            suppression.problems.append(f"{word!r} is not a rule code")
    suppression.codes = tuple(codes)


def parse_suppressions(
    lines: list[str], code_lines: frozenset[int] | set[int] = frozenset()
) -> list[Suppression]:
    """Suppressions on the page's lines. Comments in code (the 1-based `code_lines`, or a
    backtick span) are text shown to readers, such as docs quoting the syntax, and are skipped."""
    found: list[Suppression] = []
    open_blocks: list[Suppression] = []
    last_line = len(lines)
    for number, line in enumerate(lines, start=1):
        if "checker:" not in line or number in code_lines:
            continue
        for match in _COMMENT.finditer(line):
            if line.count("`", 0, match.start()) % 2:
                continue
            item = Suppression(match["action"], (), number, match.start() + 1, match.end())
            _parse_rest(match["rest"], item)
            if item.action == "disable-next-line":
                item.first = item.last = number + 1
            elif item.action == "disable-file":
                item.first, item.last = 1, last_line
            elif item.action == "disable":
                item.first, item.last = number, last_line
                open_blocks.append(item)
            else:  # enable closes the matching disable blocks (all of them without codes)
                for block in open_blocks:
                    if block.last == last_line and (
                        not item.codes or set(block.codes) & set(item.codes) or not block.codes
                    ):
                        block.last = number
                open_blocks = [b for b in open_blocks if b.last == last_line]
                continue
            found.append(item)
    return found
