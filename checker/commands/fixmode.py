"""What `checker check --fix / --diff / --fix-only` prints about the fixes of a run."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO

from checker.document.text import plural
from checker.lint.results import Report


def write_outputs(report: Report, stream: TextIO) -> None:
    """Each changed page's diff (--diff) or fixed text (standard input), in page order."""
    for fix in report.fixes:
        if fix.output is not None:
            stream.write(fix.output)


def print_problems(report: Report) -> None:
    for fix in report.fixes:
        for problem in fix.problems:
            print(f"checker: {problem}", file=sys.stderr)


def failed(report: Report) -> bool:
    return any(fix.problems for fix in report.fixes)


def changed(report: Report) -> int:
    return sum(1 for fix in report.fixes if fix.changed)


def _fixable_left(report: Report, unsafe: bool) -> tuple[int, int]:
    """(violations --fix would still fix, more that --unsafe-fixes would)."""
    # Imported here: a check that fixes nothing loads this module, not the fixer.
    from checker.fixing.fixer import wanted

    safe = more = 0
    for result in report.results:
        if result.fix is None or result.fix.skipped:
            continue
        for violation in result.violations:
            if wanted(violation, unsafe):
                safe += 1
            elif wanted(violation, True):
                more += 1
    return safe, more


def _codes(report: Report, listed: int = 5) -> str:
    """The codes of what remains, most frequent first: `ST001 x5, DS001, XP001`."""
    counts = Counter(violation.code for violation in report.violations)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = [code if count == 1 else f"{code} x{count}" for code, count in ranked[:listed]]
    return ", ".join(shown) + (", …" if len(ranked) > listed else "")


def summary(report: Report, *, mode: str, unsafe: bool, severities: str) -> list[str]:
    """What a fix run found, fixed and left, in one sentence (as Ruff's "Found N errors (M fixed,
    K remaining)"), then at most one hint about what more a fix could do.

    `mode` is the option of the run (`--fix`, `--fix-only` or `--diff`); `severities` says
    what remains by severity, and the codes stand in for it where the findings are not shown
    (`--fix-only`, `--diff`).
    """
    fixed = sum(fix.fixed for fix in report.fixes)
    remaining = len(report.violations)
    files = plural(report.files_checked, "file")
    if not fixed and not remaining:
        return [f"All checks passed: {files} checked."]
    left = severities if mode == "--fix" else _codes(report)
    found = f"{plural(fixed + remaining, 'violation')}"
    changing = f"{plural(changed(report), 'file')}"
    if mode == "--diff":
        line = f"Would fix {fixed} of {found} in {files} checked, changing {changing}"
        line += f"; {remaining} would remain: {left}." if remaining else "."
    else:
        remains = f"{remaining} remaining: {left}" if remaining else "0 remaining"
        done = f"{fixed} fixed in {changing}" if fixed else "0 fixed"
        line = f"Found {found} in {files} checked ({done}, {remains})."
    lines = [line]
    safe, more = _fixable_left(report, unsafe)
    if safe:
        lines.append(f"[*] {safe} with a safe fix could not be fixed automatically this run.")
    if more and not unsafe:
        lines.append(f"[~] {more} more fixable with `checker check {mode} --unsafe-fixes`.")
    skipped = sum(1 for fix in report.fixes if fix.skipped)
    if skipped:
        lines.append(
            f"{plural(skipped, 'file')} left untouched: unreadable, or broken YAML (IO001, FM002)."
        )
    return lines
