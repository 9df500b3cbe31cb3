"""The ready-made GitHub workflow runs checker commands that exist, with valid arguments."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import formatters
from checker.cli import COMMANDS, build_parser
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "content.yml"


def load_workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    return [step for job in load_workflow()["jobs"].values() for step in job["steps"]]


def shell_commands(script: str) -> list[list[str]]:
    """The commands of a `run:` script: lines joined at backslashes, split like a shell."""
    joined = script.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words:
                commands.append(words)
    return commands


def checker_commands() -> list[list[str]]:
    found = []
    for step in steps():
        for words in shell_commands(step.get("run", "")):
            if words[0] == "checker" or words[:3] == ["python", "-m", "checker"]:
                found.append(words[1:] if words[0] == "checker" else words[3:])
    return found


def parse(argv: list[str]) -> argparse.Namespace:
    try:
        return build_parser().parse_args(argv)
    except SystemExit as error:
        pytest.fail(
            f"the workflow runs `checker {shlex.join(argv)}`, which the CLI refuses ({error})"
        )


def test_workflow_runs_on_pull_requests_and_installs_the_checker() -> None:
    data = load_workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    runs = [step.get("run", "") for step in steps()]
    assert any("pip install ." in run for run in runs)


def test_every_checker_command_exists_in_the_cli() -> None:
    commands = checker_commands()
    assert len(commands) >= 2
    for argv in commands:
        args = parse(argv)
        assert args.command in COMMANDS
        fmt = getattr(args, "output_format", None)
        if fmt is not None and args.command == "check":
            assert fmt == "auto" or fmt in formatters.FORMATS, fmt
        for path in getattr(args, "paths", None) or []:
            assert (ROOT / path).exists(), f"the workflow checks {path}, which does not exist"


def test_annotations_and_sarif_upload() -> None:
    checks = [parse(argv) for argv in checker_commands() if argv[0] == "check"]
    # One run prints annotations: the default format picks `github` under Actions.
    assert any(args.output_format in (None, "auto", "github") for args in checks)
    sarif = [args for args in checks if args.output_format == "sarif"]
    assert sarif and sarif[0].output_file is not None
    uploads = [
        s for s in steps() if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    ]
    assert uploads
    assert Path(uploads[0]["with"]["sarif_file"]) == sarif[0].output_file


def test_readme_gitlab_job_runs_valid_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## GitLab CI\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    job = yaml.safe_load(block)["checker"]
    reports = job["artifacts"]["reports"]
    outputs = {}
    for line in job["script"]:
        for words in shell_commands(line):
            if words[0] == "checker":
                args = parse(words[1:])
                assert args.output_format in formatters.FORMATS
                outputs[args.output_format] = str(args.output_file)
    assert outputs == {"gitlab": reports["codequality"], "junit": reports["junit"]}


def test_a_made_up_command_would_be_caught() -> None:
    with pytest.raises(pytest.fail.Exception):
        parse(["check", "content/", "--no-such-option"])
