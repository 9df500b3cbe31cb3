"""Write a template, a pack file and a config as plain, commented text a person would write."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from checker.document.text import share_of
from checker.project.pack import FieldSpec, SectionSpec, Template


def scalar(value: Any) -> str:
    """A value in YAML flow style, on one line."""
    dumped = yaml.safe_dump([value], default_flow_style=True, width=10**6, allow_unicode=True)
    return dumped.strip()[1:-1]


def _folded(key: str, text: str, indent: str) -> list[str]:
    lines = [f"{indent}{key}: >-"]
    lines += [indent + "  " + line for line in textwrap.wrap(text, 92 - len(indent))]
    if any(line.strip().startswith(("#", "- ", "?")) for line in lines[1:]) or not text:
        return [f"{indent}{key}: {scalar(text)}"]
    return lines


def _found_on(counts: dict[str, int], total: int, key: str) -> str:
    count = counts.get(key)
    return "" if count is None or total == 0 else f"  # on {share_of(count, total)}"


def _field_lines(name: str, spec: FieldSpec, indent: str, comment: str = "") -> list[str]:
    lines = [f"{indent}{scalar(name)}:{comment}"]
    inner = indent + "  "
    lines.append(f"{inner}type: {spec.type}")
    if spec.required_if:
        lines.append(f"{inner}required-if: {scalar(spec.required_if)}")
    elif not spec.required:
        lines.append(f"{inner}required: false")
    if spec.nullable:
        lines.append(f"{inner}nullable: true")
    if spec.allowed:
        lines.append(f"{inner}allowed: {scalar(spec.allowed)}")
    if spec.min_length is not None:
        lines.append(f"{inner}min-length: {spec.min_length}")
    if spec.items is not None:
        lines.append(f"{inner}items:")
        item = spec.items
        lines.append(f"{inner}  type: {item.type}")
        if item.allowed:
            lines.append(f"{inner}  allowed: {scalar(item.allowed)}")
        if item.fields:
            lines.append(f"{inner}  fields:")
            for key, sub in item.fields.items():
                lines.extend(_field_lines(key, sub, inner + "    "))
    if spec.fields:
        lines.append(f"{inner}fields:")
        for key, sub in spec.fields.items():
            lines.extend(_field_lines(key, sub, inner + "  "))
    return lines


def _section_lines(spec: SectionSpec, indent: str, comment: str = "") -> list[str]:
    lines = [f"{indent}- name: {scalar(spec.name)}{comment}"]
    if spec.aliases:
        lines.append(f"{indent}  aliases: {scalar(spec.aliases)}")
    if not spec.required:
        lines.append(f"{indent}  required: false")
    if spec.sections:
        lines.append(f"{indent}  sections:")
        for sub in spec.sections:
            lines.extend(_section_lines(sub, indent + "    "))
    return lines


def render_template(
    template: Template,
    counts: dict[str, int],
    pages: int,
    account: list[str],
    sources: str,
    glosses: dict[str, str] | None = None,
) -> str:
    """The template as commented YAML; `account` and `sources` head the file."""
    out = [f"# Inferred by `checker init` from {pages} pages under {sources}.", "#"]
    for line in account:
        out += textwrap.wrap(line, 92, initial_indent="# ", subsequent_indent="#   ")
    out += [
        "#",
        "# Review it: rename sections, add aliases (`aliases: [Uses]`), mark what must be on",
        "# every page as required. The keys are described in docs/templates.md.",
        "",
        f"name: {scalar(template.name)}",
        f"description: {scalar(template.description or f'The pages under {sources}.')}",
        "",
        "front-matter:",
        "  # Keys that no page of the site had are refused (FM003).",
        "  allow-unknown-keys: false",
        "  fields:",
    ]
    for key, spec in template.front_matter.fields.items():
        out += _field_lines(key, spec, "    ", _found_on(counts, pages, f"front-matter.{key}"))
    out += ["", "# Whether the body opens with a `# Title`: required, forbidden or optional."]
    out += [f"h1: {template.h1}", "", "sections:", "  form:"]
    form = template.sections.form
    out.append(f"    style: {form.style}")
    if form.style.endswith("heading"):
        out.append(f"    level: {form.level}")
    out += [
        "  # closed: sections the template does not list are reported (ST005).",
        f"  closed: {str(template.sections.closed).lower()}",
        "  # ordered: sections come in the order listed (ST002).",
        f"  ordered: {str(template.sections.ordered).lower()}",
        "  # strict: true would make bold labels inside a section its content, never a section.",
        "  strict: false",
        "  items:",
    ]
    for section in template.sections.items:
        out += _section_lines(section, "    ", _found_on(counts, pages, f"section.{section.name}"))
    out.append("")
    disclaimer = template.disclaimer
    if disclaimer is None:
        out += ["# The pages carry no disclaimer.", "disclaimer: none"]
    else:
        out += ["disclaimer:", f"  label: {scalar(disclaimer.label)}"]
        others = "  # no other label was seen" if not disclaimer.aliases else ""
        out.append(f"  aliases: {scalar(disclaimer.aliases)}{others}")
        if disclaimer.match == "statements":
            out += [
                "  # What `checker check --fix` writes where the disclaimer is missing.",
                *_folded("text", disclaimer.text, "  "),
                "  # statements: the wording varies from page to page, so a disclaimer must say",
                "  # each of these things, in words that one of its patterns matches (case aside).",
                "  match: statements",
                "  statements:",
            ]
            for name, patterns in disclaimer.statements.items():
                out.append(f"    {scalar(name)}:")
                for pattern in patterns:
                    gloss = (glosses or {}).get(pattern)
                    out.append(f"      - {_pattern(pattern)}" + (f"  # {gloss}" if gloss else ""))
        else:
            out += [
                *_folded("text", disclaimer.text, "  "),
                "  # exact: the text must be this close (word similarity) to the canonical text.",
                "  match: exact",
                f"  similarity: {disclaimer.similarity}",
            ]
        out.append(f"  position: {disclaimer.position}")
    out.append("")
    note = template.note
    if note is None:
        out += ["# The pages end with no closing note.", "note: none"]
    else:
        out += [
            "note:",
            f"  required: {str(note.required).lower()}",
            f"  label: {scalar(note.label)}",
            *_folded("text", note.text, "  "),
            f"  similarity: {note.similarity}",
        ]
    return "\n".join(out) + "\n"


def _pattern(pattern: str) -> str:
    """A regular expression in single quotes, where a backslash is just a backslash."""
    return "'" + pattern.replace("'", "''") + "'"


def render_pack(name: str, template_file: str, template_name: str) -> str:
    return "\n".join(
        [
            "# This site's rule pack, written by `checker init`.",
            f"name: {scalar(name)}",
            "# The phrase lists and other rule options start from the pack shipped with the",
            "# checker; list options can be changed under `rules:` with extend-KEY / remove-KEY.",
            "extends: builtin",
            f"default-template: {scalar(template_name)}",
            "templates:",
            f"  - {scalar(template_file)}",
            "",
        ]
    )


def render_config(content_root: str, pack: str, notes: list[str]) -> str:
    lines = [
        "# Written by `checker init`; see the README for every key.",
        f"content-root = {_toml_string(content_root)}",
        f"pack = {_toml_string(pack)}",
    ]
    if notes:
        lines += ["", *(f"# {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
