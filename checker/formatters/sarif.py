"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers, with rule metadata.

SARIF regions are 1-based with an exclusive end column; the checker's end columns are inclusive.
"""

from __future__ import annotations

import inspect
import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from checker import __version__
from checker.formatters.fingerprints import fingerprints
from checker.formatters.records import page_index
from checker.rules.base import Severity
from checker.rules.registry import BUILTIN_RULES

if TYPE_CHECKING:
    from checker.document.positions import LineIndex
    from checker.formatters import RenderContext
    from checker.lint.results import Report
    from checker.rules.base import Fix, Rule, Violation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(posix.as_posix())
    return quote(posix.as_posix())


def _known_rules() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in BUILTIN_RULES}


def rule_descriptor(code: str, name: str, context: RenderContext) -> dict[str, Any]:
    rule = _known_rules().get(code)
    descriptor: dict[str, Any] = {"id": code, "name": name}
    url = context.rule_url(code, name)
    if "://" in url:
        descriptor["helpUri"] = url
    if rule is None:
        return descriptor
    docs = inspect.cleandoc(rule.__doc__ or "")
    descriptor.update(
        {
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": docs or rule.summary},
            "help": {"text": docs or rule.summary, "markdown": docs or rule.summary},
            "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
            "properties": {"fix": rule.fix.value, "scope": rule.scope},
        }
    )
    return descriptor


def _region(index: LineIndex, start: int, end: int) -> dict[str, int]:
    start_line, start_column = index.position(start)
    end_line, end_column = index.position(end)
    return {
        "startLine": start_line + 1,
        "startColumn": start_column + 1,
        "endLine": end_line + 1,
        "endColumn": end_column + 1,
    }


def _fix(fix: Fix, uri: str, index: LineIndex) -> dict[str, Any]:
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [
                    {
                        "deletedRegion": _region(index, edit.start, edit.end),
                        "insertedContent": {"text": edit.replacement},
                    }
                    for edit in fix.edits
                ],
            }
        ],
    }


def _result(
    violation: Violation, rule_index: int, fingerprint: str, context: RenderContext
) -> dict[str, Any]:
    uri = artifact_uri(violation.path)
    result: dict[str, Any] = {
        "ruleId": violation.code,
        "ruleIndex": rule_index,
        "level": LEVELS[violation.severity],
        "message": {"text": violation.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {
                        "startLine": violation.line,
                        "startColumn": violation.column,
                        "endLine": violation.end_line,
                        "endColumn": violation.end_column + 1,
                    },
                }
            }
        ],
        "partialFingerprints": {"checkerFingerprint/v1": fingerprint},
    }
    if violation.fix is not None:
        result["fixes"] = [_fix(violation.fix, uri, page_index(context, violation.path))]
    return result


def render(report: Report, context: RenderContext) -> str:
    violations = report.violations
    rules: list[dict[str, Any]] = []
    rule_indexes: dict[str, int] = {}
    results = []
    for violation, fingerprint in zip(violations, fingerprints(violations), strict=True):
        if violation.code not in rule_indexes:
            rule_indexes[violation.code] = len(rules)
            rules.append(rule_descriptor(violation.code, violation.name, context))
        results.append(_result(violation, rule_indexes[violation.code], fingerprint, context))
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "checker",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
