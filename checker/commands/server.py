"""`checker server`: a language server over stdio, for diagnostics and quick fixes in editors."""

from __future__ import annotations

import argparse

from checker.errors import UsageError

HELP = "run the language server (LSP over stdio) for editors"

DESCRIPTION = """\
Run a Language Server Protocol server on standard input and output. Editors start it and
get diagnostics for Markdown pages as they are opened, edited and saved, with a link to each
rule's documentation, and quick fixes for findings that have a fix. Each page is checked with
the config and rule pack found from its own folder, as `checker check` finds them.

Part of the base install (pip install medpage-checker); docs/editors.md shows how to set up
VS Code, Neovim and Helix.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "server",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--stdio", action="store_true", help="talk over stdio (the default and only transport)"
    )
    parser.add_argument(
        "--debounce",
        type=float,
        default=0.3,
        metavar="SECONDS",
        help="wait this long after the last edit before checking again (default: 0.3)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        from checker.lsp.server import serve
    except ImportError as error:
        raise UsageError(
            f"the language server needs pygls, which this installation lacks ({error}); "
            "reinstall the checker with `pip install --force-reinstall medpage-checker`"
        ) from None
    if args.debounce < 0:
        raise UsageError("--debounce must be zero or more seconds")
    serve(args.debounce)
    return 0
