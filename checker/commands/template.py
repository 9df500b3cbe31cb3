"""`checker template NAME`: what a page under one template must look like, and a page that passes."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "show what a page under one template must hold, in order, and a minimal page that passes"

DESCRIPTION = """\
Show what a page under the template NAME must hold: its front-matter keys, the H1, the
sections in order and the form they are written in, the disclaimer and the closing note; then
a minimal page that passes `checker check`, to start new pages from.

The template comes from the rule pack of the config found from the current folder (or
--config); `checker templates` lists them.
"""

EPILOG = """\
examples:
  checker template drug-v2
  checker template drug-v2 --example > content/new-page.md
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", metavar="NAME", help="a template name, e.g. drug-v2")
    parser.add_argument(
        "--example", action="store_true", help="print only the minimal page, nothing else"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="the config to use (default: found from here)"
    )


def run(args: argparse.Namespace) -> int:
    from checker.project.config import ConfigFinder
    from checker.project.outline import example_page, outline
    from checker.project.targets import display_path

    config = ConfigFinder(args.config).for_path(Path.cwd() / "page.md")
    template = config.template(args.name, "")
    page = example_page(template)
    if args.example:
        print(page, end="")
        return 0
    pack = config.pack
    source = display_path(pack.sources.get(template.name, pack.root))
    if config.path is None:
        source += " (the bundled rule pack)"
    print(outline(template, source, template.name == pack.default))
    print(f"A minimal page (`checker template {template.name} --example` prints only this):")
    print()
    print(page, end="")
    return 0
