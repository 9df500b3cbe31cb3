"""`checker schema TEMPLATE`: the JSON Schema of a template's front matter."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "print the JSON Schema of a template's front matter"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schema", help=HELP, description=HELP + ".")
    parser.add_argument("template", metavar="TEMPLATE", help="a template name, e.g. drug-v2")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the config whose rule pack to use (default: found from here)",
    )


def run(args: argparse.Namespace) -> int:
    from checker.project.config import ConfigFinder

    config = ConfigFinder(args.config).for_path(Path.cwd() / "page.md")
    template = config.template(args.template, "")
    # A template that names a JSON Schema file is checked against that file, as it is.
    schema = template.json_schema or template.schema_model.model_json_schema()
    print(json.dumps(schema, indent=2, default=str))
    return 0
