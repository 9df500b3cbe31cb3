"""Turn the PATHS given on the command line into the pages to check."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker.project.config import ConfigFinder
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


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _excluded(path: Path, finder: ConfigFinder) -> bool:
    config = finder.for_path(path)
    patterns = config.values.exclude
    if not patterns:
        return False
    relpath = relative_to(path, config.root)
    return any(fnmatch.fnmatch(relpath, pattern) for pattern in patterns)


def _walk(folder: Path) -> Iterator[Path]:
    # Symlinked folders are not followed, so a link loop cannot trap the walk.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(root, name)


def _is_link(path: Path | None) -> bool:
    return path is not None and path.is_symlink()


def discover(paths: list[str], finder: ConfigFinder) -> Discovery:
    found = Discovery()
    # Each canonical page, and where its target is in the list (None: excluded).
    seen: dict[Path, int | None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = list(_walk(path))
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            found.missing.append(raw)
            continue
        for candidate in candidates:
            # Canonical (`a/../a/x.md`, a symlinked folder, a link to a page of the run): one
            # page is checked once, and never reported as a duplicate of itself.
            try:
                key = Path(os.path.realpath(candidate))
            except (OSError, ValueError):
                key = candidate.absolute()
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
            if _excluded(candidate, finder):
                seen[key] = None
                continue
            seen[key] = len(found.targets)
            found.targets.append(Target(candidate, display_path(candidate)))
    return found
