"""`checker init` learns a disclaimer whose wording varies from page to page as the statements it
makes, so that the disclaimer rules accept every rewording that says the same and report one
that leaves a statement out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from checker.project.wording import infer_statements, share_making
from tests.conftest import run_checker

OPENINGS = [
    "This information is for general knowledge",
    "This page is for educational purposes only",
    "The text above is provided for information",
    "This summary is meant for general reading",
]
DENIALS = [
    "and does not constitute medical advice",
    "and should not be considered medical advice",
    "and is not medical advice",
    "and doesn't replace professional medical advice",
]
CONSULTS = [
    "Always consult a healthcare professional before starting any medication",
    "Please consult your healthcare provider before taking it",
    "Consult a qualified healthcare professional about your treatment",
    "Talk to a healthcare professional before you change a dose",
]


def disclaimer(index: int) -> str:
    """Forty wordings of the same two statements, no two pages alike."""
    return f"{OPENINGS[index % 4]} {DENIALS[(index // 4) % 4]}. {CONSULTS[(index // 2) % 4]}."


def test_statements_are_learned_from_wordings_that_differ() -> None:
    texts = [disclaimer(index) for index in range(40)]
    statements = infer_statements(texts, agree=0.95)
    assert [statement.name for statement in statements] == [
        "not constitute medical advice",
        "healthcare professional",
    ]
    assert share_making(statements, texts) == 1.0
    # A wording none of the pages used, saying the same, is accepted.
    assert (
        share_making(
            statements,
            [
                "This leaflet is general reading and is not a form of medical advice. Ask a "
                "healthcare professional before using it."
            ],
        )
        == 1.0
    )
    # Leaving out a statement, or its denial, is not.
    for lacking in [
        "This page is for educational purposes only. Always consult a healthcare professional.",
        "This page is medical advice. Always consult a healthcare professional.",
        "This page does not constitute medical advice.",
    ]:
        assert share_making(statements, [lacking]) == 0.0, lacking


def make_site(folder: Path, wording: Callable[[int], str] = disclaimer) -> Path:
    pages = folder / "pages"
    pages.mkdir(parents=True)
    for index in range(40):
        name = f"Medicine {index}"
        (pages / f"medicine-{index}.md").write_text(
            f"---\ntitle: {name}\n---\n\n# {name}\n\n## Usage\n\nFor pain.\n\n"
            f"## Side Effects\n\nNausea.\n\n**Disclaimer:** {wording(index)}\n",
            encoding="utf-8",
        )
    return pages


def ds002(pages: Path, config: Path) -> list[tuple[str, int]]:
    result = run_checker(
        "check", str(pages), "--config", str(config), "--select", "DS", "--output-format", "json"
    )
    assert "Traceback" not in result.stderr, result.stderr
    return sorted((Path(item["path"]).name, item["line"]) for item in json.loads(result.stdout))


def test_init_writes_statements_that_the_disclaimer_rules_apply(tmp_path: Path) -> None:
    pages = make_site(tmp_path)
    result = run_checker("init", str(pages), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 0, result.stderr
    assert '"not constitute medical advice"' in result.stdout
    template = yaml.safe_load((tmp_path / "rules" / "templates" / "pages.yaml").read_text("utf-8"))
    assert template["disclaimer"]["match"] == "statements"
    assert set(template["disclaimer"]["statements"]) == {
        "not constitute medical advice",
        "healthcare professional",
    }
    config = tmp_path / "checker.toml"
    assert ds002(pages, config) == []

    # A rewording that says both things passes; one that drops the denial, or the advice to
    # see a professional, is reported at the disclaimer's line.
    reworded = "This is general reading and never medical advice. Ask a healthcare professional."
    dropped_denial = "This is general reading and medical advice. Ask a healthcare professional."
    dropped_advice = "This is general reading and not medical advice."
    for index, text in enumerate([reworded, dropped_denial, dropped_advice]):
        page = pages / f"medicine-{index}.md"
        page.write_text(page.read_text("utf-8").replace(disclaimer(index), text), encoding="utf-8")
    line = (pages / "medicine-1.md").read_text("utf-8").splitlines().index(
        f"**Disclaimer:** {dropped_denial}"
    ) + 1
    assert ds002(pages, config) == [("medicine-1.md", line), ("medicine-2.md", line)]


def test_init_matches_one_wording_copied_on_every_page_exactly(tmp_path: Path) -> None:
    copied = disclaimer(0)
    # One page in twenty with a slip: still one wording.
    pages = make_site(
        tmp_path, lambda index: copied.replace("any", "a") if index % 20 == 0 else copied
    )
    result = run_checker("init", str(pages), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 0, result.stderr
    template = yaml.safe_load((tmp_path / "rules" / "templates" / "pages.yaml").read_text("utf-8"))
    assert template["disclaimer"]["match"] == "exact"
    assert template["disclaimer"]["text"] == copied
    assert template["disclaimer"]["similarity"] >= 0.9
    config = tmp_path / "checker.toml"
    assert ds002(pages, config) == []
    page = pages / "medicine-5.md"
    page.write_text(
        page.read_text("utf-8").replace(copied, "This page is for reading."), encoding="utf-8"
    )
    assert [name for name, _ in ds002(pages, config)] == ["medicine-5.md"]
