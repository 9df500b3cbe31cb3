"""The result cache: one index per cache folder and run, so that a re-run only checks the pages
that changed and reads one file to learn which those are.

**The fingerprint.** What, besides a page itself, decides its findings: the checker's version
and code, the effective config, every file the rule-pack loader read, the template override
and the active rules with their options. Each fingerprint has its own index file, whose header
names it; an index whose header is not exactly this format, version and fingerprint is never
used.

**The index** maps each page (by its path relative to the config's root) to an entry: the
page's stat (size, mtime in ns, inode, ctime in ns), the digest of its bytes, the day when its
findings depend on the day (`until=` suppressions), its site summary and its findings (fixes
included, which `--fix` runs use to skip pages with nothing to fix). Beside the entries it
keeps the site rules' findings of the last site pass, under a digest of every summary that
pass saw: a re-run whose summaries are all the same takes them from there. As in git's index and
Ruff's cache, an unchanged stat means an unchanged page, and only a changed stat costs reading
and hashing the page. A stat taken within `RACY_NS` of the page's last change is not recorded:
a second change in the same timestamp tick would not show in it.

The index is plain data (JSON, decoded by msgspec against the types below, so a damaged or
forged index yields data of the right shape or nothing): a cache is never code. An index that
cannot be read or fails its checks is ignored and replaced at the end of the run.

**Concurrent runs** (pre-commit runs hooks in parallel) each write a new file and rename it over
the index, so a reader sees the old index or the new one, never a mix. A run merges its new
entries into the index on disk if another run replaced it meanwhile (last writer wins per page).

**The folder is the checker's own.** The checker creates it and marks it with a CACHEDIR.TAG
of its own; it refuses a symlink, or a folder that holds files and not that mark, and never
writes over a file it did not make. `remove_cache` removes only the checker's own files.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import importlib.util
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import msgspec

from checker.document.digest import digest as page_digest
from checker.errors import UsageError
from checker.lint.results import FileResult
from checker.project import compiled
from checker.rules.base import Violation
from checker.rules.summary import PageSummary

if TYPE_CHECKING:
    from checker.lint.resolver import RuleSet
    from checker.project.config import Config

CACHE_FOLDER = ".checker_cache"
FORMAT = "checker-result-index"
# Bump when the index layout changes.
VERSION = 3
TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by checker (`checker clean` removes it).\n"
)
_IGNORE = ".gitignore"
_IGNORE_TEXTS = ("*\n",)
_INDEX = re.compile(r"index-[0-9a-f]{24}\.json")
_TEMP = re.compile(r"\.tmp-[0-9]+-[0-9a-f]{16}")
# The per-page entries of earlier versions: v1/<2 hex>/<38 hex>.
_LEGACY = "v1"
# Index files kept per folder (one per fingerprint: config, selection, checker version).
KEEP_INDEXES = 8
# Timestamps may be as coarse as this; a page changed more recently is keyed by content only.
RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int]


class Entry(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """What the index knows of one page."""

    display: str
    # (size, mtime_ns, inode, ctime_ns); None when the page was too recently changed to trust.
    stat: Stat | None
    digest: str
    # The day the findings were made, for a page whose findings depend on the day.
    day: str | None
    summary: PageSummary | None
    # The FileResult without its summary as JSON, decoded only when used; `null` when only
    # the summary was made (a page of the site that the run did not check).
    result: msgspec.Raw


class SiteMemo(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """The site rules' findings of the last site pass, before any reporting decision, and the
    key of what they were made from (every summary the rules saw, in order, and how many of
    them the run checked): a site pass over the same summaries finds the same."""

    key: str
    findings: dict[str, list[Violation]]


class IndexFile(msgspec.Struct, forbid_unknown_fields=True):
    format: str
    version: int
    fingerprint: str
    site: SiteMemo | None
    entries: dict[str, Entry]


_NULL = msgspec.Raw(b"null")
_index_decoder = msgspec.json.Decoder(IndexFile)
_result_decoder = msgspec.json.Decoder(FileResult)
_encoder = msgspec.json.Encoder()


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    # Decoding makes tens of thousands of objects at once; the cyclic collector would walk
    # them again and again (it more than doubles the time) though none of them forms a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _digest() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=20)


def content_digest(data: bytes) -> str:
    # The writer's digest too: a fixed page is keyed by the digest its worker made of it.
    return page_digest(data)


def _files_fingerprint(files: Iterable[Path]) -> bytes:
    digest = _digest()
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")
    return digest.digest()


def run_fingerprint(config: Config, ruleset: RuleSet, template: str | None) -> str:
    """What, besides the page itself, decides a page's findings under this config."""
    digest = _digest()
    digest.update(f"{FORMAT}:{VERSION}\n".encode())
    digest.update(compiled.code_fingerprint().encode())
    digest.update(str(config.root).encode() + b"\0")
    digest.update(config.values.model_dump_json().encode())
    digest.update(_files_fingerprint(config.pack.files))
    digest.update(f"template={template}\n".encode())
    for active in ruleset.active:
        options = repr(active.options)
        digest.update(f"{active.rule.code}:{active.severity}:{options}\n".encode())
    for name in config.values.plugins:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and Path(spec.origin).is_file():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def today() -> str:
    return datetime.date.today().isoformat()


def day_of(data: bytes) -> str | None:
    """The day a page's findings are made on, if they depend on it; else None.

    A suppression with an `until=` date stops suppressing once the date has passed, so such a
    page's findings (and its summary's suppressions) hold for the day they were made.
    """
    return today() if b"until=" in data else None


def is_current(day: str | None) -> bool:
    """Whether findings made on `day` (None: findings that do not depend on it) hold today."""
    return day is None or day == today()


def file_stat(status: os.stat_result) -> Stat:
    return (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)


def trusted_stat(status: os.stat_result, now_ns: int) -> Stat | None:
    """The stat to record, or None if the page changed too recently for its stat to tell."""
    # As git's "racily clean" entries: the page's mtime decides (its ctime moves with any
    # chmod or utime, and a change of it alone shows in the recorded stat anyway).
    if status.st_mtime_ns >= now_ns - RACY_NS:
        return None
    return file_stat(status)


def encode_result(result: FileResult) -> msgspec.Raw:
    """A page's findings as the index keeps them (its summary and fix are kept elsewhere)."""
    return msgspec.Raw(_encoder.encode(replace(result, summary=None, fix=None)))


def decode_result(raw: msgspec.Raw) -> FileResult | None:
    """The findings kept in an entry; None when the entry has none, or they fail to decode."""
    if bytes(raw) == b"null":
        return None
    try:
        result = _result_decoder.decode(raw)  # the planner holds the collector off meanwhile
    except msgspec.DecodeError:
        return None
    return result if result.summary is None and result.fix is None else None


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a page's result goes in the index, and what the page was when it was read."""

    folder: Path
    fingerprint: str
    relpath: str
    stat: Stat | None
    digest: str
    day: str | None


@dataclass(frozen=True, slots=True)
class Pending:
    """A result of this run, to be written to the index."""

    slot: Slot
    result: FileResult
    summary_only: bool

    def entry(self) -> Entry:
        result, slot = self.result, self.slot
        findings = _NULL if self.summary_only else encode_result(result)
        return Entry(result.display, slot.stat, slot.digest, slot.day, result.summary, findings)


# -- the folder --------------------------------------------------------------------------------


def _refuse(folder: Path, why: str) -> UsageError:
    return UsageError(
        f"{folder}: {why}; checker keeps its result cache only in a folder it made. "
        "Choose another folder with --cache-dir, or run with --no-cache"
    )


def _is_own_tag(folder_fd: int) -> bool:
    try:
        descriptor = os.open(TAG, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        return handle.read(len(_TAG_TEXT) + 1) == _TAG_TEXT.encode()


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the folder (never through a symlink); None when it does not exist."""
    try:
        status = os.lstat(folder)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(status.st_mode):
        raise _refuse(folder, "the cache folder is a symbolic link")
    if not stat.S_ISDIR(status.st_mode):
        raise _refuse(folder, "this is a file, not a folder")
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)


def check_folder(folder: Path) -> bool:
    """Whether `folder` holds a checker cache (False: absent or empty, so it can be made).

    Raises UsageError for a symlink, a file, or a folder with files the checker did not make.
    """
    descriptor = _open_folder(folder)
    if descriptor is None:
        return False
    try:
        if _is_own_tag(descriptor):
            return True
        if os.listdir(descriptor):  # noqa: PTH208 (a descriptor: never through a symlink)
            raise _refuse(folder, "the folder already holds files that checker did not make")
        return False
    finally:
        os.close(descriptor)


def _create_new(name: str, text: str, folder_fd: int) -> None:
    """Write a file that must not exist yet (never over someone else's)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor = os.open(name, flags, 0o644, dir_fd=folder_fd)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _claim(folder: Path) -> int:
    """Make (or adopt an empty) cache folder and mark it; a descriptor of it for writing."""
    if not check_folder(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another run made it first
            folder.mkdir()
        descriptor = _open_folder(folder)
        assert descriptor is not None
        try:
            with contextlib.suppress(FileExistsError):
                _create_new(_IGNORE, _IGNORE_TEXTS[0], descriptor)
            with contextlib.suppress(FileExistsError):
                _create_new(TAG, _TAG_TEXT, descriptor)
            if not _is_own_tag(descriptor):
                raise _refuse(folder, "the folder already holds files that checker did not make")
        except BaseException:
            os.close(descriptor)
            raise
        return descriptor
    descriptor = _open_folder(folder)
    assert descriptor is not None
    return descriptor


# -- the index ---------------------------------------------------------------------------------


def index_name(fingerprint: str) -> str:
    return f"index-{fingerprint[:24]}.json"


def read_index(
    folder: Path, fingerprint: str
) -> tuple[dict[str, Entry], Stat | None, SiteMemo | None]:
    """The entries of the index for `fingerprint`, the stat of its file and its site memo.

    Anything wrong (absent, unreadable, damaged, truncated, another format, version or
    fingerprint) gives no entries: the run checks the pages and writes a new index.
    """
    try:
        descriptor = os.open(folder / index_name(fingerprint), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return {}, None, None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        try:
            data = handle.read()
        except OSError:
            return {}, None, None
    try:
        with no_gc():
            index = _index_decoder.decode(data)
    except msgspec.DecodeError:
        return {}, None, None
    if (index.format, index.version, index.fingerprint) != (FORMAT, VERSION, fingerprint):
        return {}, None, None
    return index.entries, file_stat(status), index.site


@dataclass
class ResultIndex:
    """The index of one fingerprint in one cache folder, as this run reads and updates it."""

    folder: Path
    fingerprint: str
    entries: dict[str, Entry] = field(default_factory=dict)
    # The stat of the index file when read: another run replaced it if this changes.
    loaded: Stat | None = None
    # Entries to write: refreshed ones, and results kept as they are until written (encoded
    # one at a time then, so that a cold run never holds all of them encoded at once).
    changed: dict[str, Entry | Pending] = field(default_factory=dict)
    # Pages this run found on disk (the others are looked for before the index is written).
    seen: set[str] = field(default_factory=set)
    site: SiteMemo | None = None
    site_changed: bool = False

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> ResultIndex:
        """The index in `folder`, which must be the checker's (UsageError otherwise)."""
        if not check_folder(folder):
            return cls(folder, fingerprint)
        entries, loaded, site = read_index(folder, fingerprint)
        return cls(folder, fingerprint, entries, loaded, site=site)

    def put(self, relpath: str, entry: Entry) -> None:
        self.entries[relpath] = entry
        self.changed[relpath] = entry

    def put_result(self, slot: Slot, result: FileResult, *, summary_only: bool = False) -> None:
        # The site pass adds its findings to the list later: keep the page pass's own.
        kept = replace(result, violations=list(result.violations), fix=None)
        self.changed[slot.relpath] = Pending(slot, kept, summary_only)

    def recall_site(self, key: str) -> dict[str, list[Violation]] | None:
        """The site rules' findings kept under `key`, if the last site pass had that key."""
        return self.site.findings if self.site is not None and self.site.key == key else None

    def keep_site(self, key: str, findings: dict[str, list[Violation]]) -> None:
        self.site = SiteMemo(key, findings)
        self.site_changed = True

    def save(self, root: Path) -> None:
        """Write the index if this run changed it; failing to write only loses speed."""
        if not self.changed and not self.site_changed:
            return
        try:
            descriptor = _claim(self.folder)
        except (OSError, UsageError):
            return
        try:
            self._write(descriptor, root)
        except OSError:
            return
        finally:
            os.close(descriptor)

    def _write(self, folder_fd: int, root: Path) -> None:
        name = index_name(self.fingerprint)
        entries: dict[str, Entry | Pending] = {**self.entries, **self.changed}
        try:
            current = file_stat(os.stat(name, dir_fd=folder_fd, follow_symlinks=False))
        except FileNotFoundError:
            current = None
        if current is not None and current != self.loaded:
            # Another run wrote the index since this one read it: keep its entries too (its
            # newer ones over what this run read, this run's own over both).
            theirs, _, _ = read_index(self.folder, self.fingerprint)
            entries = {**entries, **theirs, **self.changed}
        # Pages that no longer exist leave the index.
        seen = self.seen
        entries = {
            path: entry for path, entry in entries.items() if path in seen or (root / path).exists()
        }
        temporary = f".tmp-{os.getpid()}-{secrets.token_hex(8)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        descriptor = os.open(temporary, flags, 0o644, dir_fd=folder_fd)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                _write_index(handle, self.fingerprint, entries, self.site)
            os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder_fd)
            raise
        self.changed = {}
        self.site_changed = False
        _prune(folder_fd, keep=name)
        if _LEGACY in os.listdir(folder_fd):
            # The per-page files of earlier versions are never read again.
            _remove_legacy(folder_fd, [])


def _write_index(
    handle: BinaryIO,
    fingerprint: str,
    entries: dict[str, Entry | Pending],
    site: SiteMemo | None = None,
) -> None:
    """An IndexFile as JSON, an entry at a time: the whole index is never held twice."""
    try:
        header = _encoder.encode(IndexFile(FORMAT, VERSION, fingerprint, site, {}))
    except (msgspec.EncodeError, UnicodeEncodeError):
        header = _encoder.encode(IndexFile(FORMAT, VERSION, fingerprint, None, {}))
    assert header.endswith(b',"entries":{}}')
    handle.write(header[: -len(b"}}")])
    separator = b""
    for path, item in entries.items():
        try:
            entry = item.entry() if isinstance(item, Pending) else item
            data = _encoder.encode(path) + b":" + _encoder.encode(entry)
        except (msgspec.EncodeError, UnicodeEncodeError):
            continue  # text that cannot be kept as UTF-8 (a file name's stray bytes, say)
        handle.write(separator + data)
        separator = b","
    handle.write(b"}}")


def _prune(folder_fd: int, keep: str) -> None:
    """Remove the least recently written indexes beyond KEEP_INDEXES (other configs, older
    versions of the checker)."""
    found = []
    for name in os.listdir(folder_fd):
        if _INDEX.fullmatch(name) and name != keep:
            with contextlib.suppress(OSError):
                found.append((os.stat(name, dir_fd=folder_fd).st_mtime_ns, name))
    found.sort(reverse=True)
    for _, name in found[KEEP_INDEXES - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder_fd)


# -- removing ----------------------------------------------------------------------------------


@dataclass
class Removal:
    """What `remove_cache` did."""

    found: bool = False
    removed: int = 0
    # Files in the folder that the checker did not make, left in place (and so the folder).
    left: list[str] = field(default_factory=list)


def _own_file(name: str, folder_fd: int) -> bool:
    if _INDEX.fullmatch(name) or _TEMP.fullmatch(name):
        return True
    if name != _IGNORE:
        return False
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(64).decode("utf-8", "replace") in _IGNORE_TEXTS


def _remove_legacy(folder_fd: int, left: list[str]) -> int:
    """The per-page entries of earlier versions (v1/ab/cdef...), and nothing else in there."""
    removed = 0
    try:
        legacy = os.open(_LEGACY, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        left.append(_LEGACY)
        return 0
    try:
        for prefix in os.listdir(legacy):  # noqa: PTH208
            if not re.fullmatch(r"[0-9a-f]{2}", prefix):
                left.append(f"{_LEGACY}/{prefix}")
                continue
            try:
                sub = os.open(prefix, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=legacy)
            except OSError:
                left.append(f"{_LEGACY}/{prefix}")
                continue
            try:
                for name in os.listdir(sub):  # noqa: PTH208
                    if re.fullmatch(r"[0-9a-f]{38}|\.tmp-.*", name):
                        os.unlink(name, dir_fd=sub)
                        removed += 1
                    else:
                        left.append(f"{_LEGACY}/{prefix}/{name}")
            finally:
                os.close(sub)
            with contextlib.suppress(OSError):
                os.rmdir(prefix, dir_fd=legacy)
    finally:
        os.close(legacy)
    with contextlib.suppress(OSError):
        os.rmdir(_LEGACY, dir_fd=folder_fd)
    return removed


def remove_cache(folder: Path) -> Removal:
    """Remove the checker's own files from a cache folder, then the folder if that empties it.

    Refuses (UsageError, nothing removed) a symlink, or a folder without the checker's mark.
    """
    try:
        status = os.lstat(folder)
    except FileNotFoundError:
        return Removal()
    if stat.S_ISLNK(status.st_mode):
        raise UsageError(
            f"{folder} is a symbolic link, not a checker cache; nothing was removed "
            "(remove the link itself if you mean to)"
        )
    if not stat.S_ISDIR(status.st_mode):
        raise UsageError(f"{folder} is a file, not a checker cache; nothing was removed")
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    if not _is_own_tag(descriptor):
        os.close(descriptor)
        raise UsageError(
            f"{folder} is not a checker cache (it has no {TAG} made by checker); nothing was "
            "removed: remove it by hand if you mean to"
        )
    removal = Removal(found=True)
    try:
        for name in sorted(os.listdir(descriptor)):  # noqa: PTH208
            if name == TAG:
                continue
            if name == _LEGACY:
                removal.removed += _remove_legacy(descriptor, removal.left)
            elif _own_file(name, descriptor):
                os.unlink(name, dir_fd=descriptor)
                removal.removed += 1
            else:
                removal.left.append(name)
        if not removal.left:
            # The mark goes last: an interrupted clean leaves a folder still known as a cache.
            os.unlink(TAG, dir_fd=descriptor)
            removal.removed += 1
    finally:
        os.close(descriptor)
    if not removal.left:
        with contextlib.suppress(OSError):  # the working folder itself, say: leave it
            folder.rmdir()
    return removal
