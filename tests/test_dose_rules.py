"""CT005 and CT006 at the edges of a block of text: a dose at its very start or end, quoted
names (straight and curly quotes), several findings in one block after one that is skipped,
fixes that cannot be made, and a site's own notations."""

from __future__ import annotations

from pathlib import Path

from checker.lint.engine import fix_text
from tests.rule_fixtures import check_only

V2 = "---\nlayout: minimal-medicine\ntitle: Examplomycin\n---\n\n# Examplomycin\n\n### Usage\n\n"


def found(tmp_path: Path, code: str, text: str, config: Path | None = None) -> list[str]:
    page = tmp_path / "page.md"
    page.write_text(V2 + text, encoding="utf-8")
    report = check_only(code, [page], config)
    return [f"{v.line}:{v.column}-{v.end_column} {v.message}" for v in report.violations]


def test_a_dose_at_the_start_of_a_block_is_found(tmp_path: Path) -> None:
    assert found(tmp_path, "CT005", "5.0 mg daily\n") == [
        "10:1-3 error-prone dose notation '5.0': write 5 (no trailing zero: 5.0 mg is misread "
        "as 50 mg)"
    ]
    assert found(tmp_path, "CT005", "10 U\n") == [
        "10:4-4 error-prone dose notation 'U': write units (U is misread as 0 or 4: 10 U "
        "becomes 100)"
    ]


def test_a_notation_glued_to_a_word_is_a_name_wherever_it_stands(tmp_path: Path) -> None:
    assert found(tmp_path, "CT005", "Sold as 4U\n") == [
        "10:10-10 error-prone dose notation 'U': write units (U is misread as 0 or 4: 10 U "
        "becomes 100)"
    ]
    assert found(tmp_path, "CT005", "Sold as Hair4U\n") == []
    assert found(tmp_path, "CT005", "10Ux sold here.\n") == []


def test_quoted_names_are_not_doses_but_text_after_the_quote_is(tmp_path: Path) -> None:
    assert found(tmp_path, "CT006", '"Tonic 10mg" is a name.\n') == []
    assert found(tmp_path, "CT006", "\u201cTonic 10mg\u201d is a name.\n") == []
    assert found(tmp_path, "CT006", '"Tonic" is 10mg daily.\n') == [
        "10:12-15 no space between number and unit in '10mg': write '10 mg'"
    ]
    assert found(tmp_path, "CT006", "\u201cTonic\u201d is 10mg daily.\n") == [
        "10:12-15 no space between number and unit in '10mg': write '10 mg'"
    ]
    assert found(tmp_path, "CT005", '"Tonic 5.0 mg" is a name.\n') == []
    assert found(tmp_path, "CT006", '"Tonic 1 mg to 2 g" is a name.\n') == []


def test_every_finding_in_a_block_after_one_that_is_skipped(tmp_path: Path) -> None:
    text = '"Tonic 10mg" or 20mg, "Tonic 1 mg to 1 g" or 1 mg to 2 g.\n'
    assert found(tmp_path, "CT006", text) == [
        "10:17-20 no space between number and unit in '20mg': write '20 mg'",
        "10:46-56 the range '1 mg to 2 g' mixes mg and g; write both ends in one unit",
    ]
    assert found(tmp_path, "CT005", 'Sold as Hair4U, "5.0 mg" and 5.0 mg.\n') == [
        "10:30-32 error-prone dose notation '5.0': write 5 (no trailing zero: 5.0 mg is misread "
        "as 50 mg)"
    ]


def test_a_dose_split_over_a_line_break_has_no_fix(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(V2 + "Take 500\nmg daily, or 250mg.\n", encoding="utf-8")
    fixes = [v.fix for v in check_only("CT006", [page]).violations]
    assert [fix is None for fix in fixes] == [False]
    assert fix_text(page.read_text(), select=("CT006",)) == V2 + "Take 500\nmg daily, or 250 mg.\n"


def test_a_sites_own_notation_is_looked_for_in_every_block(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text(
        '[rules.CT005]\nextend = [{pattern = "\\\\bhs\\\\b", use = "at bedtime"}]\n'
    )
    # No number in the block: the built-in notations alone would skip it.
    assert found(tmp_path, "CT005", "Take it hs with water.\n", tmp_path / "checker.toml") == [
        "10:9-10 error-prone dose notation 'hs': write at bedtime"
    ]
