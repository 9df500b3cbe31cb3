"""`checker init`: a template learned from a site's pages, written as a person would write it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checker.project.pack import load_pack
from tests.conftest import ROOT, SHARED, require, run_checker, run_cli

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
    result = run_cli("init", str(pages), "--output", str(tmp_path), "--name", "medicine")
    assert result.returncode == 0, result.stderr
    assert "thresholds: required on >= 95% of pages" in result.stdout
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
    check = run_cli(
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
    result = run_cli("init", str(pages), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert (tmp_path / "checker.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "rules").exists()
    forced = run_cli("init", str(pages), "--output", str(tmp_path), "--no-check", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "content-root" in (tmp_path / "checker.toml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_without_pages(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no *.md pages" in result.stderr


def page_rates(output: str) -> tuple[dict[str, float], int]:
    pages: dict[str, set[str]] = {}
    every: set[str] = set()
    for line in output.splitlines():
        match = re.match(r"^(.+?):\d+:\d+: ([A-Z]{2}\d{3}) ", line)
        if match:
            pages.setdefault(match.group(2), set()).add(match.group(1))
            every.add(match.group(1))
    return {code: len(paths) for code, paths in pages.items()}, len(every)


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize(("folder", "total"), [("rxhive-pages", 6447), ("rxhive-v1-pages", 2112)])
def test_init_on_the_corpus_finds_the_known_defects(
    folder: str, total: int, tmp_path: Path
) -> None:
    site = SHARED / "corpus" / folder
    require(site.is_dir(), f"the shared corpus ({site})")
    result = run_checker("init", str(site), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 0, result.stderr
    check = run_checker(
        "check", str(site), "--config", str(tmp_path / "checker.toml"), "--no-cache", "-q"
    )
    counts, _ = page_rates(check.stdout)
    assert counts.get("FM003", 0) <= 0.02 * total
    # The template decides only the structure rules; none fires on more than 10% of pages.
    for code in ("ST001", "ST002", "ST003", "ST004", "ST005", "ST006", "ST008", "DS002", "DS003"):
        assert counts.get(code, 0) <= 0.10 * total, (code, counts)
    # Pages without a disclaimer (corpus README: 440 and 218 by plain text search): DS001,
    # or CT002 on a refusal page, where DS001 stays silent because it would only restate it.
    flagged = {
        line.split(":", 1)[0]
        for line in check.stdout.splitlines()
        if re.search(r":\d+:\d+: (DS001|CT002) ", line)
    }
    assert len(flagged) >= (400 if folder == "rxhive-pages" else 200), len(flagged)
    if folder == "rxhive-pages":
        assert re.search(r"^\S*o/omega\.md:\d+:\d+: CT002 ", check.stdout, re.MULTILINE)


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
    result = run_cli("check", str(page), "--select", "CT001", "--output-format", "json")
    lines = sorted(item["line"] for item in json.loads(result.stdout))
    assert lines == [5, 7], result.stdout


def test_a_pack_that_extends_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "extends: .\ndefault-template: x\ntemplates: []\n", encoding="utf-8"
    )
    from checker.errors import ConfigError

    with pytest.raises(ConfigError, match="extends"):
        load_pack(tmp_path.resolve())


def test_the_how_to_shows_what_init_prints_on_the_fixture_site(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "setup-your-site.md").read_text(encoding="utf-8")
    block = guide.split("$ checker init pages/medicines", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines()[1:] if line and not line.startswith("Wrote ")]
    result = run_cli(
        "init", "pages/medicines", "--name", "medicine", "--output", str(tmp_path), cwd=SITE
    )
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if not line.startswith("Wrote ")]
    assert printed == shown
