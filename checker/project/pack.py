"""Load a rule pack (the site's templates and rule options) and build each template's schema."""

from __future__ import annotations

import datetime
import fnmatch
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    PrivateAttr,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic.alias_generators import to_snake

from checker.document.text import normalise_name
from checker.errors import ConfigError, config_errors
from checker.project.patterns import user_pattern

PACK_FILE = "pack.yaml"


def _kebab(name: str) -> str:
    return to_snake(name).replace("_", "-")


class PackModel(BaseModel):
    # Validators are built when a pack is first validated, not when this module is imported;
    # defaults are factories for the same reason (a model instance as a default builds it).
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, defer_build=True
    )


FieldType = Literal["string", "boolean", "integer", "number", "date", "list", "object", "any"]

_PYTHON_TYPES: dict[str, Any] = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": float,
    "date": datetime.date,
    "any": Any,
}


class FieldSpec(PackModel):
    """One front-matter key: its type, whether it is required, and what values it may hold.

    Fields nest: an `object` has `fields` of its own, a `list` has `items` (a field spec for
    each element; strings when left out). So `faqs: [{q, a}]` is a list whose items are objects.
    """

    type: FieldType = Field(
        default="string",
        description="The value's YAML type. `list` holds `items`; `object` holds `fields`; "
        "`any` accepts every value.",
    )
    description: str = Field(default="", description="What the key is for (for people only).")
    required: bool = Field(
        default=True,
        description="The key must be present; `false` lets a page leave it out (a key that is "
        "written must still hold a valid value: an empty one needs `nullable`).",
    )
    required_if: dict[str, Any] | None = Field(
        default=None,
        description="Required only when the sibling keys hold these values, e.g. "
        "`{type: single}`; the key is optional otherwise.",
    )
    nullable: bool = Field(
        default=False,
        description="`null` (an empty value, `key:`) is accepted, whether the key is required "
        "or not.",
    )
    allowed: list[Any] | None = Field(
        default=None, description="The only values accepted (an enum)."
    )
    pattern: str | None = Field(
        default=None, description="A regular expression a string value must match (search)."
    )
    min_length: int | None = Field(
        default=None, ge=0, description="Fewest characters of a string, or items of a list."
    )
    max_length: int | None = Field(
        default=None, ge=0, description="Most characters of a string, or items of a list."
    )
    minimum: float | None = Field(default=None, description="Smallest number accepted.")
    maximum: float | None = Field(default=None, description="Largest number accepted.")
    items: FieldSpec | None = Field(
        default=None, description="For a `list`: the spec of each item (default: a string)."
    )
    fields: dict[str, FieldSpec] = Field(
        default={}, description="For an `object`: its keys, each a field spec."
    )
    allow_unknown_keys: bool = Field(
        default=False, description="For an `object`: keys not in `fields` are accepted."
    )

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            user_pattern(value)
        return value


class FrontMatterSpec(PackModel):
    """The page's front matter: its keys, or a JSON Schema file the site already keeps."""

    allow_unknown_keys: bool = Field(
        default=False, description="Keys not listed in `fields` are accepted."
    )
    fields: dict[str, FieldSpec] = Field(
        default={}, description="Each key the front matter may hold, with its spec."
    )
    json_schema: str | None = Field(
        default=None,
        description="A JSON Schema file (path relative to the pack folder) that validates the "
        "front matter instead of `fields`.",
    )


H1Mode = Literal["required", "forbidden", "optional"]
SectionStyle = Literal["heading", "bold-heading", "label", "list-label"]


class SectionForm(PackModel):
    """How a section is written.

    `heading` is `## Name`, `bold-heading` is `## **Name**`, `label` is a bold label opening a
    paragraph (`**Name:** text`), and `list-label` a bold label opening a list item
    (`* **Name:** text`).
    """

    style: SectionStyle = Field(default="heading", description="The form of a section marker.")
    level: int = Field(
        default=3, ge=2, le=6, description="The heading level, for `heading` and `bold-heading`."
    )


class SectionSpec(PackModel):
    """One section of the template, with the sub-sections it holds."""

    name: str = Field(description="The section's name, as written in its heading or label.")
    aliases: list[str] = Field(default=[], description="Other names accepted for it.")
    required: bool = Field(default=True, description="The section must be present (ST001).")
    sections: list[SectionSpec] = Field(
        default=[],
        description="Sub-sections: headings one level below the section's (or `level`), "
        "checked inside the section; required ones are reported missing by ST001.",
    )
    level: int | None = Field(
        default=None,
        ge=2,
        le=6,
        description="For a sub-section: its heading level (default: one below its parent's).",
    )

    @property
    def key(self) -> str:
        return normalise_name(self.name)

    def all_keys(self) -> list[str]:
        return [self.key, *(normalise_name(alias) for alias in self.aliases)]


class SectionsSpec(PackModel):
    """The page's sections: their form, and which ones, in which order."""

    form: SectionForm = Field(default_factory=SectionForm, description="How sections are written.")
    closed: bool = Field(
        default=True, description="Sections the template does not list are reported (ST005)."
    )
    ordered: bool = Field(
        default=True, description="Sections must come in the listed order (ST002)."
    )
    strict: bool = Field(
        default=False,
        description="Only the template's own form marks a section: bold labels and headings "
        "of other levels are the content of the section they stand in.",
    )
    items: list[SectionSpec] = Field(description="The sections, in order.")


def _none_word(value: Any) -> Any:
    # `disclaimer: none` states in words that a template has no disclaimer.
    return None if isinstance(value, str) and value.strip().casefold() == "none" else value


class DisclaimerSpec(PackModel):
    """The medical disclaimer: its label, canonical text, how loosely it may match, and its place."""

    label: str = Field(default="Disclaimer", description="The label that opens it.")
    aliases: list[str] = Field(
        default=["Important Disclaimer"], description="Other labels accepted."
    )
    text: str = Field(description="The canonical text (inserted by the fix for DS001).")
    match: Literal["exact", "statements"] = Field(
        default="statements",
        description="`exact`: the text must be close to `text`; `statements`: it must make each "
        "statement of `statements`.",
    )
    similarity: float = Field(
        default=0.85, ge=0.0, le=1.0, description="Word similarity needed under `exact`."
    )
    statements: dict[str, list[str]] = Field(
        default={},
        description="Statement -> patterns, any of which makes the statement (`statements`).",
    )
    position: Literal["after-sections", "end", "top", "anywhere"] = Field(
        default="after-sections", description="Where the disclaimer stands."
    )

    @field_validator("statements")
    @classmethod
    def _statements_compile(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in value.values():
            for pattern in patterns:
                user_pattern(pattern, ignore_case=True)
        return value

    def label_keys(self) -> set[str]:
        return {normalise_name(self.label), *(normalise_name(a) for a in self.aliases)}


class NoteSpec(PackModel):
    """A closing note that must be the page's last paragraph."""

    required: bool = Field(default=True, description="Every page must end with the note.")
    label: str = Field(default="Note", description="The label that opens it.")
    text: str = Field(description="The canonical text.")
    similarity: float = Field(
        default=0.9, ge=0.0, le=1.0, description="Word similarity needed to match the text."
    )


class Conditions(PackModel):
    """Which pages a template claims, when nothing more specific chose one.

    Globs match the page's path relative to the config's `content-root` (with `/` between
    folders), whichever folder the checker runs from; a page outside the content root is
    matched by its path as given.
    """

    globs: list[str] = Field(
        default=[], description="Path globs, relative to the content root (`medicines/*.md`)."
    )
    has_keys: list[str] = Field(default=[], description="Front-matter keys the page must have.")
    equals: dict[str, Any] = Field(
        default={}, description="Front-matter keys and the values they must hold."
    )

    def matches(self, relpath: str, data: Any) -> bool:
        if not (self.globs or self.has_keys or self.equals):
            return False
        if self.globs and not any(fnmatch.fnmatch(relpath, glob) for glob in self.globs):
            return False
        if self.has_keys or self.equals:
            if not isinstance(data, dict):
                return False
            if any(key not in data for key in self.has_keys):
                return False
            if any(data.get(key) != value for key, value in self.equals.items()):
                return False
        return True


class Template(PackModel):
    """One page template (a file in the pack's `templates/`)."""

    name: str = Field(description="The template's name, as configs and `--template` name it.")
    description: str = Field(default="", description="What pages it describes.")
    applies_to: Conditions = Field(
        default_factory=Conditions, description="Which pages it claims (first match wins)."
    )
    front_matter: FrontMatterSpec = Field(
        default_factory=FrontMatterSpec, description="The front matter's keys (FM003)."
    )
    h1: H1Mode = Field(
        default="required",
        alias="h1",
        description="Whether the body has one `# Title` (ST006): `forbidden` when the site's "
        "layout prints the title.",
    )
    sections: SectionsSpec = Field(description="The sections (ST001-ST005, ST008).")
    disclaimer: DisclaimerSpec | None = Field(
        default=None,
        description="The disclaimer (DS rules); `none` (or leaving it out) means pages have none.",
    )
    note: NoteSpec | None = Field(
        default=None,
        description="The closing note (DS rules); `none` (or leaving it out) means none.",
    )
    ignore: list[str] = Field(default=[], description="Rule codes not run on its pages.")
    slug: Literal["title", "none"] = Field(
        default="title", description="`title`: the file name is the title's slug (XP003)."
    )

    @field_validator("disclaimer", "note", mode="before")
    @classmethod
    def _none_in_words(cls, value: Any) -> Any:
        return _none_word(value)

    # The JSON Schema named by `front-matter.json-schema`, read when the pack loads.
    _json_schema: dict[str, Any] | None = PrivateAttr(default=None)

    @property
    def json_schema(self) -> dict[str, Any] | None:
        return self._json_schema

    @functools.cached_property
    def section_lookup(self) -> dict[str, SectionSpec]:
        lookup: dict[str, SectionSpec] = {}
        for spec in self.sections.items:
            for key in spec.all_keys():
                lookup.setdefault(key, spec)
        return lookup

    @functools.cached_property
    def schema_model(self) -> type[BaseModel]:
        return build_schema_model(self)


class PackFile(PackModel):
    """The top-level `pack.yaml`."""

    name: str = Field(default="pack", description="The pack's name.")
    extends: str | None = Field(
        default=None,
        description="A pack whose rule options (`rules:`) this pack starts from: `builtin` for "
        "the pack shipped with the checker, or a folder relative to this one. Its templates "
        "are not taken.",
    )
    default_template: str = Field(
        description="The template of pages that no glob or `applies-to` claims."
    )
    templates: list[str] = Field(
        description="The template files, relative to the pack folder, in match order."
    )
    every_md_is_a_page: bool = Field(
        default=False,
        description="False: a Markdown file without front matter that no template's "
        "`applies-to` claims (a README, notes) is not a page and is skipped. True: every `.md` "
        "file is a page.",
    )
    rules: dict[str, dict[str, Any]] = Field(
        default={},
        description="Rule code -> options, as under `[rules.CODE]` in the config; a project's "
        "config can extend or reduce list options with `extend-KEY` / `remove-KEY`.",
    )


class Pack:
    """A loaded rule pack: templates in match order, plus per-rule option overrides."""

    def __init__(
        self,
        root: Path,
        default: str,
        templates: list[Template],
        rules: dict[str, Any],
        sources: dict[str, Path] | None = None,
        files: tuple[Path, ...] = (),
        every_md_is_a_page: bool = False,
    ):
        self.root = root
        # Template name -> the file it was read from.
        self.sources = sources or {}
        # Every file the loader read, wherever it lies: what the result cache's key covers.
        self.files = files
        self.every_md_is_a_page = every_md_is_a_page
        self.default = default
        self.templates = templates
        self.by_name = {template.name: template for template in templates}
        self.rule_options = rules

    def template(self, name: str) -> Template:
        try:
            return self.by_name[name]
        except KeyError:
            raise ConfigError(str(self.root), "template", self.unknown_template(name)) from None

    def unknown_template(self, name: str, pack: str = "the rule pack") -> str:
        """The error for a template name this pack does not have, `pack` saying which it is."""
        return f"unknown template {name!r}; {pack} has: {', '.join(sorted(self.by_name))}"

    def match(self, relpath: str, data: Any) -> Template:
        for template in self.templates:
            if template.applies_to.matches(relpath, data):
                return template
        return self.by_name[self.default]


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            str(path), "", f"cannot read the rule pack file: {error.strerror}"
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            str(path), "", f"the file is not UTF-8 (byte at offset {error.start}); save it as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise ConfigError(str(path), where, f"invalid YAML: {error}") from None
    except (ValueError, OverflowError, RecursionError) as error:
        # PyYAML builds dates and numbers as it reads (`2024-02-30` raises ValueError).
        raise ConfigError(str(path), "", f"a value cannot be read: {error}") from None


def _read_json_schema(template_path: Path, path: Path) -> dict[str, Any]:
    key = "front-matter.json-schema"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(
            str(template_path),
            key,
            f"cannot read {path}: {error.strerror}; the path is relative to the pack folder",
        ) from None
    except json.JSONDecodeError as error:
        raise ConfigError(str(template_path), key, f"{path} is not valid JSON: {error}") from None
    if not isinstance(schema, dict):
        raise ConfigError(str(template_path), key, f"{path} is not a JSON Schema object")
    return schema


def bundled_pack_dir() -> Path:
    """The pack shipped with the checker: `checker/_pack` when installed, `rules/` in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the `checker` package
    installed = here / "_pack"
    return installed if installed.is_dir() else here.parent / "rules"


def _extended_rules(
    root: Path, pack_file: PackFile, chain: tuple[Path, ...]
) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The pack's rule options over those of the pack it extends (a key-by-key overlay), and
    the files of the packs it extends."""
    if pack_file.extends is None:
        return pack_file.rules, ()
    base_root = (
        bundled_pack_dir().resolve()
        if pack_file.extends == "builtin"
        else (root / pack_file.extends).resolve()
    )
    if base_root in chain:
        raise ConfigError(
            str(root / PACK_FILE), "extends", f"{pack_file.extends!r} extends this pack again"
        )
    base = _load_pack(base_root, (*chain, base_root))
    rules = {code: dict(options) for code, options in base.rule_options.items()}
    for code, options in pack_file.rules.items():
        # Later keys win, and `extend-KEY` after the base's KEY adds to it (see the resolver).
        rules[code] = {**rules.get(code, {}), **options}
    return rules, base.files


@functools.lru_cache(maxsize=8)
def load_pack(root: Path) -> Pack:
    """Load and validate the pack in `root`; any mistake raises ConfigError naming file and key."""
    return _load_pack(root, (root,))


def _load_pack(root: Path, chain: tuple[Path, ...]) -> Pack:
    pack_path = root / PACK_FILE
    if not pack_path.is_file():
        raise ConfigError(
            str(root), "", f"no {PACK_FILE} here; point `pack` in the config at a rule pack folder"
        )
    try:
        pack_file = PackFile.model_validate(_read_yaml(pack_path))
    except ValidationError as error:
        raise config_errors(str(pack_path), error, model=PackFile) from None
    templates = []
    sources: dict[str, Path] = {}
    files = [pack_path]
    for entry in pack_file.templates:
        path = root / entry
        files.append(path)
        try:
            template = Template.model_validate(_read_yaml(path))
        except ValidationError as error:
            raise config_errors(str(path), error, model=Template) from None
        if template.front_matter.json_schema:
            schema_path = root / template.front_matter.json_schema
            files.append(schema_path)
            template._json_schema = _read_json_schema(path, schema_path)
        templates.append(template)
        sources[template.name] = path
    names = [template.name for template in templates]
    if pack_file.default_template not in names:
        raise ConfigError(
            str(pack_path),
            "default-template",
            f"{pack_file.default_template!r} is not one of the templates: {', '.join(names)}",
        )
    rules, base_files = _extended_rules(root, pack_file, chain)
    return Pack(
        root,
        pack_file.default_template,
        templates,
        rules,
        sources,
        (*files, *base_files),
        pack_file.every_md_is_a_page,
    )


def _constraints(spec: FieldSpec) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if spec.pattern:
        constraints["pattern"] = spec.pattern
    if spec.min_length is not None:
        constraints["min_length"] = spec.min_length
    if spec.max_length is not None:
        constraints["max_length"] = spec.max_length
    if spec.minimum is not None:
        constraints["ge"] = spec.minimum
    if spec.maximum is not None:
        constraints["le"] = spec.maximum
    return constraints


def _field_annotation(spec: FieldSpec, name: str) -> Any:
    if spec.allowed:
        return Literal[tuple(spec.allowed)]
    if spec.type == "object":
        return _object_model(name, spec.fields, spec.allow_unknown_keys)
    if spec.type == "list":
        if spec.items is None:
            return list[str]
        item = spec.items
        annotation = _field_annotation(item, name + "_item")
        constraints = _constraints(item)
        if item.nullable:
            annotation = annotation | None
        if constraints:
            annotation = Annotated[annotation, Field(**constraints)]
        return list[annotation]  # type: ignore[valid-type]
    return _PYTHON_TYPES[spec.type]


def _absent() -> None:
    """The value of an optional key the front matter leaves out: None."""


def _object_model(
    name: str, specs: dict[str, FieldSpec], allow_unknown: bool, title: str | None = None
) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for index, (key, spec) in enumerate(specs.items()):
        annotation = _field_annotation(spec, name + "_" + re.sub(r"\W", "_", key))
        # An optional key may be left out; only a nullable one may be written empty (`key:`).
        if spec.nullable:
            annotation = annotation | None
        optional = not spec.required or spec.required_if is not None
        # A factory, not `default=None`: the JSON Schema then states no default that its own
        # type refuses.
        default: dict[str, Any] = {"default_factory": _absent} if optional else {}
        # The front matter's key is the field's alias: a key may be any string (`_draft`,
        # `model_config`, `json`), which pydantic refuses or reads as its own as a field name.
        fields[f"field_{index}"] = (annotation, Field(alias=key, **default, **_constraints(spec)))
    extra: Literal["allow", "forbid"] = "allow" if allow_unknown else "forbid"
    config = ConfigDict(extra=extra, strict=True, title=title or name)
    conditions = _required_if_schema(specs)
    if conditions:
        # Checked by `missing_keys`, not by the model; stated in its JSON Schema for editors.
        config["json_schema_extra"] = {"allOf": cast(list[JsonValue], conditions)}
    model: type[BaseModel] = create_model(name, __config__=config, **fields)
    return model


def _required_if_schema(specs: dict[str, FieldSpec]) -> list[dict[str, Any]]:
    """`required-if` in JSON Schema: if the sibling keys hold these values, the key is required."""
    return [
        {
            "if": {
                "properties": {other: {"const": value} for other, value in condition.items()},
                "required": list(condition),
            },
            "then": {"required": [key]},
        }
        for key, spec in specs.items()
        if (condition := spec.required_if)
    ]


def build_schema_model(template: Template) -> type[BaseModel]:
    """Turn a template's front-matter spec into a pydantic model (strict: no type coercion).

    Conditional requirements (`required-if`) are not part of the model: see `missing_keys`.
    """
    name = "FrontMatter_" + re.sub(r"\W", "_", template.name)
    front = template.front_matter
    title = f"{template.name} front matter"
    return _object_model(name, front.fields, front.allow_unknown_keys, title)


def missing_keys(
    specs: dict[str, FieldSpec], data: Any, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location, condition) of each key that a `required-if` makes required and is absent."""
    if not isinstance(data, dict):
        return
    for key, spec in specs.items():
        value = data.get(key)
        condition = spec.required_if
        if (
            condition
            and key not in data
            and all(data.get(other) == wanted for other, wanted in condition.items())
        ):
            yield (*loc, key), ", ".join(f"{k}: {v}" for k, v in condition.items())
        if spec.type == "object":
            yield from missing_keys(spec.fields, value, (*loc, key))
        elif spec.type == "list" and spec.items is not None and isinstance(value, list):
            for index, item in enumerate(value):
                if spec.items.type == "object":
                    yield from missing_keys(spec.items.fields, item, (*loc, key, index))
