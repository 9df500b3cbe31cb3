"""The `checker` command: arguments -> config -> engine -> formatter -> exit code."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from checker import __version__
from checker.errors import EXIT_OK, EXIT_USAGE, UsageError

# Subcommand name -> module with `add_parser(subparsers)` and `run(args) -> int`.
COMMANDS = {
    "check": "checker.commands.check",
    "rules": "checker.commands.rules",
    "rule": "checker.commands.rule",
    "schema": "checker.commands.schema",
    "server": "checker.commands.server",
    "clean": "checker.commands.clean",
    "templates": "checker.commands.templates",
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checker",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(COMMANDS[args.command])
    try:
        code: int = module.run(args)
    except UsageError as error:
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
