"""A per-page result cache, so that a re-run only checks the pages that changed.

An entry holds a page's whole FileResult (its findings, and anything else the engine keeps per
page). Its key hashes the page's bytes, its display and config-relative paths, and the run's
fingerprint: the checker's version and code, the effective config, the rule pack's files and
the active rules with their options. Any change to one of those is a miss, never a stale hit.

Entries are single files written to a temporary name and renamed into place, so runs that
share a cache at the same time (pre-commit runs hooks in parallel) never read half an entry.
An entry that cannot be read back is treated as missing and is rewritten.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import importlib.util
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import __version__
from checker.errors import UsageError
from checker.lint.results import FileResult
from checker.rules.base import Severity, Violation

if TYPE_CHECKING:
    from checker.lint.resolver import RuleSet
    from checker.project.config import Config

CACHE_FOLDER = ".checker_cache"
# Bump when the entry layout changes.
LAYOUT = "v1"
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by checker (`checker clean` removes it).\n"
)


def _digest() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=20)


def _code_fingerprint() -> str:
    """The checker's version plus the name, size and mtime of each of its source files.

    A development checkout keeps one version number while its rules change; this makes an
    edited rule invalidate the cache all the same.
    """
    digest = _digest()
    digest.update(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _files_fingerprint(root: Path, pattern: str) -> bytes:
    digest = _digest()
    for path in sorted(root.rglob(pattern)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def run_fingerprint(config: Config, ruleset: RuleSet, template: str | None) -> str:
    """What, besides the page itself, decides a page's findings under this config."""
    digest = _digest()
    digest.update(_code_fingerprint().encode())
    digest.update(str(config.root).encode() + b"\0")
    digest.update(config.values.model_dump_json().encode())
    digest.update(_files_fingerprint(config.pack.root, "*.yaml"))
    digest.update(f"template={template}\n".encode())
    for active in ruleset.active:
        options = repr(active.options)
        digest.update(f"{active.rule.code}:{active.severity}:{options}\n".encode())
    for name in config.values.plugins:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and Path(spec.origin).is_file():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def _today() -> str:
    return datetime.date.today().isoformat()


def page_key(fingerprint: str, display: str, relpath: str, data: bytes) -> str:
    digest = _digest()
    digest.update(fingerprint.encode())
    if b"until=" in data:
        # A suppression with an `until=` date stops suppressing once the date has passed,
        # so such a page's findings also depend on the day.
        digest.update(b"\0day=" + _today().encode())
    digest.update(b"\0" + display.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + relpath.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def encode_result(result: FileResult) -> dict[str, Any]:
    """A FileResult as plain data: every field, with each violation as a tuple of its fields.

    Unpickling tens of thousands of slotted dataclasses attribute by attribute was most of a
    warm run; tuples passed back through the constructor are several times faster. The field
    order is that of this checker's code, which the cache key covers.
    """
    names = [item.name for item in dataclasses.fields(Violation)]
    state = {item.name: getattr(result, item.name) for item in dataclasses.fields(result)}
    state["violations"] = [
        tuple(_plain(getattr(violation, name)) for name in names) for violation in result.violations
    ]
    return state


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, Severity) else value


def decode_result(state: dict[str, Any]) -> FileResult:
    names = [item.name for item in dataclasses.fields(Violation)]
    at = names.index("severity")
    severities = {int(severity): severity for severity in Severity}
    violations = []
    for row in state["violations"]:
        values: list[Any] = list(row)
        values[at] = severities[values[at]]
        violations.append(Violation(*values))
    state["violations"] = violations
    return FileResult(**state)


class ResultCache:
    """The entries under one cache folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / LAYOUT
        self._entries_prefix = f"{self.entries}{os.sep}"
        self._ready = False

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / key[2:]

    def get(self, key: str) -> FileResult | None:
        """The stored result for `key`, or None when absent or unreadable."""
        # A string path: a warm run looks up every page, and pathlib's joins cost more than
        # the read itself.
        path = f"{self._entries_prefix}{key[:2]}{os.sep}{key[2:]}"
        try:
            with open(path, "rb") as handle:  # noqa: PTH123
                stored_key, state = pickle.load(handle)
            if stored_key != key:
                return None
            return decode_result(state)
        except Exception:  # absent or damaged: a miss, and the next store replaces it
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Store a result; failing to write (read-only disk, full disk) only loses speed."""
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    pickle.dump(
                        (key, encode_result(result)), handle, protocol=pickle.HIGHEST_PROTOCOL
                    )
                Path(temporary).replace(path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def _prepare(self) -> None:
        if self._ready:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        tag = self.folder / _TAG
        if not tag.exists():
            tag.write_text(_TAG_TEXT, encoding="utf-8")
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        self._ready = True


def is_cache_folder(folder: Path) -> bool:
    return (folder / _TAG).is_file()


def remove_cache(folder: Path) -> bool:
    """Delete a cache folder; False if there was none. Refuses folders the checker did not make."""
    if not folder.exists():
        return False
    if not is_cache_folder(folder):
        raise UsageError(
            f"{folder} is not a checker cache (it has no {_TAG}); remove it by hand if you mean to"
        )
    shutil.rmtree(folder)
    return True


def cache_folders(roots: Iterable[Path]) -> list[Path]:
    return sorted({root / CACHE_FOLDER for root in roots})
