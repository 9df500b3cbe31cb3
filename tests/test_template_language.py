"""A site of another shape, described by configuration alone (tests/fixtures/other-site).

Each test seeds one defect into a copy of the site's clean page and checks that the feature of
the template language that describes it reports the defect, with the right code at the right line.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_checker

MEDICINE = "pages/medicines/paracetamol.md"
LEAFLET = "pages/leaflets/storage.md"


def findings(other_site: Path, page: str, cwd: Path | None = None) -> list[tuple[str, int]]:
    result = run_checker(
        "check",
        str(other_site / page),
        "--no-cache",
        "--output-format",
        "json",
        cwd=cwd or other_site,
    )
    assert result.returncode in (0, 1), result.stderr
    return sorted((item["code"], item["line"]) for item in json.loads(result.stdout))


def seed(other_site: Path, page: str, old: str, new: str) -> str:
    path = other_site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    seeded = text.replace(old, new, 1)
    path.write_text(seeded, encoding="utf-8")
    return seeded


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_clean_pages_pass_from_any_folder(other_site: Path, tmp_path: Path) -> None:
    # No disclaimer, no H1, bold labels inside sections: none of it is reported.
    assert findings(other_site, MEDICINE) == []
    assert findings(other_site, LEAFLET) == []
    assert findings(other_site, MEDICINE, cwd=tmp_path) == []
    assert findings(other_site, LEAFLET, cwd=other_site / "pages" / "leaflets") == []


def test_the_template_map_and_applies_to_globs_are_relative_to_the_content_root(
    other_site: Path, tmp_path: Path
) -> None:
    for cwd in (other_site, other_site / "pages", tmp_path):
        result = run_checker(
            "check", str(other_site / "pages"), "--no-cache", "--output-format", "json", cwd=cwd
        )
        assert result.returncode == 0, result.stdout
    # The leaflet is claimed by `applies-to: globs`, the medicine by the config's map.
    for cwd in (other_site, other_site / "pages" / "leaflets", tmp_path):
        result = run_checker("templates", "--config", str(other_site / "checker.toml"), cwd=cwd)
        assert result.returncode == 0, result.stderr
        counts = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[1:3]}
        assert counts == {"medicine": "4", "leaflet": "1"}, result.stdout


def test_a_list_of_objects_reports_the_item_at_its_line(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "    a: Yes, with or without food.\n", "")
    assert findings(other_site, MEDICINE) == [("FM003", line_of(text, "q: Can I take it"))]


def test_a_pattern_inside_an_item_reports_the_key_at_its_line(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "Is it safe in pregnancy?", "Pregnancy")
    assert findings(other_site, MEDICINE) == [("FM003", line_of(text, "q: Pregnancy"))]


def test_an_enum_reports_the_key_at_its_line(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "type: single", "type: mixture")
    assert findings(other_site, MEDICINE) == [("FM003", line_of(text, "type: mixture"))]


def test_a_conditional_key_is_required_only_when_its_condition_holds(other_site: Path) -> None:
    seed(other_site, MEDICINE, "ingredient: paracetamol\n", "")
    assert findings(other_site, MEDICINE) == [("FM003", 1)]
    seed(other_site, MEDICINE, "type: single", "type: combination")
    assert findings(other_site, MEDICINE) == []


def test_an_optional_key_may_be_left_out_but_not_written_empty_unless_nullable(
    other_site: Path,
) -> None:
    """`required: false` lets a page leave a key out; `updated:` with no value is null, which
    only `nullable: true` accepts (docs/templates.md)."""
    seed(other_site, MEDICINE, "updated: 2025-03-01\n", "")
    assert findings(other_site, MEDICINE) == []
    text = seed(other_site, MEDICINE, "faqs:\n", "updated:\nfaqs:\n")
    assert findings(other_site, MEDICINE) == [("FM003", line_of(text, "updated:"))]
    template = other_site / "pack" / "templates" / "medicine.yaml"
    template.write_text(
        template.read_text().replace(
            "      required: false\n", "      required: false\n      nullable: true\n", 1
        )
    )
    assert findings(other_site, MEDICINE) == []


def test_a_forbidden_h1_is_reported(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "## **Overview**", "# Paracetamol\n\n## **Overview**")
    assert findings(other_site, MEDICINE) == [("ST006", line_of(text, "# Paracetamol"))]


def test_text_before_the_first_section_is_a_preamble_without_an_h1(other_site: Path) -> None:
    text = seed(
        other_site,
        MEDICINE,
        "## **Overview**",
        "Read this page before the first dose.\n\n## **Overview**",
    )
    assert findings(other_site, MEDICINE) == [("ST007", line_of(text, "Read this page"))]


def test_a_required_sub_sub_section_is_reported_at_its_section(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "#### Adults\n", "#### Grown-ups\n")
    assert findings(other_site, MEDICINE) == [("ST001", line_of(text, "## **Dosage**"))]


def test_a_required_sub_section_is_reported_at_its_section(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "### Standard Dosage\n", "### Usual Dosage\n")
    assert findings(other_site, MEDICINE) == [("ST001", line_of(text, "## **Dosage**"))]


def test_a_section_in_another_form_is_reported(other_site: Path) -> None:
    text = seed(other_site, MEDICINE, "## **Side Effects**", "## Side Effects")
    assert findings(other_site, MEDICINE) == [("ST008", line_of(text, "## Side Effects"))]


def test_strict_sections_keep_bold_labels_as_content(other_site: Path) -> None:
    # Without strict mode the bold `**Dosage:**` label in the overview is a second Dosage.
    template = other_site / "pack" / "templates" / "medicine.yaml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("strict: true", "strict: false"),
        encoding="utf-8",
    )
    text = (other_site / MEDICINE).read_text(encoding="utf-8")
    found = findings(other_site, MEDICINE)
    assert ("ST008", line_of(text, "**Dosage:** see")) in found


def test_a_missing_required_section_is_reported(other_site: Path) -> None:
    text = seed(
        other_site,
        MEDICINE,
        "\n## **Side Effects**\n\nSide effects are rare at the usual dose.\n",
        "",
    )
    # Without an H1, something missing from the body is reported at its first line.
    assert findings(other_site, MEDICINE) == [("ST001", line_of(text, "## **Overview**"))]


def test_a_json_schema_file_validates_the_front_matter(other_site: Path) -> None:
    text = seed(other_site, LEAFLET, "    a: In a cool, dry place.\n", "")
    assert findings(other_site, LEAFLET) == [("FM003", line_of(text, "q: Where should"))]


def test_unordered_sections_may_come_in_any_order(other_site: Path) -> None:
    seed(other_site, LEAFLET, "## Summary\n\nKeep medicines out of the reach of children.\n\n", "")
    path = other_site / LEAFLET
    path.write_text(
        path.read_text(encoding="utf-8") + "\n## Summary\n\nKeep them locked away.\n",
        encoding="utf-8",
    )
    assert findings(other_site, LEAFLET) == []


def test_the_schema_command_states_required_if_for_editors(other_site: Path) -> None:
    result = run_checker("schema", "medicine", cwd=other_site)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    page = {"title": "Paracetamol", "type": "single", "faqs": [{"q": "Why?", "a": "Pain."}]}
    # As FM003 reads the template: `ingredient` is required for a single-ingredient medicine.
    assert not validator.is_valid(page)
    assert validator.is_valid({**page, "ingredient": "paracetamol"})
    assert validator.is_valid({**page, "type": "combination"})


@pytest.mark.parametrize(
    ("old", "new", "key", "allowed"),
    [
        (
            "    - name: Overview\n",
            "    - name: Overview\n      bogus: 1\n",
            "items.0.bogus",
            "name, aliases, required, sections, level",
        ),
        (
            "    - name: Overview\n",
            "    - aliases: [Summary]\n",
            "sections.items.0.name",
            "name, aliases, required, sections, level",
        ),
        (
            "    title:\n      type: string\n      min-length: 1\n",
            "    title: string\n",
            "front-matter.fields.title",
            "type, description, required, required-if",
        ),
        (
            "disclaimer: none",
            "disclaimer:\n  label: Disclaimer",
            "disclaimer.text",
            "label, aliases, text, match",
        ),
        (
            "front-matter:\n",
            "front-matter: []\nunused:\n",
            "front-matter",
            "allow-unknown-keys, fields, json-schema",
        ),
    ],
    ids=["unknown key", "missing key", "a value for a mapping", "missing text", "a list"],
)
def test_every_pack_error_lists_the_keys_allowed_there(
    other_site: Path, old: str, new: str, key: str, allowed: str
) -> None:
    template = other_site / "pack" / "templates" / "medicine.yaml"
    text = template.read_text(encoding="utf-8")
    assert old in text
    template.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_checker("check", str(other_site / MEDICINE), "--no-cache", cwd=other_site)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{key}: " in result.stderr, result.stderr
    assert f"(allowed: {allowed}" in result.stderr, result.stderr


def test_a_bad_rule_option_in_the_pack_names_the_pack_file(other_site: Path) -> None:
    pack = other_site / "pack" / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8") + "rules:\n  CT001:\n    phrase: [x]\n", encoding="utf-8"
    )
    result = run_checker("check", str(other_site / MEDICINE), "--no-cache", cwd=other_site)
    assert result.returncode == 2
    assert f"{pack}: rules.CT001.phrase: unknown key" in result.stderr, result.stderr
    assert "(allowed: phrases, lead-phrases)" in result.stderr
