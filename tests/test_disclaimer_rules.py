"""The disclaimer rules under the template options the bundled pack does not use: `position:
top` and `position: end`, and `match: exact` with its similarity and word diff."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

from checker.lint.engine import fix_text
from tests import rule_fixtures
from tests.conftest import ROOT
from tests.rule_fixtures import FIXTURES, check_only, findings_file, snapshot

CANONICAL = (
    "This information is for general knowledge and does not constitute medical advice. Always "
    "consult a healthcare professional for diagnosis and treatment of any medical condition."
)
HEAD = "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n"
USAGE = "### Usage\n\nPain.\n\n"
DOSAGE = "### Dosage\n\n500 mg.\n\n"
DISCLAIMER = f"**Disclaimer:** {CANONICAL}\n\n"


def site(
    tmp_path: Path, disclaimer_options: dict[str, str], template_name: str = "drug-v2"
) -> Path:
    """A project whose pack is the bundled one with a template's disclaimer options changed."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    template = tmp_path / "rules" / "templates" / f"{template_name}.yaml"
    text = template.read_text(encoding="utf-8")
    for old, new in disclaimer_options.items():
        assert old in text, old
        text = text.replace(old, new)
    template.write_text(text, encoding="utf-8")
    (tmp_path / "checker.toml").write_text("")
    return tmp_path


# Where a disclaimer finding ends says how much of it the rule took in.
found = functools.partial(rule_fixtures.found, second="end_line")


def test_a_top_disclaimer_stands_before_the_first_section(tmp_path: Path) -> None:
    folder = site(tmp_path, {"  position: after-sections": "  position: top"})
    assert found(folder, "DS003", HEAD + DISCLAIMER + USAGE + DOSAGE) == []
    assert found(folder, "DS003", HEAD + USAGE + DISCLAIMER + DOSAGE) == [
        (12, 12, "the disclaimer should stand before the first section; move it there")
    ]
    # A page without sections has nowhere else to put it.
    assert found(folder, "DS003", HEAD + "Text.\n\n" + DISCLAIMER) == []


def test_a_missing_top_disclaimer_is_inserted_before_the_first_section(tmp_path: Path) -> None:
    folder = site(tmp_path, {"  position: after-sections": "  position: top"})
    page = HEAD + USAGE + DOSAGE.rstrip("\n") + "\n"
    fixed = fix_text(page, folder / "page.md", unsafe=True, select=("DS001",))
    assert fixed == HEAD + DISCLAIMER + USAGE + DOSAGE.rstrip("\n") + "\n"


def test_an_end_disclaimer_is_the_last_block_but_the_note(tmp_path: Path) -> None:
    folder = site(tmp_path, {"  position: after-sections": "  position: end"})
    assert found(folder, "DS003", HEAD + USAGE + DOSAGE + DISCLAIMER) == []
    assert found(folder, "DS003", HEAD + USAGE + DOSAGE + DISCLAIMER + "More text.\n") == [
        (16, 16, "the disclaimer should stand at the end of the page; move it there")
    ]
    assert found(folder, "DS003", HEAD + USAGE + DISCLAIMER + DOSAGE) == [
        (12, 12, "the disclaimer should stand at the end of the page; move it there")
    ]


def test_after_sections_allows_text_after_the_disclaimer(tmp_path: Path) -> None:
    folder = site(tmp_path, {})
    assert found(folder, "DS003", HEAD + USAGE + DOSAGE + DISCLAIMER + "More text.\n") == []
    assert found(folder, "DS003", HEAD + USAGE + DISCLAIMER + DOSAGE) == [
        (12, 12, "the disclaimer should stand after the last section; move it there")
    ]


def test_a_second_disclaimer_is_reported_at_its_lines(tmp_path: Path) -> None:
    folder = site(tmp_path, {})
    two_lines = f"**Disclaimer:** {CANONICAL[:40]}\n{CANONICAL[40:]}\n\n"
    assert found(folder, "DS003", HEAD + USAGE + DOSAGE + DISCLAIMER + two_lines) == [
        (18, 19, "a second disclaimer (the first is at line 16); keep only one")
    ]


def test_an_exact_disclaimer_may_differ_up_to_the_similarity(tmp_path: Path) -> None:
    folder = site(tmp_path, {"  match: statements\n": "  match: exact\n  similarity: 0.9\n"})
    assert found(folder, "DS002", HEAD + USAGE + DISCLAIMER) == []
    spaced = DISCLAIMER.replace("general knowledge", "general   knowledge")
    assert found(folder, "DS002", HEAD + USAGE + spaced) == []
    one_word = DISCLAIMER.replace("Always", "Please")  # 1 word of 27: similarity 0.96
    assert found(folder, "DS002", HEAD + USAGE + one_word) == []
    changed = DISCLAIMER.replace("for diagnosis and treatment of any medical condition", "now")
    assert found(folder, "DS002", HEAD + USAGE + changed) == [
        (
            12,
            12,
            "the disclaimer differs from the canonical text (similarity 0.79, needs 0.90): "
            "missing: “for diagnosis and treatment of any medical condition”, not in the "
            "canonical text: “now”; replace it with the canonical text",
        )
    ]


def test_an_exact_match_compares_words_not_punctuation(tmp_path: Path) -> None:
    folder = site(tmp_path, {"  match: statements\n": "  match: exact\n  similarity: 1.0\n"})
    page = HEAD + USAGE + DISCLAIMER.replace("medical advice.", "medical advice;")
    assert found(folder, "DS002", page) == []  # the same words: similarity 1.00
    folder = site(
        tmp_path / "strict", {"  match: statements\n": "  match: exact\n  similarity: 1.0\n"}
    )
    page = HEAD + USAGE + DISCLAIMER.replace("Always consult", "Always, always consult")
    [(line, _, message)] = found(folder, "DS002", page)
    assert line == 12
    assert "missing" not in message
    assert "not in the canonical text: “always”;" in message


def test_a_disclaimer_without_wording_is_said_by_no_section(tmp_path: Path) -> None:
    """`checker init` writes a disclaimer that the pages give only as a heading with no
    wording (`text: ""`, `similarity: 0`): only its presence is checked, and no labelled
    section passes for it, so ST005 still reports every unknown section."""
    v1 = (ROOT / "rules" / "templates" / "drug-v1.yaml").read_text(encoding="utf-8")
    block = re.search(r"(?ms)^disclaimer:\n.*?(?=^\S)", v1)
    assert block is not None
    wordless = 'disclaimer:\n  label: Disclaimer\n  text: ""\n  match: exact\n  similarity: 0\n\n'
    folder = site(tmp_path, {block.group(): wordless}, template_name="drug-v1")
    fixture = FIXTURES / "rules" / "ST005-v1.md"
    page = folder / fixture.name
    shutil.copyfile(fixture, page)
    unknown = check_only("ST005", [page], folder / "checker.toml").violations
    assert snapshot(page, unknown) == findings_file(fixture).read_text(encoding="utf-8")
    assert found(folder, "DS002", page.read_text(encoding="utf-8")) == []
