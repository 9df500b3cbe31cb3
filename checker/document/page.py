"""The Page: one file, read and parsed once, shared by every rule."""

from __future__ import annotations

import bisect
import functools
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.document.guard import markup_count
from checker.document.sections import Outline, Section, build_outline, move_outline
from checker.document.suppressions import Suppression, parse_suppressions
from checker.document.text import split_lines

if TYPE_CHECKING:
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

    from checker.document.front_matter import FrontMatter, FrontMatterProblem
    from checker.project.pack import Template

UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


@dataclass(frozen=True)
class Limits:
    """Resource limits that keep one hostile page from stalling a run."""

    max_file_bytes: int = 1_000_000
    max_front_matter_bytes: int = 64_000
    max_yaml_nodes: int = 10_000
    max_nesting: int = 50
    max_markup_chars: int = 100_000
    max_page_seconds: float = 1.5


@dataclass(slots=True)
class InputProblem:
    line: int
    message: str


def decode(data: bytes, limits: Limits) -> tuple[str | None, bool, InputProblem | None]:
    """Decode file bytes as UTF-8. Returns (text, had_bom, problem)."""
    if len(data) > limits.max_file_bytes:
        return (
            None,
            False,
            InputProblem(
                1,
                f"file is {len(data):,} bytes, over the limit of {limits.max_file_bytes:,} "
                "(limits.max-file-size); split the page or raise the limit",
            ),
        )
    for bom, name in _OTHER_BOMS.items():
        if data.startswith(bom):
            return (
                None,
                False,
                InputProblem(
                    1,
                    f"file is encoded as {name} (it starts with a {name} byte-order mark); save it as UTF-8",
                ),
            )
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        return (
            None,
            False,
            InputProblem(
                line,
                f"file looks binary: it holds a NUL byte at offset {nul}; only text pages can be checked",
            ),
        )
    had_bom = data.startswith(UTF8_BOM)
    if had_bom:
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), had_bom, None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 4]
        return (
            None,
            had_bom,
            InputProblem(
                line,
                f"file is not valid UTF-8: byte {bad[:1].hex()} at offset {error.start}; "
                "save the page as UTF-8",
            ),
        )


def newline_style(source: str) -> str:
    crlf = source.count("\r\n")
    cr = source.count("\r") - crlf
    lf = source.count("\n") - crlf
    styles = [name for name, count in (("\r\n", crlf), ("\r", cr), ("\n", lf)) if count]
    if len(styles) > 1:
        return "mixed"
    return styles[0] if styles else "\n"


def _nesting_cut(tokens: list[Token], max_nesting: int) -> Token | None:
    """The list item or quote whose content markdown-it dropped because nesting reached the limit.

    A quote loses only what it holds; a list item loses the rest of the page as well.
    """
    for token in tokens:
        if (
            token.type in ("list_item_open", "blockquote_open")
            and token.level + 1 >= max_nesting
            and token.map is not None
        ):
            return token
    return None


class Page:
    """A page parsed once: text and line table, front matter, Markdown tokens and outline.

    `text` is the page with its BOM removed and every line ending turned into LF. Line numbers
    are 1-based and count lines as an editor shows them. A page that could not be read has
    `text = None` and an `input_problem`.
    """

    def __init__(
        self,
        path: Path | None,
        display_path: str,
        data: bytes,
        limits: Limits | None = None,
        problem: InputProblem | None = None,
        earlier: Page | None = None,
    ) -> None:
        """`earlier` is a version of the same page (the fixer's page before an edit): what the
        edit left alone is taken from it instead of being made again: the front matter, inline
        content and prose text, and the outline when the tokens differ only in their lines."""
        self.path = path
        self.display_path = display_path
        self.limits = limits or Limits()
        self.template: Template | None = None
        self.front_matter: FrontMatter | None = None
        self.front_matter_problem: FrontMatterProblem | None = None
        self.tokens: list[Token] | None = None
        # Link references found by the block parser, which inline parsing needs.
        self._env: dict[str, Any] = {}
        # ids of the inline tokens whose children have been parsed.
        self._inline_done: set[int] = set()
        # Parsed children by inline source: they depend on nothing else but the link
        # references, so versions of a page with the same references share them.
        self._inline_by_source: dict[str, list[Token]] = {}
        # What other modules make of an inline token's source alone (its prose text), by
        # (what, source): shared with an earlier version of the page as the children are.
        self.by_source: dict[tuple[str, str], Any] = {}
        self._all_inline_done = False
        self.body_offset = 0
        self.body_start_line = 1
        self.outline = Outline()
        self._section_lines: list[int] | None = None
        self._earlier: Page | None = None
        self.suppressions: list[Suppression] = []
        # Indexes into `suppressions` that hid at least one finding; set by the engine.
        self.suppressions_used: set[int] = set()
        self.input_problem: InputProblem | None
        if problem is not None:
            self.source, self.bom, self.input_problem = None, False, problem
        else:
            self.source, self.bom, self.input_problem = decode(data, self.limits)
        self.newline = "\n"
        self.text: str | None = None
        self.lines: list[str] = [""]
        self._line_starts: list[int] = [0]
        if self.source is None:
            return
        self.newline = newline_style(self.source)
        if "\r" in self.source:
            text = self.source.replace("\r\n", "\n").replace("\r", "\n")
        else:
            text = self.source
        self.text = text
        self.lines = split_lines(text)
        starts = [0]
        position = 0
        for line in self.lines[:-1]:
            position += len(line) + 1
            starts.append(position)
        self._line_starts = starts
        self._parse(text, earlier.front_matter if earlier is not None else None)
        if earlier is not None and earlier._env == self._env:
            self._inline_by_source = earlier._inline_by_source
            self.by_source = earlier.by_source
            # Its outline may fit this page too (see `attach_template`).
            self._earlier = earlier

    def _parse(self, text: str, known: FrontMatter | None) -> None:
        # Imported here: a run served from the cache never parses, nor loads the parsers.
        from checker.document.front_matter import split_front_matter  # noqa: PLC0415
        from checker.document.markdown import parse_blocks  # noqa: PLC0415

        limits = self.limits
        split = split_front_matter(
            text, limits.max_front_matter_bytes, limits.max_yaml_nodes, limits.max_nesting, known
        )
        self.front_matter = split.front_matter
        self.front_matter_problem = split.problem
        self.body_offset = split.body_offset
        self.body_start_line = self.line_of_offset(split.body_offset)
        body = text[split.body_offset :]
        markup = markup_count(body)
        if markup > limits.max_markup_chars:
            # Parsing would cost memory in proportion; rules on the raw text still run.
            self.input_problem = InputProblem(
                self.body_start_line,
                f"the body holds {markup:,} Markdown markup characters and line breaks, over the "
                f"limit of {limits.max_markup_chars:,} (limits.max-markup-chars), so its "
                "structure was not checked; split the page or raise the limit",
            )
        else:
            self.tokens = parse_blocks(body, limits.max_nesting, self._env)
        too_deep = _nesting_cut(self.tokens, limits.max_nesting) if self.tokens else None
        if too_deep is not None:
            tail_lost = too_deep.type == "list_item_open"
            line = self.token_line(too_deep)
            lost = "the rest of the page" if tail_lost else "what this quote holds"
            self.input_problem = InputProblem(
                line,
                f"lists or quotes nest too deeply here (limits.max-nesting is "
                f"{limits.max_nesting}, and each level counts two), so {lost} could not be "
                "read; flatten the nesting",
            )
            if tail_lost:
                # Rules reading the body would report the dropped sections as missing.
                self.tokens = None
        if not text.strip():
            # An empty file gets one finding (FM001 says it is empty), not one for every
            # section, heading and disclaimer it lacks: rules that read the body do not run.
            self.tokens = None
        if "checker:" in text:
            self.suppressions = parse_suppressions(self.lines, self.code_lines)

    @functools.cached_property
    def code_lines(self) -> frozenset[int]:
        """Page lines inside fenced or indented code blocks (fence lines included)."""
        lines: set[int] = set()
        for token in self.tokens or []:
            if token.type in ("fence", "code_block") and token.map is not None:
                start = self.body_start_line + token.map[0]
                lines.update(range(start, self.body_start_line + token.map[1]))
        return frozenset(lines)

    # -- template and outline -------------------------------------------------------------

    def attach_template(self, template: Template) -> None:
        if template is self.template:
            return  # attached already (a fix probe, then the full check): the same outline
        self.template = template
        earlier, self._earlier = self._earlier, None
        if self.tokens is not None:
            title = self.data.get("title")
            title = title if isinstance(title, str) else ""
            moved = _moved_outline(earlier, self, template) if earlier is not None else None
            self.outline = moved or build_outline(
                self.tokens, template, self.body_start_line, self.inline, title
            )
            self._section_lines = None

    @property
    def sections(self) -> list[Section]:
        return self.outline.sections

    # -- inline content ---------------------------------------------------------------------

    def inline(self, token: Token) -> list[Token]:
        """The children of an `inline` token, parsed on first request.

        Tokens come from the block parser alone; a rule that reads inline markup (emphasis,
        links, code spans) asks for it here, token by token, or sets `needs_inline`.
        """
        if id(token) not in self._inline_done:
            self._inline_done.add(id(token))
            known = self._inline_by_source.get(token.content)
            if known is not None:
                # Shared, never copied: nothing changes a token's children once parsed.
                token.children = known
            else:
                # Imported here for the same reason as in `_parse`.
                from checker.document.markdown import parse_inline  # noqa: PLC0415

                parse_inline(token, self.limits.max_nesting, self._env)
                self._inline_by_source[token.content] = token.children or []
        return token.children or []

    def parse_all_inline(self) -> None:
        """Give every inline token its children, as a full markdown-it parse would."""
        if self._all_inline_done:
            return
        self._all_inline_done = True
        for token in self.tokens or []:
            if token.type == "inline":
                self.inline(token)

    @property
    def link_references(self) -> dict[str, Any]:
        """The link reference definitions the block parser found, by label."""
        references: dict[str, Any] = self._env.get("references", {})
        return references

    @functools.cached_property
    def tree(self) -> SyntaxTreeNode:
        from markdown_it.tree import SyntaxTreeNode  # noqa: PLC0415 (as in `_parse`)

        self.parse_all_inline()
        return SyntaxTreeNode(self.tokens or [])

    @property
    def data(self) -> dict[str, object]:
        return self.front_matter.data if self.front_matter else {}

    # -- positions --------------------------------------------------------------------------

    @functools.cached_property
    def first_content_line(self) -> int:
        """The first non-blank line of the body (the last line when the body is blank).

        `body_start_line` is where the body's line numbering starts, which is often the rest of
        the closing `---` line; findings about the body as a whole belong here instead.
        """
        line = self.body_start_line
        text = self.text or ""
        if self.body_offset and not text[self.body_offset :].partition("\n")[0].strip():
            line += 1
        while line < self.line_count and not self.lines[line - 1].strip():
            line += 1
        return min(line, max(1, self.line_count))

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def line_length(self, line: int) -> int:
        if 1 <= line <= len(self.lines):
            return len(self.lines[line - 1])
        return 0

    def line_offset(self, line: int) -> int:
        """Offset in `text` of the first character of a 1-based line."""
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]

    def line_of_offset(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def token_line(self, token: Token) -> int:
        return self.body_start_line + (token.map[0] if token.map else 0)

    def section_key_at(self, line: int) -> str:
        """The template key (or title) of the section that holds a line, or '' before any."""
        sections = self.outline.sections
        if self._section_lines is None or len(self._section_lines) != len(sections):
            self._section_lines = [section.line for section in sections]
        index = bisect.bisect_right(self._section_lines, line)
        if index == 0:
            return ""
        section = sections[index - 1]
        return section.key or section.title


_TOKEN_SHAPE = operator.attrgetter("type", "tag", "level", "nesting", "content", "markup")


def _moved_outline(earlier: Page, page: Page, template: Template) -> Outline | None:
    """The outline of an earlier version of the page, moved to this page's lines, when it is
    this page's outline too: the same template, title and link references, and the same
    tokens but for their lines (an edit that only added or removed blank lines, say). None
    when anything else changed: the outline is then built again."""
    old, new = earlier.tokens, page.tokens
    if (
        earlier.template is not template
        or old is None
        or new is None
        or len(old) != len(new)
        or earlier.data.get("title") != page.data.get("title")
        or list(map(_TOKEN_SHAPE, old)) != list(map(_TOKEN_SHAPE, new))
    ):
        return None
    old_maps = [token.map for token in old]
    new_maps = [token.map for token in new]
    if [m is None for m in old_maps] != [m is None for m in new_maps]:
        return None
    # Outline lines are first lines (map[0]) and last lines (map[1] - 1) of tokens.
    shift_old, shift_new = earlier.body_start_line, page.body_start_line
    pairs = [
        (
            shift_old + before[0],
            shift_new + after[0],
            shift_old + before[1] - 1,
            shift_new + after[1] - 1,
        )
        for before, after in zip(old_maps, new_maps, strict=True)
        if before is not None and after is not None  # both or neither (checked above)
    ]
    lines = {was: now for was, now, _, _ in pairs}
    lines.update((was, now) for _, _, was, now in pairs)
    # A line that two tokens would move to different lines: not a mere move.
    if any(lines[a] != b or lines[c] != d for a, b, c, d in pairs):
        return None
    return move_outline(earlier.outline, lines)
