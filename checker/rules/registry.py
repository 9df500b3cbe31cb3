"""The explicit list of rules. Third-party rules come from modules named in `plugins`."""

from __future__ import annotations

import functools
import importlib

from checker.errors import ConfigError
from checker.rules import (
    content,
    disclaimer,
    dosing,
    formatting,
    frontmatter,
    inputs,
    site,
    structure,
    suppression,
)
from checker.rules.base import Rule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    inputs.UnreadableFile,
    frontmatter.FrontMatterMissing,
    frontmatter.FrontMatterInvalid,
    frontmatter.FrontMatterSchema,
    frontmatter.TitleMismatch,
    structure.MissingSection,
    structure.SectionOrder,
    structure.EmptySection,
    structure.DuplicateSection,
    structure.UnknownSection,
    structure.H1,
    structure.Preamble,
    structure.SectionStyle,
    disclaimer.DisclaimerMissing,
    disclaimer.DisclaimerText,
    disclaimer.DisclaimerPosition,
    disclaimer.NoteMissing,
    formatting.TrailingWhitespace,
    formatting.FinalNewline,
    formatting.MultipleBlankLines,
    formatting.BlankLinesAroundHeadings,
    formatting.HeadingIncrement,
    formatting.ListMarkerStyle,
    formatting.OddWhitespace,
    content.AiArtifact,
    content.Refusal,
    content.Truncated,
    content.Placeholder,
    dosing.DoseNotation,
    dosing.DoseUnitStyle,
    content.UnsupportedClaim,
    site.DuplicateTitle,
    site.NearDuplicate,
    site.FilenameSlug,
    site.TruncatedName,
    suppression.UnusedSuppression,
    suppression.ExpiredSuppression,
    suppression.SuppressionWithoutReason,
)


@functools.lru_cache(maxsize=16)
def load_plugins(modules: tuple[str, ...]) -> tuple[type[Rule], ...]:
    """Import each plugin module and collect the Rule classes listed in its `RULES`."""
    found: list[type[Rule]] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            raise ConfigError("config", "plugins", f"cannot import {name!r}: {error}") from None
        rules = getattr(module, "RULES", None)
        if not isinstance(rules, (list, tuple)) or not all(
            isinstance(rule, type) and issubclass(rule, Rule) for rule in rules
        ):
            raise ConfigError(
                "config", "plugins", f"{name!r} must define RULES, a list of checker Rule classes"
            )
        found.extend(rules)
    return tuple(found)


def all_rules(plugins: tuple[str, ...] = ()) -> tuple[type[Rule], ...]:
    return BUILTIN_RULES + load_plugins(plugins) if plugins else BUILTIN_RULES


def rule_by_code(code: str) -> type[Rule] | None:
    wanted = code.upper()
    for rule in BUILTIN_RULES:
        if rule.code == wanted or rule.name == code.lower():
            return rule
    return None
