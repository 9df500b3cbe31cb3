"""The distribution: a name of its own on the package index, the language server in the base
install, and install hints that use that name."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from checker import DISTRIBUTION
from tests.conftest import ROOT
from tests.lsp_wire import frame, read_message

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_has_its_own_name_and_keeps_the_command() -> None:
    project = PYPROJECT["project"]
    # `checker` on the package index is an unrelated project of 2013.
    assert project["name"] == DISTRIBUTION == "medpage-checker"
    assert project["scripts"] == {"checker": "checker.cli:main"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["checker"]


def test_the_language_server_is_in_the_base_install() -> None:
    base = " ".join(PYPROJECT["project"]["dependencies"])
    assert "pygls" in base and "lsprotocol" in base


def test_every_install_hint_uses_the_distribution_name() -> None:
    files = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "checker").rglob("*.py")]
    files += [ROOT / "action.yml"] if (ROOT / "action.yml").is_file() else []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for wrong in ("pip install checker", "pip install 'checker[", 'pip install "checker['):
            assert wrong not in text, f"{path.relative_to(ROOT)}: {wrong!r}"


@pytest.mark.slow
def test_a_fresh_install_answers_an_lsp_initialize_request(tmp_path: Path) -> None:
    """`pip install .` into a new virtual environment, then `checker server` over stdio."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    checker = env_dir / "bin" / "checker"
    server = subprocess.Popen(
        [str(checker), "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        server.stdin.write(
            frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}},
                }
            )
        )
        server.stdin.flush()
        answer = read_message(server.stdout)
        assert answer["id"] == 1
        result = answer["result"]
        assert isinstance(result, dict)
        assert result["serverInfo"]["name"] == "checker"
        assert "textDocumentSync" in result["capabilities"]
        server.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        server.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        server.stdin.flush()
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # The installed package is the one a user gets: its import path is the new environment.
    where = subprocess.run(
        [str(python), "-c", "import checker, sys; print(checker.__file__)"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=True,
    )
    assert str(env_dir) in where.stdout
    assert sys.executable != str(python)
