"""A JSON array with one object per violation (schema: docs/output-formats.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from checker.formatters.records import records

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report


def render(report: Report, context: RenderContext) -> str:
    return json.dumps(records(report.violations, context), indent=2, ensure_ascii=False) + "\n"
