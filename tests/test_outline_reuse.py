"""A fixed page whose tokens differ from the page before only in their lines takes that page's
outline, moved to its own lines. Moved or built again, the outline must be the same: on the
fixture pages, the example pages and a corpus sample, after the edits a fix makes (blank lines
added and removed, trailing spaces removed) and after the fixer's own passes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from checker.document import page as page_module
from checker.document.page import Page, _moved_outline
from checker.document.sections import Outline
from checker.fixing.fixer import fix_page
from checker.lint.pagecheck import check_page, choose_template
from checker.lint.resolver import Overrides, build_ruleset
from checker.project.config import default_config
from tests.conftest import ROOT, require_corpus
from tests.fix_pages import EXAMPLE_PAGES, corpus_sample

CONFIG = default_config(ROOT)
RULESET = build_ruleset(CONFIG, Overrides())


def _variants(text: str) -> list[str]:
    """Texts a fix pass makes: blank-line runs shortened, blank lines around headings, no
    trailing spaces, and what the fixer itself makes of the page."""
    return [
        re.sub(r"\n{3,}", "\n\n", text),
        re.sub(r"^(#{1,6} .*)$", r"\n\1\n", text, flags=re.MULTILINE),
        re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE),
        "\n" + text,
    ]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The outlines built from tokens (not moved) while a test runs."""
    built: list[object] = []
    build = page_module.build_outline

    def counted(*args: Any, **kwargs: Any) -> Outline:
        built.append(args[0])
        return build(*args, **kwargs)

    monkeypatch.setattr(page_module, "build_outline", counted)
    return built


def _moved_and_built(before: Page, text: str, builds: list[object]) -> tuple[bool, bool]:
    """Whether attaching the template to the page of `text` made from `before` moved the
    outline (built none), and whether it equals the one built from scratch."""
    template = before.template
    assert template is not None
    after = Page(before.path, before.display_path, text.encode(), earlier=before)
    built = len(builds)
    after.attach_template(template)
    moved = len(builds) == built
    assert moved == (_moved_outline(before, after, template) is not None)
    fresh = Page(before.path, before.display_path, text.encode())
    fresh.attach_template(template)
    return moved, after.outline == fresh.outline


def _check(path: Path, builds: list[object]) -> int:
    """How many variants of the page moved their outline; each must equal a fresh one."""
    before = Page(path, path.name, path.read_bytes())
    if before.text is None or before.tokens is None:
        return 0
    before.attach_template(choose_template(before, CONFIG, None))
    fixed = fix_page(before, lambda p: check_page(p, RULESET, None)).text
    moves = 0
    for text in [*_variants(before.text), fixed]:
        moved, same = _moved_and_built(before, text, builds)
        assert same, (path, text[:200])
        moves += moved
    return moves


@pytest.mark.parametrize("path", EXAMPLE_PAGES, ids=lambda p: p.name)
def test_a_moved_outline_is_the_outline_built_again(path: Path, builds: list[object]) -> None:
    _check(path, builds)


def test_edits_that_only_move_blocks_move_the_outline_and_others_build_it_again(
    builds: list[object],
) -> None:
    text = (
        "---\nlayout: minimal-medicine\ntitle: Examplamine\n---\n# Examplamine\n"
        "### Usage\nFor pain.\n\n\n\n### Dosage\n\n* **Adults:** 500 mg.   \n"
    )
    before = Page(None, "examplamine.md", text.encode())
    before.attach_template(choose_template(before, CONFIG, None))
    spaced = text.replace("\n\n\n\n", "\n\n").replace("\n### Usage\n", "\n\n### Usage\n\n")
    assert _moved_and_built(before, spaced, builds) == (True, True)
    assert _moved_and_built(before, text.replace("For pain.", "For mild pain."), builds) == (
        False,
        True,
    )
    assert _moved_and_built(before, text.replace("### Dosage", "**Dosage:**"), builds) == (
        False,
        True,
    )
    retitled = text.replace("title: Examplamine", "title: Other")
    assert _moved_and_built(before, retitled, builds) == (False, True)


@pytest.mark.corpus
def test_a_moved_outline_is_the_outline_built_again_on_real_pages(builds: list[object]) -> None:
    require_corpus()
    moves = 0
    for path in corpus_sample(40):
        moves += _check(path, builds)
    assert moves > 100  # the path under test is taken on real pages


def test_the_same_template_attached_again_keeps_the_outline_and_another_builds_its_own(
    builds: list[object],
) -> None:
    """A page with nothing to fix is checked twice (the probe, then in full): one outline."""
    page = Page(None, "examplamine.md", b"---\ntitle: Examplamine\n---\n# Examplamine\n### Usage\n")
    v2, v1 = CONFIG.pack.template("drug-v2"), CONFIG.pack.template("drug-v1")
    page.attach_template(v2)
    outline = page.outline
    page.attach_template(v2)
    assert page.outline is outline and len(builds) == 1
    page.attach_template(v1)
    assert page.template is v1 and len(builds) == 2
