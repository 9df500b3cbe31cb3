"""Turn the PATHS given on the command line into the pages to check.

Folders are walked as the tools users know walk them: files and folders matched by a
`.gitignore` (inside a Git work tree) or an `.ignore` file are left out, and so are those the
config's `exclude` names; of the rest, the files that the config's `include` names (`*.md` by
default) are checked. A file named on the command line is checked unless `exclude` names it,
so a pre-commit hook that passes every staged file still skips excluded ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from checker.document.text import split_lines
from checker.project.config import Config, ConfigFinder
from checker.project.targets import Target, display_path, relative_to

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".checker_cache",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "_site",
        "site-packages",
    }
)
IGNORE_FILES = (".gitignore", ".ignore")


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _IgnoreFile:
    folder: Path
    spec: pathspec.GitIgnoreSpec


def _matchable(name: str) -> str:
    # A file name that is not UTF-8 reaches Python with surrogates, which a pattern engine
    # may refuse to encode: match it with U+FFFD in their place.
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read_ignore_files(folder: Path, in_git: bool) -> list[_IgnoreFile]:
    found = []
    for name in IGNORE_FILES:
        if name == ".gitignore" and not in_git:
            continue  # Git itself reads .gitignore only inside a work tree.
        path = folder / name
        try:
            lines = split_lines(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        found.append(_IgnoreFile(folder, pathspec.GitIgnoreSpec.from_lines(lines)))
    return found


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _ignored(path: Path, is_dir: bool, ignores: list[_IgnoreFile]) -> bool:
    """Whether the ignore files, the deepest having the last word, leave the path out."""
    verdict = False
    for ignore in ignores:
        try:
            rel = path.relative_to(ignore.folder).as_posix()
        except ValueError:
            continue
        result = ignore.spec.check_file(_matchable(rel + "/" if is_dir else rel))
        if result.include is not None:
            verdict = result.include
    return verdict


_Compiled = tuple[Config, pathspec.GitIgnoreSpec, pathspec.GitIgnoreSpec]


class _Filters:
    """The config's `include` and `exclude`, compiled once per config."""

    def __init__(self, finder: ConfigFinder) -> None:
        self.finder = finder
        self._specs: dict[int, _Compiled] = {}
        # Pages share folders: each folder's filters and path are worked out once.
        self._folders: dict[str, tuple[_Compiled, str]] = {}

    def _compiled(self, path: Path) -> _Compiled:
        config = self.finder.for_path(path)
        entry = self._specs.get(id(config))
        if entry is None:
            values = config.values
            include = pathspec.GitIgnoreSpec.from_lines(values.include)
            exclude = pathspec.GitIgnoreSpec.from_lines(values.exclude)
            entry = self._specs[id(config)] = (config, include, exclude)
        return entry

    def _folder(self, folder: Path) -> tuple[_Compiled, str]:
        """The filters of the files in `folder` (its config's), and the folder's path
        relative to that config's root."""
        key = str(folder)
        found = self._folders.get(key)
        if found is None:
            compiled = self._compiled(folder)
            found = self._folders[key] = (compiled, relative_to(folder, compiled[0].root))
        return found

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        if is_dir:
            config, _, exclude = self._compiled(path)
        else:
            (config, _, exclude), _ = self._folder(path.parent)
        if not config.values.exclude:
            return False
        relpath = relative_to(path, config.root)
        return exclude.match_file(_matchable(relpath + "/" if is_dir else relpath))

    def included(self, path: Path) -> bool:
        (_, include, _), folder = self._folder(path.parent)
        # By the name the file has here: a link named `notes.md` is a page whatever it
        # points to (writing through it is refused later, by name).
        name = path.name if folder in (".", "") else f"{folder}/{path.name}"
        return include.match_file(_matchable(name))

    def respect_gitignore(self, path: Path) -> bool:
        return self.finder.for_path(path).values.respect_gitignore


def _walk(folder: Path, filters: _Filters, respect_gitignore: bool) -> Iterator[Path]:
    use_ignores = respect_gitignore and filters.respect_gitignore(folder)
    start = folder.resolve()
    in_git = False
    ignores: dict[Path, list[_IgnoreFile]] = {}
    if use_ignores:
        git_root = _git_root(start)
        in_git = git_root is not None
        # Ignore files above the folder count too, up to the top of the Git work tree.
        chain = [start, *start.parents]
        top = chain.index(git_root) if git_root is not None else 0
        inherited: list[_IgnoreFile] = []
        for ancestor in reversed(chain[1 : top + 1]):
            inherited += _read_ignore_files(ancestor, in_git)
        ignores[start] = inherited + _read_ignore_files(start, in_git)
    # Symlinked folders are not followed, so a link loop cannot trap the walk; paths are made
    # absolute from the resolved start, never by resolving a file (a link may loop).
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        absolute = start / here.relative_to(folder)
        active = ignores.get(absolute, [])
        kept = []
        for name in sorted(dirs):
            if name in SKIPPED_FOLDERS or name.startswith("."):
                continue
            if use_ignores and _ignored(absolute / name, True, active):
                continue
            if filters.excluded(here / name, is_dir=True):
                continue
            kept.append(name)
            if use_ignores:
                ignores[absolute / name] = active + _read_ignore_files(absolute / name, in_git)
        dirs[:] = kept
        for name in sorted(files):
            if use_ignores and _ignored(absolute / name, False, active):
                continue
            path = here / name
            if filters.included(path):
                yield path


def _is_link(path: Path | None) -> bool:
    return path is not None and path.is_symlink()


def _canonical(path: Path, walked: bool, folders: dict[str, str]) -> str:
    """`os.path.realpath` of the path. A walked file's name is a plain name in a folder, so
    unless the file is a link its real path is its folder's, resolved once per folder."""
    if walked and not path.is_symlink():
        folder, name = os.path.split(path)
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)  # noqa: PTH118
    return os.path.realpath(path)


def discover(paths: list[str], finder: ConfigFinder, respect_gitignore: bool = True) -> Discovery:
    found = Discovery()
    # Each canonical page, and where its target is in the list (None: excluded).
    seen: dict[str, int | None] = {}
    filters = _Filters(finder)
    folders: dict[str, str] = {}
    for raw in paths:
        path = Path(raw)
        walked = path.is_dir()
        if walked:
            candidates = list(_walk(path, filters, respect_gitignore))
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            found.missing.append(raw)
            continue
        for candidate in candidates:
            # Canonical (`a/../a/x.md`, a symlinked folder, a link to a page of the run): one
            # page is checked once, and never reported as a duplicate of itself.
            try:
                key = _canonical(candidate, walked, folders)
            except (OSError, ValueError):
                key = str(candidate.absolute())
            if key in seen:
                index = seen[key]
                # A page named both by a link and by itself is the page itself: --fix never
                # writes through a link.
                if (
                    index is not None
                    and _is_link(found.targets[index].path)
                    and not _is_link(candidate)
                ):
                    found.targets[index] = Target(candidate, display_path(candidate))
                continue
            if filters.excluded(candidate):
                seen[key] = None
                continue
            seen[key] = len(found.targets)
            found.targets.append(Target(candidate, display_path(candidate)))
    return found
