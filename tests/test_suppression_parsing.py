"""Suppression comments in detail: where they start and end, which ones count, the day they
expire, and what SP001-SP003 say. Written to kill the mutants that survived the other tests."""

from __future__ import annotations

import datetime
from pathlib import Path

from checker.document.suppressions import Suppression, parse_suppressions
from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from tests.rule_fixtures import check_only

HEAD = "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n"


def messages(tmp_path: Path, code: str, body: str) -> list[str]:
    (tmp_path / "checker.toml").write_text("")
    page = tmp_path / "page.md"
    page.write_text(HEAD + body, encoding="utf-8")
    return [v.message for v in check_only(code, [page]).violations]


def test_a_comment_starts_and_ends_where_it_is_written() -> None:
    line = "Pain. <!-- checker: disable-next-line FT001 --> More."
    (item,) = parse_suppressions([line])
    assert (item.line, item.column, item.end_column) == (1, 7, 47)
    assert line[item.column - 1 : item.end_column] == "<!-- checker: disable-next-line FT001 -->"
    assert item.codes == ("FT001",)


def test_comments_in_a_backtick_span_are_skipped_and_the_next_still_counts() -> None:
    quoted = "`<!-- checker: disable-next-line FT001 -->`"
    live = "<!-- checker: disable-next-line FT002 -->"
    assert [s.codes for s in parse_suppressions([f"{quoted} {live}"])] == [("FT002",)]
    # Even numbers of backticks before a comment, counted from the first character.
    assert [s.codes for s in parse_suppressions([f"`a` and `b` {live}"])] == [("FT002",)]
    assert parse_suppressions([f"`a {live}"]) == []


def test_what_each_action_covers() -> None:
    lines = [
        "<!-- checker: disable-file FT003 -->",
        "<!-- checker: disable FT001 -->",
        "<!-- checker: disable FT002 -->",
        "<!-- checker: enable FT001 -->",
        "text",
        "<!-- checker: enable -->",
        "<!-- checker: disable ST -->",
    ]
    spans = {s.codes: (s.first, s.last) for s in parse_suppressions(lines)}
    assert spans == {("FT003",): (1, 7), ("FT001",): (2, 4), ("FT002",): (3, 6), ("ST",): (7, 7)}


def test_a_suppression_still_counts_on_its_until_date() -> None:
    day = datetime.date(2030, 1, 31)
    item = Suppression("disable", (), 1, 1, 10, until=day)
    assert not item.expired(day)
    assert item.expired(day + datetime.timedelta(days=1))


def test_unused_suppressions_name_their_codes_or_any_rule(tmp_path: Path) -> None:
    body = (
        "<!-- checker: disable-next-line CT001, FT002 -->\nPain.\n\n"
        "<!-- checker: disable-next-line -->\nFever.\n"
    )
    found = messages(tmp_path, "SP001", body)
    assert found == [
        "`disable-next-line` for CT001, FT002 suppresses nothing here; remove the comment",
        "`disable-next-line` for any rule suppresses nothing here; remove the comment",
    ]


def test_problems_in_a_comment_say_what_to_write(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 until=2030-13-45 colour=red -->\nPain.\n"
    found = " | ".join(messages(tmp_path, "SP001", body))
    assert "until='2030-13-45' is not a date; write YYYY-MM-DD" in found
    assert "unknown attribute 'colour'; use reason= or until=" in found


def test_a_problem_in_a_comment_is_reported_at_the_comment(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("")
    page = tmp_path / "page.md"
    page.write_text(HEAD + "Pain. <!-- checker: disable-next-line FT001 colour=red --> x\n")
    found = [(v.line, v.column, v.end_column) for v in check_only("SP001", [page]).violations]
    # The problem, then the suppression that hides nothing, both at the comment.
    assert found == [(8, 7, 58), (8, 7, 58)]


def test_a_suppression_in_the_front_matter_hides_a_site_finding_on_the_next_line(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    config = tmp_path / "checker.toml"
    config.write_text('content-root = "pages"\n', encoding="utf-8")
    body = "\n# Same\n\n### Generic Name\nSame\n"
    (pages / "a.md").write_text("---\nlayout: minimal-medicine\ntitle: Same\n---\n" + body)
    (pages / "b.md").write_text(
        "---\nlayout: minimal-medicine\n"
        '# <!-- checker: disable-next-line XP001 reason="kept" -->\ntitle: Same\n---\n' + body
    )
    (pages / "c.md").write_text(
        "---\nlayout: minimal-medicine\n"
        '# <!-- checker: disable-next-line XP001 reason="kept" -->\n\ntitle: Same\n---\n' + body
    )
    targets = [Target(page, str(page)) for page in sorted(pages.glob("*.md"))]
    report = Engine(Overrides(select=("XP001", "SP001")), ConfigFinder(config)).check(targets)
    found = sorted((Path(v.path).name, v.line, v.code) for v in report.violations)
    # On b.md the comment covers the title's line, and SP001 does not call it unused; on c.md
    # it covers the blank line above the title, hides nothing, and SP001 says so.
    assert found == [("a.md", 3, "XP001"), ("c.md", 3, "SP001"), ("c.md", 5, "XP001")]


def test_expired_suppressions_name_their_codes_the_date_and_what_to_do(tmp_path: Path) -> None:
    body = (
        "<!-- checker: disable-next-line FT001, FT002 until=2001-01-31 -->\nPain.\n\n"
        "<!-- checker: disable-next-line until=2001-02-28 -->\nFever.\n"
    )
    found = messages(tmp_path, "SP002", body)
    assert len(found) == 2
    assert "for FT001, FT002 expired on 2001-01-31" in found[0]
    assert "for any rule expired on 2001-02-28" in found[1]
    assert found[0].endswith(
        " suppresses; fix what it hid, or renew it with a new until= date and a reason"
    )


def test_a_suppression_without_a_reason_says_why_one_is_needed(tmp_path: Path) -> None:
    body = "<!-- checker: disable-next-line FT001 -->\nPain.\n"
    (message,) = messages(tmp_path, "SP003", body)
    assert message.endswith(" is acceptable here")
