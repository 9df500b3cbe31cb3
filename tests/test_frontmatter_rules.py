"""The front-matter rules on a pack of their own: what FM003 says for each kind of schema
problem and where, with `fields` and with a JSON Schema file; FM002 on a key written twice;
FM004's fix on a two-line H1 and on a title with Markdown in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import fix_text
from checker.rules.base import Applicability
from tests.conftest import run_checker
from tests.rule_fixtures import check_only, found

PACK = """\
name: products
default-template: product
templates:
  - templates/product.yaml
  - templates/listed.yaml
"""
SECTIONS = """\
sections:
  form: {style: heading, level: 3}
  closed: false
  items: []
"""
PRODUCT = """\
name: product
applies-to:
  equals: {layout: product}
front-matter:
  fields:
    layout: {type: string, allowed: [product]}
    title: {type: string, min-length: 1}
    price: {type: number, minimum: 0}
    maker:
      type: object
      fields:
        name: {type: string}
        country: {type: string, required: false}
        kind: {type: string, required: false}
        licence: {type: string, required: false, required-if: {kind: single}}
    kind: {type: string, required: false}
    strength: {type: string, required: false, required-if: {kind: single}}
    faqs:
      type: list
      required: false
      items:
        type: object
        fields:
          q: {type: string}
          a: {type: string}
"""
LISTED = """\
name: listed
applies-to:
  equals: {layout: listed}
front-matter:
  json-schema: listed.schema.json
"""
SCHEMA = """\
{"type": "object", "required": ["layout", "title"],
 "properties": {"layout": {"const": "listed"}, "title": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}},
                "updated": {"type": "string", "format": "date"}},
 "additionalProperties": false}
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    templates = tmp_path / "rules" / "templates"
    templates.mkdir(parents=True)
    (tmp_path / "rules" / "pack.yaml").write_text(PACK)
    (templates / "product.yaml").write_text(PRODUCT + SECTIONS)
    (templates / "listed.yaml").write_text(LISTED + SECTIONS)
    (tmp_path / "rules" / "listed.schema.json").write_text(SCHEMA)
    (tmp_path / "checker.toml").write_text('pack = "rules"\n')
    return tmp_path


def test_each_kind_of_schema_problem_is_said_at_its_key(site: Path) -> None:
    page = (
        "---\nlayout: product\ntitle: Widget\nprice: -1\nmaker:\n  country: NL\nkind: single\n"
        "colour: red\nfaqs:\n  - q: Why?\n    a: Because.\n  - q: How?\n---\n\n# Widget\n"
    )
    assert found(site, "FM003", page) == [
        (1, 1, "key `strength` is required when kind: single; add `strength: …`"),
        (4, 1, "`price` is -1; it must be at least 0"),
        (5, 1, "required key `name` is missing from `maker`; add `name: …`"),
        (
            8,
            1,
            "unknown key `colour` is not allowed by template product; remove it, or declare "
            "it in the template's front-matter fields",
        ),
        (12, 1, "required key `a` is missing from `faqs.1`; add `a: …`"),
    ]


def test_a_missing_top_level_key_is_said_at_the_opening_line(site: Path) -> None:
    page = "---\nlayout: product\nprice: 3\nmaker:\n  name: Acme\n---\n\n# Widget\n"
    assert found(site, "FM003", page) == [
        (1, 1, "required key `title` is missing from the front matter; add `title: …`")
    ]


def test_a_wrong_type_in_a_nested_key_is_said_at_that_key(site: Path) -> None:
    page = "---\nlayout: product\ntitle: Widget\nprice: 3\nmaker:\n  name: [A, B]\n---\n\n# W\n"
    assert found(site, "FM003", page) == [
        (
            6,
            1,
            "`maker.name` must be text, not a list; write its text on the same line: `name: …`",
        )
    ]


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "layout: products\n",
            2,
            "`layout` is the text 'products'; write `layout: product`",
        ),
        ("layout:\n", 2, "`layout` has no value; write `layout: product`"),
        ("title: ''\n", 3, "`title` is empty; write its text"),
        (
            "title: 2024\n",
            3,
            '`title` must be text, not the number 2024; put it in quotes: `title: "2024"`',
        ),
        (
            "price: '3.5'\n",
            4,
            "`price` must be a number, not the text '3.5'; write it without quotes: `price: 3.5`",
        ),
        (
            "maker: Acme\n",
            5,
            "`maker` must be a mapping of keys, not the text 'Acme'; write its keys on "
            "indented `key: value` lines below `maker:`",
        ),
        (
            "faqs: {q: Why?, a: Because.}\n",
            7,
            "`faqs` must be a list, not a mapping of keys; write each item on its own `- ` "
            "line below `faqs:`",
        ),
        ("kind:\n", 7, "`kind` has no value; write `kind: …`, or remove the optional key"),
    ],
)
def test_each_message_says_what_to_write(site: Path, front: str, line: int, message: str) -> None:
    """FM003 speaks of the page's value and the template's spec, never in the schema
    library's words."""
    keys = {
        "layout": "layout: product\n",
        "title": "title: W\n",
        "price": "price: 3\n",
        "maker": "maker:\n  name: Acme\n",
        "kind": "",
        "faqs": "",
    }
    name = front.split(":", maxsplit=1)[0]
    keys[name] = front
    page = "---\n" + "".join(keys.values()) + "---\n\n# W\n"
    assert found(site, "FM003", page) == [(line, 1, message)]


def test_a_page_without_layout_is_told_the_one_value_it_takes(tmp_path: Path) -> None:
    """The first thing a new page often gets wrong, through the real command: the bundled
    drug-v2 template allows one layout, and the message gives it."""
    (tmp_path / "page.md").write_text("---\ntitle: Aspirin\n---\n\n# Aspirin\n")
    (tmp_path / "wrong.md").write_text("---\nlayout: minimal\ntitle: Aspirin\n---\n\n# Aspirin\n")
    result = run_checker("check", "--no-cache", "--select", "FM003", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "page.md:1:1: FM003 [error] required key `layout` is missing from the front matter; "
        "add `layout: minimal-medicine`",
        "wrong.md:2:1: FM003 [error] `layout` is the text 'minimal'; write "
        "`layout: minimal-medicine`",
    ]


def test_a_json_schema_template_reports_each_error_with_its_schema_path(site: Path) -> None:
    page = "---\nlayout: listed\ntags:\n  - short\n  - much too long\nextra: 1\n---\n\n# L\n"
    assert found(site, "FM003", page) == [
        (1, 1, "`(front matter)`: 'title' is a required property (JSON Schema: required)"),
        (
            1,
            1,
            "`(front matter)`: Additional properties are not allowed ('extra' was unexpected) "
            "(JSON Schema: additionalProperties)",
        ),
        (
            5,
            1,
            "`tags.1`: 'much too long' is too long (JSON Schema: properties/tags/items/maxLength)",
        ),
    ]


def test_a_valid_page_has_no_schema_finding(site: Path) -> None:
    page = "---\nlayout: listed\ntitle: L\ntags: [short]\n---\n\n# L\n"
    assert found(site, "FM003", page) == []
    page = "---\nlayout: product\ntitle: W\nprice: 0\nmaker: {name: Acme}\nkind: multi\n---\n"
    assert found(site, "FM003", page) == []


def test_a_key_written_twice_is_reported_at_the_second(site: Path) -> None:
    page = "---\nlayout: product\ntitle: A\nprice: 1\ntitle: B\n---\n\n# B\n"
    assert found(site, "FM002", page) == [
        (
            5,
            1,
            "key 'title' is written again (first at line 3), and YAML keeps only the last "
            "value: remove one of the two",
        )
    ]


def test_the_title_fix_is_unsafe_and_replaces_a_two_line_h1(site: Path) -> None:
    page = site / "page.md"
    page.write_text("---\nlayout: product\ntitle: Gadget\n---\n\nWidget\n======\n\nText.\n")
    [violation] = check_only("FM004", [page], site / "checker.toml").violations
    assert (violation.line, violation.column) == (6, 1)
    assert violation.message == (
        "the H1 'Widget' differs from the front-matter title 'Gadget'; make them the same"
    )
    assert violation.fix is not None
    assert violation.fix.applicability is Applicability.UNSAFE
    text = page.read_text()
    assert fix_text(text, select=("FM004",)) == text
    assert fix_text(text, unsafe=True, select=("FM004",)) == (
        "---\nlayout: product\ntitle: Gadget\n---\n\n# Gadget\n\nText.\n"
    )


def test_the_title_fix_escapes_markdown_in_the_title() -> None:
    page = "---\nlayout: minimal-medicine\ntitle: 'A*B [x] #1'\n---\n\n# AB\n"
    assert fix_text(page, unsafe=True, select=("FM004",)) == (
        "---\nlayout: minimal-medicine\ntitle: 'A*B [x] #1'\n---\n\n# A\\*B \\[x\\] \\#1\n"
    )


def test_no_title_or_no_h1_gives_no_title_finding(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\nlayout: minimal-medicine\n---\n\n# Aspirin\n")
    assert check_only("FM004", [page]).violations == []
    page.write_text("---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\nText.\n")
    assert check_only("FM004", [page]).violations == []


def test_a_nested_conditional_key_is_said_at_its_parent(site: Path) -> None:
    page = "---\nlayout: product\ntitle: W\nprice: 1\nmaker:\n  name: Acme\n  kind: single\n---\n"
    assert found(site, "FM003", page) == [
        (5, 1, "key `maker.licence` is required when kind: single; add `licence: …`")
    ]


def test_a_json_schema_format_is_checked(site: Path) -> None:
    page = "---\nlayout: listed\ntitle: L\nupdated: yesterday\n---\n\n# L\n"
    assert found(site, "FM003", page) == [
        (4, 1, "`updated`: 'yesterday' is not a 'date' (JSON Schema: properties/updated/format)")
    ]


def test_keys_that_are_not_python_names_are_fields_like_any_other(tmp_path: Path) -> None:
    # pydantic refuses a field named `_draft` and reads `model_config` as its own setting;
    # a front matter may hold either.
    odd = (
        "name: odd\napplies-to:\n  equals: {layout: odd}\nfront-matter:\n  fields:\n"
        "    layout: {type: string, allowed: [odd]}\n    title: {type: string}\n"
        "    _draft: {type: boolean}\n    model_config: {type: integer, required: false}\n"
        "    json: {type: string, required: false}\n"
    )
    templates = tmp_path / "rules" / "templates"
    templates.mkdir(parents=True)
    (tmp_path / "rules" / "pack.yaml").write_text(
        "name: odd\ndefault-template: odd\ntemplates:\n  - templates/odd.yaml\n"
    )
    (templates / "odd.yaml").write_text(odd + SECTIONS)
    (tmp_path / "checker.toml").write_text('pack = "rules"\n')
    page = "---\nlayout: odd\ntitle: Odd\nmodel_config: many\njson: x\n---\n\n# Odd\n"
    assert found(tmp_path, "FM003", page) == [
        (1, 1, "required key `_draft` is missing from the front matter; add `_draft: …`"),
        (
            4,
            1,
            "`model_config` must be a whole number, not the text 'many'; write a whole number, "
            "without quotes",
        ),
    ]
    good = "---\nlayout: odd\ntitle: Odd\n_draft: true\nmodel_config: 2\n---\n\n# Odd\n"
    assert found(tmp_path, "FM003", good) == []
