"""Output that helps triage: fix marks and counts, fix safety in `checker rules` and
`checker rule`, and rule links that work outside the repository."""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from checker import DEFAULT_DOCS_URL
from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.base import FixAvailability, FixSafety
from checker.rules.registry import BUILTIN_RULES
from tests.conftest import ROOT, run_checker
from tests.fix_pages import DEFECT_PAGES

RULES = ROOT / "tests" / "fixtures" / "rules"


def test_fixable_findings_are_marked_and_counted(tmp_path: Path) -> None:
    # FT001.md has two trailing-whitespace findings (safe fix; one of them a trailing tab, which
    # FT007 leaves to FT001) and no disclaimer (DS001, unsafe fix).
    (tmp_path / "checker.toml").write_text("")
    shutil.copyfile(RULES / "FT001.md", tmp_path / "page.md")
    shutil.copyfile(ROOT / "content" / "a" / "aspirin.md", tmp_path / "aspirin.md")
    # Both pages are titled Aspirin: leave out the duplicate-title finding.
    result = run_checker("check", ".", "--ignore", "XP001", "--no-cache", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert [line.split()[1:3] for line in lines if " FT001 " in line] == [["FT001", "[*]"]] * 2
    assert any(" DS001 [~] [error] " in line for line in lines)
    assert any(" ST001 [error] " in line for line in lines)
    assert "Found 8 violations in 1 of 2 files checked: 6 errors, 2 warnings." in result.stderr
    assert (
        "[*] 2 fixable with `checker check --fix` (1 more with `--unsafe-fixes`)." in result.stderr
    )


def test_only_unsafe_fixes_get_their_own_line(tmp_path: Path) -> None:
    shutil.copyfile(RULES / "DS001.md", tmp_path / "page.md")
    result = run_checker("check", "page.md", "--select", "DS001", "--no-cache", cwd=tmp_path)
    assert "Found 1 violation in 1 of 1 file checked: 1 error, 0 warnings." in result.stderr
    assert "[~] 1 fixable with `checker check --fix --unsafe-fixes`." in result.stderr


def test_checker_rules_shows_fix_safety_and_default() -> None:
    result = run_checker("rules")
    assert result.returncode == 0
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    assert rows["CODE"][:6] == ["CODE", "NAME", "SEVERITY", "FIX", "DEFAULT", "SUMMARY"]
    assert rows["DS001"][3:5] == ["unsafe", "on"]
    assert rows["FT001"][3:5] == ["safe", "on"]
    assert rows["FT007"][3:5] == ["mixed", "on"]
    assert rows["CT005"][3:5] == ["unsafe?", "on"]
    assert rows["ST001"][3:5] == ["-", "on"]
    assert rows["XP003"][3:5] == ["-", "off"]
    assert rows["SP003"][3:5] == ["-", "off"]


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        ("DS001", "- Fix: unsafe fix (applied by `--fix --unsafe-fixes`)"),
        ("FT001", "- Fix: safe fix (applied by `--fix`)"),
        ("ST001", "- Fix: no fix"),
    ],
)
def test_checker_rule_says_how_it_fixes_and_links_its_docs(code: str, fix: str) -> None:
    result = run_checker("rule", code)
    assert fix in result.stdout.splitlines()
    rule = next(rule for rule in BUILTIN_RULES if rule.code == code)
    assert f"Docs: {DEFAULT_DOCS_URL}#{rule.docs_anchor()}" in result.stdout
    assert DEFAULT_DOCS_URL.startswith("https://")


def test_docs_url_setting_is_used_by_every_link(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('docs-url = "https://docs.example.org/rules/"\n')
    shutil.copyfile(RULES / "FT001.md", tmp_path / "page.md")
    expected = "https://docs.example.org/rules#ft001-trailing-whitespace"
    assert f"Docs: {expected}" in run_checker("rule", "FT001", cwd=tmp_path).stdout

    def output(fmt: str) -> str:
        args = ("check", "page.md", "--select", "FT001", "--no-cache", "--output-format", fmt)
        return run_checker(*args, cwd=tmp_path).stdout

    assert json.loads(output("json"))[0]["url"] == expected
    sarif = json.loads(output("sarif"))
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] == expected
    assert expected in json.loads(output("gitlab"))[0]["content"]["body"]
    assert f'href="{expected}"' in output("html")
    listed = json.loads(run_checker("rules", "--output-format", "json", cwd=tmp_path).stdout)
    assert [info["url"] for info in listed if info["code"] == "FT001"] == [expected]
    explained = run_checker("rule", "FT001", "--output-format", "json", cwd=tmp_path).stdout
    assert json.loads(explained)["url"] == expected
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "checker.toml").write_text('docs-url = "docs/rules.md"\n')
    refused = run_checker("check", ".", cwd=bad)
    assert refused.returncode == 2
    assert f"{bad / 'checker.toml'}: docs-url" in refused.stderr


def test_the_default_docs_url_is_the_projects_declared_address() -> None:
    import tomllib

    from checker import REPOSITORY_URL

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Repository"] == urls["Homepage"] == REPOSITORY_URL
    assert urls["Documentation"] == DEFAULT_DOCS_URL
    assert f"{REPOSITORY_URL}/blob/main/docs/rules.md" == DEFAULT_DOCS_URL
    assert (ROOT / "docs" / "rules.md").is_file()
    # Every link a user is given (install hints, the hook, the action) is that address.
    owner_name = REPOSITORY_URL.removeprefix("https://github.com/")
    for name in ("README.md", "action.yml", "docs/config.md", "docs/output-formats.md"):
        text = (ROOT / name).read_text()
        for found in re.findall(r"github\.com/([\w.-]+/[\w.-]+)", text):
            assert found == owner_name, (name, found)
        for found in re.findall(r"uses: ([\w.-]+/[\w.-]+)@", text):
            if not found.startswith("actions/"):
                assert found == owner_name, (name, found)


def test_declared_fix_safety_matches_the_fixes_offered() -> None:
    targets = [Target(None, f"{name}.md", text.encode()) for name, text in DEFECT_PAGES.items()]
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        targets.extend(Target(path, path.name) for path in sorted(folder.rglob("*.md")))
    engine = Engine(Overrides(select=("ALL",)), ConfigFinder())
    offered: dict[str, set[bool]] = defaultdict(set)
    for target in targets:
        for violation in engine.check_target(target).violations:
            if violation.fix is not None:
                offered[violation.code].add(violation.fix.is_safe)
    for rule in BUILTIN_RULES:
        if rule.fix is FixAvailability.NEVER:
            continue
        expected = {
            FixSafety.SAFE: {True},
            FixSafety.UNSAFE: {False},
            FixSafety.MIXED: {True, False},
        }[rule.fix_safety]
        assert offered[rule.code] == expected, rule.code
