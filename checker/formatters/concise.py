"""`path:line:col: CODE [*] [severity] message`, one finding per line.

`[*]` marks a finding that `--fix` fixes, `[~]` one fixed only with `--unsafe-fixes` too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker.formatters.style import SEVERITY_COLORS, fix_mark, paint

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report
    from checker.rules.base import Violation


def line_for(violation: Violation, color: bool) -> str:
    where = paint(f"{violation.path}:{violation.line}:{violation.column}:", "bold", color)
    code = paint(violation.code, SEVERITY_COLORS[violation.severity], color)
    return f"{where} {code}{fix_mark(violation)} [{violation.severity}] {violation.message}"


def render(report: Report, context: RenderContext) -> str:
    return "".join(line_for(v, context.color) + "\n" for v in report.violations)
