"""The baseline on a copy of the real corpus: the issue's "Done when", end to end."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from tests.conftest import run_process

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

HARMLESS = "Keep this medicine in its original pack, out of the sight and reach of children."
PLAIN_TEXT = re.compile(r"[A-Za-z]")


def remove_disclaimer(page: Path) -> None:
    """Drop the `**Disclaimer:**` paragraph that closes the page, and the blank lines before it."""
    lines = page.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("**Disclaimer:**"))
    kept = lines[:start]
    while kept and not kept[-1].strip():
        kept.pop()
    page.write_text("\n".join(kept) + "\n", encoding="utf-8")


def closing_disclaimer_page(folder: Path) -> Path:
    """A page whose last paragraph is a one-line `**Disclaimer:**` and that has no other."""
    for page in sorted(folder.glob("*/*.md")):
        lines = page.read_text(encoding="utf-8").rstrip("\n").split("\n")
        starts = [i for i, line in enumerate(lines) if "Disclaimer" in line]
        if starts == [len(lines) - 1] and lines[-1].startswith("**Disclaimer:**"):
            return page
    raise AssertionError("no page closes with a one-line disclaimer")


def finding_lines(page: Path) -> list[int]:
    engine = Engine(Overrides(), ConfigFinder())
    return [v.line for v in engine.check([Target(page, page.name)]).results[0].violations]


def insertion_point(page: Path) -> int | None:
    """A blank line between two prose lines in the middle of the page, above a finding."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found = finding_lines(page)
    if not found:
        return None
    middle = len(lines) // 2
    for index in sorted(range(1, len(lines) - 1), key=lambda i: abs(i - middle)):
        before, blank, after = lines[index - 1], lines[index], lines[index + 1]
        if blank.strip() or not any(line > index + 1 for line in found):
            continue
        if all(PLAIN_TEXT.match(text) for text in (before, after)):
            return index
    return None


def add_paragraph(folder: Path, skip: Path) -> tuple[Path, int]:
    """Insert the paragraph in the first page that has room; return the page and the line."""
    for page in sorted(folder.glob("*/*.md")):
        if page == skip:
            continue
        index = insertion_point(page)
        if index is not None:
            lines = page.read_text(encoding="utf-8").split("\n")
            lines[index:index] = ["", HARMLESS]
            page.write_text("\n".join(lines), encoding="utf-8")
            return page, index + 2
    raise AssertionError("no page has room for a paragraph above a finding")


def test_baseline_done_when(corpus: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(corpus, pages)

    written = run_process(
        "check", "pages", "--write-baseline", "checker-baseline.json", cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    count = int(re.search(r"wrote (\d+) finding", written.stderr).group(1))  # type: ignore[union-attr]
    assert count > 10_000

    # 1. After writing a baseline, the same run exits 0 with no findings.
    same = run_process("check", "pages", "--baseline", "checker-baseline.json", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert same.stdout == ""
    assert f"{count} finding{'' if count == 1 else 's'} hidden by the baseline" in same.stderr
    assert "no longer needed" not in same.stderr

    # 2. Remove one page's disclaimer; 3. add a harmless paragraph in the middle of another,
    # above some of its findings, so that their lines shift.
    bare = closing_disclaimer_page(pages)
    remove_disclaimer(bare)
    shifted, line = add_paragraph(pages, skip=bare)
    assert any(found > line for found in finding_lines(shifted))

    after = run_process("check", "pages", "--baseline", "checker-baseline.json", cwd=tmp_path)
    reported = after.stdout.splitlines()
    assert len(reported) == 1, after.stdout[:2000]
    assert reported[0].startswith(f"pages/{bare.relative_to(pages).as_posix()}:")
    assert " DS001 [~] [error] the page has no disclaimer" in reported[0]
    assert after.returncode == 1
    assert str(shifted.relative_to(pages)) not in after.stdout
