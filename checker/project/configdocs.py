"""The config reference, generated from the config model's fields (docs/config.md)."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from checker.project.config import FileConfig


@dataclass(frozen=True)
class Key:
    name: str  # as written in the file: `content-root`, `limits.max-nesting`
    type: str
    default: str
    description: str


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in args if arg is not type(None))
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"table of {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    names = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if annotation is Any:
        return "any"
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "(see its keys)"
    if value is None:
        return "(none)"
    return json.dumps(value)


def config_keys(model: type[BaseModel] = FileConfig, prefix: str = "") -> list[Key]:
    keys = []
    for name, info in model.model_fields.items():
        key = prefix + (info.alias or name)
        default = info.get_default(call_default_factory=True)
        keys.append(
            Key(key, _type_name(info.annotation), _default(default), info.description or "")
        )
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            keys.extend(config_keys(info.annotation, key + "."))
    return keys


EXAMPLE_CHECKER_TOML = """\
# checker.toml: the settings sit at the top level.
content-root = "content"
extend-select = ["XP003"]
ignore = ["FT003"]
exclude = ["drafts/"]

[templates]
"legacy/**" = "drug-v1"

[per-file-ignores]
"imported/**" = ["ST007", "preamble"]

[rules.FT003]
severity = "error"
maximum = 2

[limits]
max-page-seconds = 3
"""

EXAMPLE_PYPROJECT = """\
# pyproject.toml: the same settings under [tool.checker].
[tool.checker]
content-root = "content"
extend-select = ["XP003"]
ignore = ["FT003"]
exclude = ["drafts/"]

[tool.checker.templates]
"legacy/**" = "drug-v1"

[tool.checker.per-file-ignores]
"imported/**" = ["ST007", "preamble"]

[tool.checker.rules.FT003]
severity = "error"
maximum = 2

[tool.checker.limits]
max-page-seconds = 3
"""


def config_markdown() -> str:
    out = [
        "# Configuration reference",
        "",
        "Generated from the config model by `checker config --output-format markdown`; do not "
        "edit by hand.",
        "",
        "The checker reads `checker.toml`, or the `[tool.checker]` table of `pyproject.toml`, "
        "found by searching upward from each page (`--config FILE` names one). Paths in it are "
        "relative to its folder. Every key is validated when the file loads; a mistake names the "
        "file and the key and exits with code 2. `checker check --show-settings PAGE` prints "
        "what applies to one page.",
        "",
        "```toml",
        EXAMPLE_CHECKER_TOML.rstrip("\n"),
        "```",
        "",
        "```toml",
        EXAMPLE_PYPROJECT.rstrip("\n"),
        "```",
        "",
        "Command-line flags combine with the file as in Ruff: `--select` starts the selection "
        "afresh (the file's select and ignores no longer count); `--extend-select`, `--ignore` "
        "and `--extend-ignore` adjust the file's selection. Inside each, the most specific "
        "selector wins, and an ignore wins a tie.",
        "",
        "| Key | Type | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for key in config_keys():
        description = key.description.replace("|", "\\|")
        out.append(f"| `{key.name}` | {key.type} | `{key.default}` | {description} |")
    out.append("")
    return "\n".join(out)
