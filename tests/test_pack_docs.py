"""The pack reference and the pack files' JSON Schema are generated, and kept current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from checker.project.packdoc import pack_schema, pack_schema_text, template_reference
from tests.conftest import ROOT, run_checker

DOCS = ROOT / "docs"
PACK_FILES = sorted(
    [
        *(ROOT / "rules").rglob("*.yaml"),
        *(ROOT / "tests" / "fixtures" / "other-site" / "pack").rglob("*.yaml"),
    ]
)


def test_docs_templates_md_is_up_to_date() -> None:
    assert (DOCS / "templates.md").read_text(encoding="utf-8") == template_reference(), (
        "docs/templates.md is stale: run `checker templates --reference > docs/templates.md`"
    )


def test_docs_pack_schema_is_up_to_date() -> None:
    assert (DOCS / "pack.schema.json").read_text(encoding="utf-8") == pack_schema_text(), (
        "docs/pack.schema.json is stale: run `checker templates --pack-schema > docs/pack.schema.json`"
    )


def test_the_command_prints_what_the_docs_hold() -> None:
    result = run_checker("templates", "--reference")
    assert result.returncode == 0
    assert result.stdout == template_reference()


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda path: path.name)
def test_every_pack_file_is_valid_under_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), pack_schema())


def test_the_schema_refuses_an_unknown_section_key() -> None:
    template = yaml.safe_load((ROOT / "rules" / "templates" / "drug-v2.yaml").read_text("utf-8"))
    template["sections"]["items"][0]["bogus"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(template, pack_schema())


def test_every_key_of_the_reference_is_documented() -> None:
    schema = json.loads(pack_schema_text())
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{key} has no description"
