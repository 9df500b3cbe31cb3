"""Load a rule pack (the site's templates and rule options) and build each template's schema."""

from __future__ import annotations

import datetime
import fnmatch
import functools
import re
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic.alias_generators import to_snake

from checker.document.text import normalise_name
from checker.errors import ConfigError, config_errors
from checker.project import compiled
from checker.project import patterns as pattern_guard
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


FieldType = Literal["string", "boolean", "integer", "number", "date", "list"]

_PYTHON_TYPES: dict[str, Any] = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": float,
    "date": datetime.date,
    "list": list[str],
}


class FieldSpec(PackModel):
    """One front-matter key: its type, whether it is required, and what values it may hold."""

    type: FieldType = "string"
    required: bool = True
    allowed: list[Any] | None = None
    pattern: str | None = None
    min_length: int | None = None

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            user_pattern(value)
        return value


class FrontMatterSpec(PackModel):
    allow_unknown_keys: bool = False
    fields: dict[str, FieldSpec] = {}


class SectionForm(PackModel):
    """How a section is written: a heading of a given level, or a bold label opening a paragraph."""

    style: Literal["heading", "label"] = "heading"
    level: int = Field(default=3, ge=2, le=6)


class SectionSpec(PackModel):
    name: str
    aliases: list[str] = []
    required: bool = True

    @property
    def key(self) -> str:
        return normalise_name(self.name)

    def all_keys(self) -> list[str]:
        return [self.key, *(normalise_name(alias) for alias in self.aliases)]


class SectionsSpec(PackModel):
    form: SectionForm = Field(default_factory=SectionForm)
    closed: bool = True
    items: list[SectionSpec]


class DisclaimerSpec(PackModel):
    """The medical disclaimer: its label, canonical text, how loosely it may match, and its place."""

    label: str = "Disclaimer"
    aliases: list[str] = ["Important Disclaimer"]
    text: str
    match: Literal["exact", "statements"] = "statements"
    similarity: float = Field(default=0.85, ge=0.0, le=1.0)
    statements: dict[str, list[str]] = {}
    position: Literal["after-sections", "end", "top", "anywhere"] = "after-sections"

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

    required: bool = True
    label: str = "Note"
    text: str
    similarity: float = Field(default=0.9, ge=0.0, le=1.0)


class Conditions(PackModel):
    """Which pages a template claims, when nothing more specific chose one."""

    globs: list[str] = []
    has_keys: list[str] = []
    equals: dict[str, Any] = {}

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
    name: str
    description: str = ""
    applies_to: Conditions = Field(default_factory=Conditions)
    front_matter: FrontMatterSpec = Field(default_factory=FrontMatterSpec)
    sections: SectionsSpec
    disclaimer: DisclaimerSpec | None = None
    note: NoteSpec | None = None
    ignore: list[str] = []
    slug: Literal["title", "none"] = "title"

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

    name: str = "pack"
    default_template: str
    templates: list[str]
    # False: a Markdown file without front matter that no template's `applies-to` claims
    # (a README, notes) is not a page and is skipped. True: every `.md` file is a page.
    every_md_is_a_page: bool = False
    rules: dict[str, dict[str, Any]] = {}


class Pack:
    """A loaded rule pack: templates in match order, plus per-rule option overrides."""

    def __init__(
        self,
        root: Path,
        default: str,
        templates: list[Template],
        rules: dict[str, Any],
        files: tuple[Path, ...] = (),
        every_md_is_a_page: bool = False,
    ):
        self.root = root
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
            allowed = ", ".join(sorted(self.by_name))
            raise ConfigError(
                str(self.root), "template", f"unknown template {name!r}; choose one of: {allowed}"
            ) from None

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


def bundled_pack_dir() -> Path:
    """The pack shipped with the checker: `checker/_pack` when installed, `rules/` in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the `checker` package
    installed = here / "_pack"
    return installed if installed.is_dir() else here.parent / "rules"


@functools.lru_cache(maxsize=8)
def load_pack(root: Path) -> Pack:
    """Load and validate the pack in `root`; any mistake raises ConfigError naming file and key.

    A pack validated before is rebuilt from its compiled form (see `compiled`) instead.
    """
    pack_path = root / PACK_FILE
    if not pack_path.is_file():
        raise ConfigError(
            str(root), "", f"no {PACK_FILE} here; point `pack` in the config at a rule pack folder"
        )
    key = _compiled_key(pack_path)
    pack = _from_compiled(root, key) if key else None
    if pack is None:
        pack_file, templates = _validate(root, pack_path)
        pack = Pack(
            root,
            pack_file.default_template,
            templates,
            pack_file.rules,
            _files(root, pack_file),
            pack_file.every_md_is_a_page,
        )
        if key:
            _compile(root, key, pack_file, templates)
    return pack


def _validate(root: Path, pack_path: Path) -> tuple[PackFile, list[Template]]:
    try:
        pack_file = PackFile.model_validate(_read_yaml(pack_path))
    except ValidationError as error:
        raise config_errors(str(pack_path), error, model=PackFile) from None
    templates = []
    for entry in pack_file.templates:
        path = root / entry
        try:
            templates.append(Template.model_validate(_read_yaml(path)))
        except ValidationError as error:
            raise config_errors(str(path), error, model=Template) from None
    names = [template.name for template in templates]
    if pack_file.default_template not in names:
        raise ConfigError(
            str(pack_path),
            "default-template",
            f"{pack_file.default_template!r} is not one of the templates: {', '.join(names)}",
        )
    return pack_file, templates


def _compiled_key(pack_path: Path) -> str | None:
    """What the compiled pack depends on besides its templates: this code and `pack.yaml`."""
    try:
        return compiled.digest(
            Path(__file__).read_bytes(),
            Path(pattern_guard.__file__).read_bytes(),
            pydantic.VERSION.encode(),
            pack_path.read_bytes(),
        )
    except OSError:
        return None


def _from_compiled(root: Path, key: str) -> Pack | None:
    data = compiled.load("pack", key)
    if not isinstance(data, dict):
        return None
    try:
        for entry, expected in data["files"].items():
            if compiled.file_digest(root / entry) != expected:
                return None  # a template changed since
        pack_file = compiled.from_plain(PackFile, data["pack"])
        templates = [compiled.from_plain(Template, item) for item in data["templates"]]
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if list(data["files"]) != pack_file.templates or len(templates) != len(pack_file.templates):
        return None
    if pack_file.default_template not in {template.name for template in templates}:
        return None
    return Pack(
        root,
        pack_file.default_template,
        templates,
        pack_file.rules,
        _files(root, pack_file),
        pack_file.every_md_is_a_page,
    )


def _files(root: Path, pack_file: PackFile) -> tuple[Path, ...]:
    """Every file the loader reads for a pack: `pack.yaml` and each template, wherever it is."""
    return (root / PACK_FILE, *(root / entry for entry in pack_file.templates))


def _compile(root: Path, key: str, pack_file: PackFile, templates: list[Template]) -> None:
    plain_pack = compiled.round_trips(PackFile, pack_file)
    plain_templates = [compiled.round_trips(Template, template) for template in templates]
    if plain_pack is None or any(item is None for item in plain_templates):
        return
    try:
        files = {entry: compiled.file_digest(root / entry) for entry in pack_file.templates}
    except OSError:
        return
    compiled.store("pack", key, {"files": files, "pack": plain_pack, "templates": plain_templates})


def _field_annotation(spec: FieldSpec) -> Any:
    if spec.allowed:
        return Literal[tuple(spec.allowed)]
    return _PYTHON_TYPES[spec.type]


def build_schema_model(template: Template) -> type[BaseModel]:
    """Turn a template's front-matter spec into a pydantic model (strict: no type coercion)."""
    fields: dict[str, Any] = {}
    for key, spec in template.front_matter.fields.items():
        constraints: dict[str, Any] = {}
        if spec.pattern:
            constraints["pattern"] = spec.pattern
        if spec.min_length is not None:
            constraints["min_length"] = spec.min_length
        annotation = _field_annotation(spec)
        default = ... if spec.required else None
        if not spec.required:
            annotation = annotation | None
        fields[key] = (annotation, Field(default, **constraints))
    extra: Literal["allow", "forbid"] = (
        "allow" if template.front_matter.allow_unknown_keys else "forbid"
    )
    model_name = "FrontMatter_" + re.sub(r"\W", "_", template.name)
    config = ConfigDict(extra=extra, strict=True, title=f"{template.name} front matter")
    model: type[BaseModel] = create_model(model_name, __config__=config, **fields)
    return model
