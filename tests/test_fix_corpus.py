"""Whole-site proof on the real pages: --diff writes nothing, --fix keeps every word, and a
second --fix has nothing left to do.

The fast loop runs it on a sample of the corpus (every 160th page); the slow run, which CI runs,
on all of it. Both work on a copy in a temporary folder: the corpus is only read.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_process

pytestmark = pytest.mark.corpus

SAMPLE_EVERY = 160

# Runs of letters and runs of digits: a safe fix may split `500mg` into `500 mg` (CT006), which
# inserts a space and loses nothing, so the two runs are compared separately.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_SUMMARY = re.compile(r"(?:Fixed|Would fix) (\d+) violations? in (\d+) files?; (\d+) remains?")


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


def _copy(corpus: Path, site: Path, every: int) -> Path:
    pages = sorted(corpus.rglob("*.md"))[::every]
    for page in pages:
        copy = site / page.relative_to(corpus)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, copy)
    return site


@pytest.mark.parametrize(
    "every",
    [
        pytest.param(SAMPLE_EVERY, id="sample"),
        pytest.param(1, id="whole-corpus", marks=pytest.mark.slow),
    ],
)
def test_fixing_the_whole_site(corpus: Path, tmp_path: Path, every: int) -> None:
    site = _copy(corpus, tmp_path / "pages", every)
    original = _hashes(site)

    shown = run_process("check", ".", "--diff", "--no-cache", cwd=site)
    assert shown.returncode == 1, shown.stderr[-2000:]
    assert _hashes(site) == original  # --diff wrote nothing
    would_fix, would_change, _ = _summary(shown.stderr)
    diffed = sorted(line[6:] for line in shown.stdout.splitlines() if line.startswith("+++ b/"))
    assert would_fix > 0 and len(diffed) == would_change

    first = run_process("check", ".", "--fix", cwd=site)
    assert first.returncode == 1, first.stderr[-2000:]
    assert "fix rejected" not in first.stderr, first.stderr[-2000:]
    assert "not written" not in first.stderr, first.stderr[-2000:]
    fixed, changed, remain = _summary(first.stderr)
    after = _hashes(site)
    # --diff showed exactly the pages --fix changed.
    assert (fixed, changed) == (would_fix, would_change)
    assert sorted(name for name in after if after[name] != original[name]) == diffed

    lost = [name for name in original if not _in_order(_words(corpus / name), _words(site / name))]
    assert lost == []

    second = run_process("check", ".", "--fix", cwd=site)
    assert second.returncode == 1, second.stderr[-2000:]
    assert _hashes(site) == after
    assert _summary(second.stderr) == (0, 0, remain)
    # Nothing --fix can fix is left: what remains needs a person (or --unsafe-fixes).
    assert "could not be fixed automatically" not in second.stderr
    assert second.stdout.count("\n") == remain
