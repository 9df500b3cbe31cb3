"""`checker check`: check pages and report what is wrong."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from checker import formatters
from checker.commands import adoption
from checker.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

HELP = "check pages (files or folders of *.md) and report violations"

DESCRIPTION = """\
Check Markdown pages against the rule pack's templates and report every violation as
`path:line:col: CODE [severity] message`.

PATHS are files and folders; folders are searched for *.md. Use `-` to read one page from
standard input, with --stdin-filename to name it (its config and template are chosen as
if it lived there).
"""

EXAMPLES = """\
examples:
  checker check content/
  checker check content/ --select DS,ST001 --output-format full
  checker check page.md --template drug-v1
  cat page.md | checker check - --stdin-filename content/a/aspirin.md
  checker check content/ --diff          (show what --fix would change)
  checker check content/ --fix           (apply safe fixes; --unsafe-fixes for the rest)
"""


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes; use 1 or more")
    return jobs


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help=HELP,
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATHS", help="files or folders (default: .)")
    rules = parser.add_argument_group("rule selection")
    rules.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="comma-separated codes or prefixes to run, replacing the config's",
    )
    rules.add_argument(
        "--extend-select",
        type=_codes,
        default=(),
        metavar="CODES",
        help="codes or prefixes to run in addition",
    )
    rules.add_argument(
        "--ignore", type=_codes, default=(), metavar="CODES", help="codes or prefixes to skip"
    )
    rules.add_argument(
        "--template", metavar="NAME", help="check every page against this template (e.g. drug-v1)"
    )
    rules.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="use this checker.toml or pyproject.toml instead of searching upward",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-format",
        default=None,
        metavar="FORMAT",
        help=f"one of: auto, {', '.join(formatters.names())} (default: auto, "
        "which is github under GitHub Actions and concise elsewhere)",
    )
    output.add_argument(
        "--output-file",
        type=Path,
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of violations per rule instead of each one",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (auto: only on a terminal; NO_COLOR disables)",
    )
    output.add_argument("-q", "--quiet", action="store_true", help="print no summary line")
    output.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are error-level violations"
    )
    speed = parser.add_argument_group("speed")
    speed.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="check pages in N processes (default: one per core; a few pages use one)",
    )
    speed.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the result cache in DIR (default: .checker_cache at the project root)",
    )
    speed.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the result cache",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path to report for, and configure, a page read from `-`",
    )
    adoption.add_arguments(parser)
    _add_fix_arguments(parser)


def _add_fix_arguments(parser: argparse.ArgumentParser) -> None:
    fixing = parser.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes and write pages back")
    fixing.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, --fix-only or --diff, apply unsafe fixes too (they change what pages say)",
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff and write nothing"
    )
    fixing.add_argument(
        "--fix-only",
        action="store_true",
        help="apply fixes like --fix, without reporting the violations that remain",
    )


# Runs over this many pages show a progress line on a terminal (never in logs or pipes).
PROGRESS_FROM = 200


def _show_progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    sys.stderr.write(f"\rchecked {done}/{total} pages{end}")
    sys.stderr.flush()


def use_color(choice: str, stream: TextIO) -> bool:
    if "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "":
        return False
    if choice != "auto":
        return choice == "always"
    return stream.isatty()


def _stdin_target(args: argparse.Namespace) -> tuple[object, str, bytes]:
    name = args.stdin_filename or "-"
    return (Path(name) if args.stdin_filename else None), name, sys.stdin.buffer.read()


def _print_statistics(report: object, stream: TextIO) -> None:
    from checker.lint.results import Report

    assert isinstance(report, Report)
    counts = Counter((v.code, v.name) for v in report.violations)
    total = sum(counts.values())
    # The share shows which rules make the noise: a site habit (FT003's blank lines) is one
    # `ignore = ["FT003"]` line away.
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        stream.write(f"{count:>7}  {count / total:>6.1%}  {code}  {name}\n")


def _summary(report: object, missing: list[str]) -> str:
    from checker.lint.results import Report
    from checker.rules.base import Severity

    assert isinstance(report, Report)
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = report.files_checked
    noun = "file" if files == 1 else "files"
    if not (errors or warnings or infos):
        text = f"All checks passed: {files} {noun} checked."
    else:
        text = (
            f"Found {errors + warnings + infos} violation(s) in {files} {noun}: "
            f"{errors} error(s), {warnings} warning(s), {infos} info."
        )
        if report.internal_errors:
            text += f" {report.internal_errors} internal error(s): a rule crashed (IE001)."
        text += " Run `checker rule CODE` to learn about a rule."
    if missing:
        text += f" {len(missing)} path(s) not found."
    return text


def run(args: argparse.Namespace) -> int:
    from checker.commands import fixmode
    from checker.lint.engine import Engine
    from checker.lint.resolver import Overrides
    from checker.lint.results import FixRequest
    from checker.project.config import ConfigFinder
    from checker.project.discovery import discover
    from checker.project.targets import Target

    fmt = args.output_format or "auto"
    if fmt == "auto":
        fmt = formatters.auto_format()
    if fmt not in formatters.FORMATS:
        raise UsageError(
            f"unknown output format {fmt!r}; choose one of: auto, {', '.join(formatters.names())}"
        )
    overrides = Overrides(args.select, args.extend_select, args.ignore, args.template)
    finder = ConfigFinder(args.config)
    context = formatters.RenderContext()
    paths = args.paths or ["."]
    missing: list[str] = []
    if paths == ["-"]:
        path, name, data = _stdin_target(args)
        targets = [Target(path if isinstance(path, Path) else None, name, data)]
        context.sources[name] = data.decode("utf-8", errors="replace")
    else:
        if "-" in paths:
            raise UsageError("`-` (standard input) cannot be combined with other paths")
        found = discover(paths, finder)
        targets, missing = adoption.select_changed(args, found.targets), found.missing
        for path in missing:
            print(f"checker: error: {path}: no such file or folder", file=sys.stderr)
    from checker.lint.pool import default_jobs

    fixing = None
    if args.fix or args.diff or args.fix_only:
        fixing = FixRequest(unsafe=args.unsafe_fixes, write=not args.diff, diff=args.diff)
    engine = Engine(
        overrides,
        finder,
        jobs=args.jobs or default_jobs(),
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir.resolve() if args.cache_dir else None,
        fixing=fixing,
    )
    if not args.quiet and sys.stderr.isatty() and len(targets) >= PROGRESS_FROM:
        engine.progress = _show_progress
    if args.unsafe_fixes and fixing is None:
        raise UsageError("--unsafe-fixes needs --fix, --fix-only or --diff")
    report = engine.check(targets)
    if fixing is not None:
        fixmode.write_outputs(report, sys.stdout)
        if paths == ["-"] and not args.diff and not fixmode.changed(report):
            # A page read from standard input goes back to standard output, fixed or not.
            sys.stdout.write(data.decode("utf-8", errors="replace"))
    report, baseline_note = adoption.apply_baseline(
        args, engine, targets, report, context.source_lines
    )
    show_report = fixing is None or not (args.fix_only or args.diff or paths == ["-"])

    stream: TextIO = sys.stdout
    handle = None
    if args.output_file is not None:
        handle = args.output_file.open("w", encoding="utf-8", newline="\n")
        stream = handle
    try:
        context.color = handle is None and use_color(args.color, sys.stdout)
        if not show_report:
            pass
        elif args.statistics:
            _print_statistics(report, stream)
        else:
            stream.write(formatters.get(fmt)(report, context))
    finally:
        if handle is not None:
            handle.close()
    if fixing is not None:
        fixmode.print_problems(report)
    if not args.quiet:
        print(_summary(report, missing), file=sys.stderr)
        if fixing is not None:
            print(
                fixmode.summary(report, diff=args.diff, unsafe=args.unsafe_fixes), file=sys.stderr
            )
    adoption.print_note(baseline_note, args.quiet)

    if report.internal_errors or missing:
        return EXIT_USAGE
    if fixing is not None and (fixmode.failed(report) or (args.diff and fixmode.changed(report))):
        return EXIT_FINDINGS
    if args.exit_zero:
        return EXIT_OK
    from checker.rules.base import Severity

    return EXIT_FINDINGS if report.count(Severity.ERROR) else EXIT_OK
