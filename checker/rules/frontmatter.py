"""Front-matter rules: presence, YAML validity, the template's schema, and the title."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from checker.document.page import Page
from checker.document.text import collapse_spaces, plural
from checker.project.pack import FieldSpec, Template, missing_keys
from checker.rules.base import (
    Applicability,
    Fix,
    FixAvailability,
    FixSafety,
    Rule,
    RuleOptions,
    Severity,
    Violation,
)
from checker.rules.edits import replace_lines


class FrontMatterMissing(Rule):
    """## What it checks
    The page opens with a YAML front-matter block between two `---` lines.

    ## Why
    The site generator reads the title and layout from the front matter; without it the page
    is published with no title or with the wrong layout.

    ## Example
    A page that starts directly with `# Aspirin`, an empty file, or a page whose `---` block is
    never closed.
    """

    code = "FM001"
    name = "front-matter-missing"
    summary = "There is no front matter, it is unterminated, or the file is empty"
    default_severity = Severity.ERROR
    needs_body = False

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        problem = page.front_matter_problem
        if problem is not None and problem.code == self.code:
            yield self.violation(page, problem.message, problem.line)


class FrontMatterInvalid(Rule):
    """## What it checks
    The front matter is valid YAML, is a mapping of keys to values, writes each key once, and
    stays within the limits on size, nesting and alias expansion.

    ## Why
    Invalid YAML breaks the site build. Anchors and aliases can expand exponentially (a
    "billion laughs" bomb) and stall every tool that reads the page. A key written twice
    keeps only its last value, silently: the reviewer reads one title, the site shows another.

    ## Example
    `title: Aspirin: 81 mg` (a second colon), or front matter that is a list (`- title: x`).
    """

    code = "FM002"
    name = "front-matter-invalid"
    summary = "The YAML does not parse, is not a mapping, or is unsafe"
    default_severity = Severity.ERROR
    needs_body = False

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        problem = page.front_matter_problem
        if problem is not None and problem.code == self.code:
            yield self.violation(page, problem.message, problem.line)
        front = page.front_matter
        for key, line, first in front.duplicates if front is not None else ():
            yield self.violation(
                page,
                f"key '{key}' is written again (first at line {first}), and YAML keeps only "
                "the last value: remove one of the two",
                line,
            )


def _spec_at(specs: dict[str, FieldSpec], loc: tuple[Any, ...]) -> FieldSpec | None:
    """The field spec a pydantic error location points at (list indices step into `items`)."""
    spec: FieldSpec | None = None
    for part in loc:
        if isinstance(part, int):
            spec = spec.items if spec is not None and spec.type == "list" else None
        else:
            fields = specs if spec is None else spec.fields
            spec = fields.get(part)
        if spec is None:
            return None
    return spec


def _yaml(value: Any) -> str:
    """A value as it is written in YAML: `minimal-medicine`, `true`, `3`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kind(value: Any) -> str:
    """What a YAML value is, in words: `text`, `a number`, `no value`."""
    if value is None:
        return "no value (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return type(value).__name__


# Each type of the template language, in words.
_EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date",
    "list": "a list",
    "object": "a mapping of keys",
    "any": "a value",
}
_TYPE_ERRORS = {
    "string_type",
    "int_type",
    "float_type",
    "bool_type",
    "date_type",
    "list_type",
    "model_type",
    "dict_type",
}
_NUMBER = {"integer": re.compile(r"-?\d+"), "number": re.compile(r"-?\d+(?:\.\d+)?")}
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _how_to_write(name: str, kind: str, found: Any) -> str:
    """How to write a value of the key's type, from the value the page wrote."""
    if kind == "string" and isinstance(found, (bool, int, float, datetime.date)):
        # YAML read `5`, `yes` or `2024-01-01` as a number, true/false or a date.
        return f'put it in quotes: `{name}: "{_yaml(found)}"`'
    if kind == "string":
        return f"write its text on the same line: `{name}: …`"
    if kind in _NUMBER:
        text = found.strip() if isinstance(found, str) else ""
        if _NUMBER[kind].fullmatch(text):
            return f"write it without quotes: `{name}: {text}`"
        return f"write {_EXPECTED[kind]}, without quotes"
    if kind == "boolean":
        return f"write `{name}: true` or `{name}: false`, without quotes"
    if kind == "date":
        if isinstance(found, datetime.datetime):
            return f"leave out the time: `{name}: {found.date().isoformat()}`"
        if isinstance(found, str) and _ISO_DATE.fullmatch(found.strip()):
            return f"write it without quotes: `{name}: {found.strip()}`"
        return f"write it as `{name}: YYYY-MM-DD`"
    if kind == "list":
        return f"write each item on its own `- ` line below `{name}:`"
    if kind == "object":
        return f"write its keys on indented `key: value` lines below `{name}:`"
    return f"write {_EXPECTED[kind]}"


def _write(name: str, spec: FieldSpec | None) -> str:
    """What to write for a key, as specific as its spec allows."""
    if spec is not None and spec.allowed:
        if len(spec.allowed) == 1:
            return f"`{name}: {_yaml(spec.allowed[0])}`"
        *first, last = (f"`{_yaml(value)}`" for value in spec.allowed)
        return f"`{name}: …` with one of {', '.join(first)} or {last}"
    if spec is not None and spec.type in ("list", "object"):
        return f"`{name}:` with {_EXPECTED[spec.type]} below it"
    return f"`{name}: …`"


def _describe(error: dict[str, Any], template: Template) -> str:
    """FM003's message for one pydantic error on the front-matter model: what is wrong, and
    what to write instead, from the template's own spec of the key."""
    loc = tuple(error["loc"])
    key = ".".join(str(part) for part in loc) or "(front matter)"
    kind = error["type"]
    spec = _spec_at(template.front_matter.fields, loc)
    found = error.get("input")
    name = str(loc[-1]) if loc else key
    if kind == "missing":
        if len(loc) > 1:
            parent = ".".join(str(part) for part in loc[:-1])
            return f"required key `{name}` is missing from `{parent}`; add {_write(name, spec)}"
        return f"required key `{key}` is missing from the front matter; add {_write(key, spec)}"
    if kind == "extra_forbidden":
        return (
            f"unknown key `{key}` is not allowed by template {template.name}; remove it, "
            "or declare it in the template's front-matter fields"
        )
    if spec is None:
        return f"`{key}` holds {_kind(found)}, which template {template.name} does not accept"
    if found is None and not spec.nullable:
        # Null is a value only a `nullable` key accepts, optional or not (docs/templates.md).
        if not spec.required and spec.required_if is None:
            return f"`{key}` has no value; write {_write(name, spec)}, or remove the optional key"
        return f"`{key}` has no value; write {_write(name, spec)}"
    if kind == "literal_error":
        return f"`{key}` is {_kind(found)}; write {_write(name, spec)}"
    if kind in _TYPE_ERRORS:
        how = _how_to_write(name, spec.type, found)
        return f"`{key}` must be {_EXPECTED[spec.type]}, not {_kind(found)}; {how}"
    size = len(found) if isinstance(found, (str, list)) else 0
    if kind == "string_too_short":
        if size == 0:
            return f"`{key}` is empty; write its text"
        return f"`{key}` is {plural(size, 'character')} long; write at least {spec.min_length}"
    if kind == "string_too_long":
        return (
            f"`{key}` is {plural(size, 'character')} long; shorten it to at most {spec.max_length}"
        )
    if kind == "too_short":
        return f"`{key}` has {plural(size, 'item')}; give it at least {spec.min_length}"
    if kind == "too_long":
        return f"`{key}` has {plural(size, 'item')}; keep at most {spec.max_length}"
    if kind == "string_pattern_mismatch":
        return (
            f"`{key}` is {_kind(found)}, which does not match the template's pattern "
            f"`{spec.pattern}`; change it to match"
        )
    if kind in ("greater_than_equal", "greater_than"):
        return f"`{key}` is {_yaml(found)}; it must be at least {_yaml(spec.minimum)}"
    if kind in ("less_than_equal", "less_than"):
        return f"`{key}` is {_yaml(found)}; it must be at most {_yaml(spec.maximum)}"
    return f"`{key}` holds {_kind(found)}, which template {template.name} does not accept"


class FrontMatterSchema(Rule):
    """## What it checks
    The front matter matches the page template's schema: every required key is present (or
    required by a `required-if` condition), each value has the declared type and an allowed
    value, pattern, length or range, nested objects and lists of objects included, and unknown
    keys are refused when the template is closed. A template may name a JSON Schema file
    instead. Each problem is reported at the line of the key or list item it is about.
    `checker schema TEMPLATE` prints the schema.

    ## Why
    A misspelt key or a wrong layout silently changes how the page is built and listed.

    ## Example
    Under `drug-v2`, `layout: minimal` (the allowed value is `minimal-medicine`), or a page
    without `title`.
    """

    code = "FM003"
    name = "front-matter-schema"
    summary = "A front-matter key is missing, unknown, or has a value the schema refuses"
    default_severity = Severity.ERROR
    needs_body = False

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        return page.front_matter is not None and page.template is not None

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        front, template = page.front_matter, page.template
        assert front is not None and template is not None
        if template.json_schema is not None:
            yield from self._check_json_schema(page, template.json_schema)
            return
        try:
            template.schema_model.model_validate(front.data)
        except ValidationError as error:
            for item in error.errors():
                message = _describe(dict(item), template)
                loc = tuple(item["loc"])
                line = _line_of(page, loc)
                if item["type"] == "missing":
                    line = _line_of(page, loc[:-1]) if len(loc) > 1 else front.start_line
                yield self.violation(page, message, line)
        for loc, condition in missing_keys(template.front_matter.fields, front.data):
            key = ".".join(str(part) for part in loc)
            line = _line_of(page, loc[:-1]) if len(loc) > 1 else front.start_line
            spec = _spec_at(template.front_matter.fields, loc)
            yield self.violation(
                page,
                f"key `{key}` is required when {condition}; add {_write(str(loc[-1]), spec)}",
                line,
            )

    def _check_json_schema(self, page: Page, schema: dict[str, Any]) -> Iterator[Violation]:
        # Only templates that name a JSON Schema file pay for importing the validator.
        import jsonschema  # noqa: PLC0415

        front = page.front_matter
        assert front is not None
        validator_class = jsonschema.validators.validator_for(schema)
        validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
        for error in sorted(validator.iter_errors(front.data), key=lambda e: list(e.absolute_path)):
            loc = tuple(error.absolute_path)
            key = ".".join(str(part) for part in loc) or "(front matter)"
            yield self.violation(
                page,
                f"`{key}`: {error.message} (JSON Schema: {'/'.join(map(str, error.schema_path))})",
                _line_of(page, loc),
            )


def _line_of(page: Page, loc: tuple[Any, ...]) -> int:
    """The page line of the deepest key of `loc` that the front matter holds."""
    front = page.front_matter
    assert front is not None
    for end in range(len(loc), 0, -1):
        path = ".".join(str(part) for part in loc[:end])
        line = front.path_lines.get(path) if end > 1 else front.key_lines.get(path)
        if line is not None:
            return line
    return front.start_line


class TitleMismatch(Rule):
    """## What it checks
    The page's H1 says exactly what the front-matter `title` says. Runs of whitespace are
    treated as one space; everything else, literal quotes included, must match.

    ## Why
    The title appears in listings, search results and the browser tab, the H1 on the page.
    When they disagree, readers cannot tell whether they landed on the right drug.

    ## Example
    `title: "Ringer's lactate"` (YAML quotes, not part of the value) with the H1
    `# "Ringer's lactate"`, which shows the quotes on the page.
    """

    code = "FM004"
    name = "title-mismatch"
    summary = "The front-matter title differs from the H1"
    default_severity = Severity.ERROR
    fix = FixAvailability.ALWAYS
    fix_safety = FixSafety.UNSAFE

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        return super().applies(page) and page.front_matter is not None

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        title = page.data.get("title")
        if not isinstance(title, str) or not page.outline.h1s:
            return
        h1 = page.outline.h1s[0]
        if collapse_spaces(title) != h1.text:
            yield self.violation(
                page,
                f"the H1 {h1.text!r} differs from the front-matter title {collapse_spaces(title)!r}; "
                "make them the same",
                h1.line,
                fix=self._h1_from_title(page, collapse_spaces(title)),
            )

    @staticmethod
    def _h1_from_title(page: Page, title: str) -> Fix:
        h1 = page.outline.h1s[0]
        token = (page.tokens or [])[h1.token_index]
        last = h1.line if token.map is None else page.body_start_line + token.map[1] - 1
        # Unsafe: the visible title of the page changes.
        return Fix(
            "Set the H1 from the front-matter title",
            (replace_lines(page, h1.line, last, "# " + escape_inline(title)),),
            Applicability.UNSAFE,
        )


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>#!&|~])")


def escape_inline(text: str) -> str:
    """Text that Markdown shows as written: its markup characters backslash-escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
