"""Fix mode's first check runs only the rules that can fix (the probe). Fixing with the probe
must give exactly what fixing with a full first check gives: the same bytes, the same findings,
the same counts, safe and unsafe, on the fixture pages, the example pages and a corpus sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.fixpass import probe_codes
from checker.lint.reporting import REFUSAL_CODE
from checker.lint.resolver import Overrides, build_ruleset
from checker.project.config import default_config
from checker.rules.base import FixAvailability, FixSafety
from tests.conftest import ROOT, require_corpus, run_checker
from tests.fix_pages import EXAMPLE_PAGES, Fixed, corpus_sample, fix_result

RULESET = build_ruleset(default_config(ROOT), Overrides())


def _fixed(path: Path, unsafe: bool, with_probe: bool) -> Fixed:
    return fix_result(path, RULESET, unsafe, with_probe)


def test_the_probe_holds_every_rule_that_can_fix_and_the_refusal_rule() -> None:
    probe = probe_codes(RULESET, unsafe=True)
    fixing = {a.rule.code for a in RULESET.active if a.rule.fix is not FixAvailability.NEVER}
    assert fixing <= probe
    assert REFUSAL_CODE in probe
    # The probe is smaller than the full set, or it would save nothing.
    assert probe < RULESET.codes


def test_without_unsafe_fixes_the_probe_leaves_out_the_rules_whose_fixes_are_all_unsafe() -> None:
    safe = probe_codes(RULESET, unsafe=False)
    rules = {a.rule.code: a.rule for a in RULESET.active if a.rule.fix is not FixAvailability.NEVER}
    only_unsafe = {code for code, rule in rules.items() if rule.fix_safety is FixSafety.UNSAFE}
    assert {"DS001", "CT005"} <= only_unsafe
    assert not safe & only_unsafe
    assert set(rules) - only_unsafe <= safe
    assert safe < probe_codes(RULESET, unsafe=True)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", EXAMPLE_PAGES, ids=lambda p: p.name)
def test_fixing_with_the_probe_equals_fixing_with_a_full_check(path: Path, unsafe: bool) -> None:
    assert _fixed(path, unsafe, True) == _fixed(path, unsafe, False)


@pytest.mark.corpus
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixing_with_the_probe_equals_fixing_with_a_full_check_on_real_pages(unsafe: bool) -> None:
    require_corpus()
    for path in corpus_sample(150):
        assert _fixed(path, unsafe, True) == _fixed(path, unsafe, False), path


def test_a_page_that_cannot_be_written_keeps_all_its_findings(tmp_path: Path) -> None:
    """The probe found fixes, the write was refused: every rule's finding is still reported."""
    page = tmp_path / "examplamine.md"
    page.write_text(
        "---\nlayout: minimal-medicine\ntitle: Examplamine\n---\n# Examplamine   \n\n"
        "I hope this helps. Take 500mg daily.\n",
        encoding="utf-8",
    )
    page.chmod(0o444)
    checked = run_checker("check", "--output-format", "concise", str(page), cwd=tmp_path)
    fixed = run_checker(
        "check", "--fix", "--no-cache", "--output-format", "concise", str(page), cwd=tmp_path
    )
    assert "the file is read-only" in fixed.stderr
    assert checked.returncode == fixed.returncode == 1
    assert "CT001" in checked.stdout  # a rule outside the probe
    assert fixed.stdout == checked.stdout


def test_a_page_refused_within_a_batch_keeps_its_findings_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    """Pages are written together at the end of their batch: one refused write there turns only
    that page back into a page that was not fixed."""
    text = (
        "---\nlayout: minimal-medicine\ntitle: Page {n}\n---\n# Page {n}   \n\n"
        "I hope this helps. Take 500mg daily.\n"
    )
    pages = [tmp_path / f"page-{n}.md" for n in range(3)]
    for n, page in enumerate(pages):
        page.write_text(text.format(n=n), encoding="utf-8")
    pages[1].chmod(0o444)
    checked = run_checker("check", "--output-format", "concise", "--no-cache", ".", cwd=tmp_path)
    fixed = run_checker(
        "check", "--fix", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path
    )
    assert "page-1.md:1:1: not written" in fixed.stderr and "read-only" in fixed.stderr
    assert pages[1].read_text(encoding="utf-8") == text.format(n=1)
    assert all("500mg" not in page.read_text(encoding="utf-8") for page in (pages[0], pages[2]))
    refused = [line for line in fixed.stdout.splitlines() if line.startswith("page-1.md")]
    assert refused == [line for line in checked.stdout.splitlines() if line.startswith("page-1.md")]
    assert any(" CT001 " in line for line in refused)  # a rule outside the probe
    assert not any("CT006" in line for line in fixed.stdout.splitlines() if "page-1" not in line)
