"""Split and load YAML front matter safely, keeping the line of every key.

python-frontmatter's YAML handler decides what counts as a front-matter block; PyYAML's safe
(C, where available) loader composes it. Aliases are measured on the composed graph before any
Python object is built, so an alias bomb is refused in time proportional to the text, not to
its expansion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

_BOUNDARY = YAMLHandler.FM_BOUNDARY


@dataclass(slots=True)
class FrontMatter:
    raw: str
    data: Any
    # 1-based page lines of the opening and closing `---`.
    start_line: int
    end_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    # Top-level keys written more than once: (key, line of the repeat, line of the first).
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    # Page line of every nested key and list item, by dotted path (`faqs.0.q`).
    path_lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class FrontMatterProblem:
    code: str  # FM001 or FM002
    line: int
    message: str


@dataclass(slots=True)
class Split:
    front_matter: FrontMatter | None
    problem: FrontMatterProblem | None
    body_offset: int


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _expanded_size(node: yaml.Node, limit: int, max_depth: int) -> int:
    """Node count of the document with every alias expanded, stopping early past `limit`."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: deep documents must not hit Python's recursion limit.
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 0, False)]
    while stack:
        current, depth, expanded = stack.pop()
        if id(current) in sizes:
            continue
        if depth > max_depth:
            raise _TooDeep(depth)
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        if not expanded and any(id(child) not in sizes for child in children):
            stack.append((current, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(child), 1) for child in children)
        sizes[id(current)] = min(total, limit + 1)
    return sizes[id(node)]


def _first_scalar_line(node: yaml.Node, bad: Callable[[yaml.ScalarNode], bool]) -> int:
    """The 0-based line, within the front matter, of the first scalar that is `bad`; aliases
    are visited once."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            if bad(current):
                return int(current.start_mark.line)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in reversed(current.value) for n in reversed(pair))
    return 0


def _unreadable_scalar_line(node: yaml.Node) -> int:
    """The 0-based line, within the front matter, of the first scalar that cannot be built."""
    constructor = yaml.constructor.SafeConstructor()

    def unreadable(scalar: yaml.ScalarNode) -> bool:
        try:
            constructor.construct_object(scalar)
        except (ValueError, OverflowError, yaml.YAMLError):
            return True
        return False

    return _first_scalar_line(node, unreadable)


# Python refuses to turn an int of more than 4,300 digits into text (CVE-2020-10735);
# YAML's hexadecimal, binary and base-60 forms build such ints without converting text.
_MAX_INT_BITS = 14_000


def _oversized_int(data: Any) -> bool:
    stack = [data]
    while stack:
        current = stack.pop()
        if isinstance(current, int) and current.bit_length() > _MAX_INT_BITS:
            return True
        if isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _oversized_int_line(node: yaml.Node) -> int:
    """The 0-based line, within the front matter, of the first number too long to print."""
    constructor = yaml.constructor.SafeConstructor()

    def oversized(scalar: yaml.ScalarNode) -> bool:
        if scalar.tag != "tag:yaml.org,2002:int":
            return False
        value = constructor.construct_object(scalar)
        return isinstance(value, int) and value.bit_length() > _MAX_INT_BITS

    return _first_scalar_line(node, oversized)


def _path_lines(node: yaml.Node, base_line: int) -> dict[str, int]:
    """Line of each key and item below the top level, by dotted path; aliases are not followed."""
    lines: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str]] = [(node, "")]
    seen: set[int] = set()
    while stack:
        current, path = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        prefix = path + "." if path else ""
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                child = prefix + str(key_node.value)
                lines.setdefault(child, base_line + key_node.start_mark.line)
                stack.append((value_node, child))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                child = f"{prefix}{index}"
                lines.setdefault(child, base_line + item.start_mark.line)
                stack.append((item, child))
    return lines


class _TooDeep(Exception):
    def __init__(self, depth: int) -> None:
        self.depth = depth


_BRACKETS = re.compile(r"[\[\]{}]")
_NESTING_INDICATORS = ("[", "{", "-", "?", ":")


def _check_nesting(raw: str, max_depth: int) -> None:
    """Refuse YAML nested deeper than `max_depth` before it is composed.

    libyaml's composer recurses once per level and crashes the interpreter on documents a few
    thousand levels deep; its parser also slows down sharply on deep flow collections. So the
    depth is measured first: flow brackets on the raw text (counting brackets inside quotes too,
    an over-estimate that only matters for pages with dozens of unbalanced brackets in one value),
    then block and flow collections exactly, on the parser's event stream.
    """
    if sum(raw.count(char) for char in _NESTING_INDICATORS) < max_depth:
        return
    if raw.count("[") + raw.count("{") > max_depth:
        depth = 0
        for match in _BRACKETS.finditer(raw):
            depth = depth + 1 if match[0] in "[{" else max(depth - 1, 0)
            if depth > max_depth:
                raise _TooDeep(depth)
    parser = SafeLoader(raw)
    try:
        depth = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise _TooDeep(depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


def split_front_matter(
    text: str, max_bytes: int, max_nodes: int, max_depth: int, known: FrontMatter | None = None
) -> Split:
    """Find, size-check and load the front matter of a page's (LF-normalised) text.

    `known` is the front matter of another version of the page (the fixer's page before an
    edit): when this text holds the same block at the same lines, it is taken as it is
    instead of being loaded again.
    """
    opening = _BOUNDARY.match(text)
    if opening is None:
        first = text.lstrip("\n")
        hint = "the file is empty" if not first.strip() else "the page does not start with `---`"
        problem = FrontMatterProblem(
            "FM001",
            1,
            f"no front matter: {hint}; add a `---` block with the page's keys at the top",
        )
        return Split(None, problem, 0)
    closing = _BOUNDARY.search(text, opening.end())
    if closing is None:
        problem = FrontMatterProblem(
            "FM001",
            1,
            "front matter is not terminated: add a closing `---` line after the last key",
        )
        # Where the block should have ended is unknown; check the whole page as the body, so
        # its sections are still seen instead of being reported missing.
        return Split(None, problem, 0)
    raw = text[opening.end() : closing.start()]
    start_line = 1
    end_line = _line_at(text, closing.start())
    body_offset = closing.end()
    if known is not None and known.raw == raw and known.end_line == end_line:
        # The same block between the same lines: the same data, keys and lines.
        return Split(known, None, body_offset)
    # Page line of the raw block's first line (the rest of the opening `---` line).
    base_line = _line_at(text, opening.end())
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return Split(
            None,
            FrontMatterProblem(
                "FM002",
                1,
                f"front matter is {size:,} bytes, over the limit of {max_bytes:,} "
                "(limits.max-front-matter-size); move long content into the body",
            ),
            body_offset,
        )
    loader = SafeLoader(raw)
    try:
        _check_nesting(raw, max_depth)
        node = loader.get_single_node()
        key_lines: dict[str, int] = {}
        duplicates: list[tuple[str, int, int]] = []
        nested = False
        if node is None:
            data: Any = {}
        else:
            size = _expanded_size(node, max_nodes, max_depth)
            if size > max_nodes:
                message = (
                    f"front matter expands to more than {max_nodes:,} YAML nodes through "
                    "anchors and aliases (limits.max-yaml-nodes); write the values out plainly"
                )
                return Split(None, FrontMatterProblem("FM002", start_line, message), body_offset)
            try:
                data = loader.construct_document(node)
            except (ValueError, OverflowError) as error:
                # PyYAML builds dates with `datetime`, which refuses `2024-02-30`.
                line = base_line + _unreadable_scalar_line(node)
                message = (
                    f"front matter holds a value that cannot be read ({error}); "
                    "fix the value on this line (dates are written YYYY-MM-DD)"
                )
                return Split(None, FrontMatterProblem("FM002", line, message), body_offset)
            if _oversized_int(data):
                line = base_line + _oversized_int_line(node)
                message = (
                    "front matter holds a number of more than 4,300 digits, which cannot be "
                    "read; quote the value to keep it as text, or shorten it"
                )
                return Split(None, FrontMatterProblem("FM002", line, message), body_offset)
            if isinstance(node, yaml.MappingNode):
                for key_node, _ in node.value:
                    key, line = str(key_node.value), base_line + key_node.start_mark.line
                    if key in key_lines:
                        duplicates.append((key, line, key_lines[key]))
                    else:
                        key_lines[key] = line
                for key_node, value_node in node.value:
                    key_lines.setdefault(str(key_node.value), base_line + key_node.start_mark.line)
                    if isinstance(value_node, yaml.CollectionNode):
                        nested = True
    except _TooDeep:
        message = (
            f"front matter nests deeper than {max_depth} levels (limits.max-nesting); "
            "flatten the structure"
        )
        return Split(None, FrontMatterProblem("FM002", start_line, message), body_offset)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = base_line + mark.line if mark is not None else start_line
        problem_text = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {problem_text}" if context else str(problem_text)
        message = f"front matter is not valid YAML: {detail}; fix the YAML syntax on this line"
        if isinstance(error, yaml.constructor.ConstructorError) and "tag" in str(problem_text):
            # The safe loader knows no language-specific tags, and nothing is ever run.
            message = (
                f"front matter uses a tag the checker does not read ({problem_text}); only "
                "plain YAML values are allowed: remove the tag"
            )
        return Split(None, FrontMatterProblem("FM002", line, message), body_offset)
    except RecursionError:
        message = f"front matter nests too deeply (limits.max-nesting is {max_depth})"
        return Split(None, FrontMatterProblem("FM002", start_line, message), body_offset)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kinds: dict[type, str] = {list: "a list", str: "a string"}
        kind = kinds.get(type(data), type(data).__name__)
        message = f"front matter is {kind}, not a mapping of keys to values; write it as `key: value` lines"
        return Split(None, FrontMatterProblem("FM002", base_line, message), body_offset)
    front = FrontMatter(raw, data, start_line, end_line, key_lines, duplicates)
    if nested:
        assert node is not None
        front.path_lines = _path_lines(node, base_line)
    return Split(front, None, body_offset)
