"""ANSI colour, used only when the output is a terminal and NO_COLOR is unset."""

from __future__ import annotations

from checker.rules.base import Severity, Violation

_CODES = {"bold": "1", "red": "31", "yellow": "33", "cyan": "36", "dim": "2", "green": "32"}
SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def paint(text: str, color: str, enabled: bool) -> str:
    if not enabled:
        return text
    return f"\x1b[{_CODES[color]}m{text}\x1b[0m"


# Ruff's mark for a finding that `--fix` fixes; unsafe-only fixes need `--unsafe-fixes` too.
SAFE_FIX_MARK = "[*]"
UNSAFE_FIX_MARK = "[~]"


def fix_mark(violation: Violation) -> str:
    """` [*]` (fixed by --fix), ` [~]` (only with --unsafe-fixes), or nothing."""
    if violation.fix is None:
        return ""
    return " " + (SAFE_FIX_MARK if violation.fix.is_safe else UNSAFE_FIX_MARK)
