"""Meta tests: every rule in the registry is identified, documented, configurable and tested."""

from __future__ import annotations

import re

import pytest

from checker.rules.base import FixAvailability, Rule, RuleOptions, Severity
from checker.rules.docs import default_text, fix_text
from checker.rules.registry import BUILTIN_RULES
from tests.conftest import run_checker
from tests.test_rules import GENERATED, RULE_FIXTURES

CODE = re.compile(r"^[A-Z]{2}[0-9]{3}$")
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it checks", "## Why", "## Example")
RULE_IDS = [rule.code for rule in BUILTIN_RULES]


def test_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in BUILTIN_RULES]
    assert len(codes) == len(set(codes))
    assert all(CODE.match(code) for code in codes), codes


def test_names_are_unique_kebab_case() -> None:
    names = [rule.name for rule in BUILTIN_RULES]
    assert len(names) == len(set(names))
    assert all(KEBAB.match(name) for name in names), names


def test_the_issue_catalogue_is_complete() -> None:
    expected = {
        "IO001": "unreadable-file",
        "FM001": "front-matter-missing",
        "FM002": "front-matter-invalid",
        "FM003": "front-matter-schema",
        "FM004": "title-mismatch",
        "ST001": "missing-section",
        "ST002": "section-order",
        "ST003": "empty-section",
        "ST004": "duplicate-section",
        "ST005": "unknown-section",
        "ST006": "h1",
        "ST007": "preamble",
        "ST008": "section-style",
        "DS001": "disclaimer-missing",
        "DS002": "disclaimer-text",
        "DS003": "disclaimer-position",
        "DS004": "note-missing",
        "FT001": "trailing-whitespace",
        "FT002": "final-newline",
        "FT003": "multiple-blank-lines",
        "FT004": "blank-lines-around-headings",
        "FT005": "heading-increment",
        "FT006": "list-marker-style",
        "FT007": "odd-whitespace",
        "SP001": "unused-suppression",
    }
    registered = {rule.code: rule.name for rule in BUILTIN_RULES}
    assert {code: registered.get(code) for code in expected} == expected


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=RULE_IDS)
def test_rule_is_documented(rule: type[Rule]) -> None:
    doc = rule.__doc__ or ""
    for heading in DOC_SECTIONS:
        assert heading in doc, f"{rule.code} docstring lacks {heading!r}"
        body = doc.split(heading, 1)[1].split("## ", 1)[0]
        assert body.strip(), f"{rule.code}: {heading!r} is empty"
    assert rule.summary.strip() and "\n" not in rule.summary
    assert isinstance(rule.default_severity, Severity)
    assert isinstance(rule.fix, FixAvailability)


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=RULE_IDS)
def test_rule_options_have_valid_defaults(rule: type[Rule]) -> None:
    assert issubclass(rule.Options, RuleOptions)
    assert rule.Options is not RuleOptions
    defaults = rule.Options()
    # The defaults survive a round trip through the kebab-case keys a config file uses.
    dumped = defaults.model_dump(by_alias=True)
    assert rule.Options.model_validate(dumped) == defaults
    with pytest.raises(ValueError, match="xtra"):
        rule.Options.model_validate({"no-such-option": 1})


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=RULE_IDS)
def test_rule_has_a_fixture(rule: type[Rule]) -> None:
    committed = [
        page
        for page in RULE_FIXTURES.glob(f"{rule.code}*.md")
        if page.stem.split("-")[0] == rule.code
    ]
    generated = [case for code, case, _, _ in GENERATED if code == rule.code]
    assert committed or generated, f"{rule.code} has no fixture page"


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=RULE_IDS)
def test_checker_rule_prints_the_docs(rule: type[Rule]) -> None:
    result = run_checker("rule", rule.code)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{rule.code} {rule.name}" in out
    assert rule.summary in out
    for heading in ("What it checks", "Why", "Example", "Options"):
        assert heading in out
    # The opening sentence of "What it checks" comes through verbatim (whitespace aside).
    first = (rule.__doc__ or "").split("## What it checks", 1)[1].strip().split("\n")[0].strip()
    assert first in out
    assert f"Fix: {fix_text(rule)}" in out
    assert f"Default: {default_text(rule)}" in out
    for option in rule.Options.model_fields.values():
        assert f"`{option.alias}`" in out
