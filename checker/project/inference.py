"""Infer a page template from a site's pages (`checker init`).

The inference reads what every page shows and keeps what nearly every page shares:
- front-matter keys, their types (nested objects and lists of objects included), whether nearly
  every page has them, and the values of keys that hold only a few;
- the form sections are written in (a heading of a level, bold or not, or a bold label), their
  names, which nearly every page has, and their usual order; sub-sections likewise;
- whether pages have an H1, a disclaimer and a closing note, and their wording: one wording
  when the pages copy one, else the statements nearly every page makes (checker.project.wording).

Then it checks the draft against the same pages with the checker's own outline (so aliases,
forms and positions mean exactly what they mean to the rules) and opens what the pages do not
keep: a template is closed only when nearly no page has other sections, ordered only when nearly
every page keeps the order.
"""

from __future__ import annotations

import datetime
import difflib
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.document.page import Page
from checker.document.sections import inline_text, split_label
from checker.document.text import collapse_spaces, normalise_name, share_of
from checker.project.pack import (
    DisclaimerSpec,
    FieldSpec,
    FrontMatterSpec,
    H1Mode,
    NoteSpec,
    SectionForm,
    SectionSpec,
    SectionsSpec,
    Template,
)
from checker.project.wording import (
    EXACT_SIMILARITY,
    Wording,
    canonical_wording,
    infer_statements,
    share_making,
)

DISCLAIMER_WORD = "disclaimer"


@dataclass(frozen=True)
class Thresholds:
    """Shares of pages; the account `checker init` prints names each one."""

    # A key, section or sub-section on at least this share of pages is required.
    required: float = 0.95
    # A section on fewer than this share of pages is left out of the template.
    keep: float = 0.05
    # A key with at most this many distinct values (and each used often) becomes an enum.
    enum_values: int = 8
    # Closed / ordered / an H1, disclaimer or note expected, when at least this share agrees.
    agree: float = 0.9
    # The wording of the disclaimer or note accepts at least this share of the pages that have
    # it: its similarity, or the statements learned.
    wording: float = 0.95


@dataclass
class Marker:
    form: str  # "heading", "label" or "list-label"
    level: int
    bold: bool
    name: str
    line: int


@dataclass
class Shape:
    """What one page shows, before any template is applied."""

    data: dict[str, Any] | None
    h1s: int = 0
    markers: list[Marker] = field(default_factory=list)
    disclaimer: tuple[str, str] | None = None  # (label, text)
    closing: tuple[str, str] | None = None  # (label, text) of a labelled last paragraph


@dataclass
class Inference:
    template: Template
    pages: int
    # What was inferred, one `topic: what` line each, as `checker init` prints it.
    account: list[str]
    # Pages with each front-matter key and section, for the template's comments.
    counts: dict[str, int] = field(default_factory=dict)
    # Each learned pattern in words (`not … advice`), for a comment beside it.
    glosses: dict[str, str] = field(default_factory=dict)


def _is_disclaimer(label: str) -> bool:
    return DISCLAIMER_WORD in normalise_name(label)


def page_shape(page: Page) -> Shape:
    """The markers of a page in every form, with its H1 count, disclaimer and last paragraph."""
    data = page.front_matter.data if page.front_matter is not None else None
    shape = Shape(data if isinstance(data, dict) else None)
    tokens = page.tokens or []
    last_paragraph: tuple[str, str] | None = None
    in_label_list = False
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        line = page.body_start_line + token.map[0]
        if token.type == "heading_open":
            level = int(token.tag[1])
            inline = tokens[index + 1]
            if level == 1:
                shape.h1s += 1
                continue
            text = collapse_spaces(inline_text_of(page, inline)).rstrip(":").strip()
            content = inline.content.strip()
            bold = len(content) > 4 and content[:2] == "**" and content.endswith("**")
            if _is_disclaimer(text):
                shape.disclaimer = (text, "")
                continue
            shape.markers.append(Marker("heading", level, bold, text, line))
            last_paragraph = None
        elif token.type == "paragraph_open" and token.level == 0:
            parts = split_label(_parsed(page, tokens[index + 1]))
            if parts is None or parts[2] != "strong_open":
                last_paragraph = None
                continue
            label, value, _ = parts
            if _is_disclaimer(label):
                shape.disclaimer = (label, value)
                continue
            last_paragraph = (label, value)
            shape.markers.append(Marker("label", 0, True, label, line))
        elif token.type == "list_item_open" and token.level == 1:
            first = tokens[index - 1].type in ("bullet_list_open", "ordered_list_open")
            if first:
                in_label_list = False
            elif not in_label_list:
                continue
            if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
                continue
            parts = split_label(_parsed(page, tokens[index + 2]))
            if parts is None or parts[2] != "strong_open":
                continue
            in_label_list = True
            shape.markers.append(Marker("list-label", 0, True, parts[0], line))
        elif token.nesting == 1 and token.level == 0:
            last_paragraph = None
    if last_paragraph is not None and shape.markers and shape.markers[-1].form == "label":
        shape.closing = last_paragraph
        shape.markers.pop()
    return shape


def _parsed(page: Page, inline: Any) -> Any:
    page.inline(inline)
    return inline


def inline_text_of(page: Page, inline: Any) -> str:
    page.inline(inline)
    return inline_text(inline)


# -- front matter --------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "any"


def infer_field(values: Sequence[Any], present: int, total: int, th: Thresholds) -> FieldSpec:
    """The spec of a key from the values it holds on the `present` of `total` pages."""
    non_null = [value for value in values if value is not None]
    types = Counter(_type_name(value) for value in non_null)
    if types.keys() <= {"integer", "number"} and len(types) == 2:
        kind = "number"
    elif len(types) == 1:
        kind = next(iter(types))
    else:
        kind = "any"
    spec: dict[str, Any] = {
        "type": kind,
        "required": total > 0 and present / total >= th.required,
        "nullable": len(non_null) < len(values),
    }
    if kind == "string":
        distinct = Counter(non_null)
        if len(distinct) <= th.enum_values and present >= 5 * len(distinct) and present >= 10:
            spec["allowed"] = sorted(distinct)
        elif all(value.strip() for value in non_null):
            spec["min-length"] = 1
    elif kind == "list":
        items = [item for value in non_null for item in value]
        item_types = Counter(_type_name(item) for item in items)
        if item_types and set(item_types) != {"string"}:
            spec["items"] = infer_field(items, len(items), len(items), th).model_dump(
                by_alias=True, exclude_defaults=True
            )
            spec["items"]["required"] = True
    elif kind == "object":
        spec["fields"] = _infer_fields(non_null, th)
    return FieldSpec.model_validate(spec)


def _infer_fields(mappings: Sequence[dict[str, Any]], th: Thresholds) -> dict[str, Any]:
    by_key: dict[str, list[Any]] = defaultdict(list)
    for mapping in mappings:
        for key, value in mapping.items():
            by_key[str(key)].append(value)
    ordered = sorted(by_key, key=lambda key: -len(by_key[key]))
    return {
        key: infer_field(by_key[key], len(by_key[key]), len(mappings), th).model_dump(
            by_alias=True, exclude_defaults=True
        )
        for key in ordered
    }


def infer_front_matter(shapes: Sequence[Shape], th: Thresholds) -> FrontMatterSpec:
    mappings = [shape.data for shape in shapes if shape.data is not None]
    # Keys in their usual order on the page: the order of first sight is close enough.
    seen: dict[str, list[Any]] = {}
    for mapping in mappings:
        for key, value in mapping.items():
            seen.setdefault(str(key), []).append(value)
    fields = {
        key: infer_field(values, len(values), len(mappings), th) for key, values in seen.items()
    }
    for key, spec in fields.items():
        if not spec.required:
            condition = _condition(key, mappings, fields, th)
            if condition is not None:
                fields[key] = spec.model_copy(update={"required_if": condition})
    return FrontMatterSpec(fields=fields)


def _condition(
    key: str, mappings: Sequence[dict[str, Any]], fields: dict[str, FieldSpec], th: Thresholds
) -> dict[str, Any] | None:
    """`{other: value}` when `key` is on nearly every page where `other` is `value`, and on
    nearly no other page: a key required only for one kind of page."""
    for other, spec in fields.items():
        if other == key or not spec.allowed:
            continue
        for value in spec.allowed:
            matching = [m for m in mappings if m.get(other) == value]
            rest = [m for m in mappings if m.get(other) != value]
            if len(matching) < 3 or not rest:
                continue
            inside = sum(1 for m in matching if key in m) / len(matching)
            outside = sum(1 for m in rest if key in m) / len(rest)
            if inside >= th.required and outside <= 1 - th.required:
                return {other: value}
    return None


# -- sections ------------------------------------------------------------------------------


def _form_key(marker: Marker) -> tuple[str, int]:
    return (marker.form, marker.level)


def _choose_form(shapes: Sequence[Shape], th: Thresholds) -> tuple[str, int]:
    """The form whose shared names cover the most pages."""
    names: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for shape in shapes:
        for form in {_form_key(m) for m in shape.markers}:
            names[form].update(
                {normalise_name(m.name) for m in shape.markers if _form_key(m) == form}
            )
    total = max(len(shapes), 1)

    def score(form: tuple[str, int]) -> int:
        return sum(count for count in names[form].values() if count / total >= th.keep * 4)

    return max(names, key=score) if names else ("heading", 2)


def _spelling(counter: Counter[str]) -> str:
    return counter.most_common(1)[0][0]


def _infer_items(
    shapes: Sequence[Shape], form: tuple[str, int], th: Thresholds
) -> list[SectionSpec]:
    total = max(len(shapes), 1)
    pages: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    positions: dict[str, list[float]] = defaultdict(list)
    together: Counter[tuple[str, str]] = Counter()
    for shape in shapes:
        marked = [m for m in shape.markers if _form_key(m) == form]
        keys: list[str] = []
        for marker in marked:
            key = normalise_name(marker.name)
            spellings[key][marker.name] += 1
            if key not in keys:
                keys.append(key)
        pages.update(keys)
        together.update((a, b) for a in keys for b in keys if a != b)
        for position, key in enumerate(keys):
            positions[key].append(position / max(len(keys), 1))
    kept, aliases = _primaries(pages, together, spellings, total * th.keep)
    kept.sort(key=lambda key: statistics.median(positions[key]))
    return [
        SectionSpec(
            name=_spelling(spellings[key]),
            aliases=aliases.get(key, []),
            required=pages[key] / total >= th.required,
        )
        for key in kept
    ]


def _primaries(
    pages: Counter[str],
    together: Counter[tuple[str, str]],
    spellings: dict[str, Counter[str]],
    keep: float,
) -> tuple[list[str], dict[str, list[str]]]:
    """The sections to keep, and other spellings of each: similar names on 3 pages or more
    that almost never stand on the same page as it (`Generic Names` beside `Generic Name`)."""
    kept: list[str] = []
    aliases: dict[str, list[str]] = defaultdict(list)
    for other, count in pages.most_common():
        for key in kept if count >= 3 else []:
            close = other.startswith(key) or key.startswith(other)
            close = close or difflib.SequenceMatcher(None, key, other).ratio() >= 0.8
            if close and together[(key, other)] <= 0.1 * count:
                aliases[key].append(_spelling(spellings[other]))
                break
        else:
            if count >= keep:
                kept.append(other)
    return kept, aliases


def _infer_subsections(
    pages: Sequence[Page], template: Template, th: Thresholds
) -> dict[str, list[SectionSpec]]:
    """For heading forms: the headings below each section that its pages share, nested.

    A heading is a path of names from its section (`Dosage / Standard Dosage / Adults`); one is
    kept when nearly every page with its parent has it.
    """
    level = template.sections.form.level
    counts: Counter[tuple[str, ...]] = Counter()
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    first_seen: dict[tuple[str, ...], int] = {}
    for page in pages:
        paths: set[tuple[str, ...]] = set()
        for section in page.sections:
            marker = section.marker
            if section.spec is None or marker.form != "heading" or marker.level != level:
                continue
            stack: list[tuple[int, str]] = [(level, section.spec.key)]
            paths.add((section.spec.key,))
            for heading in page.outline.headings:
                if not section.line < heading.line <= section.end_line or heading.level <= level:
                    continue
                while stack and stack[-1][0] >= heading.level:
                    stack.pop()
                key = normalise_name(heading.label)
                stack.append((heading.level, key))
                path = tuple(key for _, key in stack)
                paths.add(path)
                first_seen.setdefault(path, len(first_seen))
                spellings[path][heading.label] += 1
        counts.update(paths)

    def children(parent: tuple[str, ...]) -> list[SectionSpec]:
        found = []
        for path, count in sorted(counts.items(), key=lambda item: first_seen.get(item[0], 0)):
            if len(path) != len(parent) + 1 or path[:-1] != parent:
                continue
            if count < 3 or count / counts[parent] < th.agree:
                continue
            found.append(
                SectionSpec(
                    name=_spelling(spellings[path]),
                    required=count / counts[parent] >= th.required,
                    sections=children(path),
                )
            )
        return found

    result = {}
    for path in counts:
        if len(path) == 1:
            subsections = children(path)
            if subsections:
                result[path[0]] = subsections
    return result


def _marker_form(form: SectionForm) -> str:
    return "heading" if form.style.endswith("heading") else form.style


def _in_order(page: Page, order: dict[str, int]) -> bool:
    last = -1
    seen: set[str] = set()
    for section in page.sections:
        key = section.key
        if key is None or key in seen:
            continue
        seen.add(key)
        if order[key] < last:
            return False
        last = order[key]
    return True


def _of_them(count: int, total: int) -> str:
    return f"{count} of the {total}" if count / total < 0.01 else f"{count / total:.0%} of them"


# -- disclaimer and note -------------------------------------------------------------------


def _infer_disclaimer(
    shapes: Sequence[Shape], th: Thresholds
) -> tuple[DisclaimerSpec | None, str, dict[str, str]]:
    """The disclaimer, when half the pages have one, and how its wording is matched; with each
    learned pattern in words."""
    total = len(shapes)
    found = [shape.disclaimer for shape in shapes if shape.disclaimer is not None]
    if len(found) < 0.5 * total:
        return None, f"on {share_of(len(found), total)}, so none", {}
    labels = Counter(label for label, _ in found)
    label = labels.most_common(1)[0][0]
    aliases = [other for other in labels if other != label]
    where = f"`{label}` on {share_of(len(found), total)}"
    texts = [text for _, text in found if text]
    if not texts:
        spec = DisclaimerSpec(label=label, aliases=aliases, text="", match="exact", similarity=0)
        return spec, f"{where}, as a heading: only its presence is checked", {}
    wording = canonical_wording(texts, th.wording)
    if wording.similarity < EXACT_SIMILARITY:
        statements = infer_statements(texts, th.wording)
        if statements:
            said = share_making(statements, texts)
            spec = DisclaimerSpec(
                label=label,
                aliases=aliases,
                text=wording.text,
                match="statements",
                statements={statement.name: statement.patterns for statement in statements},
            )
            names = ", ".join(f'"{statement.name}"' for statement in statements)
            glosses = {cue.pattern: cue.gloss for statement in statements for cue in statement.cues}
            return (
                spec,
                (
                    f"{where}, worded afresh on nearly every page (the commonest wording is on "
                    f"{_of_them(round(wording.share * len(texts)), len(texts))}); matched "
                    f"by what {'all' if said == 1 else f'{said:.1%}'} of them say: {names}"
                ),
                glosses,
            )
    spec = DisclaimerSpec(
        label=label,
        aliases=aliases,
        text=wording.text,
        match="exact",
        similarity=wording.similarity,
    )
    return spec, f"{where}; {_wording_account(wording)}", {}


def _infer_note(shapes: Sequence[Shape], th: Thresholds) -> tuple[NoteSpec | None, str]:
    """A labelled closing paragraph that half the pages end with."""
    total = len(shapes)
    closings = [shape.closing for shape in shapes if shape.closing is not None]
    if not closings:
        return None, "none"
    label = Counter(label for label, _ in closings).most_common(1)[0][0]
    texts = [text for found, text in closings if found == label and text]
    if len(texts) < 0.5 * total:
        if len(texts) < 0.1 * total:
            return None, "none"
        return None, f"`{label}` ends {share_of(len(texts), total)}, so none"
    wording = canonical_wording(texts, th.wording)
    required = len(texts) / total >= th.required
    note = NoteSpec(
        required=required, label=label, text=wording.text, similarity=wording.similarity
    )
    return note, (
        f"`{label}` ends {share_of(len(texts), total)} ({'required' if required else 'optional'}); "
        + _wording_account(wording)
    )


def _wording_account(wording: Wording) -> str:
    canonical = (
        f"one wording, on {wording.share:.0%} of them"
        if wording.share >= 0.5
        else "no wording is on half of them: the most typical one is the text"
    )
    return (
        f"{canonical}; a text at least {wording.similarity} similar to it passes, as "
        f"{wording.accepted:.0%} of them do"
    )


# -- the whole template --------------------------------------------------------------------


def _h1_mode(shapes: Sequence[Shape], th: Thresholds) -> tuple[H1Mode, str]:
    with_h1 = sum(1 for shape in shapes if shape.h1s >= 1)
    share = with_h1 / max(len(shapes), 1)
    mode: H1Mode = "optional"
    if share >= th.agree:
        mode = "required"
    elif share <= 1 - th.agree:
        mode = "forbidden"
    return mode, f"on {share_of(with_h1, len(shapes))}, so {mode}"


def _front_matter_account(front: FrontMatterSpec, present: dict[str, int], total: int) -> str:
    """`layout, title required; nav_exclude optional (on 3 pages)`."""
    parts = []
    required = [key for key, spec in front.fields.items() if spec.required]
    if required:
        parts.append(f"{', '.join(required)} required")
    for key, spec in front.fields.items():
        if spec.required_if:
            condition = " and ".join(f"{k} is {v}" for k, v in spec.required_if.items())
            parts.append(f"{key} required when {condition}")
    optional = [
        f"{key} ({share_of(present[key], total)})"
        for key, spec in front.fields.items()
        if not spec.required and not spec.required_if
    ]
    if optional:
        parts.append(f"{', '.join(optional)} optional")
    return "; ".join(parts) or "none"


def _outline(specs: Sequence[SectionSpec]) -> str:
    """`Standard Dosage (Adults, Children)`: sub-sections with theirs in brackets."""
    return ", ".join(
        f"{spec.name} ({_outline(spec.sections)})" if spec.sections else spec.name for spec in specs
    )


def _form_text(form: SectionForm) -> str:
    hashes = "#" * form.level
    return {
        "heading": f"`{hashes} Name` headings",
        "bold-heading": f"`{hashes} **Name**` headings",
        "label": "bold labels opening a paragraph (`**Name:**`)",
        "list-label": "bold labels opening a list item (`* **Name:**`)",
    }[form.style]


def infer_template(name: str, pages: Sequence[Page], th: Thresholds) -> Inference:
    shapes = [page_shape(page) for page in pages]
    front = infer_front_matter(shapes, th)
    present = {key: sum(1 for s in shapes if s.data and key in s.data) for key in front.fields}
    counts = {f"front-matter.{key}": count for key, count in present.items()}

    form_kind, level = _choose_form(shapes, th)
    items = _infer_items(shapes, (form_kind, level), th)
    if form_kind == "heading":
        heads = [m for s in shapes for m in s.markers if _form_key(m) == (form_kind, level)]
        bold = sum(1 for m in heads if m.bold) / max(len(heads), 1)
        style = "bold-heading" if bold >= 0.5 else "heading"
        form = SectionForm.model_validate({"style": style, "level": level})
    else:
        form = SectionForm.model_validate({"style": form_kind, "level": 3})

    h1, h1_account = _h1_mode(shapes, th)
    disclaimer, disclaimer_account, glosses = _infer_disclaimer(shapes, th)
    note, note_account = _infer_note(shapes, th)
    # A closing note's label is no section.
    if note is not None:
        items = [item for item in items if item.key != normalise_name(note.label)]

    draft = Template(
        name=name,
        front_matter=front,
        h1=h1,
        sections=SectionsSpec(form=form, items=items or [SectionSpec(name="Content")]),
        disclaimer=disclaimer,
        note=note,
    )
    # Measure the draft with the checker's own outline, then open what the pages do not keep.
    for page in pages:
        page.attach_template(draft)
    found = {
        spec.key: sum(1 for p in pages if any(s.key == spec.key for s in p.sections))
        for spec in draft.sections.items
    }
    # A page with none of the sections is a broken page (a refusal, an unfinished answer), not
    # a sign that every section is optional: the sections that nearly every other page has are
    # required, and ST001 reports such a page. Only while such pages are few.
    bare = sum(1 for p in pages if not any(s.key is not None for s in p.sections))
    outlined = len(pages) - bare if bare <= (1 - th.agree) * len(pages) else len(pages)
    order = {spec.key: index for index, spec in enumerate(draft.sections.items)}
    unknown = sum(1 for p in pages if any(s.spec is None for s in p.sections))
    in_order = sum(1 for p in pages if _in_order(p, order))
    other_form = sum(
        1
        for p in pages
        if any(s.spec is not None and s.marker.form != _marker_form(form) for s in p.sections)
    )
    closed = unknown <= (1 - th.agree) * len(pages)
    ordered = in_order >= th.agree * len(pages)
    subsections = _infer_subsections(pages, draft, th) if form_kind == "heading" else {}
    final_items = [
        spec.model_copy(
            update={
                "required": found[spec.key] >= th.required * max(outlined, 1),
                "sections": subsections.get(spec.key, []),
            }
        )
        for spec in draft.sections.items
    ]
    for spec in final_items:
        counts[f"section.{spec.name}"] = found[spec.key]
    template = draft.model_copy(
        update={
            "sections": draft.sections.model_copy(
                update={"closed": closed, "ordered": ordered, "items": final_items}
            )
        }
    )
    for page in pages:
        page.template = None

    required = [spec.name for spec in final_items if spec.required]
    optional = [
        f"{spec.name} ({share_of(found[spec.key], len(pages))})"
        for spec in final_items
        if not spec.required
    ]
    sections = f"{_form_text(form)}: " + ", ".join(spec.name for spec in final_items)
    sections += "; " + (
        "all required"
        if not optional
        else "none required"
        if not required
        else "optional: " + ", ".join(optional)
    )
    account = [
        f"front matter: {_front_matter_account(front, present, len(pages))}",
        f"H1: {h1_account}",
        f"sections: {sections}",
        f"order: the sections come in this order on {share_of(in_order, len(pages))}, so "
        f"{'ordered' if ordered else 'any order'}; other sections stand on "
        f"{share_of(unknown, len(pages))}, so {'closed' if closed else 'open'}",
    ]
    if bare and outlined < len(pages):
        account.append(
            f"pages without sections: {share_of(bare, len(pages))} have none of them; they were "
            "left out when deciding which sections are required, and ST001 reports them"
        )
    if subsections:
        names = {spec.key: spec.name for spec in final_items}
        account.append(
            "sub-sections: "
            + "; ".join(
                f"{names[parent]}: {_outline(subs)}" for parent, subs in subsections.items()
            )
        )
    if other_form:
        account.append(
            f"other forms: on {share_of(other_form, len(pages))} a section name also stands in "
            "another form (ST004, ST008); where that is content, such as a bold label inside "
            "a section, set `strict: true`"
        )
    account += [f"disclaimer: {disclaimer_account}", f"closing note: {note_account}"]
    return Inference(template, len(pages), account, counts, glosses)


def thresholds_account(th: Thresholds) -> str:
    return (
        f"thresholds: required when on {th.required:.0%} of pages (--required); sections kept "
        f"when on {th.keep:.0%}; closed, ordered and an H1 when {th.agree:.0%} of pages agree; "
        f"an enum for at most {th.enum_values} values; a disclaimer's or note's wording "
        f"accepting {th.wording:.0%} of them"
    )
