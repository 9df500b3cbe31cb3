"""GitHub Actions workflow commands, which GitHub shows as annotations on the pull request.

`::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=checker (CODE)::message`, with
`warning` or `notice` for the other severities. Escaping follows the runner's rules: `%`, CR and
LF everywhere, and `:` and `,` in property values as well.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from checker.rules.base import Severity

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report
    from checker.rules.base import Violation

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# GitHub shows at most this many annotations of each kind (error, warning, notice) per step.
ANNOTATIONS_PER_STEP = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command_for(violation: Violation) -> str:
    properties = [("file", violation.path), ("line", str(violation.line))]
    single_line = violation.end_line == violation.line
    if single_line:
        properties.append(("col", str(violation.column)))
    properties.append(("endLine", str(violation.end_line)))
    if single_line:
        properties.append(("endColumn", str(violation.end_column)))
    properties.append(("title", f"checker ({violation.code})"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[violation.severity]} {joined}::{escape_data(violation.message)}"


def summary(counts: Counter[str]) -> str | None:
    """A plain log line when GitHub will not show every annotation, or None."""
    over = {kind: count for kind, count in counts.items() if count > ANNOTATIONS_PER_STEP}
    if not over:
        return None
    parts = ", ".join(f"{counts[kind]} {kind}" for kind in COMMANDS.values() if counts[kind])
    return (
        f"checker: {sum(counts.values())} annotations ({parts}); GitHub shows only the first "
        f"{ANNOTATIONS_PER_STEP} of each kind per step. Every finding is listed above in this "
        "log; to see them all in code scanning, write the SARIF report (the action's "
        "`sarif-file` input, or `--output-format sarif`) and upload it with "
        "github/codeql-action/upload-sarif."
    )


def render(report: Report, context: RenderContext) -> str:
    lines = []
    counts: Counter[str] = Counter()
    for violation in report.violations:
        lines.append(command_for(violation))
        counts[COMMANDS[violation.severity]] += 1
    note = summary(counts)
    if note is not None:
        lines.append(note)
    return "".join(line + "\n" for line in lines)
