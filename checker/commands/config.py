"""`checker config [KEY]`: every config key, its type, default and meaning (as `ruff config`)."""

from __future__ import annotations

import argparse

from checker.errors import UsageError

HELP = "explain the config keys (all, or one such as `content-root` or `limits.max-nesting`)"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("config", help=HELP, description=HELP + ".")
    parser.add_argument("key", nargs="?", metavar="KEY", help="one key, e.g. per-file-ignores")
    parser.add_argument(
        "--output-format",
        choices=("text", "markdown"),
        default="text",
        help="markdown prints the reference kept in docs/config.md",
    )


def run(args: argparse.Namespace) -> int:
    from checker.project.configdocs import config_keys, config_markdown

    if args.output_format == "markdown":
        print(config_markdown(), end="")
        return 0
    keys = config_keys()
    if args.key is not None:
        keys = [key for key in keys if key.name == args.key]
        if not keys:
            names = ", ".join(key.name for key in config_keys())
            raise UsageError(f"no config key {args.key!r}; the keys are: {names}")
    for key in keys:
        print(f"{key.name} ({key.type}, default: {key.default})\n    {key.description}")
    return 0
