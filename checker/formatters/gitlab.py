"""A GitLab Code Quality report: a JSON array of issues with stable fingerprints.

GitLab compares the fingerprints of the merge request's report with the target branch's to
show which findings are new, so a fingerprint must not change when unrelated lines move.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from checker.formatters.fingerprints import fingerprints
from checker.rules.base import Severity

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, context: RenderContext) -> str:
    violations = report.violations
    issues: list[dict[str, Any]] = [
        {
            "type": "issue",
            "check_name": violation.code,
            "description": f"{violation.code} {violation.message}",
            "content": {
                "body": f"[{violation.code} {violation.name}]"
                f"({context.rule_url(violation.code, violation.name)})"
            },
            "categories": ["Style"],
            "severity": SEVERITIES[violation.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": violation.path,
                "lines": {"begin": violation.line, "end": violation.end_line},
            },
        }
        for violation, fingerprint in zip(violations, fingerprints(violations), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
