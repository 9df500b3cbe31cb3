"""`checker init`: a template learned from a site's pages, written as a person would write it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checker.project.pack import load_pack
from tests.conftest import ROOT, run_checker

SITE = ROOT / "tests" / "fixtures" / "other-site"
NAMES = [
    "Paracetamol",
    "Ibuprofen",
    "Naproxen",
    "Aspirin",
    "Codeine",
    "Tramadol",
    "Diclofenac",
    "Celecoxib",
    "Ketorolac",
    "Meloxicam",
    "Etodolac",
    "Indometacin",
    "Piroxicam",
    "Nabumetone",
    "Oxaprozin",
    "Sulindac",
    "Tolmetin",
    "Fenoprofen",
    "Flurbiprofen",
    "Ketoprofen",
    "Mefenamate",
]


def make_site(folder: Path) -> Path:
    """Twenty-one pages in the fixture site's shape, one in three a combination."""
    clean = (SITE / "pages" / "medicines" / "paracetamol.md").read_text(encoding="utf-8")
    pages = folder / "pages"
    pages.mkdir(parents=True)
    for index in range(21):
        name = NAMES[index]
        text = clean.replace("Paracetamol", name)
        if index % 3 == 0:
            text = text.replace("type: single\ningredient: paracetamol\n", "type: combination\n")
        slug = re.sub(r"\W+", "-", name.lower())
        (pages / f"{slug}.md").write_text(text, encoding="utf-8")
    return pages


def test_init_learns_a_site_of_another_shape(tmp_path: Path) -> None:
    pages = make_site(tmp_path)
    result = run_checker("init", str(pages), "--output", str(tmp_path), "--name", "medicine")
    assert result.returncode == 0, result.stderr
    assert "thresholds: required when on 95% of pages" in result.stdout
    written = tmp_path / "rules" / "templates" / "medicine.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Inferred by `checker init`")
    template = yaml.safe_load(text)
    fields = template["front-matter"]["fields"]
    assert fields["type"]["allowed"] == ["combination", "single"]
    assert fields["ingredient"]["required-if"] == {"type": "single"}
    assert fields["faqs"]["items"]["fields"]["q"]["type"] == "string"
    assert fields["updated"]["type"] == "date"
    assert template["h1"] == "forbidden"
    assert template["sections"]["form"] == {"style": "bold-heading", "level": 2}
    items = {item["name"]: item for item in template["sections"]["items"]}
    assert list(items) == ["Overview", "Dosage", "Side Effects"]
    subsections = [sub["name"] for sub in items["Dosage"]["sections"]]
    assert subsections == ["Standard Dosage", "Missed Dose"]
    assert template["disclaimer"] == "none" and template["note"] == "none"
    # The written pack loads, and the pages are checked under it.
    pack = load_pack((tmp_path / "rules").resolve())
    assert pack.template("medicine").sections.items[1].sections[0].name == "Standard Dosage"
    check = run_checker(
        "check",
        str(pages),
        "--config",
        str(tmp_path / "checker.toml"),
        "--output-format",
        "json",
        "--ignore",
        "XP",
    )
    found = json.loads(check.stdout)
    codes = {item["code"] for item in found}
    # Only the bold `**Dosage:**` label inside the overview is taken for a section; the
    # account says so, and `strict: true` is the tuning that makes it content.
    assert codes <= {"ST004", "ST008"}, [(i["code"], i["message"]) for i in found][:5]
    assert "ST004 (100%)" in result.stdout


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    pages = make_site(tmp_path)
    (tmp_path / "checker.toml").write_text("# mine\n", encoding="utf-8")
    result = run_checker("init", str(pages), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert (tmp_path / "checker.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "rules").exists()
    forced = run_checker("init", str(pages), "--output", str(tmp_path), "--no-check", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "content-root" in (tmp_path / "checker.toml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_without_pages(tmp_path: Path) -> None:
    result = run_checker("init", str(tmp_path), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no *.md pages" in result.stderr


def test_a_pack_extending_the_builtin_one_keeps_and_extends_its_phrase_lists(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "rules"
    (pack / "templates").mkdir(parents=True)
    (pack / "templates" / "page.yaml").write_text(
        "name: page\nh1: optional\nsections:\n  closed: false\n  items: []\n", encoding="utf-8"
    )
    (pack / "pack.yaml").write_text(
        "extends: builtin\ndefault-template: page\ntemplates: [templates/page.yaml]\n"
        "rules:\n  CT001:\n    extend-phrases: ['per your request']\n",
        encoding="utf-8",
    )
    (tmp_path / "checker.toml").write_text('pack = "rules"\n', encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "---\ntitle: Page\n---\n\nAs an AI, I wrote this.\n\nHere it is, per your request.\n",
        encoding="utf-8",
    )
    result = run_checker("check", str(page), "--select", "CT001", "--output-format", "json")
    lines = sorted(item["line"] for item in json.loads(result.stdout))
    assert lines == [5, 7], result.stdout


def test_a_pack_that_extends_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "extends: .\ndefault-template: x\ntemplates: []\n", encoding="utf-8"
    )
    from checker.errors import ConfigError

    with pytest.raises(ConfigError, match="extends"):
        load_pack(tmp_path.resolve())
