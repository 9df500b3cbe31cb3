"""The structure rules: sub-sections on the other site's pages (tests/fixtures/other-site) are
looked for under their own section's heading only, each missing one is said with the heading
to add, and the H1 and preamble rules follow the template's `h1` setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import fix_text
from tests.fix_pages import V1_BODY, V1_HEAD, V2_SECTIONS, v2_page
from tests.rule_fixtures import check_only
from tests.test_template_language import MEDICINE, line_of

IBUPROFEN = "pages/medicines/ibuprofen.md"


def found(
    other_site: Path, code: str, page: str, old: str = "", new: str = ""
) -> list[tuple[int, str]]:
    path = other_site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = check_only(code, [path], other_site / "checker.toml")
    return [(v.line, v.message) for v in report.violations]


def test_the_clean_pages_miss_no_sub_section(other_site: Path) -> None:
    for page in (MEDICINE, IBUPROFEN):
        assert found(other_site, "ST001", page) == []


SUB_SECTION = "section 'Dosage' has no required sub-section '{name}'; add `{heading}` inside it"


@pytest.mark.parametrize(
    ("edits", "missing"),
    [
        pytest.param(
            [("### Standard Dosage\n", "### Usual Dosage\n")], "### Standard Dosage", id="renamed"
        ),
        # `#### Adults` under `### Missed Dose` is not under `### Standard Dosage`.
        pytest.param(
            [
                ("#### Adults\n", "#### Dose\n"),
                ("Skip the missed dose", "#### Adults\n\nSkip the missed dose"),
            ],
            "#### Adults",
            id="under-another-parent",
        ),
        pytest.param(
            [
                ("### Standard Dosage\n\n#### Adults\n\n", ""),
                (
                    "## **Warnings**\n",
                    "## **Warnings**\n\n### Standard Dosage\n\n#### Adults\n\nTwo.\n",
                ),
            ],
            "### Standard Dosage",
            id="under-another-section",
        ),
        pytest.param([("#### Adults", "### Adults")], "#### Adults", id="wrong-level"),
        pytest.param([("### Missed Dose\n", "### Later\n")], None, id="optional-left-out"),
    ],
)
def test_a_sub_section_counts_only_under_its_own_section_at_its_level(
    other_site: Path, edits: list[tuple[str, str]], missing: str | None
) -> None:
    """A missing required sub-section is said at its section, with the heading to add."""
    path = other_site / IBUPROFEN
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    expected = []
    if missing is not None:
        message = SUB_SECTION.format(name=missing.lstrip("# "), heading=missing)
        expected = [(line_of(text, "## **Dosage**"), message)]
    assert found(other_site, "ST001", IBUPROFEN) == expected


def test_a_missing_section_names_its_form(other_site: Path) -> None:
    text = (other_site / IBUPROFEN).read_text(encoding="utf-8")
    assert found(other_site, "ST001", IBUPROFEN, "## **Side Effects**", "## **Effects**") == [
        (
            # The page has no H1: the finding stands at the first line of the body's content.
            line_of(text, "## **Overview**"),
            "required section 'Side Effects' is missing; add it as `## **Side Effects**`",
        )
    ]


def test_a_forbidden_h1_is_said_with_its_text(other_site: Path) -> None:
    assert found(
        other_site, "ST006", MEDICINE, "## **Overview**", "# Paracetamol\n\n## **Overview**"
    ) == [
        (
            line_of((other_site / MEDICINE).read_text(encoding="utf-8"), "# Paracetamol"),
            "the H1 'Paracetamol' is not wanted: the site's layout prints the title; remove it "
            "or make it a lower-level heading",
        )
    ]


def test_each_section_out_of_order_is_said_once_against_the_furthest(tmp_path: Path) -> None:
    swapped = V2_SECTIONS.replace(
        "### Usage\n\nUsed for pain.\n\n### Dosage\n\n500 mg.\n\n",
        "### Dosage\n\n500 mg.\n\n### Usage\n\nUsed for pain.\n\n### Extra\n\nX.\n\n"
        "### Usage\n\nAgain.\n\n",
    )
    late = V2_SECTIONS.replace("### Generic Name\n\nAcetylsalicylic acid\n\n", "").replace(
        "### FAQs", "### Generic Name\n\nX.\n\n### FAQs"
    )
    page = tmp_path / "page.md"
    found = []
    for body in (swapped, late):
        page.write_text(v2_page(body), encoding="utf-8")
        found += [(v.line, v.message) for v in check_only("ST002", [page]).violations]
    assert found == [
        (16, "section 'Usage' should come before 'Dosage' (line 12); move it up"),
        (28, "section 'Generic Name' should come before 'Precautions' (line 24); move it up"),
    ]


def test_a_label_alone_on_its_line_becomes_a_heading_over_its_text() -> None:
    labelled = V2_SECTIONS.replace("### Usage\n\nUsed for pain.", "**Usage:**\nUsed for pain.")
    assert fix_text(v2_page(labelled), select=("ST008",)) == v2_page(V2_SECTIONS)


def test_a_heading_with_a_colon_becomes_a_label_without_a_second_one() -> None:
    headed = V1_BODY.replace("**Usage:** Used for pain.", "### Usage:\n\nUsed for pain.")
    fixed = fix_text(V1_HEAD + headed, select=("ST008",))
    assert "\n**Usage:**" in fixed and "**Usage::**" not in fixed and "### Usage" not in fixed


def test_a_sentence_opening_with_a_section_name_is_no_section(tmp_path: Path) -> None:
    """`Usage: …` under the FAQs is a sentence of theirs: no repeat, no label to bold."""
    remark = "Usage: ask your pharmacist how to take it with food.\n\n"
    page = tmp_path / "page.md"
    page.write_text(V1_HEAD + V1_BODY.replace("**Disclaimer:**", remark + "**Disclaimer:**"))
    assert check_only("ST004", [page]).violations == []
    assert check_only("ST008", [page]).violations == []


def test_bolding_a_label_written_without_bold_is_an_unsafe_fix() -> None:
    plain = V1_BODY.replace("**Generic Name:** Acetylsalicylic acid", "Generic Name: Aspirin")
    assert fix_text(V1_HEAD + plain, select=("ST008",)) == V1_HEAD + plain
    fixed = fix_text(V1_HEAD + plain, select=("ST008",), unsafe=True)
    assert fixed == V1_HEAD + plain.replace("Generic Name: Aspirin", "**Generic Name:** Aspirin")
