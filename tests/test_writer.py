"""Atomic writes that keep a file's BOM, line endings and permissions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from checker.fixing.writer import StaleFileError, encode, write_atomic


def test_encode_keeps_bom_and_line_endings() -> None:
    assert encode("a\nb\n", "\r\n", bom=True) == b"\xef\xbb\xbfa\r\nb\r\n"
    assert encode("a\nb\n", "\n", bom=False) == b"a\nb\n"
    with pytest.raises(ValueError, match="line endings"):
        encode("a\n", "mixed", bom=False)


def test_write_replaces_the_file_keeps_its_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(0o640)
    write_atomic(page, b"new\n", expected=b"old\n")
    assert page.read_bytes() == b"new\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_a_symlinked_page_is_never_written_through(tmp_path: Path) -> None:
    # The link may point anywhere (a config, a file outside the project): never follow it.
    real = tmp_path / "real.md"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(PermissionError, match="symbolic link"):
        write_atomic(link, b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"old\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"someone else's edit\n")
    with pytest.raises(StaleFileError):
        write_atomic(page, b"new\n", expected=b"old\n")
    assert page.read_bytes() == b"someone else's edit\n"


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write_atomic(page, b"new\n")
    assert page.read_bytes() == b"old\n"


def test_a_page_with_the_longest_allowed_name_can_be_written(tmp_path: Path) -> None:
    page = tmp_path / ("x" * 252 + ".md")
    page.write_bytes(b"old\n")
    write_atomic(page, b"new\n")
    assert page.read_bytes() == b"new\n"
