"""Pinned verdicts on real pages, read from ../shared/corpus (skipped when absent).

Each case was reviewed by hand for docs/corpus-report.md; nothing from the corpus is copied here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.rule_fixtures import check_only

pytestmark = pytest.mark.corpus

# (page, rule, lines flagged on that page; empty when the page must pass)
CASES = [
    ("o/omega.md", "CT002", [7]),  # asks for the generic name
    ("p/protein.md", "CT002", [7]),  # cannot create the document from its input
    ("o/omega-.md", "CT002", []),  # a hypothetical drug, but with every section
    ("c/clonazepam.md", "CT002", []),
    ("a/atropine-tetracycline.md", "CT001", [7]),  # "I cannot provide ..." after "Please note:"
    ("c/clonazepam.md", "CT001", []),
    ("p/perphenazine.md", "CT003", [65]),  # the last precaution opens bold and never closes it
    # `** Perforated eardrum:**` did not render as bold, but nothing is cut off.
    ("o/ofloxacin-fluocinolone-acetonide-clotrimazole-chlorocresol.md", "CT003", []),
    ("v/vincristine.md", "CT005", [17]),  # 2.0 mg/m2, a dose with a trailing zero
    ("l/lanthanum-carbonate.md", "CT005", []),  # 6.0 mg/dL is a lab value
    ("l/levomefolate-calcium.md", "CT005", [16]),  # qd
    ("o/omega-.md", "XP004", [3]),  # title "Omega-"
    ("c/clonazepam-.md", "XP004", [3]),  # title "Clonazepam ."
    ("c/clonazepam.md", "XP004", []),
]


@pytest.mark.parametrize(("page", "code", "lines"), CASES)
def test_pinned_verdict(corpus: Path, page: str, code: str, lines: list[int]) -> None:
    report = check_only(code, [corpus / page])
    assert [v.line for v in report.violations if v.code == code] == lines


def test_seed_page_passes_every_content_rule(seed: Path) -> None:
    assert check_only("CT", [seed]).violations == []


def test_review_file_names_real_pages_with_verdicts_and_reasons(corpus: Path) -> None:
    review = yaml.safe_load((ROOT / "docs" / "corpus-review.yaml").read_text(encoding="utf-8"))
    assert {"CT001", "CT002", "CT003", "CT005", "XP001", "XP002", "CT002-recall"} <= set(review)
    for section, entries in review.items():
        for entry in entries:
            assert set(entry) == {"page", "verdict", "why"}, (section, entry)
            assert (corpus / entry["page"]).is_file(), (section, entry["page"])
            assert isinstance(entry["verdict"], bool) and entry["why"].strip()
