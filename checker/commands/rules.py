"""`checker rules`: a table of every rule."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "list every rule with its code, name, severity, fix safety and whether it is on by default"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("rules", help=HELP, description=HELP + ".")
    parser.add_argument("--output-format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from checker.rules.docs import fix_column, rule_info
    from checker.rules.registry import rules_here

    # The built-in rules, then those of installed entry points and of the config's plugins.
    rules, config = rules_here()
    if args.output_format == "json":
        infos = [rule_info(rule, docs_url=config.values.docs_url) for rule in rules]
        print(json.dumps(infos, indent=2, default=str))
        return 0
    print(f"{'CODE':<7} {'NAME':<28} {'SEVERITY':<8} {'FIX':<7} {'DEFAULT':<7} SUMMARY")
    for rule in rules:
        default = "off" if rule.opt_in else "on"
        print(
            f"{rule.code:<7} {rule.name:<28} {rule.default_severity!s:<8} "
            f"{fix_column(rule):<7} {default:<7} {rule.summary}"
        )
    # The key goes to standard error, so that standard output stays a table for other tools.
    print(
        "FIX: safe (--fix), unsafe (--fix --unsafe-fixes), mixed (both), ? (some findings), "
        "- (none).\nDEFAULT: off means the rule runs only when selected. "
        "`checker rule CODE` explains one rule.",
        file=sys.stderr,
    )
    return 0
