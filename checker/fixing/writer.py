"""Write fixed pages back atomically, keeping each file's encoding, BOM, line endings and mode."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.document.digest import digest
from checker.document.page import UTF8_BOM

# How every staged file's name begins; a run's own prefix adds its process's id and a `-`
# (`checker.lint.results.FixRequest.staging`).
STAGING_PREFIX = ".checker-"

# fsync calls made at once when a batch of pages is written.
SYNC_THREADS = 16


class StaleFileError(Exception):
    """The file changed on disk after it was read; writing would lose someone else's edit."""


def encode(text: str, newline: str, bom: bool) -> bytes:
    """The bytes of a page: LF-normalised `text` with `newline` endings, as UTF-8."""
    if newline not in ("\n", "\r\n", "\r"):
        raise ValueError(f"cannot write line endings {newline!r}; choose LF or CRLF")
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode("utf-8")
    return UTF8_BOM + data if bom else data


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, so that a stopped run finishes the pages
    it is renaming, or removes their temporary files.

    The signals are caught and raised again after the block: blocking them would not do,
    since another thread may take a signal sent to the process, and Python then runs its
    handler in the main thread. Off the main thread, where no handler can be set, signals are
    the main thread's to handle (pages are written from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda n, _: caught.append(n)) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: a handler that was not set from Python; the default is the nearest.
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


@contextlib.contextmanager
def terminated_as_exit() -> Iterator[None]:
    """Make SIGTERM (a cancelled CI job, a stopped service) raise SystemExit in the main
    thread while the block runs, so that the run cleans up as Ctrl-C lets it (it removes the
    pages it staged) and ends with the exit code of a process that SIGTERM ended."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@dataclass(frozen=True, slots=True)
class Replacement:
    """A temporary file made by `stage`, to rename over `path`; with `expected`, only if the
    page still holds the bytes of that digest."""

    path: Path
    temporary: Path
    expected: str | None = None


def _writable(path: Path) -> tuple[Path, int]:
    """The file's absolute path and permission bits; PermissionError when it must not be
    written."""
    if path.is_symlink():
        # Resolving it would write wherever the link points, inside the project or not.
        raise PermissionError(f"{path}: the file is a symbolic link; fix the file it points to")
    target = path.absolute()
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & stat.S_IWUSR:
        raise PermissionError(f"{path}: the file is read-only; make it writable to fix it")
    return target, mode


def stage(path: Path, data: bytes, prefix: str) -> Path:
    """Write `data` to a new temporary file beside `path`, named `prefix`, some random
    characters and `.tmp`, with the page's permission bits; `replace_files` makes it durable
    and renames it over the page. PermissionError when the page must not be written; on any
    error no temporary file is left."""
    target, mode = _writable(path)
    # A short name: the page's own name may already be as long as the file system allows.
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    temporary = Path(name)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
        temporary.chmod(mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def _remove_matching(folders: Iterable[Path], matches: Callable[[str], bool]) -> None:
    """Remove the files of `folders` whose names `matches`; what cannot be read or removed
    is left."""
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if matches(entry.name):
                    with contextlib.suppress(OSError):
                        Path(entry.path).unlink()


def remove_staged(folders: Iterable[Path], prefix: str) -> None:
    """Remove the temporary files that `stage` made with `prefix` in `folders` (those of a run
    that stopped before renaming them)."""
    _remove_matching(folders, lambda name: name.startswith(prefix) and name.endswith(".tmp"))


# The temporary files `stage` makes under a run's prefix (`FixRequest.staging`): the id of
# the run's process, then random characters.
_STAGED = re.compile(re.escape(STAGING_PREFIX) + r"([0-9]+)-[^/]*\.tmp")


def _gone(pid: int) -> bool:
    """Whether no process has this id (one of another user's counts as there)."""
    if os.name != "posix" or pid <= 0:
        return False  # os.kill would end the process on Windows, or signal a group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False
    return False


def remove_abandoned(folders: Iterable[Path]) -> None:
    """Remove the temporary files that runs whose process is gone staged in `folders`: a run
    killed outright (SIGKILL, out of memory) could not remove them, and no later run of the
    same process id would know them as its own."""

    def abandoned(name: str) -> bool:
        found = _STAGED.fullmatch(name)
        return found is not None and _gone(int(found[1]))

    _remove_matching(folders, abandoned)


def _fsync_all(paths: Sequence[Path]) -> list[OSError | None]:
    """fsync every file, several at once: the file system then makes them durable in a few
    journal commits instead of one commit (and one wait for the disk) per file."""

    def one(path: Path) -> OSError | None:
        try:
            descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as error:
            return error
        return None

    if len(paths) <= 1:
        return [one(path) for path in paths]
    # Imported here: only a run that writes pages needs threads.
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(min(SYNC_THREADS, len(paths))) as threads:
        return list(threads.map(one, paths))


def _sync_folder(folder: Path) -> None:
    """Make the renames in a folder durable; where folders cannot be synced, the rename
    stands as the system keeps it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _rename(replacement: Replacement) -> Path:
    """Rename the temporary file over its page, if the page may still be replaced; the
    page's folder."""
    target, _ = _writable(replacement.path)
    expected = replacement.expected
    if expected is not None and digest(target.read_bytes()) != expected:
        raise StaleFileError(
            f"{replacement.path}: the file changed while it was being fixed; run again"
        )
    replacement.temporary.replace(target)
    return target.parent


def replace_files(replacements: Sequence[Replacement]) -> list[Exception | None]:
    """Rename each staged temporary file over its page; for each, the reason it was not, or
    None.

    Each page is replaced by a temporary file written in its folder (`stage`) and renamed
    over it, so that a reader (or the disk after a crash) finds each page old or new, never
    half-written. The steps are taken for all files together: make every temporary file
    durable at once, rename each one over its page (after checking that the page may still be
    written and holds the expected bytes), then make the renames durable, folder by folder.
    Ctrl-C and SIGTERM wait until the batch is done; every temporary file is renamed or
    removed.
    """
    errors: list[Exception | None] = [None] * len(replacements)
    renamed = [False] * len(replacements)
    with _signals_held():
        try:
            synced = _fsync_all([replacement.temporary for replacement in replacements])
            folders: set[Path] = set()
            for index, (replacement, failure) in enumerate(zip(replacements, synced, strict=True)):
                if failure is not None:
                    errors[index] = failure
                    continue
                try:
                    folders.add(_rename(replacement))
                except (OSError, StaleFileError) as error:
                    errors[index] = error
                    continue
                renamed[index] = True
            for folder in folders:
                _sync_folder(folder)
        finally:
            for replacement, done in zip(replacements, renamed, strict=True):
                if not done:
                    with contextlib.suppress(OSError):
                        replacement.temporary.unlink()
    return errors
