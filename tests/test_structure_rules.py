"""The structure rules on the other site's pages (tests/fixtures/other-site): sub-sections are
looked for under their own section's heading only, each missing one is said with the heading
to add, and the H1 and preamble rules follow the template's `h1` setting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.rule_fixtures import check_only
from tests.test_template_language import MEDICINE, SITE, line_of

IBUPROFEN = "pages/medicines/ibuprofen.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    return copy


def found(site: Path, code: str, page: str, old: str = "", new: str = "") -> list[tuple[int, str]]:
    path = site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = check_only(code, [path], site / "checker.toml")
    return [(v.line, v.message) for v in report.violations]


def test_the_clean_pages_miss_no_sub_section(site: Path) -> None:
    for page in (MEDICINE, IBUPROFEN):
        assert found(site, "ST001", page) == []


def test_a_missing_sub_section_names_the_heading_to_add(site: Path) -> None:
    text = (site / IBUPROFEN).read_text(encoding="utf-8")
    dosage = line_of(text, "## **Dosage**")
    assert found(site, "ST001", IBUPROFEN, "### Standard Dosage\n", "### Usual Dosage\n") == [
        (
            dosage,
            "section 'Dosage' has no required sub-section 'Standard Dosage'; add "
            "`### Standard Dosage` inside it",
        )
    ]


def test_a_sub_sub_section_counts_only_under_its_own_parent(site: Path) -> None:
    """`#### Adults` under `### Missed Dose` is not under `### Standard Dosage`."""
    text = (site / IBUPROFEN).read_text(encoding="utf-8")
    moved = text.replace("#### Adults\n", "#### Dose\n", 1).replace(
        "Skip the missed dose", "#### Adults\n\nSkip the missed dose", 1
    )
    (site / IBUPROFEN).write_text(moved, encoding="utf-8")
    assert found(site, "ST001", IBUPROFEN) == [
        (
            line_of(moved, "## **Dosage**"),
            "section 'Dosage' has no required sub-section 'Adults'; add `#### Adults` inside it",
        )
    ]


def test_a_sub_section_under_another_section_does_not_count(site: Path) -> None:
    text = (site / IBUPROFEN).read_text(encoding="utf-8")
    moved = text.replace("### Standard Dosage\n\n#### Adults\n\n", "", 1).replace(
        "## **Warnings**\n", "## **Warnings**\n\n### Standard Dosage\n\n#### Adults\n\nTwo.\n", 1
    )
    (site / IBUPROFEN).write_text(moved, encoding="utf-8")
    assert found(site, "ST001", IBUPROFEN) == [
        (
            line_of(moved, "## **Dosage**"),
            "section 'Dosage' has no required sub-section 'Standard Dosage'; add "
            "`### Standard Dosage` inside it",
        )
    ]


def test_a_sub_section_at_the_wrong_level_does_not_count(site: Path) -> None:
    assert [line for line, _ in found(site, "ST001", IBUPROFEN, "#### Adults", "### Adults")] == [
        line_of((site / IBUPROFEN).read_text(encoding="utf-8"), "## **Dosage**")
    ]


def test_an_optional_sub_section_may_be_left_out(site: Path) -> None:
    assert found(site, "ST001", IBUPROFEN, "### Missed Dose\n", "### Later\n") == []


def test_a_missing_section_names_its_form(site: Path) -> None:
    text = (site / IBUPROFEN).read_text(encoding="utf-8")
    assert found(site, "ST001", IBUPROFEN, "## **Side Effects**", "## **Effects**") == [
        (
            # The page has no H1: the finding stands at the first line of the body's content.
            line_of(text, "## **Overview**"),
            "required section 'Side Effects' is missing; add it as `## **Side Effects**`",
        )
    ]


def test_a_forbidden_h1_is_said_with_its_text(site: Path) -> None:
    assert found(
        site, "ST006", MEDICINE, "## **Overview**", "# Paracetamol\n\n## **Overview**"
    ) == [
        (
            line_of((site / MEDICINE).read_text(encoding="utf-8"), "# Paracetamol"),
            "the H1 'Paracetamol' is not wanted: the site's layout prints the title; remove it "
            "or make it a lower-level heading",
        )
    ]
