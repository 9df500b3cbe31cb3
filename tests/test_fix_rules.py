"""Each rule's fix, applied through the fixer to small pages: the exact text it produces."""

from __future__ import annotations

from checker.lint.engine import fix_text
from tests.fix_pages import V1_BODY, V1_HEAD, V2_HEAD, V2_SECTIONS, v2_page


def fixed(text: str, *codes: str, unsafe: bool = False) -> str:
    return fix_text(text, unsafe=unsafe, select=codes or None)


def test_trailing_whitespace_is_removed_and_a_hard_break_kept_as_a_backslash() -> None:
    page = v2_page(V2_SECTIONS.replace("Used for pain.", "Used for pain.  \nAnd fever. \t"))
    assert "Used for pain.\\\nAnd fever.\n" in fixed(page, "FT001")


def test_trailing_whitespace_in_code_is_kept_by_safe_fixes() -> None:
    # The spaces are part of the code the page shows: only an unsafe fix removes them.
    page = v2_page(V2_SECTIONS + "\n```\ncode  \n```\n")
    assert "```\ncode  \n```" in fixed(page, "FT001")
    assert "```\ncode\n```" in fixed(page, "FT001", unsafe=True)


def test_final_newline_added_and_extra_ones_removed() -> None:
    page = v2_page(V2_SECTIONS)
    assert fixed(page.rstrip("\n"), "FT002") == page
    assert fixed(page + "\n\n\n", "FT002") == page


def test_runs_of_blank_lines_shrink_to_one() -> None:
    page = v2_page(V2_SECTIONS)
    assert fixed(page.replace("Nausea.\n\n", "Nausea.\n\n\n \n\n"), "FT003") == page


def test_blank_lines_are_added_around_top_level_headings_only() -> None:
    page = v2_page(V2_SECTIONS)
    squeezed = page.replace("### Usage\n\n", "### Usage\n").replace(
        "\n\n### Dosage", "\n### Dosage"
    )
    assert fixed(squeezed, "FT004") == page
    quoted = v2_page(V2_SECTIONS + "\n> quoted\n> ## Inside\n")
    assert fixed(quoted, "FT004") == quoted


def test_tabs_no_break_spaces_and_line_endings() -> None:
    page = v2_page(V2_SECTIONS)
    odd = page.replace("500 mg.", "500\u00a0mg.\tDaily.").replace("Nausea.", "\tNausea.")
    result = fixed(odd, "FT007")
    assert "500 mg. Daily." in result  # the tab reached the next stop, column 8
    assert "\n\tNausea." in result  # a tab-indented code block is code, left as written
    assert fixed(page.replace("\n", "\r"), "FT007") == page
    mixed = page.replace("\n", "\r\n", 2)
    assert fixed(mixed, "FT007") == page


def test_zero_width_characters_need_unsafe_fixes() -> None:
    page = v2_page(V2_SECTIONS.replace("500 mg", "500\u200bmg"))
    assert fixed(page, "FT007") == page
    assert "500mg" in fixed(page, "FT007", unsafe=True)


def test_bold_label_becomes_a_heading_and_wrong_levels_are_corrected() -> None:
    page = v2_page(V2_SECTIONS)
    labelled = page.replace("### Usage\n\n", "**Usage:** ").replace("### Dosage", "## Dosage")
    assert fixed(labelled, "ST008") == page


def test_label_without_text_becomes_a_bare_heading() -> None:
    page = v2_page(
        V2_SECTIONS.replace("### Side Effects\n\nNausea.", "### Side Effects\n\n* Nausea.")
    )
    labelled = page.replace("### Side Effects\n\n", "**Side Effects:**\n\n")
    assert fixed(labelled, "ST008") == page


def test_list_labels_are_left_alone() -> None:
    page = v2_page(V2_SECTIONS.replace("### Precautions\n\n", "* **Precautions:** "))
    assert fixed(page, "ST008") == page


def test_heading_becomes_a_bold_label_under_a_label_template() -> None:
    page = V1_HEAD + V1_BODY
    headed = page.replace("**Usage:** ", "### Usage\n\n").replace("**FAQs:**", "## FAQs")
    result = fixed(headed, "ST008")
    assert "**Usage:** Used for pain." in result
    assert "\n**FAQs:**\n\n* **Is it safe?**" in result


def test_missing_disclaimer_is_inserted_only_with_unsafe_fixes() -> None:
    page = v2_page(V2_SECTIONS)
    bare = v2_page(V2_SECTIONS, disclaimer=False)
    assert fixed(bare, "DS001") == bare
    assert fixed(bare, "DS001", unsafe=True) == page


def test_weak_disclaimer_is_replaced_by_the_canonical_text() -> None:
    page = v2_page(V2_SECTIONS)
    weak = V2_HEAD + V2_SECTIONS + "\n**Disclaimer:** Be careful out there.\n"
    assert fixed(weak, "DS002", unsafe=True) == page


def test_missing_disclaimer_goes_before_the_closing_note() -> None:
    page = V1_HEAD + V1_BODY
    start = page.index("**Disclaimer:**")
    bare = page[:start] + page[page.index("**Note:**") :]
    result = fixed(bare, "DS001", unsafe=True)
    assert result.index("**Disclaimer:**") < result.index("**Note:**")


def test_closing_note_is_inserted_and_restored() -> None:
    page = V1_HEAD + V1_BODY
    without = page[: page.index("**Note:**")].rstrip("\n") + "\n"
    assert fixed(without, "DS004", unsafe=True) == page
    altered = page.replace("may not be accurate", "is surely right")
    assert fixed(altered, "DS004", unsafe=True) == page


def test_a_closing_note_that_is_not_last_is_moved_to_the_end() -> None:
    page = V1_HEAD + V1_BODY
    note = page[page.index("**Note:**") :]
    stray = page.replace(note, "") + "A stray last line.\n\n" + note
    assert (
        fixed(stray, "DS004", unsafe=True)
        == page.replace(note, "") + "A stray last line.\n\n" + note
    )
    moved = page.replace(note, note + "\nA stray last line.\n")
    assert fixed(moved, "DS004") == moved
    assert fixed(moved, "DS004", unsafe=True) == stray


def test_h1_is_set_from_the_title_with_markup_escaped() -> None:
    page = v2_page(V2_SECTIONS.replace("# Aspirin", '# "Aspirin"'))
    assert "\n# Aspirin\n" in fixed(page, "FM004", unsafe=True)
    starred = page.replace("title: Aspirin", "title: 'Aspirin *forte*'")
    assert "\n# Aspirin \\*forte\\*\n" in fixed(starred, "FM004", unsafe=True)


def test_dose_spacing_is_a_safe_fix() -> None:
    page = v2_page(V2_SECTIONS.replace("500 mg", "500mg"))
    assert page != v2_page(V2_SECTIONS)
    assert fixed(page, "CT006") == v2_page(V2_SECTIONS)


def test_dose_abbreviations_are_rewritten_only_with_unsafe_fixes() -> None:
    page = v2_page(V2_SECTIONS.replace("500 mg", "Take .5 mg qd, 5.0 mg, 10U, 5ug or 2 cc"))
    assert fixed(page, "CT005") == page
    assert "Take 0.5 mg daily, 5 mg, 10 units, 5 mcg or 2 mL" in fixed(page, "CT005", unsafe=True)
