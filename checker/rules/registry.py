"""The explicit list of rules. Third-party rules come from modules named in `plugins`."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

from checker.errors import ConfigError
from checker.project.config import Config, ConfigFinder
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


ENTRY_POINT_GROUP = "checker.rules"


def _rules_of(module: object, name: str, where: str) -> list[type[Rule]]:
    """The Rule classes a plugin offers: its `RULES`, or the list an entry point names."""
    rules = module if isinstance(module, (list, tuple)) else getattr(module, "RULES", None)
    if not isinstance(rules, (list, tuple)) or not all(
        isinstance(rule, type) and issubclass(rule, Rule) for rule in rules
    ):
        raise ConfigError(
            where, "plugins", f"{name!r} must define RULES, a list of checker Rule classes"
        )
    return list(rules)


def _import_plugin(name: str, base: Path | None, where: str) -> object:
    """Import a plugin by module path, looked up first in the config's folder.

    `myrules`, `tools.myrules` and `tools/myrules.py` are all found relative to the folder of
    the config that names them, with no PYTHONPATH to set; a module installed in the
    environment is found too.
    """
    try:
        if name.endswith(".py") or "/" in name:
            path = (base / name) if base is not None else Path(name)
            if not path.is_file():
                raise ImportError(f"no file {path}")
            module_name = "checker_plugin_" + path.stem
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
            return module
        if base is not None and str(base) not in sys.path:
            # The config's folder comes after the installed packages, so a plugin never
            # shadows one; it is found there when nothing installed has its name.
            sys.path.append(str(base))
        return importlib.import_module(name)
    except ImportError as error:
        raise ConfigError(
            where,
            "plugins",
            f"cannot import {name!r}: {error}; a plugin is a module path relative to the "
            "config's folder (`myrules`, `tools/myrules.py`) or an installed module",
        ) from None
    except Exception as error:  # a plugin that fails on import must not stop with a traceback
        raise ConfigError(
            where, "plugins", f"importing {name!r} failed: {type(error).__name__}: {error}"
        ) from None


@functools.lru_cache(maxsize=16)
def load_plugins(
    modules: tuple[str, ...], base: Path | None = None, where: str = "config"
) -> tuple[type[Rule], ...]:
    """Import each plugin module and collect the Rule classes listed in its `RULES`."""
    found: list[type[Rule]] = []
    for name in modules:
        found.extend(_rules_of(_import_plugin(name, base, where), name, where))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def entry_point_rules() -> tuple[type[Rule], ...]:
    """Rules from installed packages that declare a `checker.rules` entry point."""
    found: list[type[Rule]] = []
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        where = f"entry point {entry.name} = {entry.value} ({ENTRY_POINT_GROUP})"
        try:
            loaded = entry.load()
        except Exception as error:  # a broken package must not stop with a traceback
            raise ConfigError(
                where, "", f"cannot load it: {type(error).__name__}: {error}"
            ) from None
        found.extend(_rules_of(loaded, entry.value, where))
    return tuple(found)


def all_rules(
    plugins: tuple[str, ...] = (), base: Path | None = None, where: str = "config"
) -> tuple[type[Rule], ...]:
    """The built-in rules, then those of installed entry points, then the config's plugins."""
    rules = BUILTIN_RULES + entry_point_rules()
    if plugins:
        rules += load_plugins(plugins, base, where)
    codes = [rule.code for rule in rules]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ConfigError(
            where, "plugins", f"two rules have the code {', '.join(duplicates)}; codes are unique"
        )
    return rules


def config_rules(config: Config) -> tuple[type[Rule], ...]:
    """Every rule a check under `config` knows: built-in, installed entry points and the
    config's `plugins`."""
    return all_rules(tuple(config.values.plugins), config.root, config.label)


def rules_here() -> tuple[tuple[type[Rule], ...], Config]:
    """The rules a check from the current folder knows, and the config found for it (for its
    pack and `docs-url`)."""
    config = ConfigFinder().for_path(Path.cwd() / "page.md")
    return config_rules(config), config


def rule_by_code(code: str, rules: tuple[type[Rule], ...] = BUILTIN_RULES) -> type[Rule] | None:
    """The rule of this code or name among `rules`; None if there is none."""
    wanted = code.upper()
    for rule in rules:
        if rule.code == wanted or rule.name == code.lower():
            return rule
    return None
