"""Build a hostile case in a folder and run the checker over it in a measured subprocess."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile.cases import CONTROL, Case, Document, write
from tests.lsp_wire import frame as _message
from tests.lsp_wire import read_message as _read

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


def environment(case: Case | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("GITHUB_ACTIONS", None)
    env.update(case.env if case is not None else ())
    return env


def checker(*args: str, cwd: Path, stdin: bytes | None = None) -> str:
    """Run the checker unmeasured (a step that prepares a case); its output."""
    completed = subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        env=environment(),
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return completed.stdout.decode("utf-8", "replace") + completed.stderr.decode("utf-8", "replace")


def run_case(case: Case, folder: Path) -> Outcome:
    """Build `case` in `folder` (empty) and run it, a check together with the control page."""
    folder.chmod(0o755)
    if case.with_control:
        write(folder / "control.md", CONTROL)
    args = case.build(folder)
    result_file = Path(tempfile.mkstemp(prefix="hostile-", suffix=".json")[1])
    result_file.chmod(0o666)
    command = [sys.executable, "-m", "tests.hostile.measure", str(result_file)]
    if case.delete_after_discovery:
        command += ["--delete-after-discovery", str(folder / case.delete_after_discovery)]
    command += ["--", case.command, *args]
    if case.with_control:
        command += ["control.md"]
    if case.command == "check":
        command += ["--output-format", "concise"]
    command += case.extra_args
    if case.unprivileged and can_drop_privileges():
        command = [*DROP_FILE_CAPABILITIES, *command]
    try:
        if case.documents is not None:
            code, text = _serve(command, folder, case.documents(folder))
        else:
            stdin = (folder / case.stdin).read_bytes() if case.stdin else None
            completed = subprocess.run(
                command,
                cwd=folder,
                env=environment(case),
                input=stdin,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
            code = completed.returncode
            text = completed.stdout.decode("utf-8", "replace") + completed.stderr.decode(
                "utf-8", "replace"
            )
        try:
            measured = json.loads(result_file.read_text())
        except (OSError, ValueError):
            measured = {"seconds": float("nan"), "memory_mb": float("nan")}
        return Outcome(code, measured["seconds"], measured["memory_mb"], text)
    finally:
        result_file.unlink(missing_ok=True)


# -- a language-server session over stdio ---------------------------------------------------


def _uri(folder: Path, uri: str) -> str:
    return uri if ":" in uri else folder.as_uri() + "/" + uri


def _serve(command: list[str], folder: Path, documents: list[Document]) -> tuple[int, str]:
    """Open each document in a server, wait for its diagnostics (and its fix-all action when
    asked), then shut the server down. The output lists, for each document, its diagnostics
    as `URI:LINE:COL: CODE message` and the fix-all actions offered."""
    server = subprocess.Popen(
        command,
        cwd=folder,
        env=environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert server.stdin is not None and server.stdout is not None
    lines: list[str] = []
    timer = threading.Timer(TIMEOUT, server.kill)
    timer.start()
    try:

        def request(number: int, method: str, params: object) -> dict[str, Any]:
            server.stdin.write(
                _message({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
            )  # type: ignore[union-attr]
            server.stdin.flush()  # type: ignore[union-attr]
            while True:
                answer = _read(server.stdout)
                if answer.get("id") == number:
                    return answer

        def notify(method: str, params: object) -> None:
            server.stdin.write(_message({"jsonrpc": "2.0", "method": method, "params": params}))  # type: ignore[union-attr]
            server.stdin.flush()  # type: ignore[union-attr]

        request(
            1, "initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}
        )
        notify("initialized", {})
        for number, document in enumerate(documents, start=2):
            uri = _uri(folder, document.uri)
            item = {"uri": uri, "languageId": "markdown", "version": 1, "text": document.text}
            notify("textDocument/didOpen", {"textDocument": item})
            while True:
                message = _read(server.stdout)
                published = message.get("method") == "textDocument/publishDiagnostics"
                if published and message["params"]["uri"] == uri:
                    break
            name = document.uri
            for diagnostic in message["params"]["diagnostics"]:
                start = diagnostic["range"]["start"]
                lines.append(
                    f"{name}:{start['line'] + 1}:{start['character'] + 1}: "
                    f"{diagnostic['code']} {diagnostic['message']}"
                )
            if not message["params"]["diagnostics"]:
                lines.append(f"{name}: no diagnostics")
            if document.fix_all:
                answer = request(
                    number,
                    "textDocument/codeAction",
                    {
                        "textDocument": {"uri": uri},
                        "range": {
                            "start": {"line": 0, "character": 0},
                            "end": {"line": 0, "character": 0},
                        },
                        "context": {"diagnostics": [], "only": ["source.fixAll"]},
                    },
                )
                lines.append(f"{name}: fix-all actions offered: {len(answer.get('result') or [])}")
        request(len(documents) + 2, "shutdown", None)
        notify("exit", None)
        code = server.wait(timeout=TIMEOUT)
    except (EOFError, OSError, ValueError) as error:
        lines.append(f"the session broke: {error!r}")
        server.kill()
        code = server.wait()
    finally:
        timer.cancel()
    stderr = server.stderr.read().decode("utf-8", "replace") if server.stderr else ""
    return code, "\n".join(lines) + "\n" + stderr


def fresh_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="hostile-"))


def remove(folder: Path) -> None:
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder, ignore_errors=True)
