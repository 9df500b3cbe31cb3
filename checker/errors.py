"""Errors that stop a run before any page is checked (bad configuration or rule pack), and
the exit codes of the command."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

# No error-level finding; error-level findings; a usage, configuration or internal error.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called, the config or the rule pack (exit code 2)."""


class InternalError(Exception):
    """The run cannot go on for a reason of the checker's own, not of the pages: a worker
    process that cannot be set up (exit code 2)."""


class ConfigError(UsageError):
    """A config or rule-pack file holds a value that is not allowed.

    `via` says how the run came to read the file, when that is not the file itself: the
    config whose rule pack it is (which may lie in a folder above the site).
    """

    def __init__(self, path: str, key: str, message: str, via: str = "") -> None:
        self.path = path
        self.key = key
        self.message = message
        self.via = via
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + message + (f" ({via})" if via else ""))


def _unwrap(annotation: Any) -> Any:
    """`X | None` and `list[X]` lead to X; anything else is itself."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if len(args) == 1 and typing.get_origin(annotation) is not dict:
        return args[0]
    return annotation


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of `loc`, following nested models and dicts of them."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            # An index into a list, which `_unwrap` has already stepped into.
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = dict(current.model_fields)
            fields.update({info.alias: info for info in fields.values() if info.alias})
            if part not in fields:
                return None
            current = _unwrap(fields[part].annotation)
        elif typing.get_origin(current) is dict:
            current = _unwrap(typing.get_args(current)[1])
        else:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a config file may write where `loc` points (its last part is the bad key)."""
    holder = _model_at(model, loc[:-1])
    if holder is None:
        return []
    return [info.alias or name for name, info in holder.model_fields.items()]


def _yaml_kind(value: Any) -> str:
    """What a value is, in the words of YAML: `a list`, `a string`, `nothing (null)`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def config_errors(
    path: str, error: ValidationError, prefix: str = "", model: type[BaseModel] | None = None
) -> ConfigError:
    """Turn a pydantic error into one ConfigError that names every bad key.

    With the validated `model`, an unknown key's message lists the keys allowed in its place.
    """
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in (prefix, *loc) if part != "")
        message = item["msg"]
        allowed: list[str] = []
        if item["type"] == "extra_forbidden":
            message = "unknown key; remove it or check its spelling"
            allowed = allowed_keys(model, loc) if model is not None else []
        elif item["type"] == "missing":
            message = "this key is required; add it"
            allowed = allowed_keys(model, loc) if model is not None else []
        elif item["type"] in ("model_type", "model_attributes_type", "dict_type"):
            message = f"expected a mapping of keys, found {_yaml_kind(item['input'])}"
            holder = _model_at(model, loc) if model is not None else None
            allowed = (
                [info.alias or name for name, info in holder.model_fields.items()] if holder else []
            )
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
        problems.append((key, message))
    first_key, first_message = problems[0]
    if len(problems) == 1:
        return ConfigError(path, first_key, first_message)
    details = "; ".join(f"{key}: {message}" for key, message in problems)
    return ConfigError(path, "", details)
