"""Build a hostile case in a folder and run the checker over it in a measured subprocess."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.hostile.cases import CONTROL, Case, write

ROOT = Path(__file__).resolve().parents[2]
# Generous: a guard against a hang, not a timing assertion.
TIMEOUT = 120


@dataclass
class Outcome:
    exit: int
    seconds: float
    memory_mb: float
    output: str


# Root reads any file whatever its mode; without these capabilities it obeys file modes.
DROP_FILE_CAPABILITIES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@functools.cache
def can_drop_privileges() -> bool:
    """Whether this (root) process can run the checker without its file-reading privileges."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder, "probe")
        probe.write_text("x")
        probe.chmod(0)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            result = subprocess.run(
                [
                    *DROP_FILE_CAPABILITIES,
                    sys.executable,
                    "-c",
                    f"import checker.cli; open({str(probe)!r}).read()",
                ],
                env=env,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except OSError:
            return False
    return result.returncode != 0 and b"PermissionError" in result.stderr


def unprivileged_skip_reason(case: Case) -> str | None:
    """Why an `unprivileged` case cannot run here, or None when it can."""
    if not case.unprivileged or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if can_drop_privileges():
        return None
    return "running as root, and `setpriv` cannot drop the file-reading capabilities here"


def run_case(case: Case, folder: Path) -> Outcome:
    """Build `case` in `folder` (empty) and check it together with the control page."""
    folder.chmod(0o755)
    args = case.build(folder)
    write(folder / "control.md", CONTROL)
    result_file = Path(tempfile.mkstemp(prefix="hostile-", suffix=".json")[1])
    result_file.chmod(0o666)
    command = [sys.executable, "-m", "tests.hostile.measure", str(result_file)]
    if case.delete_after_discovery:
        command += ["--delete-after-discovery", str(folder / case.delete_after_discovery)]
    command += ["--", "check", *args, "control.md", "--output-format", "concise", *case.extra_args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("GITHUB_ACTIONS", None)
    if case.unprivileged and can_drop_privileges():
        command = [*DROP_FILE_CAPABILITIES, *command]
    try:
        completed = subprocess.run(
            command,
            cwd=folder,
            env=env,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        text = completed.stdout.decode("utf-8", "replace") + completed.stderr.decode(
            "utf-8", "replace"
        )
        try:
            measured = json.loads(result_file.read_text())
        except (OSError, ValueError):
            measured = {"seconds": float("nan"), "memory_mb": float("nan")}
        return Outcome(completed.returncode, measured["seconds"], measured["memory_mb"], text)
    finally:
        result_file.unlink(missing_ok=True)


def fresh_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="hostile-"))


def remove(folder: Path) -> None:
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder, ignore_errors=True)
