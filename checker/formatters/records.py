"""The violation record shared by the `json` and `json-lines` formats.

The record's fields are a public, documented interface (docs/output-formats.md and
docs/violation.schema.json): add fields if needed, never rename or remove one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.document.positions import LineIndex

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.rules.base import Fix, Violation

SCHEMA_VERSION = 1


def _edit_records(fix: Fix, index: LineIndex | None) -> list[dict[str, Any]]:
    records = []
    for edit in fix.edits:
        record: dict[str, Any] = {
            "start": edit.start,
            "end": edit.end,
            "replacement": edit.replacement,
        }
        if index is not None:
            start_line, start_column = index.position(edit.start)
            end_line, end_column = index.position(edit.end)
            record["location"] = {"line": start_line + 1, "column": start_column + 1}
            record["end_location"] = {"line": end_line + 1, "column": end_column + 1}
        records.append(record)
    return records


def page_index(context: RenderContext, path: str) -> LineIndex:
    """A line index of the page as the rules saw it: LF line endings and no BOM."""
    text = "\n".join(context.source_lines(path))
    return LineIndex(text.removeprefix("\ufeff"))


def violation_record(
    violation: Violation, context: RenderContext, index: LineIndex | None = None
) -> dict[str, Any]:
    fix = violation.fix
    return {
        "code": violation.code,
        "name": violation.name,
        "severity": str(violation.severity),
        "path": violation.path,
        "line": violation.line,
        "column": violation.column,
        "end_line": violation.end_line,
        "end_column": violation.end_column,
        "message": violation.message,
        "fixable": fix is not None,
        "fix": None
        if fix is None
        else {
            "title": fix.title,
            "applicability": fix.applicability.value,
            "edits": _edit_records(fix, index),
        },
        "url": context.rule_url(violation.code, violation.name),
    }


def records(report_violations: list[Violation], context: RenderContext) -> list[dict[str, Any]]:
    indexes: dict[str, LineIndex] = {}
    out = []
    for violation in report_violations:
        index = None
        if violation.fix is not None:
            index = indexes.get(violation.path)
            if index is None:
                index = indexes[violation.path] = page_index(context, violation.path)
        out.append(violation_record(violation, context, index))
    return out
