"""`checker check` options for adopting the checker on a site with a backlog of findings:
a baseline of accepted findings, and checking only the files a branch changed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checker.document.text import plural
from checker.errors import ConfigError, UsageError

# Imported by `checker check` to build its parser, so the engine is imported only when used.
if TYPE_CHECKING:
    from checker.lint import baseline as baselines
    from checker.lint.engine import Engine
    from checker.lint.results import Report
    from checker.project.targets import Target

# How many baseline entries no longer needed are listed one by one before a count stands in.
STALE_LISTED = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("adoption")
    group.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="hide the findings recorded in FILE and report only new ones "
        "(default: the config's `baseline`)",
    )
    group.add_argument(
        "--no-baseline",
        action="store_true",
        help="report every finding, ignoring the config's `baseline`",
    )
    group.add_argument(
        "--write-baseline",
        nargs="?",
        const=True,
        metavar="FILE",
        help="record the current findings in FILE (default: the config's `baseline`), "
        "pruning entries no longer needed; then report only what it does not hold",
    )
    group.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only the files changed since the git REF (from its merge base with HEAD), "
        "plus untracked files",
    )


def select_changed(args: argparse.Namespace, targets: list[Target]) -> list[Target]:
    """Keep the targets git reports as changed, when --changed-since asks for it."""
    if not args.changed_since:
        return targets
    from checker.project.changed import changed_since

    changed = changed_since(args.changed_since, Path.cwd())
    return [t for t in targets if t.path is None or t.path.resolve() in changed]


def _configured_baseline(engine: Engine, targets: Sequence[Target]) -> tuple[Path, str] | None:
    """The baseline the pages' configs name, and the config that names it."""
    chosen: dict[Path, str] = {}
    for config in {id(c): c for c in map(engine.config_for, targets)}.values():
        if config.values.baseline:
            chosen[(config.root / config.values.baseline).resolve()] = config.label
    if len(chosen) > 1:
        names = ", ".join(f"{path} (from {label})" for path, label in chosen.items())
        raise UsageError(
            f"the pages' configs name different baselines: {names}; check them in separate "
            "runs, or pass --baseline FILE"
        )
    return next(iter(chosen.items()), None)


def baseline_path(
    args: argparse.Namespace, engine: Engine, targets: Sequence[Target]
) -> tuple[Path, str | None] | None:
    """The baseline file of this run, and the config that names it (None: the command line)."""
    written = args.write_baseline
    if written is not None and written is not True:
        path = Path(written)
        if args.baseline is not None and args.baseline.resolve() != path.resolve():
            raise UsageError(
                "--baseline and --write-baseline name different files; --write-baseline FILE "
                "also uses FILE as the baseline, so give only that"
            )
        return path, None
    if args.baseline is not None:
        return Path(args.baseline), None
    configured = None if args.no_baseline else _configured_baseline(engine, targets)
    if written is True and configured is None:
        raise UsageError(
            "--write-baseline needs a FILE, or `baseline = FILE` in the config; "
            "for example: --write-baseline checker-baseline.json"
        )
    return configured


def scope_of(
    report: Report, engine: Engine, targets: Sequence[Target], baseline: baselines.Baseline
) -> baselines.Scope:
    """The rules that ran on each page checked, keyed as the baseline keys pages."""
    from checker.lint.baseline import Scope
    from checker.lint.reporting import Reporting
    from checker.lint.results import INTERNAL_ERROR_CODE
    from checker.project.targets import relative_to

    scope = Scope()
    for target, result in zip(targets, report.results, strict=True):
        if any(v.code == INTERNAL_ERROR_CODE for v in result.violations):
            continue  # a rule crashed here, so its findings are unknown: keep their entries
        config = engine.config_for(target)
        ruleset = engine.ruleset_for(config)
        relpath = relative_to(target.path, config.root) if target.path else target.display
        template = config.template(result.template, "") if result.template else None
        codes = Reporting(ruleset).codes_for(relpath, template)
        scope.active_codes[baseline.key_for(result.display)] = codes
    return scope


@dataclass
class BaselineNote:
    """What the baseline did in a run, for the lines printed after the summary."""

    path: Path
    hidden: int = 0
    stale: list[baselines.Entry] = field(default_factory=list)
    written: int | None = None
    pruned: int = 0

    def lines(self) -> list[str]:
        from checker.project.targets import display_path

        shown = display_path(self.path)
        out = []
        if self.written is not None:
            out.append(
                f"checker: wrote {plural(self.written, 'finding')} to the baseline {shown}"
                + (f"; pruned {self.pruned} no longer needed." if self.pruned else ".")
            )
        elif self.hidden:
            out.append(f"checker: {plural(self.hidden, 'finding')} hidden by the baseline {shown}.")
        if self.stale:
            out.append(
                f"checker: {len(self.stale)} baseline entr{'y' if len(self.stale) == 1 else 'ies'} "
                f"no longer needed (the findings are gone); `--write-baseline {shown}` "
                "prunes them:"
            )
            out.extend(f"  {entry.describe()}" for entry in self.stale[:STALE_LISTED])
            if len(self.stale) > STALE_LISTED:
                out.append(f"  … and {len(self.stale) - STALE_LISTED} more")
        return out


def apply_baseline(
    args: argparse.Namespace,
    engine: Engine,
    targets: Sequence[Target],
    report: Report,
    lines_for: baselines.LinesFor,
) -> tuple[Report, BaselineNote | None]:
    """Write and/or apply the baseline the arguments and config ask for."""
    from checker.lint import baseline as baselines

    chosen = baseline_path(args, engine, targets)
    if chosen is None:
        return report, None
    path, config = chosen
    writing = args.write_baseline is not None
    try:
        current = baselines.load(path, missing_ok=writing)
    except UsageError as error:
        if config is None:
            raise
        raise ConfigError(config, "baseline", str(error)) from None
    scope = scope_of(report, engine, targets, current)
    note = BaselineNote(path)
    if writing:
        current, note.pruned = baselines.rewrite(report, current, scope, lines_for)
        baselines.save(current)
        note.written = len(current.entries)
    outcome = baselines.apply(report, current, scope, lines_for)
    note.hidden, note.stale = outcome.hidden, outcome.stale
    return outcome.report, note


def print_note(note: BaselineNote | None, quiet: bool) -> None:
    if note is None or quiet:
        return
    for line in note.lines():
        print(line, file=sys.stderr)
