"""Deliberate breakage, to show that the tests catch it: `CHECKER_TEST_BREAK=KIND pytest ...`.

The product is never changed: tests/conftest.py patches it in the test process for the whole
session when the variable is set (the CLI subprocesses run unbroken). Kinds:

- `columns`: every finding's column and end column are one further right.
- `no-fix`: the fixer applies no fix (it finds none it may apply).

docs/testing.md records what fails under each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from checker.fixing import fixer
from checker.rules.base import Rule, SiteRule, Violation


def _shifted(build: Callable[..., Violation]) -> Callable[..., Violation]:
    def shifted(*args: Any, **kwargs: Any) -> Violation:
        v = build(*args, **kwargs)
        return dataclasses.replace(v, column=v.column + 1, end_column=v.end_column + 1)

    return shifted


def apply(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if kind == "columns":
        monkeypatch.setattr(Rule, "violation", _shifted(Rule.violation))
        monkeypatch.setattr(SiteRule, "site_violation", _shifted(SiteRule.site_violation))
    elif kind == "no-fix":
        monkeypatch.setattr(fixer, "wanted", lambda *_: False)
    else:
        raise pytest.UsageError(f"CHECKER_TEST_BREAK={kind!r}: use 'columns' or 'no-fix'")
