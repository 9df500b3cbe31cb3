"""The evaluation script's measures of the rules that page labels cannot judge: site findings
judged one by one, and the formatting rules against markdownlint-cli2 (docs/evaluation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.rules.base import Severity, Violation
from tests.conftest import ROOT, load_script

evaluation = load_script("evaluation")


def finding(code: str, path: str, message: str, line: int = 1) -> Violation:
    return Violation(code, code.lower(), path, line, 1, line, 1, message, Severity.WARNING)


SITE = [
    finding(
        "XP001", "z/zentamol-.md", "title 'Zentamol .' is also the title of z/zentamol.md; keep one"
    ),
    finding(
        "XP001", "z/zentamol.md", "title 'Zentamol' is also the title of z/zentamol-.md; keep one"
    ),
    finding(
        "XP002",
        "q/quorvane.md",
        "body is 91% similar to q/quorvane-forte.md (estimated Jaccard similarity); merge them",
    ),
    finding("XP004", "o/omegol-.md", "title 'Omegol-' looks truncated: 'Omegol-' ends in '-'"),
    finding(
        "XP004", "v/vitamin-b-vitamin-b.md", "title looks truncated: 'Vitamin B' appears twice"
    ),
]


def test_a_site_finding_names_its_other_pages() -> None:
    assert evaluation.others_named(SITE[0]) == ("z/zentamol.md",)
    assert evaluation.others_named(SITE[2]) == ("q/quorvane-forte.md",)
    assert evaluation.others_named(SITE[3]) == ()


def test_the_site_sample_is_drawn_with_a_fixed_seed_and_capped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = evaluation.site_findings(SITE)
    monkeypatch.setattr(evaluation, "SITE_SAMPLE_SIZE", 1)
    first = evaluation.draw_site("rxhive-pages", found)
    again = evaluation.draw_site("rxhive-pages", found)
    assert first == again
    assert sorted(entry["rule"] for entry in first) == ["XP001", "XP002", "XP004"]
    assert all(set(entry) == {"corpus", "rule", "page", "others", "message"} for entry in first)


def test_site_precision_reads_verdicts_by_page_rule_and_partner(tmp_path: Path) -> None:
    labels = tmp_path / "labels-site-example.yaml"
    labels.write_text(
        "findings:\n"
        "  - {page: z/zentamol-.md, rule: XP001, others: [z/zentamol.md], verdict: defect}\n"
        "  - {page: z/zentamol.md, rule: XP001, others: [z/zentamol-.md], verdict: defect}\n"
        "  - {page: q/quorvane.md, rule: XP002, others: [q/quorvane-forte.md], verdict: no-defect}\n"
        "  - {page: o/omegol-.md, rule: XP004, verdict: defect}\n"
        "  - {page: v/vitamin-b-vitamin-b.md, rule: XP004, verdict: no-defect}\n"
        # Judged once, no longer reported: left out of the precision.
        "  - {page: x/gone.md, rule: XP004, verdict: no-defect}\n",
        encoding="utf-8",
    )
    found = evaluation.site_findings(SITE)
    scores = evaluation.site_precision(evaluation.load_site_labels(labels), found)
    assert scores == {"XP001": (2, 2, 0), "XP002": (1, 0, 0), "XP004": (2, 1, 1)}


def test_a_verdict_outside_the_two_is_refused(tmp_path: Path) -> None:
    labels = tmp_path / "labels-site-example.yaml"
    labels.write_text("findings:\n  - {page: a.md, rule: XP004, verdict: maybe}\n", "utf-8")
    with pytest.raises(SystemExit, match="verdict one of defect, no-defect"):
        evaluation.load_site_labels(labels)


def test_the_site_sample_is_never_written_into_the_project() -> None:
    args = type("Args", (), {"file": str(ROOT / "sample.yaml")})()
    with pytest.raises(SystemExit, match="inside the project"):
        evaluation.cmd_site_sample(args)
    assert not (ROOT / "sample.yaml").exists()


def test_formatting_agreement_counts_findings_line_by_line() -> None:
    ours = [
        finding("FT001", "a.md", "2 trailing whitespace characters; remove them", 3),
        finding("FT001", "a.md", "1 trailing whitespace character; remove them", 9),
        finding("FT002", "a.md", "the file does not end with a newline; add one", 12),
        finding("FT002", "b.md", "the file ends with 1 blank line; keep a single final newline", 4),
        finding("FT007", "a.md", "a no-break space (U+00A0); replace it with a plain space", 5),
    ]
    theirs = {("a.md", 3, "MD009"), ("a.md", 12, "MD047"), ("c.md", 1, "MD009")}
    scores = evaluation.agreement(ours, theirs)
    assert scores["FT001"] == (2, 1, 0, 2, 1)
    assert scores["FT002"] == (1, 1, 1, 1, 1)  # the repeated newline has no counterpart
    assert scores["FT007"] == (0, 0, 1, 0, 0)  # nor has a no-break space


def test_markdownlint_reports_what_ft_rules_report_on_a_page(tmp_path: Path) -> None:
    markdownlint = evaluation.find_markdownlint(None, setup=False)
    if markdownlint is None:
        pytest.skip("markdownlint-cli2 is not installed (benchmarks/run.py --setup installs it)")
    page = tmp_path / "zentamol.md"
    page.write_text(
        "---\ntitle: Zentamol\n---\n\n# Zentamol\n### Usage  \n\n\n\nPain.", encoding="utf-8"
    )
    found = evaluation.run_markdownlint(markdownlint, tmp_path, ["zentamol.md"])
    assert found >= {
        ("zentamol.md", 5, "MD022"),
        ("zentamol.md", 6, "MD009"),
        ("zentamol.md", 9, "MD012"),
        ("zentamol.md", 10, "MD047"),
    }, found
