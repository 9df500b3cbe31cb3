"""Baselines end to end: write, hide, survive line shifts, report what is no longer needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.lint.baseline import Entry, fingerprint, load, normalise
from tests.conftest import run_checker

PAGE = """\
---
layout: minimal-medicine
title: Aspirin
---

# Aspirin

### Generic Name

Acetylsalicylic acid

### Usage

Pain and fever.{trailing}

### Dosage
{dosage}
300 mg to 600 mg every four hours.
### Side Effects

Stomach upset.

### How it Works

It blocks prostaglandins.

### Precautions

Not for children under 16.

### FAQs

* **Is it safe?** For most adults.

**Disclaimer:** This information is for general knowledge and does not constitute medical advice.
Always consult a healthcare professional for diagnosis and treatment of any medical condition.
"""


def write_page(
    folder: Path, name: str = "aspirin.md", trailing: str = "  ", dosage: str = ""
) -> Path:
    path = folder / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(trailing=trailing, dosage=dosage), encoding="utf-8")
    return path


def findings(result: object) -> list[str]:
    """`CODE line` for each finding printed by a concise run."""
    out = []
    for line in result.stdout.splitlines():  # type: ignore[attr-defined]
        where, code = line.split(" ")[:2]
        out.append(f"{code} {where.split(':')[1]}")
    return out


def test_the_page_has_two_findings_to_begin_with(tmp_path: Path) -> None:
    write_page(tmp_path)
    result = run_checker("check", "pages", cwd=tmp_path)
    # FT001 on the Usage text; FT004 for the Side Effects heading glued to the dosage text.
    assert findings(result) == ["FT001 14", "FT004 19"], result.stdout
    assert result.returncode == 0


def test_write_then_check_hides_everything(tmp_path: Path) -> None:
    write_page(tmp_path)
    written = run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "wrote 2 findings to the baseline base.json" in written.stderr
    data = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [(f["path"], f["code"], f["section"]) for f in data["findings"]] == [
        ("pages/aspirin.md", "FT001", "usage"),
        ("pages/aspirin.md", "FT004", "side effects"),
    ]
    again = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout == ""
    assert "2 findings hidden by the baseline base.json" in again.stderr


def test_unrelated_edits_keep_old_findings_hidden_and_new_ones_show(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    assert (
        run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    )
    # Three lines above both findings shift them down; a new trailing space is a new finding.
    text = page.read_text(encoding="utf-8")
    text = text.replace("Acetylsalicylic acid\n", "Acetylsalicylic acid\n\nAlso called ASA. \n")
    page.write_text(text, encoding="utf-8")
    result = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert findings(result) == ["FT001 12"], result.stdout
    assert "2 findings hidden" in result.stderr


def test_a_second_identical_finding_in_the_same_section_is_new(tmp_path: Path) -> None:
    page = write_page(tmp_path, dosage="")
    assert (
        run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    )
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Pain and fever.  \n", "Pain and fever.  \nPain and fever.  \n"))
    result = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert findings(result) == ["FT001 15"], result.stdout


def test_fixed_findings_are_reported_and_write_baseline_prunes_them(tmp_path: Path) -> None:
    # Two copies of one page are duplicates to the site-wide rules; these tests are about FT001.
    (tmp_path / "checker.toml").write_text('ignore = ["XP"]\n', encoding="utf-8")
    page = write_page(tmp_path)
    other = write_page(tmp_path, "other.md")
    assert (
        run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    )
    page.write_text(PAGE.format(trailing="", dosage=""), encoding="utf-8")  # fixes FT001
    result = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert result.stdout == ""
    assert result.returncode == 0
    assert (
        "1 baseline entry no longer needed (the findings are gone); "
        "`--write-baseline base.json` prunes them:\n  pages/aspirin.md: FT001 in section 'usage'"
    ) in result.stderr

    # A run that checks only the other page, or not FT001, cannot tell: nothing is reported.
    partial = run_checker("check", str(other), "--baseline", "base.json", cwd=tmp_path)
    assert "no longer needed" not in partial.stderr
    unselected = run_checker(
        "check", "pages", "--baseline", "base.json", "--ignore", "FT001", cwd=tmp_path
    )
    assert "no longer needed" not in unselected.stderr

    # Rewriting only the other page keeps this page's entries; rewriting all prunes.
    assert (
        run_checker("check", str(other), "--write-baseline", "base.json", cwd=tmp_path).returncode
        == 0
    )
    assert len(load(tmp_path / "base.json").entries) == 4
    pruned = run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path)
    assert "wrote 3 findings to the baseline base.json; pruned 1 no longer needed" in (
        pruned.stderr
    )
    assert sorted(e.code for e in load(tmp_path / "base.json").entries.values()) == [
        "FT001",
        "FT004",
        "FT004",
    ]


def test_a_deleted_page_leaves_entries_no_longer_needed(tmp_path: Path) -> None:
    # Two copies of one page are duplicates to the site-wide rules; these tests are about FT001.
    (tmp_path / "checker.toml").write_text('ignore = ["XP"]\n', encoding="utf-8")
    write_page(tmp_path)
    gone = write_page(tmp_path, "gone.md")
    assert (
        run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    )
    gone.unlink()
    result = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert "2 baseline entries no longer needed" in result.stderr
    assert "pages/gone.md: FT001 in section 'usage'" in result.stderr


def test_the_config_names_the_baseline_and_paths_stay_relative_to_it(tmp_path: Path) -> None:
    write_page(tmp_path)
    (tmp_path / "checker.toml").write_text('baseline = "checker-baseline.json"\n')
    first = run_checker("check", "pages", "--write-baseline", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "checker-baseline.json").is_file()
    # Run from inside the pages folder: the entries still match.
    inside = run_checker("check", ".", cwd=tmp_path / "pages")
    assert inside.stdout == "" and inside.returncode == 0
    assert "2 findings hidden" in inside.stderr
    shown = run_checker("check", ".", "--no-baseline", cwd=tmp_path / "pages")
    assert len(shown.stdout.splitlines()) == 2


def test_statistics_count_only_what_the_baseline_lets_through(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    assert (
        run_checker("check", "pages", "--write-baseline", "base.json", cwd=tmp_path).returncode == 0
    )
    page.write_text(PAGE.format(trailing="  ", dosage="").replace("Stomach upset.", "Upset. "))
    result = run_checker("check", "pages", "--baseline", "base.json", "--statistics", cwd=tmp_path)
    assert result.stdout.split() == ["1", "100.0%", "FT001", "trailing-whitespace"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found; create it with `checker check --write-baseline"),
        ("{", "the baseline file is not valid JSON"),
        ('{"version": 9}', "not a version-1 checker baseline"),
        ('{"version": 1, "findings": [{"path": "x"}]}', "finding 1 lacks path, code"),
    ],
)
def test_a_bad_baseline_file_is_a_usage_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    write_page(tmp_path)
    if content is not None:
        (tmp_path / "base.json").write_text(content, encoding="utf-8")
    result = run_checker("check", "pages", "--baseline", "base.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "base.json" in result.stderr and message in result.stderr, result.stderr


def test_write_baseline_needs_a_file(tmp_path: Path) -> None:
    write_page(tmp_path)
    result = run_checker("check", "pages", "--write-baseline", cwd=tmp_path)
    assert result.returncode == 2
    assert "--write-baseline needs a FILE, or `baseline = FILE` in the config" in result.stderr


def test_fingerprints_ignore_line_numbers_and_spacing_but_not_identity() -> None:
    base = fingerprint("FT001", "a.md", "usage", "Pain and  fever. ", 0)
    assert base == fingerprint("FT001", "a.md", "usage", " Pain and fever.", 0)
    others = {
        fingerprint("FT003", "a.md", "usage", "Pain and fever.", 0),
        fingerprint("FT001", "b.md", "usage", "Pain and fever.", 0),
        fingerprint("FT001", "a.md", "dosage", "Pain and fever.", 0),
        fingerprint("FT001", "a.md", "usage", "Pain and fever", 0),
        fingerprint("FT001", "a.md", "usage", "Pain and fever.", 1),
    }
    assert base not in others and len(others) == 5
    assert normalise("  a \t b  ") == "a b"
    assert Entry("a.md", "FT001", "", base).describe() == "a.md: FT001"
