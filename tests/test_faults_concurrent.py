"""Faults around state on disk: a damaged result cache, two `--fix` runs at once, SIGINT during
`--fix`, and `--fix` with a link that leads outside the content root.

Every run's exit code is checked: a run that crashed would also leave the pages untouched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, interruptible, run_checker

PAGE = (
    "---\nlayout: minimal-medicine\ntitle: Page {n}\n---\n\n# Page {n}\n\n"
    "### Usage\n\nTaken by mouth.   \nTwice a day.\t \n\n\n\n### Dosage\n\nOne tablet."
)


def make_tree(root: Path, count: int) -> dict[Path, bytes]:
    pages = {}
    for n in range(count):
        path = root / "content" / f"part{n % 5}" / f"page-{n:04}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (PAGE.format(n=n) + ("\n" * (n % 3))).encode()
        path.write_bytes(data)
        pages[path] = data
    (root / "checker.toml").write_text('content-root = "content"\n')
    return pages


def fixed_versions(root: Path, tmp: Path) -> dict[Path, bytes]:
    """What `--fix` alone makes of every page: fix a copy of the tree in one quiet run."""
    copy = tmp / "alone"
    shutil.copytree(root, copy)
    alone = subprocess.run(
        fix_command(), cwd=copy, env=checker_env(), capture_output=True, check=False
    )
    # 1: the fixed pages still have error-level findings (no disclaimer) that no safe fix adds.
    assert alone.returncode == 1, alone.stderr.decode()
    return {
        root / path.relative_to(copy): path.read_bytes()
        for path in (copy / "content").rglob("*.md")
    }


def checker_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def stray_files(root: Path) -> list[Path]:
    return [p for p in (root / "content").rglob("*") if p.is_file() and p.suffix != ".md"]


def fix_command(*extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "checker",
        "check",
        "content",
        "--fix",
        "-q",
        "--no-cache",
        *extra,
    ]


def test_a_damaged_cache_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    make_tree(tmp_path, 12)
    cache = tmp_path / "cache"
    args = ("check", "content", "--cache-dir", str(cache), "--output-format", "concise")
    first = run_checker(*args, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name.startswith("index-")]
    assert entries, "the first run wrote no cache entry"
    damage = [b"", b"\x00\xff garbage", None]  # None: truncate to half
    for index, entry in enumerate(entries):
        data = entry.read_bytes()
        choice = damage[index % len(damage)]
        entry.write_bytes(data[: len(data) // 2] if choice is None else choice)
    damaged = {entry: entry.read_bytes() for entry in entries}
    second = run_checker(*args, cwd=tmp_path)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert "Traceback" not in second.stderr
    rewritten = [e for e in entries if e.is_file() and e.read_bytes() != damaged[e]]
    assert rewritten, "no damaged entry was rewritten"
    third = run_checker(*args, cwd=tmp_path)
    assert (third.returncode, third.stdout) == (first.returncode, first.stdout)


@pytest.mark.slow
def test_two_fix_runs_at_once_lose_no_page_and_leave_none_half_written(tmp_path: Path) -> None:
    original = make_tree(tmp_path, 120)
    fixed = fixed_versions(tmp_path, tmp_path.parent / (tmp_path.name + "-copy"))
    assert any(fixed[p] != original[p] for p in original), "no page has a safe fix"
    env = checker_env()
    runs = [
        subprocess.Popen(
            fix_command(), cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    try:
        for run in runs:
            _, errors = run.communicate(timeout=600)
            assert b"Traceback" not in errors, errors.decode()
            assert run.returncode == 1, errors.decode()
    finally:
        for run in runs:
            run.kill()
    for path, before in original.items():
        assert path.is_file(), f"{path} was lost"
        assert path.read_bytes() in (before, fixed[path]), f"{path} is neither old nor fixed"
    assert stray_files(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("jobs", "stop", "code", "said"),
    [
        ("1", signal.SIGINT, 130, "checker: interrupted"),
        ("2", signal.SIGINT, 130, "checker: interrupted"),
        ("2", signal.SIGTERM, 128 + signal.SIGTERM, ""),
    ],
)
def test_a_fix_run_stopped_midway_leaves_every_page_old_or_new_and_nothing_else(
    tmp_path: Path, jobs: str, stop: signal.Signals, code: int, said: str
) -> None:
    original = make_tree(tmp_path, 160)
    fixed = fixed_versions(tmp_path, tmp_path.parent / (tmp_path.name + "-copy"))
    # A page midway that the run never gets past: it must be stopped, by the signal. The pages
    # before it are written by then; those after it are fixed (and, in a pool, staged) but not
    # yet written.
    stall = tmp_path / "content" / "part2" / "stall.md"
    stall.write_bytes(PAGE.format(n="STALL HERE").encode())
    shutil.copy(ROOT / "tests" / "plugins" / "stall_rule.py", tmp_path)
    (tmp_path / "checker.toml").write_text(
        'content-root = "content"\nplugins = ["stall_rule"]\n[limits]\nmax-page-seconds = 3600\n'
    )
    run = subprocess.Popen(
        interruptible(fix_command("--jobs", jobs)),
        cwd=tmp_path,
        env=checker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Waits for the run to reach the page it stalls on, having written pages before it
        # (the time is a bound against a broken run, not a measure).
        deadline = time.monotonic() + 300
        while not (
            (stall.parent / "stalled").exists()
            and any(p.read_bytes() != original[p] for p in original)
        ):
            assert run.poll() is None, run.communicate()[1].decode()
            assert time.monotonic() < deadline, "the run neither stalled nor wrote a page"
            time.sleep(0.05)
        run.send_signal(stop)
        _, errors = run.communicate(timeout=120)
    finally:
        run.kill()
    assert (run.returncode, errors.decode().strip()) == (code, said)
    states = {path: path.read_bytes() for path in original}
    for path, now in states.items():
        assert now in (original[path], fixed[path]), f"{path} is neither old nor fixed"
    assert any(now == fixed[path] != original[path] for path, now in states.items())
    assert any(now == original[path] != fixed[path] for path, now in states.items())
    assert stall.read_bytes() == PAGE.format(n="STALL HERE").encode()
    assert stray_files(tmp_path) == [stall.parent / "stalled"]


def test_fix_never_writes_outside_the_content_root(tmp_path: Path) -> None:
    make_tree(tmp_path, 2)
    outside = tmp_path / "outside.md"
    outside.write_bytes(PAGE.format(n="outside").encode())
    before = outside.read_bytes()
    (tmp_path / "content" / "link.md").symlink_to(outside)
    for args in (["content"], ["content/link.md", str(outside)]):
        run = run_checker("check", *args, "--fix", "-q", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in run.stderr
        # The run still fixed what it may: the pages inside the content root.
        assert run.returncode == 1, run.stderr
        assert outside.read_bytes() == before
    fixed = (tmp_path / "content" / "part0" / "page-0000.md").read_bytes()
    assert b"   \n" not in fixed, "the run fixed nothing at all"
