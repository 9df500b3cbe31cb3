"""`checker init`: learn a site's template from its pages and write a config and a pack."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from checker.document.text import plural
from checker.errors import EXIT_OK, EXIT_USAGE, UsageError

HELP = "infer a template from a site's pages and write checker.toml and a rule pack"

DESCRIPTION = """\
Read the pages under PATHS (default: the content root of the config found from here, else the
current folder) and write, into --output:

  checker.toml                 content-root and pack
  rules/pack.yaml              the project's own pack (rule options from the shipped pack)
  rules/templates/NAME.yaml    the inferred template, as commented YAML

The template holds the front-matter keys (types, enums, nested shapes; required when on nearly
every page), the sections (form, level, usual order, sub-sections; required when on nearly
every page), and whether pages have an H1, a disclaimer and a closing note: with their wording
when the pages copy one, else with the statements nearly every page makes. Then the pages are
checked under it, and the rules they break on many pages are reported, not disabled: decide per
rule. Nothing is overwritten without --force.
"""

EXAMPLES = """\
examples:
  checker init                        (the pages under the content root)
  checker init site/medicines --name medicine
  checker init pages/ --output /tmp/trial --force
"""


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 < share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a share of pages; use e.g. 0.95")
    return share


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help=HELP,
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATHS", help="folders of pages to learn from")
    parser.add_argument(
        "--output", type=Path, default=Path(), metavar="DIR", help="where to write (default: .)"
    )
    parser.add_argument("--name", help="the template's name (default: the pages' folder name)")
    parser.add_argument(
        "--required",
        type=_share,
        default=0.95,
        metavar="SHARE",
        help="a key or section on at least this share of pages is required (default: 0.95)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    parser.add_argument(
        "--no-check", action="store_true", help="do not check the pages under the new template"
    )


def _slug(name: str) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in name.lower()).strip("-")
    return slug or "pages"


def run(args: argparse.Namespace) -> int:
    from checker.lint.pagecheck import read_page
    from checker.project.config import ConfigFinder
    from checker.project.discovery import discover
    from checker.project.inference import Thresholds, infer_template, thresholds_account
    from checker.project.templateyaml import render_config, render_pack, render_template

    finder = ConfigFinder()
    if args.paths:
        paths = [Path(path) for path in args.paths]
    else:
        paths = [finder.for_path(Path.cwd()).content_root]
    missing = [str(path) for path in paths if not path.is_dir()]
    if missing:
        raise UsageError(f"not a folder of pages: {', '.join(missing)}; give folders to learn from")
    found = discover([str(path) for path in paths], finder)
    if not found.targets:
        raise UsageError(f"no *.md pages under {', '.join(map(str, paths))}")
    root = Path(os.path.commonpath([path.resolve() for path in paths]))
    name = _slug(args.name or root.name)
    output: Path = args.output
    files = {
        output / "checker.toml": "",
        output / "rules" / "pack.yaml": "",
        output / "rules" / "templates" / f"{name}.yaml": "",
    }
    existing = [str(path) for path in files if path.exists()]
    if existing and not args.force:
        print(
            f"checker: error: {', '.join(existing)} already "
            f"{'exists' if len(existing) == 1 else 'exist'}; nothing was written. "
            "Use --force to overwrite, or --output to write elsewhere.",
            file=sys.stderr,
        )
        return EXIT_USAGE

    thresholds = Thresholds(required=args.required)
    defaults = finder.for_path(Path.cwd())
    pages = []
    for target in found.targets:
        page = read_page(target, defaults)
        if page.tokens is not None or page.front_matter is not None:
            pages.append(page)
    inference = infer_template(name, pages, thresholds)
    sources = ", ".join(str(path) for path in paths)
    content_root = _relative_root(root, output.resolve())
    files[output / "checker.toml"] = render_config(content_root, "rules", [])
    files[output / "rules" / "pack.yaml"] = render_pack(name, f"templates/{name}.yaml", name)
    account = [*inference.account, thresholds_account(thresholds)]
    files[output / "rules" / "templates" / f"{name}.yaml"] = render_template(
        inference.template,
        inference.counts,
        inference.pages,
        account,
        sources,
        inference.glosses,
    )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    print(f"Learned template {name!r} from {plural(len(pages), 'page')} under {sources}:")
    for line in account:
        print(textwrap.fill(line, 100, initial_indent="  ", subsequent_indent="      "))
    written = ", ".join(path.relative_to(output).as_posix() for path in files)
    print(f"Wrote {written} in {output}")
    if not args.no_check:
        _report_rules(output / "checker.toml", found.targets, thresholds)
    return EXIT_OK


def _relative_root(root: Path, output: Path) -> str:
    """The content root as the config names it: relative to the config's folder when it lies
    inside it or beside it (`pages`, `../pages`), so that the project can move; else absolute."""
    for base, up in ((output, "."), (output.parent, "..")):
        if root.is_relative_to(base):
            inside = root.relative_to(base).as_posix()
            return up if inside == "." else f"{up}/{inside}".removeprefix("./")
    return str(root)


def _report_rules(config_path: Path, targets: Sequence[object], thresholds: object) -> None:
    """Check the pages under the new template and name the rules many pages break."""
    from checker.lint.engine import Engine
    from checker.lint.pool import default_jobs
    from checker.lint.resolver import Overrides
    from checker.project.config import ConfigFinder
    from checker.project.inference import Thresholds
    from checker.project.targets import Target

    assert isinstance(thresholds, Thresholds)
    engine = Engine(Overrides(), ConfigFinder(config_path), jobs=default_jobs())
    report = engine.check([t for t in targets if isinstance(t, Target)])
    total = max(report.files_checked, 1)
    pages: Counter[str] = Counter()
    for result in report.results:
        pages.update({violation.code for violation in result.violations})
    ranked = sorted(pages.items(), key=lambda item: (-item[1], item[0]))
    nearly_all = [code for code, n in ranked if n / total >= thresholds.agree]
    many = [code for code, n in ranked if 0.1 < n / total < thresholds.agree]
    print(f"Checked the {plural(report.files_checked, 'page')} under the new template:")
    if nearly_all:
        print(
            f"  broken on nearly every page ({thresholds.agree:.0%} or more): "
            + ", ".join(f"{code} ({pages[code] / total:.0%})" for code in nearly_all)
        )
        print(
            textwrap.fill(
                "usually the site's own style, or one habit of its writers: decide per rule. "
                '`checker check --fix` fixes some; `ignore = ["CODE"]` in checker.toml '
                "stops checking one.",
                100,
                initial_indent="    ",
                subsequent_indent="    ",
            )
        )
    if many:
        print(
            "  broken on more than 10% of pages: "
            + ", ".join(f"{code} ({pages[code] / total:.0%})" for code in many)
        )
    if not nearly_all and not many:
        print("  no rule is broken on more than 10% of pages")
    print("Next: `checker check` to see every finding, and `checker rule CODE` to read a rule.")
