"""`checker check`: check pages and report what is wrong."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from checker import formatters
from checker.commands import adoption
from checker.document.text import plural
from checker.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

if TYPE_CHECKING:
    from checker.lint.engine import Engine
    from checker.lint.results import FixRequest, Report
    from checker.project.config import ConfigFinder
    from checker.project.targets import Target

HELP = "check pages (files or folders of *.md) and report violations"

DESCRIPTION = """\
Check Markdown pages against the rule pack's templates and report every violation as
`path:line:col: CODE [severity] message`.

PATHS are files and folders (default: the config's content root). Folders are searched for
the files the config's `include` names (*.md), leaving out what .gitignore, .ignore and the
config's `exclude` leave out. A Markdown file without front matter that no template claims
(a README) is not a page and is skipped. Use `-` to read one page from standard input, with
--stdin-filename to name it (its config and template are chosen as if it lived there).
"""

EXAMPLES = """\
examples:
  checker check content/
  checker check content/ --select DS,ST001 --output-format full
  checker check page.md --template drug-v1
  cat page.md | checker check - --stdin-filename content/a/aspirin.md
  checker check content/ --diff          (show what --fix would change)
  checker check content/ --fix           (apply safe fixes; --unsafe-fixes for the rest)

exit codes:
  0  no error-level finding (warnings may remain), or --exit-zero
  1  error-level findings; with --fix, a fix that was rejected or not written; with
     --diff, fixes to show
  2  a usage or config error, a path that does not exist, an internal error (IE001), or
     a worker process that could not be set up
"""


def _codes(value: str) -> tuple[str, ...]:
    # Codes, prefixes and rule names; case is settled when they are resolved.
    return tuple(code.strip() for code in value.split(",") if code.strip())


def _per_file(value: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    pattern, sep, codes = value.rpartition(":")
    if not sep or not pattern or not _codes(codes):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not GLOB:CODES; write e.g. 'legacy/*.md:DS,FT001'"
        )
    return ((pattern, _codes(codes)),)


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
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATHS",
        help="files or folders (default: the content root of the config found from here)",
    )
    rules = parser.add_argument_group("rule selection")
    # Each of these may be repeated and the values add up, as in Ruff.
    rules.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="comma-separated codes, prefixes or rule names to run, replacing the config's "
        "selection (its select and ignores)",
    )
    rules.add_argument(
        "--extend-select",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="codes, prefixes or names to run in addition",
    )
    rules.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="codes, prefixes or names to skip (a more specific select still wins)",
    )
    rules.add_argument(
        "--extend-ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="like --ignore, adding to it",
    )
    rules.add_argument(
        "--per-file-ignores",
        type=_per_file,
        action="extend",
        default=[],
        metavar="GLOB:CODES",
        help="skip CODES in pages matching GLOB (relative to the config's folder)",
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
    files = parser.add_argument_group("files")
    files.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        help="also check files that .gitignore and .ignore files leave out",
    )
    files.add_argument(
        "--show-files", action="store_true", help="list the files a run would check, and stop"
    )
    files.add_argument(
        "--show-settings",
        type=Path,
        metavar="PAGE",
        help="print the config, template and rules used for PAGE, and stop",
    )
    files.add_argument(
        "-w",
        "--watch",
        action="store_true",
        help="check again whenever a page, a config or the rule pack changes",
    )
    files.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say which Markdown files were skipped as not pages",
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


def _summary(
    report: Report, missing: list[str], fixing: FixRequest | None, args: argparse.Namespace
) -> str:
    """The lines after the findings: what the run found (and fixed), what `--fix` could fix,
    and where to read about a rule."""
    from checker.rules.base import Severity

    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = report.files_checked
    total = errors + warnings + infos
    counts = [plural(errors, "error"), plural(warnings, "warning")]
    if infos:
        counts.append(plural(infos, "info"))
    if fixing is not None:
        from checker.commands import fixmode

        mode = "--diff" if args.diff else "--fix-only" if args.fix_only else "--fix"
        lines = fixmode.summary(
            report,
            mode=mode,
            unsafe=fixing.unsafe,
            severities=", ".join(c for c in counts if not c.startswith("0 ")),
        )
    elif not total:
        lines = [f"All checks passed: {plural(files, 'file')} checked."]
        if missing:
            lines = [f"No violations in {plural(files, 'file')} checked."]
    else:
        lines = [
            f"Found {plural(total, 'violation')} in {report.files_with_findings} of "
            f"{plural(files, 'file')} checked: {', '.join(counts)}."
        ]
        safe = sum(1 for v in report.violations if v.fix is not None and v.fix.is_safe)
        unsafe = sum(1 for v in report.violations if v.fix is not None and not v.fix.is_safe)
        # The whole command, so that a refused commit says what to run.
        if safe:
            more = f" ({unsafe} more with `--unsafe-fixes`)" if unsafe else ""
            lines.append(f"[*] {safe} fixable with `checker check --fix`{more}.")
        elif unsafe:
            lines.append(f"[~] {unsafe} fixable with `checker check --fix --unsafe-fixes`.")
    if report.internal_errors:
        lines.append(f"{plural(report.internal_errors, 'internal error')}: a rule crashed (IE001).")
    if total:
        lines.append("Run `checker rule CODE` to learn about a rule.")
    if missing:
        verb = "was" if len(missing) == 1 else "were"
        lines.append(f"{plural(len(missing), 'path')} {verb} not found: {', '.join(missing)}.")
    return "\n".join(lines)


def _open_output(path: Path | None) -> TextIO | None:
    """The --output-file, opened before the run so that a path that cannot be written is a
    usage error at once, not a crash after every page was checked."""
    if path is None:
        return None
    try:
        return path.open("w", encoding="utf-8", newline="\n")
    except OSError as error:
        raise UsageError(
            f"--output-file {path}: cannot write it ({error.strerror or error}); choose a file "
            "in a folder that exists and that you may write to"
        ) from None


def _content_root(finder: ConfigFinder) -> str:
    """The folder a run with no PATHS checks: the content root of the config found from here."""
    config = finder.for_path(Path.cwd())
    root = config.content_root
    if not root.is_dir():
        raise UsageError(
            f"the content root {root} does not exist (content-root in {config.label}); "
            "create it, fix the setting, or name the files to check"
        )
    return display_root(root)


def display_root(root: Path) -> str:
    try:
        return str(root.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(root)


def _check_settings(engine: Engine, targets: list[Target], template: str | None) -> None:
    """Before any page is checked, for each config the pages use: a `content-root` that does
    not exist is a mistake in the config, and `--template` must name one of its pack's
    templates. Either is a usage error (exit 2)."""
    seen: set[int] = set()
    for target in targets:
        config = engine.config_for(target)
        if id(config) in seen:
            continue
        seen.add(id(config))
        if config.values.content_root is not None and not config.content_root.is_dir():
            raise UsageError(
                f"{config.label}: content-root: the folder {config.content_root} does not "
                "exist; create it or fix the setting"
            )
        if template:
            config.template(template, "--template")


def _note_without_config(engine: Engine, targets: list[Target]) -> None:
    """Without a config, site-wide rules compare only the pages of this run: say so."""
    for target in targets:
        config = engine.config_for(target)
        if config.path is None and engine.ruleset_for(config).has_site_rules:
            print(
                "checker: note: no checker.toml or [tool.checker] found, so site-wide rules "
                "(XP) compare only the files of this run; set content-root in a config to "
                "compare every page",
                file=sys.stderr,
            )
            return


def run(args: argparse.Namespace) -> int:
    if args.watch:
        return _watch(args)
    return _check_once(args)


# What a watched run reacts to: pages, configs, ignore files and the rule pack.
WATCHED_NAMES = frozenset({"checker.toml", "pyproject.toml", ".gitignore", ".ignore"})
WATCHED_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")


def _watched(change: object, path: str) -> bool:
    name = Path(path).name
    return name in WATCHED_NAMES or name.endswith(WATCHED_SUFFIXES)


def _watch(args: argparse.Namespace) -> int:
    """Check, then check again whenever a page, a config or the rule pack changes."""
    from checker.project.config import ConfigFinder

    if args.paths == ["-"] or args.show_files or args.show_settings or args.diff:
        raise UsageError(
            "--watch cannot be combined with `-`, --show-files, --show-settings or --diff"
        )
    # Imported only here: watching is the one feature that needs it.
    from watchfiles import watch

    finder = ConfigFinder(args.config)
    roots = [Path(p) for p in (args.paths or [_content_root(finder)])]
    config = finder.for_path(Path.cwd())
    if config.path is not None:
        roots.append(config.path.parent)
    missing = [str(root) for root in roots if not root.exists()]
    if missing:
        raise UsageError(f"cannot watch {', '.join(missing)}: no such file or folder")

    def once() -> None:
        try:
            _check_once(args)
        except UsageError as error:  # a broken config while editing it: say so, keep watching
            print(f"checker: error: {error}", file=sys.stderr)
        sys.stdout.flush()

    once()
    announce = True
    try:
        # An empty batch every 0.2 s tells that the watcher is running: only then is
        # "watching" printed, so a change made after it is never missed.
        for changes in watch(
            *roots, watch_filter=_watched, rust_timeout=200, yield_on_timeout=True
        ):
            if not changes:
                if announce:
                    print("checker: watching for changes; press Ctrl-C to stop", file=sys.stderr)
                    announce = False
                continue
            names = sorted({display_root(Path(path).resolve()) for _, path in changes})
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            print(f"\nchecker: changed: {shown}; checking again", file=sys.stderr)
            once()
            announce = True
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _check_once(args: argparse.Namespace) -> int:
    from checker.commands import fixmode
    from checker.lint.engine import Engine
    from checker.lint.resolver import Overrides
    from checker.lint.results import FixRequest
    from checker.project.config import ConfigFinder
    from checker.project.discovery import discover
    from checker.project.targets import Target

    finder = ConfigFinder(args.config)
    here = finder.for_path(Path.cwd())
    fmt = args.output_format or here.values.output_format or "auto"
    if fmt == "auto":
        fmt = formatters.auto_format()
    if fmt not in formatters.FORMATS:
        where = "--output-format" if args.output_format else f"{here.label}: output-format"
        raise UsageError(
            f"{where}: unknown output format {fmt!r}; choose one of: auto, "
            f"{', '.join(formatters.names())}"
        )
    overrides = Overrides(
        tuple(args.select) if args.select is not None else None,
        tuple(args.extend_select),
        tuple(args.ignore),
        args.template,
        tuple(args.extend_ignore),
        tuple(args.per_file_ignores),
    )
    context = formatters.RenderContext(docs_url=here.values.docs_url)
    paths = args.paths or [_content_root(finder)]
    missing: list[str] = []
    if paths == ["-"]:
        path, name, data = _stdin_target(args)
        targets = [Target(path if isinstance(path, Path) else None, name, data)]
        context.sources[name] = data.decode("utf-8", errors="replace")
    else:
        if "-" in paths:
            raise UsageError("`-` (standard input) cannot be combined with other paths")
        found = discover(paths, finder, respect_gitignore=args.respect_gitignore)
        if args.show_files:
            from checker.commands import settings

            settings.show_files(found, sys.stdout)
            return EXIT_USAGE if found.missing else EXIT_OK
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
        # Not resolved: a symlinked cache folder must be seen as one, and refused.
        cache_dir=args.cache_dir.absolute() if args.cache_dir else None,
        fixing=fixing,
    )
    if args.show_settings is not None:
        from checker.commands import settings

        if not args.show_settings.is_file():
            raise UsageError(
                f"{args.show_settings}: no such file; name a page to show settings for"
            )
        shown = Target(args.show_settings, args.show_settings.as_posix())
        _check_settings(engine, [shown], args.template)
        settings.show_settings(engine, args.show_settings, sys.stdout)
        return EXIT_OK
    _check_settings(engine, targets, args.template)
    if not args.quiet and sys.stderr.isatty() and len(targets) >= PROGRESS_FROM:
        engine.progress = _show_progress
    if args.unsafe_fixes and fixing is None:
        raise UsageError("--unsafe-fixes needs --fix, --fix-only or --diff")
    handle = _open_output(args.output_file)
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

    stream: TextIO = handle if handle is not None else sys.stdout
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
    if args.verbose:
        for display in report.not_pages:
            print(f"{display}: not a page, skipped", file=sys.stderr)
    if not args.quiet:
        for display in report.left_out:
            print(
                f"checker: note: {display} is left out of the site-wide rules: it could not be "
                "read or summarised in time; check it on its own to see why",
                file=sys.stderr,
            )
        _note_without_config(engine, targets)
        print(_summary(report, missing, fixing, args), file=sys.stderr)
    adoption.print_note(baseline_note, args.quiet)

    if report.internal_errors or missing:
        return EXIT_USAGE
    if fixing is not None and (fixmode.failed(report) or (args.diff and fixmode.changed(report))):
        return EXIT_FINDINGS
    if args.exit_zero:
        return EXIT_OK
    from checker.rules.base import Severity

    return EXIT_FINDINGS if report.count(Severity.ERROR) else EXIT_OK
