"""Section detection: every form the real pages use is a section, and bold content is not."""

from __future__ import annotations

import pytest

from checker.document.names import ingredients, name_section
from checker.document.page import Page
from checker.project.config import default_config
from tests.conftest import ROOT

PACK = default_config(ROOT).pack
V1 = PACK.template("drug-v1")


def outline(text: str, template_name: str = "drug-v1") -> list[tuple[int, str | None, str]]:
    """(line, template key or None, form) of each section the page's outline holds."""
    page = Page(None, "page.md", text.encode())
    page.attach_template(PACK.template(template_name))
    return [(s.line, s.key, s.marker.form) for s in page.sections]


HEAD = "---\ntitle: X\n---\n\n# X\n\n"  # the body starts at line 5


def test_every_section_form() -> None:
    body = (
        "**Generic Name: Clonazepam**\n\n"  # 7: the value inside the bold
        "**Usage:** Seizures.\n\n"  # 9: a bold label opening a paragraph
        "**Side Effects** Drowsiness.\n\n"  # 11: no colon
        "### How It Works\n\n"  # 13: a heading, any case
        "It acts on GABA receptors.\n\n"
        "**faqs (for each drug):**\n\n"  # 17: lower case, a trailing parenthetical
        "* **Is it addictive?** It can be.\n"  # 19: a bold question is content
    )
    assert outline(HEAD + body) == [
        (7, "generic name", "label"),
        (9, "usage", "label"),
        (11, "side effects", "label"),
        (13, "how it works", "heading"),
        (17, "faqs", "label"),
    ]


def test_a_bold_label_opening_a_list_is_a_section() -> None:
    body = "* **Generic Name:** Clonazepam\n\n**Usage:** Seizures.\n"
    assert outline(HEAD + body) == [(7, "generic name", "list-label"), (9, "usage", "label")]


def test_bold_labels_that_name_no_section_are_content() -> None:
    body = (
        "**Side Effects:** Common ones:\n\n"  # 7
        "* **Central Nervous System:** drowsiness.\n"  # 9: content
        "* **Cardiovascular:** palpitations.\n\n"
        "**Important Note:** Take with food.\n\n"  # 12: content
        "**FAQs:**\n\n"  # 14
        "**Can I drive?** Not at first.\n"  # 16: a bold question is content
    )
    assert outline(HEAD + body) == [(7, "side effects", "label"), (14, "faqs", "label")]


def test_a_label_without_bold_is_a_section_only_where_a_section_can_stand() -> None:
    sections = "**Usage:** Pain.\n\n**Side Effects:** Nausea.\n\n**FAQs:**\n\n* **Safe?** Yes.\n\n"
    # Before the first section it opens one; under the FAQs it is a sentence of theirs.
    first = "Generic Name: Zentamol\n\n" + sections  # 7, then 9, 11, 13
    later = sections + "Usage: ask your pharmacist how to take it with food.\n"  # 17
    assert outline(HEAD + first) == [
        (7, "generic name", "plain-label"),
        (9, "usage", "label"),
        (11, "side effects", "label"),
        (13, "faqs", "label"),
    ]
    assert outline(HEAD + later) == [
        (7, "usage", "label"),
        (9, "side effects", "label"),
        (11, "faqs", "label"),
    ]
    # On a page that writes its sections so, each of them opens one wherever it stands.
    plain = "Usage: Pain.\n\n**Side Effects:** Nausea.\n\nHow it Works: It blocks COX.\n"
    assert [form for _, _, form in outline(HEAD + plain)] == ["plain-label", "label", "plain-label"]


def test_aliases_name_the_same_section() -> None:
    body = "### Generic Names\n\nX\n\n### Uses\n\nY\n\n### Frequently Asked Questions\n\nZ\n"
    assert [key for _, key, _ in outline(HEAD + body, "drug-v2")] == [
        "generic name",
        "usage",
        "faqs",
    ]


def test_unknown_headings_at_section_level_are_unknown_sections() -> None:
    body = "### Usage\n\nX\n\n#### Children\n\nY\n\n### Alprazolam\n\nZ\n"
    assert outline(HEAD + body, "drug-v2") == [(7, "usage", "heading"), (15, None, "heading")]


def test_crlf_pages_have_the_same_outline() -> None:
    body = "### Usage\r\n\r\nX\r\n\r\n### Dosage\r\n\r\nY\r\n"
    crlf = outline(HEAD.replace("\n", "\r\n") + body, "drug-v2")
    assert crlf == outline(HEAD + body.replace("\r\n", "\n"), "drug-v2")
    assert crlf == [(7, "usage", "heading"), (11, "dosage", "heading")]


def test_the_disclaimer_and_the_note_are_not_sections() -> None:
    body = (
        "**Usage:** X.\n\n"
        "**Disclaimer:** Not medical advice; consult a doctor.\n\n"  # 9
        "**Note:** AI-generated.\n"  # 11
    )
    page = Page(None, "page.md", (HEAD + body).encode())
    page.attach_template(V1)
    assert [s.key for s in page.sections] == ["usage"]
    assert [d.line for d in page.outline.disclaimers] == [9]
    assert page.outline.note is not None and page.outline.note.line == 11


def test_front_matter_keys_know_their_lines() -> None:
    page = Page(None, "page.md", b"---\nlayout: minimal\n\ntitle: X\nnav_exclude: true\n---\n")
    assert page.front_matter is not None
    assert page.front_matter.key_lines == {"layout": 2, "title": 4, "nav_exclude": 5}


def _page(text: str, template_name: str) -> Page:
    page = Page(None, "page.md", text.encode())
    page.attach_template(PACK.template(template_name))
    return page


def test_the_ingredients_come_from_the_title() -> None:
    assert ingredients("Zentamol 500mg + Quorvane (Q-7) 0.1%") == {"zentamol", "quorvane"}
    assert ingredients("Vitamin B12, Zinc and Folic Acid/Iron") == {
        "vitamin b12",
        "zinc",
        "folic acid",
        "iron",
    }


@pytest.mark.parametrize(
    ("text", "key", "qualifier", "value"),
    [
        ("Usage (Zentamol)", "usage", "Zentamol", ""),
        ("Zentamol Usage", "usage", "Zentamol", ""),
        ("Side Effects of Quorvane", "side effects", "Quorvane", ""),
        ("Quorvane: Dosage", "dosage", "Quorvane", ""),
        ("Zentamol (Generic Name)", "generic name", "Zentamol", ""),
        ("Generic Name: Zentamol + Quorvane", "generic name", "", "Zentamol + Quorvane"),
    ],
)
def test_a_section_split_per_ingredient_names_the_section(
    text: str, key: str, qualifier: str, value: str
) -> None:
    lookup = PACK.template("drug-v2").section_lookup
    named = name_section(text, lookup, ingredients("Zentamol + Quorvane"), heading=True)
    assert named is not None
    assert (named.spec.key, named.qualifier, named.value) == (key, qualifier, value)


def test_words_that_are_not_an_ingredient_do_not_qualify_a_section() -> None:
    lookup = PACK.template("drug-v2").section_lookup
    names = ingredients("Zentamol + Quorvane")
    assert name_section("Serious Side Effects", lookup, names) is None
    assert name_section("Usage in children", lookup, names) is None


def test_sections_listed_under_each_ingredient_are_present() -> None:
    body = (
        "**Zentamol:**\n\n"  # 7: one ingredient's own set, as a list
        "* **Generic Name:** Zentamol\n* **Usage:** Pain.\n* **Side Effects:** Nausea.\n\n"
        "**Rare side effects:**\n\n"  # 11: a label alone, holding no sections: content
        "* **Rash:** Stop taking it.\n"
    )
    page = _page(
        "---\ntitle: Zentamol + Quorvane\n---\n\n# Zentamol + Quorvane\n\n" + body, "drug-v1"
    )
    assert [(s.line, s.key, s.role) for s in page.sections] == [(7, None, "listed-group")]
    assert page.outline.listed_keys == {"generic name", "usage", "side effects"}


def test_a_label_that_divides_its_own_section_is_content() -> None:
    body = (
        "### Side Effects\n\nNausea.\n\n"  # 7
        "**Side effects (rare):** Rash.\n\n"  # 11: divides the section above
        "### Usage\n\nPain.\n\n"  # 13
        "**Usage:** Again.\n"  # 17: its own name in a lesser form, inside it: content
    )
    page = _page(HEAD + body, "drug-v2")
    assert [(s.line, s.key) for s in page.sections] == [
        (7, "side effects"),
        (13, "usage"),
    ]


def test_a_heading_that_names_a_section_keeps_its_own_block() -> None:
    """The section's marker holds the value after the name; the heading the outline lists is
    the heading as written, not the same block changed."""
    page = Page(None, "page.md", (HEAD + "### Generic Name: Clonazepam\n\nText.\n").encode())
    page.attach_template(PACK.template("drug-v2"))
    [section] = page.sections
    [heading] = page.outline.headings
    assert section.marker.value == "Clonazepam"
    assert heading.value == ""
    assert heading.label == section.marker.label


def test_a_heading_inside_a_block_quote_or_a_list_item_is_quoted_content() -> None:
    # Restyling such a heading as a label would change the quote it stands in.
    body = (
        "**Generic Name:** Aspirin\n\n"  # 7
        "> Quoted.\n> ## Usage\n\n"  # 9: a heading in a block quote
        "* ### Side Effects\n\n"  # 12: a heading in a list item
        "### Usage\n\n"  # 14
        "Pain.\n"
    )
    assert outline(HEAD + body) == [(7, "generic name", "label"), (14, "usage", "heading")]
