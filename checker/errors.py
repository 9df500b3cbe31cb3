"""Errors that stop a run before any page is checked: bad configuration or rule pack."""

from __future__ import annotations

from pydantic import ValidationError


class UsageError(Exception):
    """A mistake in how the command was called, the config or the rule pack (exit code 2)."""


class ConfigError(UsageError):
    """A config or rule-pack file holds a value that is not allowed."""

    def __init__(self, path: str, key: str, message: str) -> None:
        self.path = path
        self.key = key
        self.message = message
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + message)


def config_errors(path: str, error: ValidationError, prefix: str = "") -> ConfigError:
    """Turn a pydantic error into one ConfigError that names every bad key."""
    problems = []
    for item in error.errors():
        key = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key; remove it or check its spelling"
        problems.append((key, message))
    first_key, first_message = problems[0]
    if len(problems) == 1:
        return ConfigError(path, first_key, first_message)
    details = "; ".join(f"{key}: {message}" for key, message in problems)
    return ConfigError(path, "", details)
