"""What a run checks: a page on disk or from standard input, and how its path is shown."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Target:
    """A page to check: a file on disk, or text from stdin shown under a chosen name."""

    path: Path | None
    display: str
    data: bytes | None = None


_CONTROL = {code: f"\\x{code:02x}" for code in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t"}


def display_path(path: Path) -> str:
    """A path as users expect to read it: relative to the working folder when inside it.

    Control characters (a newline in a file name) are escaped, so that every finding stays on
    one line of the report.
    """
    shown = path.as_posix()
    if path.is_absolute():
        # String operations: pathlib's relative_to costs more than the rest of discovery.
        here = os.getcwd()  # noqa: PTH109
        if shown == here:
            shown = "."
        elif shown.startswith(here.rstrip("/") + "/"):
            shown = shown[len(here.rstrip("/")) + 1 :]
    return shown.translate(_CONTROL)


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _resolve(path: Path) -> str:
    # Resolving a path costs a system call per component; pages share a few folders, so
    # resolve each folder once. A symlinked file itself still resolves to its target.
    if path.name in ("", ".", "..") or path.is_symlink():
        return str(path.resolve())
    # String operations: pathlib's are several times slower, on every page of a run.
    # Not abspath: it would fold `link/..` before the link is resolved.
    folder, name = os.path.split(os.path.join(os.getcwd(), path))  # noqa: PTH109, PTH118
    return os.path.join(_resolved_folder(folder), name)  # noqa: PTH118


def resolved(path: Path) -> str:
    """`path.resolve().as_posix()`, resolving each folder once per run."""
    try:
        return _resolve(path).replace(os.sep, "/")
    except (OSError, RuntimeError):  # a symlink loop
        return path.resolve().as_posix()


def relative_to(path: Path, root: Path) -> str:
    """`path`, resolved, relative to the (resolved) `root`; as given when outside it."""
    try:
        resolved = _resolve(path)
    except (OSError, RuntimeError):  # a symlink loop
        return path.as_posix()
    prefix = str(root)
    if not prefix.endswith(os.sep):
        prefix += os.sep
    if resolved.startswith(prefix):
        return resolved[len(prefix) :].replace(os.sep, "/")
    if resolved + os.sep == prefix:
        return "."
    return path.as_posix()


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, resolved, lies under `root`, resolved."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
