"""Resolve which rules run, with what options and severity, for one config plus CLI overrides."""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.errors import ConfigError, config_errors
from checker.lint import selection
from checker.project import compiled
from checker.project.config import Config
from checker.project.pack import PACK_FILE
from checker.rules.base import Rule, RuleOptions, Severity, SiteRule
from checker.rules.registry import config_rules


@dataclass(frozen=True)
class Overrides:
    """Selection given on the command line, applied after the config's as Ruff does.

    `select` starts the selection afresh (the config's select and ignores no longer count);
    without it the command line's selectors adjust the config's selection.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    template: str | None = None
    extend_ignore: tuple[str, ...] = ()
    # (glob, selectors) pairs added to the config's per-file ignores.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()


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
        """The code prefixes the per-file ignores skip for a page ("" skips every code)."""
        return selection.ignored_by(relpath, self.per_file_ignores)


def _switched_on(config: Config, rules: tuple[type[Rule], ...]) -> tuple[str, ...]:
    """Opt-in rules that a config key (such as `require-reason`) turns on."""
    values = config.values
    return tuple(
        rule.code
        for rule in rules
        if rule.enabled_by and getattr(values, rule.enabled_by.replace("-", "_"), False)
    )


def selection_layers(
    config: Config, overrides: Overrides, rules: tuple[type[Rule], ...]
) -> list[selection.Layer]:
    """The config file's selectors, then the command line's."""
    values = config.values
    from_config = selection.Layer(
        config.label,
        tuple(values.select) if values.select is not None else None,
        tuple(values.extend_select),
        tuple(values.ignore),
        tuple(values.extend_ignore),
    )
    from_cli = selection.Layer(
        "command line",
        overrides.select,
        overrides.extend_select,
        overrides.ignore,
        overrides.extend_ignore,
        flag_prefix="--",
    )
    return [from_config, from_cli]


def selected_codes(config: Config, overrides: Overrides, rules: tuple[type[Rule], ...]) -> set[str]:
    layers = selection_layers(config, overrides, rules)
    selected = selection.select(rules, layers)
    # A switch such as `require-reason` is a setting of the site, not a selector: the rule it
    # turns on runs whatever is selected, unless an ignore names it.
    # So does a rule that reports what kept the page from being checked (IO001).
    always = [rule.code for rule in rules if rule.always_reported]
    for code in [*_switched_on(config, rules), *always]:
        if not any(selection.ignores(code, layer, rules) for layer in layers):
            selected.add(code)
    return selected


def per_file_ignores(
    config: Config, overrides: Overrides, rules: tuple[type[Rule], ...]
) -> list[tuple[str, tuple[str, ...]]]:
    values = config.values
    pairs = [*values.per_file_ignores.items(), *values.extend_per_file_ignores.items()]
    found = selection.per_file_prefixes(pairs, rules, config.label)
    found += selection.per_file_prefixes(overrides.per_file_ignores, rules, "command line")
    return found


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
    rule: type[Rule], raw: dict[str, Any], sources: dict[str, str], where: str, key: str
) -> tuple[RuleOptions, Severity | None]:
    values = dict(raw)
    severity = values.pop("severity", None)
    parsed_severity = None
    if severity is not None:
        if not isinstance(severity, str) or severity.upper() not in Severity.__members__:
            raise ConfigError(
                sources.get("severity", where),
                f"{key}.severity",
                f"{severity!r} is not allowed; use error, warning or info",
            )
        parsed_severity = Severity.parse(severity)
    if not values and not any(f.is_required() for f in rule.Options.model_fields.values()):
        # Nothing to validate: the defaults, without building the model's validator.
        return rule.Options.model_construct(), parsed_severity
    cache_key = _options_key(rule, values)
    stored = compiled.load("options", cache_key) if cache_key else None
    if stored is not None:
        try:
            return compiled.from_plain(rule.Options, stored), parsed_severity
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    try:
        options = rule.Options.model_validate(values)
    except ValidationError as error:
        first = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else ""
        source = sources.get(first.replace("_", "-"), where)
        raise config_errors(source, error, key, rule.Options) from None
    plain = compiled.round_trips(rule.Options, options) if cache_key else None
    if cache_key and plain is not None:
        compiled.store("options", cache_key, plain)
    return options, parsed_severity


@functools.cache
def _source(module: str) -> bytes:
    """A plug-in rule module's source; nothing for the checker's own modules, which
    `compiled.code_fingerprint` covers already (so a start reads no rule's source)."""
    if module == "checker" or module.startswith("checker."):
        return b""
    found = getattr(sys.modules.get(module), "__file__", None)
    return Path(found).read_bytes() if found else b""


def _options_key(rule: type[Rule], values: dict[str, Any]) -> str | None:
    """Validated options are kept by their raw values and the code that validates them: the
    checker's (see `compiled.code_fingerprint`), and the rule's module, which a plug-in keeps
    outside it."""
    try:
        raw = json.dumps(values, sort_keys=True, allow_nan=False).encode()
        return compiled.digest(
            rule.code.encode(),
            raw,
            _source(rule.__module__),
            compiled.code_fingerprint().encode(),
        )
    except (OSError, TypeError, ValueError):
        return None


def build_ruleset(config: Config, overrides: Overrides) -> RuleSet:
    """The rules a config runs, with their options and severities; a mistake in the rule pack's
    options names the config that chose the pack."""
    try:
        return _build_ruleset(config, overrides)
    except ConfigError as error:
        raise config.explain(error) from None


def _build_ruleset(config: Config, overrides: Overrides) -> RuleSet:
    values = config.values
    rules = config_rules(config)
    where = config.label
    selected = selected_codes(config, overrides, rules)

    by_name = {rule.name: rule for rule in rules}
    by_code = {rule.code: rule for rule in rules}
    pack = config.pack
    for pattern, name in values.templates.items():
        config.template(name, f"{where}: templates.{pattern}")
    pack_options = pack.rule_options
    for key in [*pack_options, *values.rules]:
        if key not in by_code and key not in by_name:
            source = str(config.pack.root / PACK_FILE) if key in pack_options else where
            raise ConfigError(source, f"rules.{key}", "unknown rule; run `checker rules` for codes")

    active: list[ActiveRule] = []
    for rule in rules:
        if rule.code not in selected:
            continue
        layers = [
            (source, layer.get(key, {}))
            for source, layer in (
                (str(config.pack.root / PACK_FILE), pack_options),
                (where, values.rules),
            )
            for key in (rule.code, rule.name)
        ]
        raw = _layered_options(rule, layers)
        # A bad option is reported in the file that set it last: the pack's or the config.
        sources = {key.replace("_", "-"): source for source, layer in layers for key in layer}
        options, severity = _rule_settings(rule, raw, sources, where, f"rules.{rule.code}")
        active.append(ActiveRule(rule(), options, severity or rule.default_severity))
    return RuleSet(config, active, per_file_ignores(config, overrides, rules))
