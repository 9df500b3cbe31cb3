"""Atomic writes that keep a file's BOM, line endings and permissions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from checker.document.digest import digest
from checker.fixing.writer import (
    Replacement,
    StaleFileError,
    encode,
    remove_staged,
    replace_files,
    stage,
)

PREFIX = ".checker-test-"


def _write(page: Path, data: bytes, expected: bytes | None = None) -> None:
    """Stage `data` beside the page and rename it over the page, as a fix run does."""
    replacement = Replacement(
        page, stage(page, data, PREFIX), None if expected is None else digest(expected)
    )
    error = replace_files([replacement])[0]
    if error is not None:
        raise error


def test_encode_keeps_bom_and_line_endings() -> None:
    assert encode("a\nb\n", "\r\n", bom=True) == b"\xef\xbb\xbfa\r\nb\r\n"
    assert encode("a\nb\n", "\n", bom=False) == b"a\nb\n"
    with pytest.raises(ValueError, match="line endings"):
        encode("a\n", "mixed", bom=False)


def test_write_replaces_the_file_keeps_its_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(0o640)
    _write(page, b"new\n", expected=b"old\n")
    assert page.read_bytes() == b"new\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_staging_refuses_a_symlinked_page_and_never_writes_through_it(tmp_path: Path) -> None:
    # The link may point anywhere (a config, a file outside the project): never follow it.
    # (A page that becomes a link after it was staged: the batch test below.)
    real = tmp_path / "real.md"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(PermissionError, match="symbolic link"):
        _write(link, b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"old\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"someone else's edit\n")
    with pytest.raises(StaleFileError):
        _write(page, b"new\n", expected=b"old\n")
    assert page.read_bytes() == b"someone else's edit\n"


def test_staging_refuses_a_read_only_page(tmp_path: Path) -> None:
    # (A page made read-only after it was staged: the batch test below.)
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        _write(page, b"new\n")
    assert page.read_bytes() == b"old\n"


def test_a_page_with_the_longest_allowed_name_can_be_written(tmp_path: Path) -> None:
    page = tmp_path / ("x" * 252 + ".md")
    page.write_bytes(b"old\n")
    _write(page, b"new\n")
    assert page.read_bytes() == b"new\n"


def test_a_batch_replaces_the_pages_it_may_and_reports_each_one_it_may_not(
    tmp_path: Path,
) -> None:
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    pages = [folders[n % 2] / f"page-{n}.md" for n in range(6)]
    for page in pages:
        page.write_bytes(b"old\n")
    pages[5].chmod(0o600)
    staged = [stage(page, b"new\n", PREFIX) for page in pages]
    # What happens to pages between the fix and the write.
    pages[1].chmod(0o444)
    pages[2].write_bytes(b"someone else's edit\n")
    pages[3].unlink()
    pages[3].symlink_to(pages[0])
    errors = replace_files(
        [
            Replacement(page, temporary, digest(b"old\n"))
            for page, temporary in zip(pages, staged, strict=True)
        ]
    )
    assert [type(error) for error in errors] == [
        type(None),
        PermissionError,
        StaleFileError,
        PermissionError,
        type(None),
        type(None),
    ]
    assert [page.read_bytes() for page in pages] == [
        b"new\n",
        b"old\n",
        b"someone else's edit\n",
        b"new\n",  # the link was refused; it shows page-0, written in its own right
        b"new\n",
        b"new\n",
    ]
    assert pages[3].is_symlink()
    assert stat.S_IMODE(pages[5].stat().st_mode) == 0o600
    left = sorted(p.name for folder in folders for p in folder.iterdir())
    assert left == sorted(page.name for page in pages)


def test_staging_a_page_that_must_not_be_written_leaves_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        stage(page, b"new\n", PREFIX)
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_a_stopped_run_removes_what_it_staged_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    mine = stage(page, b"new\n", PREFIX)
    another_run = stage(page, b"new\n", ".checker-other-")
    assert mine.parent == tmp_path and mine.name.startswith(PREFIX) and mine.suffix == ".tmp"
    remove_staged([tmp_path], PREFIX)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["page.md", another_run.name])
    assert page.read_bytes() == b"old\n"
