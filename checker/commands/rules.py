"""`checker rules`: a table of every rule."""

from __future__ import annotations

import argparse
import json

HELP = "list every rule with its code, name, severity and fix availability"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("rules", help=HELP, description=HELP + ".")
    parser.add_argument("--output-format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from checker.rules.docs import rule_info
    from checker.rules.registry import BUILTIN_RULES

    if args.output_format == "json":
        print(json.dumps([rule_info(rule) for rule in BUILTIN_RULES], indent=2, default=str))
        return 0
    print(f"{'CODE':<7} {'NAME':<28} {'SEVERITY':<8} {'FIX':<9} SUMMARY")
    for rule in BUILTIN_RULES:
        print(
            f"{rule.code:<7} {rule.name:<28} {rule.default_severity!s:<8} "
            f"{rule.fix.value:<9} {rule.summary}"
        )
    return 0
