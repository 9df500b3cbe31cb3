"""`checker check --watch`: checks, then checks again when a page or the config changes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue

import pytest

from tests.conftest import ROOT, interruptible

CLEAN = ROOT / "content" / "a" / "aspirin.md"


class Lines:
    """Lines of a stream, read in a thread so that waiting for one can time out."""

    def __init__(self, stream: object) -> None:
        self.queue: Queue[str] = Queue()
        assert hasattr(stream, "readline")
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
            self.queue.put(line)

    def until(self, text: str, timeout: float = 120) -> list[str]:
        seen = []
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except Empty:
                raise AssertionError(f"no line with {text!r}; saw {seen}") from None
            seen.append(line)
            if text in line:
                return seen


@pytest.mark.slow
def test_watch_checks_again_after_a_change(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('content-root = "content"\n')
    page = tmp_path / "content" / "aspirin.md"
    page.parent.mkdir()
    shutil.copyfile(CLEAN, page)
    process = subprocess.Popen(
        interruptible([sys.executable, "-m", "checker", "check", "--watch", "--no-cache"]),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        output = Lines(process.stdout)
        first = output.until("watching for changes")
        assert any("All checks passed: 1 file checked." in line for line in first)
        page.write_text(page.read_text().replace("# Aspirin", "# Aspirin  "))
        # An editor's save can arrive as more than one event, so wait for what is expected.
        second = output.until(" FT001 [*] [warning]")
        assert any("changed: content/aspirin.md; checking again" in line for line in second)
        (tmp_path / "checker.toml").write_text('content-root = "content"\nignore = ["FT001"]\n')
        output.until("changed: checker.toml; checking again")
        output.until("All checks passed: 1 file checked.")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_watch_refuses_what_it_cannot_watch(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "checker", "check", "-", "--watch"],
        cwd=ROOT,
        input="",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--watch cannot be combined with `-`" in result.stderr
