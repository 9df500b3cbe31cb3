"""The fixer's own guarantees: verified passes, rejected fixes, bounded passes, untouched pages."""

from __future__ import annotations

from collections.abc import Callable

from checker.document.page import Page
from checker.document.prose import prose_blocks
from checker.fixing.fixer import apply_edits, choose_fixes, fix_page
from checker.lint.engine import fix_text
from checker.lint.results import FileResult
from checker.rules.base import Applicability, Edit, Fix, Severity, Violation
from tests.fix_pages import DEFECT_PAGES, V2_HEAD, V2_SECTIONS, v2_page


def _violation(code: str, fix: Fix | None, line: int = 1) -> Violation:
    return Violation(code, "test", "page.md", line, 1, line, 1, "test", Severity.WARNING, fix)


def _page(text: str) -> Page:
    return Page(None, "page.md", text.encode("utf-8"))


def _checker(propose: Callable[[Page], list[Violation]]) -> Callable[[Page], FileResult]:
    def check(page: Page) -> FileResult:
        return FileResult(page.display_path, None, propose(page))

    return check


def test_edits_apply_from_the_end_and_report_where_replacements_land() -> None:
    text, ranges = apply_edits("abcdef", [Edit(4, 5, "XY"), Edit(0, 1, ""), Edit(2, 2, "+")])
    assert text == "b+cdXYf"
    assert ranges == [(0, 0), (1, 2), (4, 6)]


def test_touching_fixes_wait_for_the_next_pass_and_identical_fixes_merge() -> None:
    same = Fix("blank", (Edit(5, 5, "\n"),))
    near = Fix("other", (Edit(5, 7, ""),))
    far = Fix("far", (Edit(20, 21, ""),))
    groups = choose_fixes(
        [_violation("A", same), _violation("B", same), _violation("C", near), _violation("D", far)]
    )
    assert [(g.fix.title, len(g.violations)) for g in groups] == [("blank", 2), ("far", 1)]


def test_a_fix_that_changes_html_outside_its_edits_is_rejected() -> None:
    text = V2_HEAD + "# Aspirin\n\nFirst paragraph.\n\nSecond paragraph.\n"
    start = text.index("First")
    # Claims to edit "First" but removes the blank line, merging the next paragraph into it.
    gap = text.index("\n\nSecond")

    def propose(page: Page) -> list[Violation]:
        if page.text != text:
            return []
        return [
            _violation(
                "X1", Fix("bad", (Edit(start, start + 5, "Initial"), Edit(gap, gap + 1, "")))
            )
        ]

    outcome = fix_page(_page(text), _checker(propose))
    assert not outcome.changed
    assert [r.reason for r in outcome.rejected] == [
        "it changes the rendered HTML of blocks outside its edits"
    ]


def test_a_fix_that_changes_a_link_reference_is_rejected_though_its_blocks_read_the_same() -> None:
    # A reference definition is no block of its own: the paragraph that uses it keeps its
    # source but not its HTML.
    text = V2_HEAD + "# Aspirin\n\nSee [the leaflet][ref].\n\n[ref]: https://a.example/\n"
    start = text.index("a.example")

    def propose(page: Page) -> list[Violation]:
        if page.text != text:
            return []
        return [_violation("X1", Fix("bad", (Edit(start, start + 1, "b"),)))]

    outcome = fix_page(_page(text), _checker(propose))
    assert not outcome.changed
    assert [r.reason for r in outcome.rejected] == [
        "it changes the rendered HTML of blocks outside its edits"
    ]


def test_a_fixed_page_reuses_inline_content_only_under_the_same_link_references() -> None:
    body = V2_HEAD + "# Aspirin\n\nSee [the leaflet][ref] and *this*.\n"
    before = _page(body)
    paragraph = next(t for t in before.tokens or [] if t.type == "inline" and "See" in t.content)
    same = Page(None, "page.md", (body + "\n").encode(), earlier=before)
    again = next(t for t in same.tokens or [] if t.type == "inline" and "See" in t.content)
    assert same.inline(again) is before.inline(paragraph)
    linked = Page(
        None, "page.md", (body + "\n[ref]: https://a.example/\n").encode(), earlier=before
    )
    token = next(t for t in linked.tokens or [] if t.type == "inline" and "See" in t.content)
    assert "link_open" in [c.type for c in linked.inline(token)]
    assert "link_open" not in [c.type for c in before.inline(paragraph)]


def test_a_fixed_page_reuses_the_front_matter_only_where_the_block_is_the_same() -> None:
    before = _page(V2_HEAD + "# Aspirin\n\nText.\n")
    assert before.front_matter is not None
    body_edit = Page(None, "page.md", (V2_HEAD + "\n# Aspirin\n\nText.\n").encode(), earlier=before)
    assert body_edit.front_matter is before.front_matter
    for changed in (
        V2_HEAD.replace("title: Aspirin", "title: Aspirin tablets"),  # another value
        "\n" + V2_HEAD,  # the same block, a line lower
    ):
        text = changed + "# Aspirin\n\nText.\n"
        reused = Page(None, "page.md", text.encode(), earlier=before)
        fresh = Page(None, "page.md", text.encode())
        assert reused.front_matter is not before.front_matter
        assert reused.front_matter == fresh.front_matter
        assert reused.front_matter_problem == fresh.front_matter_problem


def test_a_fixed_page_reuses_prose_text_on_the_lines_it_moved_to() -> None:
    body = "# Aspirin\n\nTake *one* tablet\ntwice a day.\n\nNo markup here,\njust lines.\n"
    before = _page(V2_HEAD + body)
    after_text = (V2_HEAD + "\n\n" + body + "\nTake *one* tablet\ntwice a day.\n").encode()
    earlier = list(prose_blocks(before))
    reused = list(prose_blocks(Page(None, "page.md", after_text, earlier=before)))
    # Taken over, not made again: the very same text.
    assert [block.text for block in reused[:3]] == [block.text for block in earlier]
    assert all(new.text is old.text for new, old in zip(reused[1:3], earlier[1:], strict=True))
    fresh = list(prose_blocks(Page(None, "page.md", after_text)))
    assert reused == fresh
    assert [block.starts for block in fresh][1:] == [
        ((0, 10), (16, 11)),
        ((0, 13), (16, 14)),
        ((0, 16), (16, 17)),
    ]


def test_a_fix_that_breaks_the_front_matter_is_rejected_and_a_good_one_still_applies() -> None:
    text = V2_HEAD + "# Aspirin\n\nText.  \n"
    colon = text.index("Aspirin")
    space = text.index("  \n")

    def propose(page: Page) -> list[Violation]:
        assert page.text is not None
        found = []
        if "title: Aspirin" in page.text:
            found.append(_violation("X1", Fix("bad", (Edit(colon, colon, ": ["),))))
        if "  \n" in page.text:
            at = page.text.index("  \n")
            found.append(_violation("X2", Fix("good", (Edit(at, at + 2, ""),)), line=8))
        return found

    outcome = fix_page(_page(text), _checker(propose))
    assert outcome.text == text[:space] + text[space + 2 :]
    assert outcome.fixed == 1
    assert len(outcome.rejected) == 1 and "no longer parses" in outcome.rejected[0].reason


def test_fixes_that_never_settle_stop_at_the_bound_and_are_reported() -> None:
    def propose(page: Page) -> list[Violation]:
        assert page.text is not None
        end = len(page.text)
        return [_violation("X1", Fix("grow", (Edit(end, end, "x"),)))]

    outcome = fix_page(_page(V2_HEAD + "# A\n\ntext"), _checker(propose), max_passes=3)
    assert not outcome.converged
    assert outcome.text.endswith("textxxx")
    assert outcome.fixed == 3


def test_fixes_that_undo_each_other_are_reported_as_a_cycle() -> None:
    def propose(page: Page) -> list[Violation]:
        assert page.text is not None
        at = page.text.lower().index("text")
        word = "TEXT" if page.text[at:].startswith("text") else "text"
        return [_violation("X1", Fix("flip", (Edit(at, at + 4, word),)))]

    outcome = fix_page(_page(V2_HEAD + "# A\n\ntext\n"), _checker(propose))
    assert not outcome.converged


def test_unsafe_fixes_apply_only_when_asked() -> None:
    def propose(page: Page) -> list[Violation]:
        assert page.text is not None
        if not page.text.endswith("\n"):
            end = len(page.text)
            return [_violation("X1", Fix("nl", (Edit(end, end, "\n"),), Applicability.UNSAFE))]
        return []

    page = _page(V2_HEAD + "# A\n\ntext")
    assert not fix_page(page, _checker(propose)).changed
    assert fix_page(page, _checker(propose), unsafe=True).text.endswith("text\n")


def test_pages_with_broken_yaml_or_unreadable_bytes_are_never_modified() -> None:
    broken = DEFECT_PAGES["bad-yaml"]
    assert fix_text(broken, unsafe=True) == broken
    outcome = fix_page(
        Page(None, "page.md", b"\xff\xfe# A  \n"), _checker(lambda page: []), unsafe=True
    )
    assert outcome.skipped is not None and not outcome.changed


def test_bom_and_crlf_survive_fixing() -> None:
    page = v2_page(V2_SECTIONS)
    dirty = "\ufeff" + page.replace("Nausea.", "Nausea.   ").replace("\n", "\r\n")
    assert fix_text(dirty) == "\ufeff" + page.replace("\n", "\r\n")


def test_every_defect_page_reaches_a_fixed_point() -> None:
    for name, text in DEFECT_PAGES.items():
        once = fix_text(text, unsafe=True)
        assert fix_text(once, unsafe=True) == once, name
