"""Configuration: `checker.toml` or `[tool.checker]` in `pyproject.toml`, found upward from a file.

Every value is validated once, when the file loads; a mistake raises ConfigError naming the
file, the key and what is allowed.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker import DEFAULT_DOCS_URL
from checker.document.page import Limits
from checker.errors import ConfigError, UsageError, config_errors
from checker.project import compiled
from checker.project.pack import PACK_FILE, Pack, Template, bundled_pack_dir, load_pack

CONFIG_FILES = ("checker.toml", "pyproject.toml")


class _Model(BaseModel):
    # Built on first validation: a run without a config file never validates one.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)


class LimitsConfig(_Model):
    """Resource limits for one page (see docs/robustness.md)."""

    max_file_size: int = Field(
        default=Limits.max_file_bytes,
        alias="max-file-size",
        gt=0,
        description="Bytes; a larger file is not read and gets IO001.",
    )
    max_front_matter_size: int = Field(
        default=Limits.max_front_matter_bytes,
        alias="max-front-matter-size",
        gt=0,
        description="Bytes; larger front matter gets FM002.",
    )
    max_yaml_nodes: int = Field(
        default=Limits.max_yaml_nodes,
        alias="max-yaml-nodes",
        gt=0,
        description="YAML nodes after alias expansion; more is an alias bomb (FM002).",
    )
    max_nesting: int = Field(
        default=Limits.max_nesting,
        alias="max-nesting",
        gt=0,
        le=1000,
        description="YAML and Markdown nesting depth (FM002, IO001).",
    )
    max_markup_chars: int = Field(
        default=Limits.max_markup_chars,
        alias="max-markup-chars",
        gt=0,
        description="Markdown markup characters and line breaks in one page (IO001).",
    )
    max_page_seconds: float = Field(
        default=Limits.max_page_seconds,
        alias="max-page-seconds",
        ge=0,
        description="Wall time to read and check one page (IO001); 0 turns the limit off.",
    )

    def to_limits(self) -> Limits:
        return Limits(
            self.max_file_size,
            self.max_front_matter_size,
            self.max_yaml_nodes,
            self.max_nesting,
            self.max_markup_chars,
            self.max_page_seconds,
        )


class FileConfig(_Model):
    """The `[tool.checker]` table of `pyproject.toml`, or the whole of `checker.toml`.

    Every key is documented by its `description`; docs/config.md is generated from them
    (`checker config --output-format markdown`).
    """

    select: list[str] | None = Field(
        default=None,
        description="Rules to run: codes, prefixes (`DS`) or names, or `ALL`. Default: every "
        "rule that is on by default (see `checker rules`).",
    )
    extend_select: list[str] = Field(
        default=[], alias="extend-select", description="Rules to run on top of `select`."
    )
    ignore: list[str] = Field(
        default=[],
        description="Rules not to run. The more specific of a select and an ignore wins "
        '(`ignore = ["ST"]` with `extend-select = ["ST001"]` runs ST001).',
    )
    extend_ignore: list[str] = Field(
        default=[], alias="extend-ignore", description="Rules not to run, on top of `ignore`."
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default={},
        alias="per-file-ignores",
        description="Glob (relative to the config's folder) -> rules whose findings those pages "
        "do not report.",
    )
    extend_per_file_ignores: dict[str, list[str]] = Field(
        default={},
        alias="extend-per-file-ignores",
        description="More per-file ignores, on top of `per-file-ignores`.",
    )
    include: list[str] = Field(
        default=["*.md"],
        description="Gitignore-style patterns of the files a folder is searched for.",
    )
    exclude: list[str] = Field(
        default=[],
        description="Gitignore-style patterns (relative to the config's folder) of files and "
        "folders never checked, even when named on the command line.",
    )
    respect_gitignore: bool = Field(
        default=True,
        alias="respect-gitignore",
        description="Leave out what `.gitignore` (in a Git work tree) and `.ignore` files "
        "leave out (`--no-respect-gitignore` for one run).",
    )
    content_root: str | None = Field(
        default=None,
        alias="content-root",
        description="The folder of the site's pages, relative to the config's folder: what "
        "`checker check` with no path checks, what site-wide rules (XP) compare pages "
        "against, and the only place `--fix` writes. Default: the config's folder.",
    )
    pack: str | None = Field(
        default=None,
        description="The rule pack folder (its `pack.yaml` and templates). Default: `rules/` "
        "beside the config when it has a `pack.yaml`, else the bundled pack.",
    )
    templates: dict[str, str] = Field(
        default={},
        description="Glob -> template name; wins over the templates' own `applies-to`.",
    )
    rules: dict[str, dict[str, Any]] = Field(
        default={},
        description="Per rule (code or name): `severity` (error, warning, info) and the "
        "rule's options (see `checker rule CODE`).",
    )
    baseline: str | None = Field(
        default=None,
        description="A baseline file (relative to the config's folder): its findings are not "
        "reported. Written with `--write-baseline`.",
    )
    require_reason: bool = Field(
        default=False,
        alias="require-reason",
        description='Every suppression comment must give `reason="…"` (turns on SP003).',
    )
    plugins: list[str] = Field(
        default=[],
        description="Modules with custom rules (each defines `RULES`): a module path such as "
        "`myrules` or `tools/myrules.py`, found relative to the config's folder. Installed "
        "packages that declare a `checker.rules` entry point are loaded without being listed.",
    )
    output_format: str | None = Field(
        default=None,
        alias="output-format",
        description="The default `--output-format` of `checker check`.",
    )
    docs_url: str = Field(
        default=DEFAULT_DOCS_URL,
        alias="docs-url",
        description="Where the rendered docs/rules.md is; each rule's link is this plus "
        "`#<code>-<name>`, in every output format and the language server.",
    )
    limits: LimitsConfig = Field(
        default_factory=LimitsConfig.model_construct,
        description="Resource limits for one page (a table).",
    )

    @field_validator("docs_url")
    @classmethod
    def _docs_url_is_a_web_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) address, such as the rendered docs/rules.md")
        return value.removesuffix("/")


@dataclass(frozen=True)
class Config:
    """A loaded config file (or the defaults), with paths resolved against its folder."""

    path: Path | None
    root: Path
    values: FileConfig

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "(defaults)"

    @functools.cached_property
    def pack(self) -> Pack:
        if self.values.pack:
            folder = (self.root / self.values.pack).resolve()
            if not (folder / PACK_FILE).is_file():
                raise ConfigError(
                    self.label,
                    "pack",
                    f"{folder} holds no {PACK_FILE}; point `pack` at a rule pack folder (or "
                    "remove it to use the bundled pack)",
                )
        else:
            local = self.root / "rules" / PACK_FILE
            has_local = self.path is not None and local.is_file()
            folder = local.parent.resolve() if has_local else bundled_pack_dir()
        try:
            return load_pack(folder)
        except ConfigError as error:
            raise self.explain(error) from None

    @property
    def pack_chooser(self) -> str:
        """Which config chose the rule pack, for messages about the pack."""
        if self.path is None:
            return "no checker.toml or [tool.checker] was found, so the bundled rule pack is used"
        return f"the rule pack of {self.path}"

    def explain(self, error: ConfigError) -> ConfigError:
        """An error about a file of the rule pack, naming the config that chose the pack: it
        may be a config in a folder above the site that nobody meant to use."""
        if error.via or error.path == self.label:
            return error
        return ConfigError(error.path, error.key, error.message, via=self.pack_chooser)

    def template(self, name: str, asked_by: str) -> Template:
        """The pack's template `name`; an unknown name is an error naming the pack and the
        config that chose it. `asked_by` is what named it (`--template`, a config key), if
        anything did."""
        template = self.pack.by_name.get(name)
        if template is None:
            if self.path is None:
                pack = "the bundled rule pack (no checker.toml or [tool.checker] was found)"
            else:
                pack = f"the rule pack {self.pack.root} of {self.path}"
            prefix = f"{asked_by}: " if asked_by else ""
            raise UsageError(prefix + self.pack.unknown_template(name, pack))
        return template

    # Both are asked for every page; resolving a path costs system calls each time.
    @functools.cached_property
    def content_root(self) -> Path:
        return (self.root / (self.values.content_root or ".")).resolve()

    @functools.cached_property
    def write_roots(self) -> tuple[Path, ...]:
        """The folders a fixed page must lie in to be written: the config's content root and
        that of every config whose content root holds this config's folder.

        A config inside the content tree (a page folder's own `checker.toml`) can narrow where
        fixes are written, never widen it: `content-root = "/"` there is bounded by the
        project's.
        """
        return _write_roots(self)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(str(path), "", f"cannot read the config file: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), "", f"invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            str(path),
            "",
            f"the config file is not UTF-8 (byte at offset {error.start}); save it as UTF-8",
        ) from None


def load_config_file(path: Path) -> Config | None:
    """Load one file; None for a pyproject.toml without a [tool.checker] table."""
    raw = _read_toml(path)
    prefix = ""
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        if "checker" not in tool:
            return None
        raw = tool["checker"]
        prefix = "tool.checker"
    elif isinstance(raw.get("tool"), dict) and "checker" in raw["tool"]:
        raise ConfigError(
            str(path),
            "tool.checker",
            "checker.toml holds the settings at its top level; remove the `[tool.checker]` "
            "header (and the `tool.checker.` of nested tables), which belongs in pyproject.toml",
        )
    key = _compiled_key(path)
    values = _from_compiled(key) if key else None
    if values is None:
        try:
            values = FileConfig.model_validate(raw)
        except ValidationError as error:
            raise config_errors(str(path), error, prefix, FileConfig) from None
        plain = compiled.round_trips(FileConfig, values) if key else None
        if key and plain is not None:
            compiled.store("config", key, plain)
    return Config(path.resolve(), path.resolve().parent, values)


def _compiled_key(path: Path) -> str | None:
    """A validated config is kept by the hash of its file and of the code that validates it."""
    try:
        return compiled.digest(
            compiled.code_fingerprint().encode(),
            path.name.encode(),
            path.read_bytes(),
        )
    except OSError:
        return None


def _from_compiled(key: str) -> FileConfig | None:
    data = compiled.load("config", key)
    if data is None:
        return None
    try:
        return compiled.from_plain(FileConfig, data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def default_config(root: Path) -> Config:
    return Config(None, root.resolve(), FileConfig.model_construct())


class ConfigFinder:
    """Finds the config for each file by searching upward, caching per folder."""

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit_path = explicit
        self._explicit = None
        if explicit is not None:
            if not explicit.is_file():
                raise ConfigError(
                    str(explicit), "", "config file not found; check the --config path"
                )
            loaded = load_config_file(explicit)
            if loaded is None:
                raise ConfigError(
                    str(explicit), "tool.checker", "the file has no [tool.checker] table"
                )
            self._explicit = loaded
        self._by_folder: dict[Path, Config] = {}
        self._by_parent: dict[str, Config] = {}

    def for_path(self, path: Path) -> Config:
        if self._explicit is not None:
            return self._explicit
        if os.path.isdir(path):  # noqa: PTH112 (pathlib costs more, for every page of a run)
            return self._for_folder(path.resolve())
        # Pages share folders: resolve each folder once, not once per page. The folder is
        # `path.absolute().parent`, worked out on strings.
        parent = os.path.dirname(os.path.join(os.getcwd(), path))  # noqa: PTH109, PTH118, PTH120
        config = self._by_parent.get(parent)
        if config is None:
            config = self._by_parent[parent] = self._for_folder(Path(parent).resolve())
        return config

    def _for_folder(self, folder: Path) -> Config:
        cached = self._by_folder.get(folder)
        if cached is not None:
            return cached
        config: Config | None = None
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                config = load_config_file(candidate)
                if config is not None:
                    break
        if config is None:
            parent = folder.parent
            config = default_config(Path.cwd()) if parent == folder else self._for_folder(parent)
        self._by_folder[folder] = config
        return config


def _enclosing_config(folder: Path) -> Config | None:
    """The nearest config in `folder` or above it."""
    for current in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = current / name
            if candidate.is_file():
                try:
                    config = load_config_file(candidate)
                except ConfigError:
                    continue
                if config is not None:
                    return config
    return None


def _write_roots(config: Config) -> tuple[Path, ...]:
    roots = [config.content_root]
    current = config
    for _ in range(64):
        parent = current.root.parent
        outer = _enclosing_config(parent) if parent != current.root else None
        if outer is None or outer.path == current.path:
            break
        try:
            current.root.resolve().relative_to(outer.content_root)
        except ValueError:
            break  # a separate project that happens to sit inside another folder
        roots.append(outer.content_root)
        current = outer
    return tuple(roots)


def site_root(config: Config) -> Path | None:
    """The config's content root, narrowed by every enclosing config's (see
    `Config.write_roots`): the folder whose pages form the site; None when the roots do not
    overlap."""
    roots = config.write_roots
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        if all(root == other or other in root.parents for other in roots):
            return root
    return None
