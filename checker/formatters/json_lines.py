"""The `json` format's objects, one per line, for streaming and `jq -c` style tooling."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from checker.formatters.records import records

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report


def render(report: Report, context: RenderContext) -> str:
    return "".join(
        json.dumps(record, ensure_ascii=False) + "\n"
        for record in records(report.violations, context)
    )
