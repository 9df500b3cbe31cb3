"""Violations grouped under their file, one `line:col CODE [severity] message` per finding."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from checker.formatters.style import SEVERITY_COLORS, fix_mark, paint

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report


def render(report: Report, context: RenderContext) -> str:
    out: list[str] = []
    for path, group in groupby(report.violations, key=lambda v: v.path):
        violations = list(group)
        width = max(len(f"{v.line}:{v.column}") for v in violations)
        out.append(paint(f"{path}:", "bold", context.color))
        for v in violations:
            where = f"{v.line}:{v.column}".ljust(width)
            code = paint(v.code, SEVERITY_COLORS[v.severity], context.color)
            out.append(f"  {where}  {code}{fix_mark(v)} [{v.severity}] {v.message}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
