"""Which rules a run selects: Ruff's model of select, extend-select, ignore and extend-ignore.

The selection is built in layers: the defaults, then the config file, then the command line.
A layer with `select` starts afresh; a layer without it adjusts the layer before. Inside a
layer every rule follows the most specific selector that names it (a code beats a prefix, a
longer prefix beats a shorter one, `ALL` is the least specific); at equal specificity an
ignore beats a select. A selector is `ALL`, a code, a code prefix or a rule name, in any case.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checker.errors import ConfigError
from checker.rules.base import Rule


@dataclass(frozen=True)
class Layer:
    """One source of selectors: the config file or the command line."""

    where: str  # named in errors: the config file's path, or "command line"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    # How each key is spelled in this layer, for errors: "select" or "--select".
    flag_prefix: str = ""


def normalize(selector: str, rules: Sequence[type[Rule]], where: str, key: str) -> str:
    """`ALL`, or the upper-case code prefix a selector stands for (a rule name -> its code)."""
    text = selector.strip()
    if text.upper() == "ALL":
        return "ALL"
    for rule in rules:
        if rule.name == text.lower():
            return rule.code
    prefix = text.upper()
    if any(rule.code.startswith(prefix) for rule in rules):
        return prefix
    raise ConfigError(
        where,
        key,
        f"unknown rule code, prefix or name {selector!r}; run `checker rules` to list them",
    )


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _matches(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _verdict(code: str, selects: Iterable[str], ignores: Iterable[str]) -> bool | None:
    """True or False from the most specific selector naming `code`; None if none does."""
    best: tuple[int, int] | None = None
    for selector in selects:
        if _matches(code, selector):
            rank = (_specificity(selector), 0)
            best = rank if best is None or rank > best else best
    for selector in ignores:
        if _matches(code, selector):
            rank = (_specificity(selector), 1)  # an ignore wins a tie
            best = rank if best is None or rank > best else best
    return None if best is None else best[1] == 0


def apply_layer(selected: set[str], layer: Layer, rules: Sequence[type[Rule]]) -> set[str]:
    """The selection after one layer, from the selection before it."""

    def norm(values: tuple[str, ...], key: str) -> list[str]:
        return [normalize(v, rules, layer.where, layer.flag_prefix + key) for v in values]

    selects = norm(layer.extend_select, "extend-select")
    if layer.select is not None:
        selects = [*norm(layer.select, "select"), *selects]
    ignores = [*norm(layer.ignore, "ignore"), *norm(layer.extend_ignore, "extend-ignore")]
    base = set() if layer.select is not None else selected
    result: set[str] = set()
    for rule in rules:
        verdict = _verdict(rule.code, selects, ignores)
        if verdict is None:
            verdict = rule.code in base
        if verdict:
            result.add(rule.code)
    return result


def ignores(code: str, layer: Layer, rules: Sequence[type[Rule]]) -> bool:
    """Whether one of the layer's ignores names `code`."""
    return any(
        _matches(code, normalize(v, rules, layer.where, "ignore"))
        for v in (*layer.ignore, *layer.extend_ignore)
    )


def default_selection(rules: Sequence[type[Rule]]) -> set[str]:
    """Every rule that is not opt-in."""
    return {rule.code for rule in rules if not rule.opt_in}


def select(rules: Sequence[type[Rule]], layers: Iterable[Layer]) -> set[str]:
    selected = default_selection(rules)
    for layer in layers:
        selected = apply_layer(selected, layer, rules)
    return selected


def per_file_prefixes(
    patterns: Iterable[tuple[str, Sequence[str]]], rules: Sequence[type[Rule]], where: str
) -> list[tuple[str, tuple[str, ...]]]:
    """(glob, code prefixes) pairs, with rule names turned into codes."""
    pairs = []
    for pattern, codes in patterns:
        prefixes = (normalize(s, rules, where, f"per-file-ignores.{pattern}") for s in codes)
        # `ALL` ignores every code: the empty prefix.
        pairs.append((pattern, tuple("" if p == "ALL" else p for p in prefixes)))
    return pairs


def ignored_by(relpath: str, per_file: Iterable[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    codes: list[str] = []
    for pattern, prefixes in per_file:
        if fnmatch.fnmatch(relpath, pattern):
            codes.extend(prefixes)
    return tuple(codes)
