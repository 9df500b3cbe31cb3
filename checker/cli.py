"""The `checker` command: arguments -> config -> engine -> formatter -> exit code."""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from collections.abc import Sequence

from checker import __version__
from checker.errors import EXIT_OK, EXIT_USAGE, InternalError, UsageError

# Subcommand name -> module with `add_parser(subparsers)` and `run(args) -> int`.
COMMANDS = {
    "check": "checker.commands.check",
    "rules": "checker.commands.rules",
    "rule": "checker.commands.rule",
    "schema": "checker.commands.schema",
    "config": "checker.commands.config",
    "server": "checker.commands.server",
    "clean": "checker.commands.clean",
    "completion": "checker.commands.completion",
    "templates": "checker.commands.templates",
    "template": "checker.commands.template",
    "init": "checker.commands.init",
}

DESCRIPTION = """\
Lint and validate Markdown content pages with YAML front matter: the front-matter schema,
required sections and their order, the medical disclaimer, and formatting.

Start with `checker check content/`. Run `checker rules` to list every rule and
`checker rule CODE` to read what one checks and why.
"""

EPILOG = """\
exit codes:
  0  no error-level findings
  1  error-level findings
  2  usage, configuration or internal error
"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` just that subcommand: each command's module is
    imported to describe its options, and a run needs only its own."""
    parser = argparse.ArgumentParser(
        prog="checker",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module_name).add_parser(subparsers)
    return parser


def _replace_unencodable() -> None:
    # A console or pipe in a legacy encoding must not turn a non-ASCII message into a crash.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def subcommand_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    return parser


def unknown_options(command: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """The options in `argv` that `command` does not know. argparse reports a missing
    positional before them (`schema --bogus`: "required: TEMPLATE"), so they are looked for
    with the positionals made optional for the moment."""
    positionals = [a for a in command._actions if not a.option_strings and a.required]
    for action in positionals:
        action.required = False
    try:
        _, unknown = command.parse_known_args(argv)
    finally:
        for action in positionals:
            action.required = True
    return [arg for arg in unknown if arg.startswith("-") and arg != "-"]


def main(argv: Sequence[str] | None = None) -> int:
    _replace_unencodable()
    argv = list(sys.argv[1:] if argv is None else argv)
    # `checker --help` and `checker completion` show every command; any other run names its own.
    named = argv[0] if argv and argv[0] in COMMANDS and argv[0] != "completion" else None
    parser = build_parser(named)
    if named is not None:
        command_parser = subcommand_parser(parser, named)
        strays = unknown_options(command_parser, argv[1:])
        if strays:
            command_parser.error(f"unrecognized arguments: {' '.join(strays)}")
    args, unknown = parser.parse_known_args(argv)
    if args.command is None:
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if unknown:
        # Paths after options (`checker check a.md --fix b.md`), as Ruff takes them: parse the
        # command's arguments again, intermixed. An unknown flag is reported with the
        # subcommand's usage, not the top-level one.
        command = args.command
        rest = argv[argv.index(command) + 1 :]
        args = subcommand_parser(parser, command).parse_intermixed_args(rest)
        args.command = command
    # `checker completion` describes every command's options from the parser itself.
    args.root_parser = parser
    module = importlib.import_module(COMMANDS[args.command])
    try:
        code: int = module.run(args)
    except (UsageError, InternalError) as error:
        print(f"checker: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("checker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    raise SystemExit(main())
