"""`checker template NAME`: a template's outline in words, and a minimal page that passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_checker

OTHER_SITE = ROOT / "tests" / "fixtures" / "other-site"


@pytest.mark.parametrize(
    ("site", "template", "folder"),
    [
        (None, "drug-v1", "."),
        (None, "drug-v2", "."),
        (OTHER_SITE, "medicine", "pages/medicines"),
        (OTHER_SITE, "leaflet", "pages/leaflets"),
    ],
)
def test_the_example_page_passes_every_rule(
    tmp_path: Path, site: Path | None, template: str, folder: str
) -> None:
    """The page a new site starts from is one the checker accepts, under every rule that is
    on, for the bundled templates and a site of another shape (a JSON Schema one too)."""
    if site is not None:
        shutil.copytree(site, tmp_path, dirs_exist_ok=True)
        shutil.rmtree(tmp_path / "pages")
    else:
        (tmp_path / "checker.toml").write_text("")
    example = run_checker("template", template, "--example", cwd=tmp_path)
    assert example.returncode == 0, example.stderr
    page = tmp_path / folder / "example.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(example.stdout)
    result = run_checker("check", "--no-cache", "--select", "ALL", str(page), cwd=tmp_path)
    checked = run_checker("check", "--no-cache", "--show-settings", str(page), cwd=tmp_path)
    assert f"template:      {template}" in checked.stdout, checked.stdout
    assert result.stdout == "", result.stdout
    assert result.returncode == 0, result.stderr


def test_the_outline_gives_the_sections_in_order_in_their_form_and_the_disclaimer(
    tmp_path: Path,
) -> None:
    result = run_checker("template", "drug-v2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  layout  required; text, exactly minimal-medicine" in lines
    body = lines[lines.index("Body, in this order:") + 1 :]
    markers = [line.split("  ")[1] for line in body[:9]]
    assert markers == [
        "# Title",
        "### Generic Name",
        "### Usage",
        "### Dosage",
        "### Side Effects",
        "### How it Works",
        "### Precautions",
        "### FAQs",
        "**Disclaimer:** …",
    ]
    assert "- the content is not medical advice" in result.stdout
    assert "They come in the order above (ST002), and no other sections are allowed" in (
        result.stdout.replace("\n", " ")
    )
    assert "No closing note." in lines
    assert "Rules not run on these pages: FT005." in lines
    # The example page closes the output, front matter first.
    example = run_checker("template", "drug-v2", "--example", cwd=tmp_path).stdout
    assert result.stdout.endswith("\n" + example)
    assert example.startswith("---\nlayout: minimal-medicine\ntitle: Example\n---\n")


def test_sub_sections_a_forbidden_h1_and_conditional_keys_are_shown(tmp_path: Path) -> None:
    shutil.copytree(OTHER_SITE, tmp_path, dirs_exist_ok=True)
    result = run_checker("template", "medicine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  ingredient  required when type: single; text" in lines
    assert "      q  required; text, matching `\\?$`" in lines
    outline = lines[: lines.index("No closing note.")]
    headings = [line.split(";")[0] for line in outline if line.lstrip().startswith("##")]
    assert headings == [
        "  ## **Overview**        required",
        "  ## **Dosage**          required",
        "    ### Standard Dosage  required",
        "      #### Adults        required",
        "      #### Children      optional",
        "    ### Missed Dose      optional",
        "  ## **Side Effects**    required",
        "  ## **Warnings**        optional",
    ]
    assert "The body has no `# Title`: the layout prints the title (ST006)." in lines
