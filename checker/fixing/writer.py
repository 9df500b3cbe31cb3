"""Write fixed pages back atomically, keeping each file's encoding, BOM, line endings and mode."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.document.page import UTF8_BOM

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
    """Hold Ctrl-C and SIGTERM until the block ends, so that a stopped run (or a pool worker
    ended by its parent) finishes the pages it is writing, or removes their temporary files.

    In the main thread the signals are caught and raised again after the block: blocking
    them there would not do, since any other thread (a pool's helper threads) may take a
    signal sent to the process, and Python then runs its handler in the main thread. Other
    threads block the signals for themselves."""
    if threading.current_thread() is threading.main_thread():
        caught: list[int] = []
        held = (signal.SIGINT, signal.SIGTERM)
        previous = {number: signal.signal(number, lambda n, _: caught.append(n)) for number in held}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            for signum in dict.fromkeys(caught):
                signal.raise_signal(signum)
        return
    if not hasattr(signal, "pthread_sigmask"):  # not on POSIX
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@dataclass(frozen=True, slots=True)
class Replacement:
    """New bytes for a file; with `expected`, only if the file still holds those bytes."""

    path: Path
    data: bytes
    expected: bytes | None = None


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


def _fsync_all(descriptors: Sequence[int]) -> list[OSError | None]:
    """fsync every descriptor, several at once: the file system then makes them durable in a
    few journal commits instead of one commit (and one wait for the disk) per file."""

    def one(descriptor: int) -> OSError | None:
        try:
            os.fsync(descriptor)
        except OSError as error:
            return error
        return None

    if len(descriptors) <= 1:
        return [one(descriptor) for descriptor in descriptors]
    # Imported here: only a run that writes pages needs threads.
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(min(SYNC_THREADS, len(descriptors))) as threads:
        return list(threads.map(one, descriptors))


def _sync_folder(folder: Path) -> None:
    """Make the renames in a folder durable; where folders cannot be synced, the rename
    stands as the system keeps it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@dataclass(slots=True)
class _Staged:
    index: int
    target: Path
    temporary: Path
    descriptor: int
    renamed: bool = False


def _stage(index: int, target: Path, mode: int, data: bytes) -> _Staged:
    # A short name: the page's own name may already be as long as the file system allows.
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".checker-", suffix=".tmp")
    temporary = Path(name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        temporary.chmod(mode)
    except BaseException:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return _Staged(index, target, temporary, descriptor)


def replace_files(replacements: Sequence[Replacement]) -> list[Exception | None]:
    """Replace each file with its new bytes; for each, the reason it was not replaced, or None.

    Each file is replaced by a temporary file written in its folder and renamed over it, so
    that a reader (or the disk after a crash) finds each page old or new, never half-written;
    the new file keeps the old one's permission bits. The steps are taken for all files
    together: write every temporary file, make them durable at once, rename each one over its
    page (after checking that the page still holds the expected bytes), then make the renames
    durable, folder by folder. Ctrl-C and SIGTERM wait until the batch is done; a temporary
    file is never left behind.
    """
    errors: list[Exception | None] = [None] * len(replacements)
    ready: list[tuple[int, Path, int]] = []
    for index, replacement in enumerate(replacements):
        try:
            ready.append((index, *_writable(replacement.path)))
        except OSError as error:
            errors[index] = error
    if not ready:
        return errors
    staged: list[_Staged] = []
    with _signals_held():
        try:
            for index, target, mode in ready:
                try:
                    staged.append(_stage(index, target, mode, replacements[index].data))
                except OSError as error:
                    errors[index] = error
            synced = _fsync_all([item.descriptor for item in staged])
            folders: set[Path] = set()
            for item, failure in zip(staged, synced, strict=True):
                os.close(item.descriptor)
                item.descriptor = -1
                if failure is not None:
                    errors[item.index] = failure
                    continue
                expected = replacements[item.index].expected
                try:
                    if expected is not None and item.target.read_bytes() != expected:
                        raise StaleFileError(
                            f"{replacements[item.index].path}: the file changed while it was "
                            "being fixed; run again"
                        )
                    item.temporary.replace(item.target)
                    item.renamed = True
                except (OSError, StaleFileError) as error:
                    errors[item.index] = error
                    continue
                folders.add(item.target.parent)
            for folder in folders:
                _sync_folder(folder)
        finally:
            for item in staged:
                if item.descriptor >= 0:
                    os.close(item.descriptor)
                if not item.renamed:
                    with contextlib.suppress(OSError):
                        item.temporary.unlink()
    return errors


def write_atomic(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace `path` with `data`: a temporary file in the same folder, fsync, then rename.

    A reader sees the old file or the new one, never a half-written page. The new file keeps
    the old one's permission bits. With `expected`, the write is refused when the file no
    longer holds those bytes.
    """
    error = replace_files([Replacement(path, data, expected)])[0]
    if error is not None:
        raise error
