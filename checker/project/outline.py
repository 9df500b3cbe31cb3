"""What a template asks of a page, in words, and a minimal page that it accepts.

`checker template NAME` prints both: the outline a page must follow (front-matter keys, the
H1, the sections in order and in their form, the disclaimer and the note), then a page that
passes the checker, to start a site's pages from.
"""

from __future__ import annotations

import datetime
import re
import textwrap
from collections.abc import Iterator
from typing import Any

from checker.document.text import collapse_spaces, plural
from checker.project.pack import (
    DisclaimerSpec,
    FieldSpec,
    NoteSpec,
    SectionForm,
    SectionSpec,
    Template,
)

# The words a page's text is made of in the example: a sentence, so that no rule reads it as
# cut off, empty or a placeholder.
EXAMPLE_TEXT = "Describe it here in full sentences."
EXAMPLE_TITLE = "Example"
EXAMPLE_DATE = datetime.date(2025, 1, 1)
LINE_WIDTH = 100

_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "list": "a list",
    "object": "a mapping of keys",
    "any": "any value",
}

_POSITIONS = {
    "after-sections": "after the last section",
    "end": "at the end of the page, before the closing note",
    "top": "before the first section",
    "anywhere": "anywhere on the page",
}


def section_marker(form: SectionForm, name: str, text: str = "…", level: int | None = None) -> str:
    """How a section is written in a template's form: `### Usage`, `**Usage:** …`."""
    if form.style == "heading":
        return "#" * (level or form.level) + " " + name
    if form.style == "bold-heading":
        return "#" * (level or form.level) + f" **{name}**"
    if form.style == "list-label":
        return f"* **{name}:** {text}"
    return f"**{name}:** {text}"


def notice_paragraph(label: str, text: str) -> str:
    """The disclaimer or closing note as its canonical paragraph: `**Disclaimer:** text`."""
    return f"**{label}:** {collapse_spaces(text)}"


# -- the outline ---------------------------------------------------------------------------


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_words(spec: FieldSpec) -> str:
    """A key's spec in words: `text, one of: a, b`, `a whole number, at least 1`."""
    words = [_TYPES[spec.type]]
    if spec.type == "list" and spec.items is not None and spec.items.type != "object":
        words = [f"a list of {_TYPES[spec.items.type]}"]
    if spec.allowed:
        values = ", ".join(_yaml(value) for value in spec.allowed)
        words.append(f"exactly {values}" if len(spec.allowed) == 1 else f"one of: {values}")
    unit = "item" if spec.type == "list" else "character"
    if spec.min_length is not None:
        words.append(f"at least {plural(spec.min_length, unit)}")
    if spec.max_length is not None:
        words.append(f"at most {plural(spec.max_length, unit)}")
    if spec.minimum is not None:
        words.append(f"at least {_yaml(spec.minimum)}")
    if spec.maximum is not None:
        words.append(f"at most {_yaml(spec.maximum)}")
    if spec.pattern:
        words.append(f"matching `{spec.pattern}`")
    if spec.nullable:
        words.append("may be empty")
    return ", ".join(words)


def _field_lines(fields: dict[str, FieldSpec], indent: str, open_keys: bool) -> Iterator[str]:
    width = max((len(key) for key in fields), default=0)
    for key, spec in fields.items():
        if spec.required_if:
            condition = ", ".join(f"{k}: {_yaml(v)}" for k, v in spec.required_if.items())
            need = f"required when {condition}"
        else:
            need = "required" if spec.required else "optional"
        yield f"{indent}{key:<{width}}  {need}; {_field_words(spec)}"
        if spec.type == "object":
            yield from _field_lines(spec.fields, indent + "  ", spec.allow_unknown_keys)
        elif spec.type == "list" and spec.items is not None and spec.items.type == "object":
            yield f"{indent}  each item has:"
            yield from _field_lines(
                spec.items.fields, indent + "    ", spec.items.allow_unknown_keys
            )
    if open_keys and fields:
        yield f"{indent}(other keys are accepted too)"


def _section_lines(
    sections: list[SectionSpec], form: SectionForm, level: int, indent: str
) -> Iterator[tuple[str, str]]:
    for spec in sections:
        at = spec.level or level
        # A section is written in the template's form; a sub-section is always a heading.
        marker = "#" * at + " " + spec.name if indent else section_marker(form, spec.name)
        notes = ["required" if spec.required else "optional"]
        if spec.aliases:
            notes.append("also written as: " + ", ".join(spec.aliases))
        yield indent + marker, "; ".join(notes)
        yield from _section_lines(spec.sections, form, at + 1, indent + "  ")


def _notice_lines(spec: DisclaimerSpec | NoteSpec) -> Iterator[tuple[str, str]]:
    marker = f"**{spec.label}:** …"
    if isinstance(spec, DisclaimerSpec):
        where = _POSITIONS[spec.position]
        if spec.match == "statements" and spec.statements:
            yield marker, f"required, {where} (DS001-DS003); it must say that:"
            for statement in spec.statements:
                yield "", f"- {statement}"
        else:
            yield marker, f"required, {where} (DS001-DS003); in words close to the text below"
        if spec.aliases:
            yield "", "its label may also be: " + ", ".join(spec.aliases)
        yield "", f"the text the fix inserts: {collapse_spaces(spec.text)}"
    else:
        need = "required" if spec.required else "optional"
        yield marker, f"{need}: the page's last paragraph (DS004), in words close to:"
        yield "", collapse_spaces(spec.text)


def _columns(rows: list[tuple[str, str]], indent: str = "  ") -> Iterator[str]:
    """Two columns; a long right-hand text wraps under itself."""
    width = max((len(left) for left, _ in rows), default=0)
    hanging = " " * (len(indent) + width + 2)
    for left, right in rows:
        first = f"{indent}{left:<{width}}  "
        lines = textwrap.wrap(right, LINE_WIDTH, initial_indent=first, subsequent_indent=hanging)
        yield from lines or [first.rstrip()]


def _form_words(form: SectionForm) -> str:
    written = section_marker(form, "Name", "text")
    if form.style in ("heading", "bold-heading"):
        return f"`{written}` headings"
    opening = "a list item" if form.style == "list-label" else "a paragraph"
    return f"bold labels opening {opening}, as `{written}`"


def outline(template: Template, source: str, is_default: bool) -> str:
    """The template in words: what a page under it must hold, in order."""
    title = f"{template.name}: {collapse_spaces(template.description)}".rstrip(": ")
    lines = textwrap.wrap(title, LINE_WIDTH)
    claims = _claims(template)
    if is_default:
        claims.append("every page that no other template claims (the pack's default)")
    applies = ", and to ".join(claims) or "no page unless a config's `templates` names it"
    lines.append(f"Read from {source}.")
    lines.extend(textwrap.wrap(f"Applies to {applies}.", LINE_WIDTH))
    lines.append("")
    front = template.front_matter
    if front.json_schema:
        lines.append(
            f"Front matter (FM003): as the JSON Schema {front.json_schema} says "
            f"(`checker schema {template.name}` prints it)."
        )
    else:
        unknown = "other keys are accepted" if front.allow_unknown_keys else "no other keys"
        lines.append(f"Front matter (FM003; {unknown}):")
        lines.extend(_field_lines(front.fields, "  ", False) if front.fields else ["  (no keys)"])
    lines.append("")
    lines.append("Body, in this order:")
    rows: list[tuple[str, str]] = []
    if template.h1 == "required":
        rows.append(("# Title", "required: one H1, the page's title (ST006)"))
    elif template.h1 == "optional":
        rows.append(("# Title", "optional"))
    sections = template.sections
    disclaimer = template.disclaimer
    if disclaimer is not None and disclaimer.position == "top":
        rows.extend(_notice_lines(disclaimer))
    rows.extend(_section_lines(sections.items, sections.form, sections.form.level, ""))
    if disclaimer is not None and disclaimer.position != "top":
        rows.extend(_notice_lines(disclaimer))
    if template.note is not None:
        rows.extend(_notice_lines(template.note))
    lines.extend(_columns(rows))
    lines.append("")
    sentence = f"Sections are written as {_form_words(sections.form)} (ST008)"
    if sections.strict:
        sentence += "; only that form marks a section"
    order = "They come in the order above (ST002)" if sections.ordered else "They come in any order"
    others = (
        "no other sections are allowed (ST005)" if sections.closed else "others may stand between"
    )
    lines.extend(textwrap.wrap(f"{sentence}. {order}, and {others}.", LINE_WIDTH))
    if template.h1 == "forbidden":
        lines.append("The body has no `# Title`: the layout prints the title (ST006).")
    if disclaimer is None:
        lines.append("No disclaimer.")
    if template.note is None:
        lines.append("No closing note.")
    if template.ignore:
        lines.append("Rules not run on these pages: " + ", ".join(template.ignore) + ".")
    return "\n".join(lines) + "\n"


def _claims(template: Template) -> list[str]:
    conditions = template.applies_to
    claims = []
    if conditions.globs:
        claims.append("pages whose path matches " + " or ".join(f"`{g}`" for g in conditions.globs))
    if conditions.has_keys:
        keys = ", ".join(f"`{key}`" for key in conditions.has_keys)
        claims.append(f"pages whose front matter has {keys}")
    if conditions.equals:
        values = ", ".join(f"`{k}: {_yaml(v)}`" for k, v in conditions.equals.items())
        claims.append(f"pages whose front matter says {values}")
    if len(claims) > 1:
        return [" and ".join(claims)]
    return claims


# -- a minimal page ------------------------------------------------------------------------


def _text_for(spec: FieldSpec | None, key: str) -> str:
    """Text a key's spec accepts: its pattern decides between a few plain candidates."""
    candidates = [EXAMPLE_TITLE, EXAMPLE_TITLE + "?", EXAMPLE_TITLE + ".", "example", "EXAMPLE"]
    if key == "title" or spec is None or not spec.pattern:
        return EXAMPLE_TITLE
    for candidate in candidates:
        if re.search(spec.pattern, candidate):
            return candidate
    return EXAMPLE_TITLE


def _value(spec: FieldSpec, key: str) -> Any:
    if spec.allowed:
        return spec.allowed[0]
    if spec.type == "integer":
        return int(spec.minimum) if spec.minimum is not None else 1
    if spec.type == "number":
        return spec.minimum if spec.minimum is not None else 1
    if spec.type == "boolean":
        return True
    if spec.type == "date":
        return EXAMPLE_DATE
    if spec.type == "object":
        return _mapping(spec.fields)
    if spec.type == "list":
        item = spec.items or FieldSpec()
        return [_value(item, key) for _ in range(max(1, spec.min_length or 0))]
    return _text_for(spec, key)


def _mapping(fields: dict[str, FieldSpec]) -> dict[str, Any]:
    values = {key: _value(spec, key) for key, spec in fields.items() if spec.required}
    for key, spec in fields.items():
        condition = spec.required_if
        if condition and all(values.get(k) == v for k, v in condition.items()):
            values[key] = _value(spec, key)
    return {key: values[key] for key in fields if key in values}


def _schema_value(schema: dict[str, Any], key: str) -> Any:
    """A value a JSON Schema accepts, for the simple schemas sites keep for front matter."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: _schema_value(properties.get(name, {}), name)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return [
            _schema_value(schema.get("items", {}), key)
            for _ in range(max(1, schema.get("minItems", 0)))
        ]
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return EXAMPLE_TITLE


def _yaml_lines(data: Any, indent: str = "") -> Iterator[str]:
    """Block-style YAML for the example's front matter (plain scalars, as people write them)."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield f"{indent}{key}:"
            yield from _yaml_lines(value, indent + "  ")
        elif isinstance(value, list):
            yield f"{indent}{key}:"
            for item in value:
                if isinstance(item, dict):
                    first, *rest = list(_yaml_lines(item, indent + "    "))
                    yield f"{indent}  - {first.lstrip()}"
                    yield from rest
                else:
                    yield f"{indent}  - {_scalar(item)}"
        else:
            yield f"{indent}{key}: {_scalar(value)}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and (value.endswith("?") or ":" in value or value[:1] in "-[{*&!"):
        return f'"{value}"'
    return str(value)


def example_page(template: Template) -> str:
    """A minimal page the template accepts: its required keys, H1, sections, disclaimer and
    note, each with a sentence of placeholder text."""
    front = template.front_matter
    data = (
        _schema_value(template.json_schema, "") if template.json_schema else _mapping(front.fields)
    )
    title = data.get("title", EXAMPLE_TITLE) if isinstance(data, dict) else EXAMPLE_TITLE
    blocks: list[str] = []
    if template.h1 == "required":
        blocks.append(f"# {title}")
    disclaimer = template.disclaimer
    if disclaimer is not None and disclaimer.position == "top":
        blocks.append(notice_paragraph(disclaimer.label, disclaimer.text))
    form = template.sections.form
    for spec in template.sections.items:
        if spec.required:
            blocks.extend(_section_blocks(spec, form, form.level, top=True))
    if disclaimer is not None and disclaimer.position != "top":
        blocks.append(notice_paragraph(disclaimer.label, disclaimer.text))
    if template.note is not None and template.note.required:
        blocks.append(notice_paragraph(template.note.label, template.note.text))
    head = "\n".join(["---", *_yaml_lines(data), "---"])
    return head + "\n\n" + "\n\n".join(blocks) + "\n"


def _section_blocks(spec: SectionSpec, form: SectionForm, level: int, top: bool) -> list[str]:
    at = spec.level or level
    if top and form.style in ("label", "list-label"):
        blocks = [section_marker(form, spec.name, EXAMPLE_TEXT)]
    else:
        marker = section_marker(form, spec.name, level=at) if top else "#" * at + " " + spec.name
        blocks = [marker, EXAMPLE_TEXT]
    for sub in spec.sections:
        if sub.required:
            blocks.extend(_section_blocks(sub, form, at + 1, top=False))
    return blocks
