"""`checker rule CODE`: what one rule checks, why, an example, its options and its fix."""

from __future__ import annotations

import argparse
import json

from checker.errors import UsageError

HELP = "explain one rule (by code or name), or all of them with --all"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("rule", help=HELP, description=HELP + ".")
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code or name, e.g. DS001")
    parser.add_argument("--all", action="store_true", help="every rule")
    parser.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")


def run(args: argparse.Namespace) -> int:
    from checker.rules.docs import (
        all_rules_markdown,
        pack_values,
        rule_info,
        rule_markdown,
        rule_url,
    )
    from checker.rules.registry import rule_by_code, rules_here

    known, config = rules_here()
    if args.all:
        rules = known
    elif args.code:
        found = rule_by_code(args.code, known)
        if found is None:
            raise UsageError(f"no rule {args.code!r}; run `checker rules` to list them")
        rules = (found,)
    else:
        raise UsageError("name a rule (e.g. `checker rule DS001`) or pass --all")
    # Options are shown as the rule pack in effect here sets them.
    pack_rules = config.pack.rule_options
    docs_url = config.values.docs_url
    if args.output_format == "json":
        infos = [rule_info(rule, pack_values(rule, pack_rules), docs_url) for rule in rules]
        print(json.dumps(infos if args.all else infos[0], indent=2, default=str))
    elif args.all and args.output_format == "markdown":
        print(all_rules_markdown(rules, pack_rules), end="")
    else:
        text = [rule_markdown(rule, "#", pack_values(rule, pack_rules)) for rule in rules]
        print("\n".join(text), end="")
        if not args.all:
            print(f"\nDocs: {rule_url(rules[0], docs_url)}")
    return 0
