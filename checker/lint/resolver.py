"""Resolve which rules run, with what options and severity, for one config plus CLI overrides."""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from checker.errors import ConfigError, config_errors
from checker.project.config import Config
from checker.rules.base import Rule, RuleOptions, Severity, SiteRule
from checker.rules.registry import all_rules


@dataclass(frozen=True)
class Overrides:
    """Selection given on the command line; `select` replaces the config's, the rest add to it."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    template: str | None = None


@dataclass(frozen=True, slots=True)
class ActiveRule:
    rule: Rule
    options: RuleOptions
    severity: Severity


@dataclass
class RuleSet:
    config: Config
    active: list[ActiveRule]
    per_file_ignores: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return {item.rule.code for item in self.active}

    @functools.cached_property
    def has_site_rules(self) -> bool:
        return bool(self.site_rules)

    @functools.cached_property
    def site_rules(self) -> list[ActiveRule]:
        return [item for item in self.active if isinstance(item.rule, SiteRule)]

    def ignored_for(self, relpath: str) -> tuple[str, ...]:
        codes: list[str] = []
        for pattern, prefixes in self.per_file_ignores:
            if fnmatch.fnmatch(relpath, pattern):
                codes.extend(prefixes)
        return tuple(codes)


def _check_selectors(
    selectors: list[str] | tuple[str, ...], codes: list[str], where: str, key: str
) -> None:
    for selector in selectors:
        if selector.upper() == "ALL":
            continue
        if not any(code.startswith(selector.upper()) for code in codes):
            raise ConfigError(
                where,
                key,
                f"unknown rule code or prefix {selector!r}; run `checker rules` to list the codes",
            )


def _matches(code: str, selectors: list[str] | tuple[str, ...]) -> bool:
    return any(s.upper() == "ALL" or code.startswith(s.upper()) for s in selectors)


_LIST_EDITS = ("extend-", "remove-")


def _layered_options(rule: type[Rule], layers: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A rule's raw options, each layer over the one before (the pack, then the config).

    Keys are read in kebab-case. `extend-KEY` adds to a list option what it does not hold yet,
    and `remove-KEY` takes items out of it, starting from the layers before (or the rule's
    default), so that a project adapts a list without copying it.
    """
    fields = {
        (info.alias or name).replace("_", "-"): info
        for name, info in rule.Options.model_fields.items()
    }
    raw: dict[str, Any] = {}
    for source, layer in layers:
        for given, value in layer.items():
            key = given.replace("_", "-")
            edit = next((prefix for prefix in _LIST_EDITS if key.startswith(prefix)), None)
            base = key.removeprefix(edit) if edit else key
            if edit is None or key in fields:
                raw[key] = value
                continue
            info = fields.get(base)
            where = f"rules.{rule.code}.{given}"
            current = raw.get(base, info.get_default(call_default_factory=True) if info else None)
            if info is None or not isinstance(current, list):
                lists = [name for name, field in fields.items() if field.annotation == list[str]]
                raise ConfigError(
                    source,
                    where,
                    f"{base!r} is not a list option of {rule.code}; `{edit}` works with: "
                    + (", ".join(lists) or "none of its options"),
                )
            if not isinstance(value, list):
                raise ConfigError(source, where, f'{value!r} is not a list; write ["..."]')
            if edit == "extend-":
                raw[base] = [*current, *(item for item in value if item not in current)]
            else:
                raw[base] = [item for item in current if item not in value]
    return raw


def _rule_settings(
    rule: type[Rule], raw: dict[str, Any], where: str, key: str
) -> tuple[RuleOptions, Severity | None]:
    values = dict(raw)
    severity = values.pop("severity", None)
    parsed_severity = None
    if severity is not None:
        if not isinstance(severity, str) or severity.upper() not in Severity.__members__:
            raise ConfigError(
                where, f"{key}.severity", f"{severity!r} is not allowed; use error, warning or info"
            )
        parsed_severity = Severity.parse(severity)
    if not values and not any(f.is_required() for f in rule.Options.model_fields.values()):
        # Nothing to validate: the defaults, without building the model's validator.
        return rule.Options.model_construct(), parsed_severity
    try:
        options = rule.Options.model_validate(values)
    except ValidationError as error:
        raise config_errors(where, error, key, rule.Options) from None
    return options, parsed_severity


def _switch(config: Config, rule: type[Rule]) -> bool:
    assert rule.enabled_by is not None
    return bool(getattr(config.values, rule.enabled_by.replace("-", "_"), False))


def build_ruleset(config: Config, overrides: Overrides) -> RuleSet:
    values = config.values
    rules = all_rules(tuple(values.plugins))
    codes = [rule.code for rule in rules]
    where = config.label
    _check_selectors(values.select or [], codes, where, "select")
    _check_selectors(values.ignore, codes, where, "ignore")
    _check_selectors(values.extend_select, codes, where, "extend-select")
    cli = "command line"
    _check_selectors(overrides.select or (), codes, cli, "--select")
    _check_selectors(overrides.ignore, codes, cli, "--ignore")
    _check_selectors(overrides.extend_select, codes, cli, "--extend-select")
    for pattern, prefixes in values.per_file_ignores.items():
        _check_selectors(prefixes, codes, where, f"per-file-ignores.{pattern}")

    select: list[str] | tuple[str, ...]
    if overrides.select is not None:
        select = overrides.select
    elif values.select is not None:
        select = values.select
    else:
        select = [rule.code for rule in rules if not rule.opt_in]
    extend = (*values.extend_select, *overrides.extend_select)
    switched_on = [rule.code for rule in rules if rule.enabled_by and _switch(config, rule)]
    extend = (*extend, *switched_on)
    ignore = (*values.ignore, *overrides.ignore)

    by_name = {rule.name: rule for rule in rules}
    by_code = {rule.code: rule for rule in rules}
    pack_options = config.pack.rule_options
    for key in [*pack_options, *values.rules]:
        if key not in by_code and key not in by_name:
            source = str(config.pack.root) if key in pack_options else where
            raise ConfigError(source, f"rules.{key}", "unknown rule; run `checker rules` for codes")

    active: list[ActiveRule] = []
    for rule in rules:
        if not (_matches(rule.code, select) or _matches(rule.code, extend)):
            continue
        if _matches(rule.code, ignore) and not _matches(rule.code, overrides.select or ()):
            continue
        layers = [
            (source, layer.get(key, {}))
            for source, layer in ((str(config.pack.root), pack_options), (where, values.rules))
            for key in (rule.code, rule.name)
        ]
        raw = _layered_options(rule, layers)
        options, severity = _rule_settings(rule, raw, where, f"rules.{rule.code}")
        active.append(ActiveRule(rule(), options, severity or rule.default_severity))
    per_file = [
        (pattern, tuple(p.upper() for p in prefixes))
        for pattern, prefixes in values.per_file_ignores.items()
    ]
    return RuleSet(config, active, per_file)
