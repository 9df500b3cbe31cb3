"""`checker templates`: the effective pack's templates, where each comes from, and its pages."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from checker.document.text import plural

HELP = "list the rule pack's templates, the file of each, and how many pages each applies to"

DESCRIPTION = """\
List the templates of the effective rule pack (the project's own pack, or the one shipped with
the checker), the file each is read from, and how many of the pages under PATHS (default: the
content root) each applies to. `checker template NAME` shows what a page under one must hold.

--reference prints the reference of every key a pack file may hold (docs/templates.md) and
--pack-schema the JSON Schema of pack files (docs/pack.schema.json), for editors.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "templates",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATHS",
        help="pages or folders to count (default: content root)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="the config to use (default: found from here)"
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--reference", action="store_true", help="print the pack reference (Markdown)"
    )
    shown.add_argument(
        "--pack-schema", action="store_true", help="print the JSON Schema of pack files"
    )


def run(args: argparse.Namespace) -> int:
    from checker.lint.pagecheck import choose_template, read_page
    from checker.project.config import ConfigFinder
    from checker.project.discovery import discover
    from checker.project.packdoc import pack_schema_text, template_reference
    from checker.project.targets import display_path

    if args.reference:
        print(template_reference(), end="")
        return 0
    if args.pack_schema:
        print(pack_schema_text(), end="")
        return 0
    finder = ConfigFinder(args.config)
    first = Path(args.paths[0]) if args.paths else Path.cwd()
    config = finder.for_path(first if first.exists() else Path.cwd())
    pack = config.pack
    paths = args.paths or [str(config.content_root)]
    found = discover(paths, finder)
    counts: Counter[str] = Counter()
    for target in found.targets:
        page_config = finder.for_path(target.path) if target.path is not None else config
        if page_config.pack is not pack:
            counts["(another pack)"] += 1
            continue
        counts[choose_template(read_page(target, page_config), page_config, None).name] += 1
    used = display_path(config.path) if config.path else config.label
    print(f"pack: {display_path(pack.root)}  (config: {used})")
    width = max(len(name) for name in pack.by_name)
    for template in pack.templates:
        source = pack.sources.get(template.name, pack.root)
        default = "  (default)" if template.name == pack.default else ""
        pages = plural(counts[template.name], "page", "{:>6}".format)
        print(f"  {template.name:<{width}}  {pages:<12}  {display_path(source)}{default}")
    if counts["(another pack)"]:
        print(f"  {plural(counts['(another pack)'], 'page')} use another config's pack")
    for missing in found.missing:
        print(f"checker: {missing}: no such file or folder", file=sys.stderr)
    shown = ", ".join(display_path(Path(path)) for path in paths)
    print(f"{plural(len(found.targets), 'page')} under {shown}")
    print("Run `checker template NAME` to see what a page under one must hold, and an example.")
    return 2 if found.missing else 0
