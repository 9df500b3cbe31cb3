"""Find a page's outline: H1s, sections in every form the pages use, the disclaimer and the note.

A section is written as
- an ATX heading (`### Usage`),
- a bold label opening a top-level paragraph (`**Usage:** text`, `**Generic Name: X**`),
- a bold label opening an item of a top-level list (`* **Generic Name:** X`), when the list's
  first item is such a label,
- a label without the bold opening a paragraph (`Usage: text`), when it names a section and
  stands where a section can: before the page's first section of another form, or on a page
  that writes its sections that way. Elsewhere it is a sentence of the section it stands in
  ("Usage: ask your pharmacist…" under the FAQs).

A bold label only marks a section when it names one of the template's sections (or an alias),
perhaps split per ingredient (`Usage (Cetrimide)`, `Biotin Usage`; see `names`); other bold
labels, and bold questions, are content. Headings that name nothing the template knows are
unknown sections when they stand at the template's section level or above.

Combination pages often repeat the template once per ingredient. A marker that opens such a set
(`### Ambroxol`, `**Cefixime:**`, followed by sections the page repeats) is a *group*; a label
alone on its paragraph with a list of the template's labels right under it (`**Estradiol:**`,
`* **Usage:** …`) is a *listed group*, whose labels are its content. A label that only divides the
section it stands in (`**Side effects (rare):**` under `### Side Effects`) is content too.
Under a template whose sections are labels, a heading-like label before the first section and a
short label after the last one (`**In summary:** …`) are unknown sections.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from checker.document.names import (
    MAX_NAME_WORDS,
    Named,
    ingredients,
    name_section,
    names_ingredient,
)
from checker.document.text import collapse_spaces, normalise_name

if TYPE_CHECKING:
    from markdown_it.token import Token

    from checker.project.pack import SectionSpec, Template

Form = Literal["heading", "label", "list-label", "plain-label", "emphasis"]
# What a marker that names no template section stands for: "" (an unknown section), "group"
# (it opens one ingredient's own set of sections) or "listed-group" (it holds them as a list).
Role = Literal["", "group", "listed-group"]
_CONTENT_TYPES = frozenset({"inline", "fence", "code_block", "html_block"})


@dataclass(slots=True)
class Block:
    """A marked block of the page (a section marker, the disclaimer or the note)."""

    form: Form
    label: str
    line: int
    end_line: int
    token_index: int
    level: int = 0
    # Text that follows the label inside the same block, as plain text.
    value: str = ""
    # Plain text of the whole block (label included).
    text: str = ""
    # A heading whose whole text is bold (`## **Usage**`).
    bold: bool = False


@dataclass(slots=True)
class Section:
    spec: SectionSpec | None
    marker: Block
    end_line: int
    has_content: bool
    # What narrows the section (`Cetrimide` in `Usage (Cetrimide)`); see `names.Named`.
    qualifier: str = ""
    role: Role = ""
    # The line of the group marker whose set of sections this one belongs to.
    group_line: int | None = None
    # For a listed group, the template's sections its list's labels name.
    listed: frozenset[str] = frozenset()

    @property
    def key(self) -> str | None:
        return self.spec.key if self.spec else None

    @property
    def line(self) -> int:
        return self.marker.line

    @property
    def title(self) -> str:
        return self.marker.label


@dataclass(slots=True)
class Outline:
    h1s: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    disclaimers: list[Block] = field(default_factory=list)
    note: Block | None = None
    # (first line, last line) of each top-level block between the H1 and the first marker.
    preamble: list[tuple[int, int]] = field(default_factory=list)
    # Index of the first token after the H1 and of the first marker, for rules reading prose.
    first_marker_index: int | None = None
    # Every heading below level 1, section or not, in page order (for sub-sections).
    headings: list[Block] = field(default_factory=list)
    # Template sections named inside listed groups (one ingredient's own Usage, say).
    listed_keys: set[str] = field(default_factory=set)

    @property
    def disclaimer(self) -> Block | None:
        return self.disclaimers[0] if self.disclaimers else None


def move_outline(outline: Outline, lines: dict[int, int]) -> Outline | None:
    """The outline with every line it names moved as `lines` says (old line to new line); None
    when it names a line that `lines` does not hold."""
    moved: dict[int, Block] = {}
    line = lines.__getitem__

    def block(old: Block) -> Block:
        new = moved.get(id(old))
        if new is None:
            new = moved[id(old)] = Block(
                old.form,
                old.label,
                line(old.line),
                line(old.end_line),
                old.token_index,
                old.level,
                old.value,
                old.text,
                old.bold,
            )
        return new

    try:
        return Outline(
            h1s=[block(b) for b in outline.h1s],
            sections=[
                replace(
                    section,
                    marker=block(section.marker),
                    end_line=line(section.end_line),
                    group_line=None if section.group_line is None else line(section.group_line),
                )
                for section in outline.sections
            ],
            disclaimers=[block(b) for b in outline.disclaimers],
            note=None if outline.note is None else block(outline.note),
            preamble=[(line(first), line(last)) for first, last in outline.preamble],
            first_marker_index=outline.first_marker_index,
            headings=[block(b) for b in outline.headings],
            listed_keys=set(outline.listed_keys),
        )
    except KeyError:
        return None


def inline_text(token: Token) -> str:
    """Plain text of an inline token: markup dropped, line breaks as spaces."""
    return _plain_text(token.children or [])


def _plain_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def split_label(token: Token) -> tuple[str, str, str] | None:
    """For an inline token that opens with bold text, return (label, value, opener type).

    `**Usage:** text` gives ("Usage", "text"); `**Generic Name: X**` gives ("Generic Name", "X");
    an emphasised `*Disclaimer: text*` gives ("Disclaimer", "text"). Bold questions give None.
    """
    return _split_children(token.children or [])


def _split_children(children: list[Token]) -> tuple[str, str, str] | None:
    while children and children[0].type == "text" and not children[0].content:
        children = children[1:]
    if not children or children[0].type not in ("strong_open", "em_open"):
        return None
    opener = children[0].type
    closer = opener.replace("_open", "_close")
    inner: list[str] = []
    index = 1
    depth = 1
    while index < len(children):
        child = children[index]
        if child.type == opener:
            depth += 1
        elif child.type == closer:
            depth -= 1
            if depth == 0:
                break
        if child.type in ("text", "code_inline"):
            inner.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            inner.append(" ")
        index += 1
    bold = collapse_spaces("".join(inner))
    rest = collapse_spaces(
        "".join(
            c.content if c.type in ("text", "code_inline") else " "
            for c in children[index + 1 :]
            if c.type in ("text", "code_inline", "softbreak", "hardbreak")
        )
    )
    if not bold or bold.endswith("?"):
        return None
    if ":" in bold:
        label, value = bold.split(":", 1)
        value = collapse_spaces(value + " " + rest)
    else:
        label, value = bold, rest.removeprefix(":").strip()
    return label.strip(), value, opener


def _is_bold(content: str) -> bool:
    """Whether a heading's inline source is one bold run (`**Usage**`, `__Usage__`)."""
    text = content.strip()
    return len(text) > 4 and text[:2] in ("**", "__") and text.endswith(text[:2])


def _block_end(tokens: list[Token], start: int, stop: int, body_line: int, fallback: int) -> int:
    end = fallback
    for token in tokens[start:stop]:
        if token.map is not None and token.nesting >= 0:
            end = max(end, body_line + token.map[1] - 1)
    return end


def _has_content(tokens: list[Token], start: int, stop: int) -> bool:
    return any(
        token.type in _CONTENT_TYPES and token.content.strip() for token in tokens[start:stop]
    )


def _parsed_children(token: Token) -> list[Token]:
    return token.children or []


def _may_open_with_emphasis(inline: Token) -> bool:
    # Inline content is stripped, and only `*` and `_` runs open strong or emphasis: other
    # text cannot be a label, so its inline markup need not be parsed at all.
    return inline.content[:1] in ("*", "_")


# Characters that open inline markup under CommonMark; content without any of them parses
# to a single text token holding the content as it is.
_INLINE_MARKUP = re.compile(r"[\n\\`*_\[\]!<&]")


def _text_of(inline: Token, children: Callable[[Token], list[Token]]) -> str:
    if _INLINE_MARKUP.search(inline.content) is None:
        return inline.content
    return _plain_text(children(inline))


@dataclass(slots=True)
class _Marker:
    """A section marker found while walking the tokens, before the outline is settled."""

    index: int
    spec: SectionSpec | None
    block: Block
    qualifier: str = ""
    role: Role = ""
    group_line: int | None = None
    # The template's sections a listed group holds as its list's labels.
    listed: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Candidate:
    """A top-level bold label that names no section by itself (`**Ambroxol:**`, `**In summary:**
    text`): content, unless the page's structure shows it stands where sections stand."""

    index: int
    block: Block
    named: Named | None
    # Template sections named by the labels of the list right under it (one ingredient's own set).
    listed: set[str] = field(default_factory=set)


def _rank(block: Block) -> int:
    """How high a marker stands: headings by level, then labels, then labels in list items."""
    if block.form == "heading":
        return block.level
    return {"label": 7, "plain-label": 8, "list-label": 8}.get(block.form, 9)


def _reads_as_name(label: str, max_words: int) -> bool:
    """A short label, not a sentence set in bold (`**Again, do not combine them.**`)."""
    words = label.split()
    return 0 < len(words) <= max_words and not label.rstrip().endswith((".", "!", ","))


def _title_of(tokens: list[Token], title: str, children: Callable[[Token], list[Token]]) -> str:
    if title:
        return title
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and index + 1 < len(tokens):
            return _text_of(tokens[index + 1], children)
    return ""


def build_outline(
    tokens: list[Token],
    template: Template,
    body_line: int,
    children: Callable[[Token], list[Token]] = _parsed_children,
    title: str = "",
) -> Outline:
    """Index the page's structure. `body_line` is the page line of the body's first line.

    `children` gives an inline token's parsed children (the Page parses them on demand);
    `title` is the page's title, whose ingredients qualify sections (`Usage (Cetrimide)`).
    """
    outline = Outline()
    lookup = template.section_lookup
    names = ingredients(_title_of(tokens, title, children))
    disclaimer_keys = template.disclaimer.label_keys() if template.disclaimer else {"disclaimer"}
    note_key = normalise_name(template.note.label) if template.note else None
    form = template.sections.form
    markers: list[_Marker] = []
    candidates: dict[int, _Candidate] = {}
    # The candidate label right above a list, by the index of the token that opens the list.
    lists_under: dict[int, _Candidate] = {}
    notes: list[tuple[int, Block]] = []
    h1_index: int | None = None
    closing_indices: list[int] = []
    section_list = False
    listed_by: _Candidate | None = None
    # Under a strict template only its own form marks a section; other forms are content.
    strict = template.sections.strict
    style = form.style
    labels_mark = not strict or style == "label"
    list_labels_mark = not strict or style == "list-label"
    headings_mark = not strict or style in ("heading", "bold-heading")

    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open" and token.map is not None:
            level = int(token.tag[1])
            inline = tokens[index + 1]
            text = collapse_spaces(_text_of(inline, children))
            line = body_line + token.map[0]
            block = Block("heading", text.rstrip(":").strip(), line, line, index, level, "", text)
            if level == 1:
                outline.h1s.append(block)
                if h1_index is None:
                    h1_index = index
                continue
            block.bold = _is_bold(inline.content)
            outline.headings.append(block)
            if token.level > 0:
                continue  # inside a block quote or a list item: quoted content, not a section
            key = normalise_name(text)
            if key in disclaimer_keys:
                outline.disclaimers.append(block)
                closing_indices.append(index)
                continue
            if note_key is not None and key == note_key:
                notes.append((index, block))
                continue
            if strict and (not headings_mark or level != form.level):
                continue
            named = name_section(text, lookup, names, heading=True)
            if named is not None:
                # The marker's own copy: the heading in `outline.headings` keeps no value.
                valued = replace(block, value=named.value)
                markers.append(_Marker(index, named.spec, valued, named.qualifier))
            elif style == "label" or level <= form.level:
                markers.append(_Marker(index, None, block))
        elif kind == "paragraph_open" and token.level == 0 and token.map is not None:
            inline = tokens[index + 1]
            if not _may_open_with_emphasis(inline):
                plain = _PLAIN_LABEL.match(inline.content) if labels_mark else None
                spec = lookup.get(normalise_name(plain.group("label"))) if plain else None
                if plain is not None and spec is not None:
                    line = body_line + token.map[0]
                    end = body_line + token.map[1] - 1
                    value = collapse_spaces(inline.content[plain.end() :])
                    text = collapse_spaces(inline.content)
                    label = plain.group("label").strip()
                    block = Block("plain-label", label, line, end, index, 0, value, text)
                    markers.append(_Marker(index, spec, block))
                continue
            parts = _split_children(children(inline))
            if parts is None:
                continue
            label, value, opener = parts
            key = normalise_name(label)
            line = body_line + token.map[0]
            end = body_line + token.map[1] - 1
            text = collapse_spaces(_plain_text(children(inline)))
            if key in disclaimer_keys:
                block_form: Form = "label" if opener == "strong_open" else "emphasis"
                outline.disclaimers.append(
                    Block(block_form, label, line, end, index, 0, value, text)
                )
                closing_indices.append(index)
            elif opener != "strong_open":
                continue
            elif note_key is not None and key == note_key:
                notes.append((index, Block("label", label, line, end, index, 0, value, text)))
            elif labels_mark:
                block = Block("label", label, line, end, index, 0, value, text)
                # The token after the paragraph's inline and closing tokens.
                after = index + 3
                opens_list = after < len(tokens) and tokens[after].type in _LIST_OPENERS
                if key in lookup:
                    markers.append(_Marker(index, lookup[key], block))
                    continue
                named = name_section(label, lookup, names)
                if named is not None and (value or not opens_list):
                    markers.append(_Marker(index, named.spec, block, named.qualifier))
                elif len(label.split()) <= MAX_NAME_WORDS:
                    candidates[index] = _Candidate(index, block, named)
                    if opens_list:
                        lists_under[after] = candidates[index]
        elif (
            kind == "list_item_open"
            and token.level == 1
            and token.map is not None
            and list_labels_mark
        ):
            # A labelled list item is a section only in a list that opens with one; a
            # `* **Dosage:**` bullet deep in a Precautions list is content.
            first_item = tokens[index - 1].type in _LIST_OPENERS
            if first_item:
                section_list = False
                # A list right under a label alone on its paragraph (`**Estradiol:**`) holds
                # that label's content: one ingredient's own Usage and Side Effects, say.
                owner = lists_under.get(index - 1)
                listed_by = owner if owner is not None and not owner.block.value else None
            if listed_by is None and not first_item and not section_list:
                continue
            if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
                continue
            inline = tokens[index + 2]
            if not _may_open_with_emphasis(inline):
                continue
            parts = _split_children(children(inline))
            if parts is None or parts[2] != "strong_open":
                continue
            label, value, _ = parts
            if listed_by is not None:
                named = name_section(label, lookup, names)
                if named is not None:
                    listed_by.listed.add(named.spec.key)
                continue
            key = normalise_name(label)
            if key in lookup:
                section_list = True
                line = body_line + token.map[0]
                text = collapse_spaces(_plain_text(children(inline)))
                block = Block("list-label", label, line, line, index, 0, value, text)
                markers.append(_Marker(index, lookup[key], block))

    markers = _settle(markers, candidates, outline, template, names)

    # The closing note is the last note-labelled paragraph, if nothing but the disclaimer follows.
    last_section_index = markers[-1].index if markers else -1
    if notes and notes[-1][0] > last_section_index:
        note_index, outline.note = notes[-1]
        closing_indices.append(note_index)

    boundaries = sorted([*closing_indices, *(m.index for m in markers), len(tokens)])
    for marker in markers:
        block = marker.block
        stop = boundaries[bisect.bisect_right(boundaries, marker.index)]
        content_start = marker.index + (4 if block.form == "list-label" else 3)
        has_content = bool(block.value) or _has_content(tokens, content_start, stop)
        end_line = _block_end(tokens, marker.index, stop, body_line, block.end_line)
        outline.sections.append(
            Section(
                marker.spec,
                block,
                end_line,
                has_content,
                marker.qualifier,
                marker.role,
                marker.group_line,
                marker.listed,
            )
        )

    first_marker = boundaries[0] if len(boundaries) > 1 else len(tokens)
    outline.first_marker_index = first_marker
    # Without an H1, the preamble is whatever stands before the first section.
    preamble_start = 0 if h1_index is None else h1_index + 3
    if h1_index is None or h1_index < first_marker:
        for token in tokens[preamble_start:first_marker]:
            if token.level == 0 and token.nesting >= 0 and token.map is not None:
                outline.preamble.append((body_line + token.map[0], body_line + token.map[1] - 1))
    return outline


_LIST_OPENERS = frozenset({"bullet_list_open", "ordered_list_open"})
# `Usage: text`, a label without the bold, at the start of a paragraph.
_PLAIN_LABEL = re.compile(r"(?P<label>[A-Z][\w ()/-]{1,40}?)[ \t]*:")
# Labels this short, standing after the last section (`**In summary:** …`), close the page as
# a section of their own; longer bold openings are sentences.
_CLOSING_LABEL_WORDS = 4
# Labels this short, alone on their paragraph, read as headings (`**Individual Components:**`).
_HEADING_LABEL_WORDS = 6


def _settle(
    markers: list[_Marker],
    candidates: dict[int, _Candidate],
    outline: Outline,
    template: Template,
    names: frozenset[str],
) -> list[_Marker]:
    """Decide which candidate labels are sections, and which markers are only content."""
    markers = _placed_plain_labels(markers)
    for candidate in candidates.values():
        if len(candidate.listed) >= 2:
            markers.append(
                _Marker(
                    candidate.index,
                    None,
                    candidate.block,
                    role="listed-group",
                    listed=frozenset(candidate.listed),
                )
            )
            outline.listed_keys.update(candidate.listed)
            if candidate.named is not None:  # `**Alprazolam (Generic Name):**`
                outline.listed_keys.add(candidate.named.spec.key)
        elif candidate.named is not None:
            named = candidate.named
            markers.append(_Marker(candidate.index, named.spec, candidate.block, named.qualifier))
    markers.sort(key=lambda marker: marker.index)
    markers = _without_sublabels(markers)
    taken = {marker.index for marker in markers}
    loose = [c for i, c in sorted(candidates.items()) if i not in taken]
    markers = _groups(markers, loose, template.sections.form.style == "label", names)
    if template.sections.form.style != "label":
        return markers
    taken = {marker.index for marker in markers}
    loose = [c for c in loose if c.index not in taken]
    return _label_sections(markers, loose, template)


def _placed_plain_labels(markers: list[_Marker]) -> list[_Marker]:
    """Keep the labels without bold (`Usage: text`) that stand where a section can: before
    the first section of another form, or all of them on a page that writes at least as many
    sections that way as in other forms. A sentence that merely opens with a section's name
    further down is content."""
    plain = [marker for marker in markers if marker.block.form == "plain-label"]
    others = [marker.index for marker in markers if marker.block.form != "plain-label"]
    if not plain or len(plain) >= len(others):
        return markers
    first_other = min(others)
    return [m for m in markers if m.block.form != "plain-label" or m.index < first_other]


def _without_sublabels(markers: list[_Marker]) -> list[_Marker]:
    """Drop the labels that only divide the section they stand in: `**Side effects (rare):**`
    under `### Side Effects`, or `**Cefixime FAQs:**` under `**FAQs:**`."""
    kept: list[_Marker] = []
    for marker in markers:
        current = kept[-1] if kept else None
        if (
            current is not None
            and current.spec is not None
            and marker.spec is not None
            and marker.spec.key == current.spec.key
            and (marker.qualifier or _rank(marker.block) > _rank(current.block))
        ):
            continue
        kept.append(marker)
    return kept


def _groups(
    markers: list[_Marker], loose: list[_Candidate], any_label: bool, names: frozenset[str]
) -> list[_Marker]:
    """Find the markers that open one ingredient's own set of the template's sections: an
    unknown heading, or a label alone on its paragraph (naming an ingredient, unless the
    template's sections are labels themselves), followed by sections that the page repeats."""
    openers: dict[int, _Marker] = {
        marker.index: marker for marker in markers if marker.spec is None and not marker.role
    }
    for candidate in loose:
        label = candidate.block.label
        if candidate.block.value or not _reads_as_name(label, _HEADING_LABEL_WORDS):
            continue
        if any_label or names_ingredient(label, names):
            openers[candidate.index] = _Marker(candidate.index, None, candidate.block)
    if not openers:
        return markers
    starts = sorted(openers)
    stretches: list[list[_Marker]] = [[] for _ in range(len(starts) + 1)]
    for marker in markers:
        if marker.spec is not None:
            stretches[bisect.bisect_right(starts, marker.index)].append(marker)
    keys = [{m.spec.key for m in stretch if m.spec is not None} for stretch in stretches]
    found = []
    for position, start in enumerate(starts, start=1):
        stretch = stretches[position]
        others = set().union(*(k for i, k in enumerate(keys) if i != position))
        if len(stretch) >= 2 and keys[position] & others:
            opener = openers[start]
            opener.role = "group"
            found.append(opener)
            for member in stretch:
                member.group_line = opener.block.line
    known = {marker.index for marker in markers}
    merged = markers + [opener for opener in found if opener.index not in known]
    merged.sort(key=lambda marker: marker.index)
    return merged


def _label_sections(
    markers: list[_Marker], loose: list[_Candidate], template: Template
) -> list[_Marker]:
    """Under a template whose sections are bold labels, the labels that stand where sections
    stand are sections of their own: a heading-like label before the first section, and a
    short label after the template's last section (`**In summary:** …`)."""
    first = markers[0].index if markers else None
    last = markers[-1] if markers else None
    closes = last is not None and (
        last.role == "listed-group"
        or (last.spec is not None and last.spec.key == template.sections.items[-1].key)
    )
    added = []
    for candidate in loose:
        label, value = candidate.block.label, candidate.block.value
        heading_like = not value and _reads_as_name(label, _HEADING_LABEL_WORDS)
        closing = value and _reads_as_name(label, _CLOSING_LABEL_WORDS)
        if (heading_like and (first is None or candidate.index < first)) or (
            closing and closes and last is not None and candidate.index > last.index
        ):
            added.append(_Marker(candidate.index, None, candidate.block))
    return sorted(markers + added, key=lambda marker: marker.index)
