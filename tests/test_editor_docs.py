"""docs/editors.md: each editor's settings parse, and the command they start is a language
server that answers `initialize`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib

from tests.conftest import ROOT
from tests.lsp_wire import frame, read_message

EDITORS = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", EDITORS, re.S)


def test_every_editor_starts_checker_server() -> None:
    vscode = json.loads(_blocks("json")[0])
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == [
        "checker",
        "server",
    ]
    helix = tomllib.loads(_blocks("toml")[0])
    assert [
        helix["language-server"]["checker"]["command"],
        *helix["language-server"]["checker"]["args"],
    ] == [
        "checker",
        "server",
    ]
    assert "checker" in helix["language"][0]["language-servers"]
    assert 'cmd = { "checker", "server" }' in _blocks("lua")[0]
    for heading in ("## VS Code", "## Neovim", "## Helix"):
        assert heading in EDITORS


def test_the_documented_command_answers_initialize() -> None:
    helix = tomllib.loads(_blocks("toml")[0])["language-server"]["checker"]
    command = shutil.which(helix["command"])
    assert command is not None, "the checker is installed in the test environment"
    server = subprocess.Popen(
        [command, *helix["args"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        params = {"processId": os.getpid(), "rootUri": ROOT.as_uri(), "capabilities": {}}
        server.stdin.write(
            frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        )
        server.stdin.flush()
        answer = read_message(server.stdout)
        assert answer["id"] == 1
        assert isinstance(answer["result"], dict)
        assert "codeActionProvider" in answer["result"]["capabilities"]
    finally:
        server.kill()
        server.wait()
