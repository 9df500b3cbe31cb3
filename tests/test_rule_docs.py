"""docs/rules.md is generated from the rule classes and must stay in sync with them."""

from __future__ import annotations

import json

from checker.project.pack import bundled_pack_dir, load_pack
from checker.rules.docs import all_rules_markdown, default_text, fix_text
from checker.rules.registry import BUILTIN_RULES
from tests.conftest import ROOT, run_checker

RULES_MD = ROOT / "docs" / "rules.md"
REGENERATE = "checker rule --all --output-format markdown > docs/rules.md"


def test_docs_rules_md_is_up_to_date() -> None:
    assert RULES_MD.is_file(), f"docs/rules.md is missing; run `{REGENERATE}`"
    current = RULES_MD.read_text(encoding="utf-8")
    # The docs show the shipped rule pack's options, as `checker rule` does in a new project.
    pack_rules = load_pack(bundled_pack_dir()).rule_options
    assert current == all_rules_markdown(BUILTIN_RULES, pack_rules), (
        f"docs/rules.md is out of date with the rule classes; run `{REGENERATE}`"
    )


def test_the_regeneration_command_prints_the_file() -> None:
    result = run_checker("rule", "--all", "--output-format", "markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout == RULES_MD.read_text(encoding="utf-8")


def test_every_rule_is_documented_with_its_facts() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in BUILTIN_RULES:
        section = text.split(f"\n## {rule.code} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"(#{rule.docs_anchor()})" in text
        assert rule.summary in section
        assert f"Default severity: {rule.default_severity}" in section
        assert f"Fix: {fix_text(rule)}" in section
        assert f"Default: {default_text(rule)}" in section
        assert "What it checks" in section and "Why" in section and "Example" in section
        for name in rule.Options.model_fields:
            field = rule.Options.model_fields[name]
            assert f"`{field.alias or name}`" in section


def test_rule_json_serves_tooling() -> None:
    result = run_checker("rule", "--all", "--output-format", "json")
    assert result.returncode == 0, result.stderr
    rules = json.loads(result.stdout)
    assert [r["code"] for r in rules] == [rule.code for rule in BUILTIN_RULES]
    for info in rules:
        assert set(info) >= {"code", "name", "summary", "severity", "fix", "options", "docs"}
        assert info["anchor"] == f"{info['code'].lower()}-{info['name']}"
