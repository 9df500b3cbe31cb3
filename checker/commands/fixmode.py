"""What `checker check --fix / --diff / --fix-only` prints about the fixes of a run."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO

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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"


def summary(report: Report, *, diff: bool, unsafe: bool) -> str:
    fixes = report.fixes
    fixed = sum(fix.fixed for fix in fixes)
    remaining = len(report.violations)
    verb = "Would fix" if diff else "Fixed"
    text = f"{verb} {_plural(fixed, 'violation')} in {_plural(changed(report), 'file')}; "
    text += f"{remaining} {'remains' if remaining == 1 else 'remain'}"
    if remaining:
        text += f" ({_codes(report)})"
    safe, more = _fixable_left(report, unsafe)
    if safe:
        text += f" ({safe} could not be fixed automatically this run)"
    if more and not unsafe:
        text += f"; {more} more fixable with `--unsafe-fixes`"
    skipped = sum(1 for fix in fixes if fix.skipped)
    if skipped:
        text += f"; {_plural(skipped, 'file')} left untouched (IO001 or FM002)"
    return text + "."
