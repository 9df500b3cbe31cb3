"""Whole-site proof on the real pages: --diff writes nothing, --fix keeps every word, and a
second --fix has nothing left to do."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_checker

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Runs of letters and runs of digits: a safe fix may split `500mg` into `500 mg` (CT006), which
# inserts a space and loses nothing, so the two runs are compared separately.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_SUMMARY = re.compile(r"(?:Fixed|Would fix) (\d+) violation\(s\) in (\d+) file\(s\); (\d+) remain")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.md"))
    }


def _words(path: Path) -> list[str]:
    return _WORD.findall(path.read_bytes().decode("utf-8"))


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needles)


def _summary(stderr: str) -> tuple[int, int, int]:
    match = _SUMMARY.search(stderr)
    assert match is not None, stderr[-2000:]
    fixed, files, remain = (int(group) for group in match.groups())
    return fixed, files, remain


def test_fixing_the_whole_site(corpus: Path, tmp_path: Path) -> None:
    original = _hashes(corpus)

    shown = run_checker("check", ".", "--diff", cwd=corpus)
    assert _hashes(corpus) == original  # --diff wrote nothing
    would_fix, would_change, _ = _summary(shown.stderr)
    diffed = sorted(line[6:] for line in shown.stdout.splitlines() if line.startswith("+++ b/"))
    assert would_fix > 0 and len(diffed) == would_change

    site = tmp_path / "pages"
    shutil.copytree(corpus, site, copy_function=shutil.copyfile)
    first = run_checker("check", ".", "--fix", cwd=site)
    assert "fix rejected" not in first.stderr, first.stderr[-2000:]
    assert "not written" not in first.stderr, first.stderr[-2000:]
    fixed, changed, remain = _summary(first.stderr)
    after = _hashes(site)
    # --diff showed exactly the pages --fix changed.
    assert (fixed, changed) == (would_fix, would_change)
    assert sorted(name for name in after if after[name] != original[name]) == diffed

    lost = [name for name in original if not _in_order(_words(corpus / name), _words(site / name))]
    assert lost == []

    second = run_checker("check", ".", "--fix", cwd=site)
    assert _hashes(site) == after
    assert _summary(second.stderr) == (0, 0, remain)
    # Nothing --fix can fix is left: what remains needs a person (or --unsafe-fixes).
    assert "could not be fixed automatically" not in second.stderr
    assert second.stdout.count("\n") == remain
