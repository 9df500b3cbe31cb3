"""Write fixed pages back atomically, keeping each file's encoding, BOM, line endings and mode."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from checker.document.page import UTF8_BOM


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
    ended by its parent) finishes the page it is writing, or removes its temporary file."""
    if not hasattr(signal, "pthread_sigmask"):  # not on POSIX
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomic(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace `path` with `data`: a temporary file in the same folder, fsync, then rename.

    A reader sees the old file or the new one, never a half-written page. The new file keeps
    the old one's permission bits. With `expected`, the write is refused when the file no
    longer holds those bytes.
    """
    if path.is_symlink():
        # Resolving it would write wherever the link points, inside the project or not.
        raise PermissionError(f"{path}: the file is a symbolic link; fix the file it points to")
    target = path.absolute()
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & stat.S_IWUSR:
        raise PermissionError(f"{path}: the file is read-only; make it writable to fix it")
    if expected is not None and target.read_bytes() != expected:
        raise StaleFileError(f"{path}: the file changed while it was being fixed; run again")
    with _signals_held():
        # A short name: the page's own name may already be as long as the file system allows.
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".checker-", suffix=".tmp")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            temporary.chmod(mode)
            temporary.replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
