"""Shared fixtures: the real corpus (skipped when absent) and helpers to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "rxhive-pages"
SEED = SHARED / "seed" / "seed-page.md"


@pytest.fixture(autouse=True, scope="session")
def _compiled_settings_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the compiled pack and config (normally in the user's cache folder) under pytest's
    tmp folder, for this process and every checker it starts."""
    os.environ["CHECKER_CACHE_HOME"] = str(tmp_path_factory.mktemp("checker-cache-home"))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not present beside the project")
    return CORPUS


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip("the shared seed page is not present beside the project")
    return SEED


def run_checker(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m checker ARGS` in a subprocess, as a user would.

    `stdin` is passed as bytes, so tests can feed pages that are not UTF-8; `env` replaces the
    environment when given.
    """
    result = subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        result.stderr.decode("utf-8", errors="replace"),
    )
