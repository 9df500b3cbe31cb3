"""Find a page's outline: H1s, sections in every form the pages use, the disclaimer and the note.

A section is written as
- an ATX heading (`### Usage`),
- a bold label opening a top-level paragraph (`**Usage:** text`, `**Generic Name: X**`),
- a bold label opening an item of a top-level list (`* **Generic Name:** X`), when the list's
  first item is such a label.

A bold label only marks a section when it names one of the template's sections (or an alias);
other bold labels, and bold questions, are content. Headings that name nothing the template knows
are unknown sections when they stand at the template's section level or above.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from checker.document.text import collapse_spaces, normalise_name

if TYPE_CHECKING:
    from markdown_it.token import Token

    from checker.project.pack import SectionSpec, Template

Form = Literal["heading", "label", "list-label", "emphasis"]
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

    @property
    def disclaimer(self) -> Block | None:
        return self.disclaimers[0] if self.disclaimers else None


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


def _under_own_label(
    tokens: list[Token],
    list_index: int,
    lookup: dict[str, SectionSpec],
    children: Callable[[Token], list[Token]],
) -> bool:
    """A list right under a paragraph that is only a bold label the template does not know
    (`**Estradiol:**`): its labelled items are that label's content, such as one ingredient's
    Usage and Side Effects on a combination page, not sections of the page."""
    if list_index < 3 or tokens[list_index - 1].type != "paragraph_close":
        return False
    inline = tokens[list_index - 2]
    if inline.type != "inline" or tokens[list_index - 3].level != 0:
        return False
    parts = _split_children(children(inline))
    return (
        parts is not None
        and parts[2] == "strong_open"
        and not parts[1]
        and normalise_name(parts[0]) not in lookup
    )


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


def build_outline(
    tokens: list[Token],
    template: Template,
    body_line: int,
    children: Callable[[Token], list[Token]] = _parsed_children,
) -> Outline:
    """Index the page's structure. `body_line` is the page line of the body's first line.

    `children` gives an inline token's parsed children (the Page parses them on demand).
    """
    outline = Outline()
    lookup = template.section_lookup
    disclaimer_keys = template.disclaimer.label_keys() if template.disclaimer else {"disclaimer"}
    note_key = normalise_name(template.note.label) if template.note else None
    form = template.sections.form
    # (token index, content start index, spec or None, block) for section markers
    markers: list[tuple[int, int, SectionSpec | None, Block]] = []
    notes: list[tuple[int, Block]] = []
    h1_index: int | None = None
    marker_indices: list[int] = []
    section_list = False
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
            key = normalise_name(text)
            if key in disclaimer_keys:
                outline.disclaimers.append(block)
                marker_indices.append(index)
            elif note_key is not None and key == note_key:
                notes.append((index, block))
            elif strict and (not headings_mark or level != form.level):
                continue
            elif key in lookup:
                markers.append((index, index + 3, lookup[key], block))
            elif style == "label" or level <= form.level:
                markers.append((index, index + 3, None, block))
        elif kind == "paragraph_open" and token.level == 0 and token.map is not None:
            inline = tokens[index + 1]
            if not _may_open_with_emphasis(inline):
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
                marker_indices.append(index)
            elif opener != "strong_open":
                continue
            elif note_key is not None and key == note_key:
                notes.append((index, Block("label", label, line, end, index, 0, value, text)))
            elif key in lookup and labels_mark:
                block = Block("label", label, line, end, index, 0, value, text)
                markers.append((index, index + 3, lookup[key], block))
        elif (
            kind == "list_item_open"
            and token.level == 1
            and token.map is not None
            and list_labels_mark
        ):
            # A labelled list item is a section only in a list that opens with one; a
            # `* **Dosage:**` bullet deep in a Precautions list is content.
            first_item = tokens[index - 1].type in ("bullet_list_open", "ordered_list_open")
            if first_item:
                section_list = False
                if _under_own_label(tokens, index - 1, lookup, children):
                    continue
            elif not section_list:
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
            key = normalise_name(label)
            if key in lookup:
                section_list = True
                line = body_line + token.map[0]
                text = collapse_spaces(_plain_text(children(inline)))
                block = Block("list-label", label, line, line, index, 0, value, text)
                markers.append((index, index + 4, lookup[key], block))

    # The closing note is the last note-labelled paragraph, if nothing but the disclaimer follows.
    last_section_index = markers[-1][0] if markers else -1
    if notes and notes[-1][0] > last_section_index:
        note_index, outline.note = notes[-1]
        marker_indices.append(note_index)

    marker_indices.extend(index for index, _, _, _ in markers)
    marker_indices.sort()
    boundaries = [*marker_indices, len(tokens)]
    for index, content_start, spec, block in markers:
        stop = boundaries[bisect.bisect_right(boundaries, index)]
        has_content = bool(block.value) or _has_content(tokens, content_start, stop)
        end_line = _block_end(tokens, index, stop, body_line, block.end_line)
        outline.sections.append(Section(spec, block, end_line, has_content))

    first_marker = marker_indices[0] if marker_indices else len(tokens)
    outline.first_marker_index = first_marker
    # Without an H1, the preamble is whatever stands before the first section.
    preamble_start = 0 if h1_index is None else h1_index + 3
    if h1_index is None or h1_index < first_marker:
        for token in tokens[preamble_start:first_marker]:
            if token.level == 0 and token.nesting >= 0 and token.map is not None:
                outline.preamble.append((body_line + token.map[0], body_line + token.map[1] - 1))
    return outline
