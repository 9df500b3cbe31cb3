"""`checker rule CODE`: what one rule checks, why, an example, its options and its fix."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from checker.errors import UsageError

HELP = "explain one rule (by code or name), or all of them with --all"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("rule", help=HELP, description=HELP + ".")
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code or name, e.g. DS001")
    parser.add_argument("--all", action="store_true", help="every rule")
    parser.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")


def run(args: argparse.Namespace) -> int:
    from checker.project.config import ConfigFinder
    from checker.rules.docs import (
        all_rules_markdown,
        pack_values,
        rule_info,
        rule_markdown,
        rule_url,
    )
    from checker.rules.registry import BUILTIN_RULES, rule_by_code

    if args.all:
        rules = BUILTIN_RULES
    elif args.code:
        found = rule_by_code(args.code)
        if found is None:
            raise UsageError(f"no rule {args.code!r}; run `checker rules` to list them")
        rules = (found,)
    else:
        raise UsageError("name a rule (e.g. `checker rule DS001`) or pass --all")
    # Options are shown as the rule pack in effect here sets them.
    pack_rules = ConfigFinder().for_path(Path.cwd() / "page.md").pack.rule_options
    if args.output_format == "json":
        infos = [rule_info(rule, pack_values(rule, pack_rules)) for rule in rules]
        print(json.dumps(infos if args.all else infos[0], indent=2, default=str))
    elif args.all and args.output_format == "markdown":
        print(all_rules_markdown(rules, pack_rules), end="")
    else:
        text = [rule_markdown(rule, "#", pack_values(rule, pack_rules)) for rule in rules]
        print("\n".join(text), end="")
        if not args.all:
            print(f"\nDocs: {rule_url(rules[0], _docs_url())}")
    return 0


def _docs_url() -> str:
    """The `docs-url` of the config found from here, or the default."""
    from pathlib import Path

    from checker import DEFAULT_DOCS_URL
    from checker.project.config import ConfigFinder

    try:
        return ConfigFinder().for_path(Path.cwd()).values.docs_url
    except UsageError:
        return DEFAULT_DOCS_URL
