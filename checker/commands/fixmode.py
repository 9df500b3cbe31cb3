"""`checker check --fix / --diff`: fix pages, write them back safely or show the diff."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from checker.fixing.fixer import FixOutcome, fix_target, wanted
from checker.fixing.writer import StaleFileError, write_atomic
from checker.lint.engine import Engine, Report, Target


def requested(args: argparse.Namespace) -> bool:
    return bool(args.fix or args.diff or args.fix_only)


@dataclass
class FixRun:
    """The outcome of fixing every target: what changed, and what went wrong."""

    outcomes: list[FixOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: int = 0

    @property
    def fixed(self) -> int:
        return sum(outcome.fixed for outcome in self.outcomes)

    @property
    def changed(self) -> list[FixOutcome]:
        return [outcome for outcome in self.outcomes if outcome.changed]

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def report(self) -> Report:
        return Report([outcome.result for outcome in self.outcomes])

    def fixable_left(self, unsafe: bool) -> tuple[int, int]:
        """(violations --fix would still fix, more that --unsafe-fixes would)."""
        safe = more = 0
        for outcome in self.outcomes:
            if outcome.skipped:
                continue
            for violation in outcome.result.violations:
                if wanted(violation, unsafe):
                    safe += 1
                elif wanted(violation, True):
                    more += 1
        return safe, more


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def unified_diff(outcome: FixOutcome) -> str:
    before = outcome.original.decode("utf-8", errors="replace")
    after = outcome.text
    name = outcome.display
    lines = difflib.unified_diff(
        _lines(before), _lines(after), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    if not text:
        # Only the line endings changed, which a line diff cannot show.
        text = f"--- a/{name}\n+++ b/{name}\n# line endings changed\n"
    return text


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)


def run_fixes(
    args: argparse.Namespace, engine: Engine, targets: Sequence[Target], stream: TextIO
) -> FixRun:
    """Fix every target; write the changed pages (or, with --diff, print their diffs)."""
    run = FixRun()
    for target in targets:
        outcome = fix_target(engine, target, unsafe=args.unsafe_fixes)
        run.outcomes.append(outcome)
        for rejected in outcome.rejected:
            violation = rejected.violation
            run.problems.append(
                f"{violation.path}:{violation.line}:{violation.column}: {violation.code} "
                f"fix rejected: {rejected.reason}; fix it by hand"
            )
        if not outcome.converged:
            run.problems.append(
                f"{outcome.display}:1:1: fixes did not settle after repeated passes; "
                "the last result is kept; report the page"
            )
        if not outcome.changed:
            continue
        if args.diff:
            stream.write(unified_diff(outcome))
        elif target.data is not None or target.path is None:
            # A page read from standard input goes back to standard output, never to a file.
            stream.write(outcome.text)
        else:
            _write(outcome, target.path, engine, target, run)
    if target_is_stdin(targets) and not args.diff and not run.changed:
        stream.write(run.outcomes[0].original.decode("utf-8", errors="replace"))
    return run


def target_is_stdin(targets: Sequence[Target]) -> bool:
    return len(targets) == 1 and targets[0].data is not None


def _write(outcome: FixOutcome, path: Path, engine: Engine, target: Target, run: FixRun) -> None:
    root = engine.config_for(target).content_root
    if not inside(path, root):
        run.problems.append(
            f"{outcome.display}:1:1: not written: the file lies outside the content root {root}; "
            "set `content-root` in the config or run from the site's folder"
        )
        return
    try:
        write_atomic(path, outcome.final, expected=outcome.original)
    except (OSError, StaleFileError) as error:
        run.problems.append(f"{outcome.display}:1:1: not written: {error}")
        return
    run.written += 1


def summary(run: FixRun, args: argparse.Namespace) -> str:
    remaining = len(run.report().violations)
    changed = len(run.changed)
    verb = "Would fix" if args.diff else "Fixed"
    text = f"{verb} {run.fixed} violation(s) in {changed} file(s); {remaining} remain"
    safe, more = run.fixable_left(args.unsafe_fixes)
    if safe:
        text += f" ({safe} could not be fixed automatically this run)"
    if more and not args.unsafe_fixes:
        text += f"; {more} more can be fixed with --unsafe-fixes"
    skipped = sum(1 for outcome in run.outcomes if outcome.skipped)
    if skipped:
        text += f"; {skipped} file(s) left untouched (IO001 or FM002)"
    return text + "."


def print_problems(run: FixRun) -> None:
    for problem in run.problems:
        print(f"checker: {problem}", file=sys.stderr)
