"""A fixed page takes from the page before the edit what the edit left alone (front matter,
inline content, prose text, the outline). Fixing must give exactly what it gives when every
fixed text is read from scratch: the same bytes, findings and counts, safe and unsafe, on the
fixture pages, the example pages and a corpus sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.document.page import Page
from checker.fixing import fixer
from checker.fixing.fixer import State
from checker.lint.resolver import Overrides, build_ruleset
from checker.project.config import default_config
from tests.conftest import ROOT, require_corpus
from tests.fix_pages import EXAMPLE_PAGES, Fixed, corpus_sample, fix_result

RULESET = build_ruleset(default_config(ROOT), Overrides())


def _from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every fixed text as a new page, taking nothing from the page before it."""

    def make_page(self: fixer._PageFixer, state: State, earlier: Page) -> Page:
        page = self.original_page
        return Page(page.path, page.display_path, state.encode(), page.limits)

    monkeypatch.setattr(fixer._PageFixer, "make_page", make_page)


def _both(path: Path, unsafe: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Fixed, Fixed]:
    reused = fix_result(path, RULESET, unsafe)
    with monkeypatch.context() as patch:
        _from_scratch(patch)
        scratch = fix_result(path, RULESET, unsafe)
    return reused, scratch


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", EXAMPLE_PAGES, ids=lambda p: p.name)
def test_fixing_with_what_the_page_before_left_equals_fixing_from_scratch(
    path: Path, unsafe: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    reused, scratch = _both(path, unsafe, monkeypatch)
    assert reused == scratch


@pytest.mark.corpus
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixing_with_what_the_page_before_left_equals_fixing_from_scratch_on_real_pages(
    unsafe: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_corpus()
    changed = 0
    for path in corpus_sample(60):
        reused, scratch = _both(path, unsafe, monkeypatch)
        assert reused == scratch, path
        changed += reused[2] > 0
    assert changed > 100  # pages were fixed, so fixed texts were read
