"""Each finding with the source line it points at and a caret under the column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker.formatters.concise import line_for
from checker.formatters.style import paint

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report


def render(report: Report, context: RenderContext) -> str:
    out: list[str] = []
    lines_by_path: dict[str, list[str]] = {}
    for violation in report.violations:
        lines = lines_by_path.get(violation.path)
        if lines is None:
            lines = lines_by_path[violation.path] = context.source_lines(violation.path)
        out.append(line_for(violation, context.color))
        if 1 <= violation.line <= len(lines):
            source = lines[violation.line - 1].replace("\t", " ")
            gutter = f"{violation.line:>5} | "
            out.append(paint(gutter, "dim", context.color) + source)
            width = 1
            if violation.end_line == violation.line:
                width = max(1, violation.end_column - violation.column + 1)
            caret = " " * (violation.column - 1) + "^" * min(width, max(1, len(source) + 1))
            out.append(" " * (len(gutter) - 2) + "| " + paint(caret, "red", context.color))
        out.append(f"      = help: checker rule {violation.code}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
