"""Shell completion scripts, run in the real shells (each skipped where it is not installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, require, run_checker


def _script(shell: str, tmp_path: Path) -> Path:
    result = run_checker("completion", shell)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"checker.{shell}"
    path.write_text(result.stdout)
    return path


def _shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        require(False, f"the shell {name}")
    assert found is not None
    return found


def _bash_complete(script: Path, words: list[str], shell: str = "bash") -> list[str]:
    line = " ".join(words)
    program = (
        f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        "_checker_complete; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    if shell == "zsh":
        # As zsh's bashcompinit runs a bash completion function: with 0-based arrays.
        program = "autoload -U compinit && compinit -u; setopt ksharrays; " + program
    result = subprocess.run(
        [_shell(shell), "-c", program], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    shell = "bash"
    script = _script(shell, tmp_path)
    assert _bash_complete(script, ["checker", "ch"], shell) == ["check"]
    options = _bash_complete(script, ["checker", "check", "--sel"], shell)
    assert options == ["--select"]
    assert "--extend-ignore" in _bash_complete(script, ["checker", "check", "--ext"], shell)
    colors = _bash_complete(script, ["checker", "check", "--color", "a"], shell)
    assert sorted(colors) == ["always", "auto"]
    assert _bash_complete(script, ["checker", "completion", "f"], shell) == ["fish"]
    assert "README.md" in _bash_complete(script, ["checker", "check", "READ"], shell)


def test_zsh_registers_the_completion(tmp_path: Path) -> None:
    script = _script("zsh", tmp_path)
    program = f"autoload -U compinit && compinit -u; source {script}; print -r -- $_comps[checker]"
    result = subprocess.run(
        [_shell("zsh"), "-c", program], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_bash_complete -o default -o filenames -F _checker_complete"
    # zsh filters the candidates itself; the function offers the subcommand's options.
    assert "--select" in _bash_complete(script, ["checker", "check", "--sel"], "zsh")
    assert "--select" not in _bash_complete(script, ["checker", "rules", "--"], "zsh")


def test_fish_completes_commands_and_options(tmp_path: Path) -> None:
    fish = _shell("fish")
    script = _script("fish", tmp_path)

    def complete(line: str) -> list[str]:
        result = subprocess.run(
            [fish, "-c", f"source {script}; complete -C '{line}'"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return [row.split("\t")[0] for row in result.stdout.splitlines()]

    assert "check" in complete("checker ch")
    assert "--select" in complete("checker check --sel")
    assert "--select" not in complete("checker rules --")
    assert complete("checker check --color ") == ["always", "auto", "never"]


def test_an_unknown_flag_is_reported_with_the_subcommand_usage() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--bogus"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage: checker check ")
    assert "checker check: error: unrecognized arguments: --bogus" in result.stderr
