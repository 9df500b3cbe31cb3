"""`run_checker` (the command run in the test process) answers as the real process does, and one
run leaves nothing behind that the next would see."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from checker.lint.pool import POOL_THRESHOLD
from tests.conftest import ROOT, run_checker, run_process

RULES = ROOT / "tests" / "fixtures" / "rules"
CLEAN = ROOT / "tests" / "fixtures" / "clean" / "drug-v2.md"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "tests/fixtures/clean"],
        ["check", "tests/fixtures/rules/DS001.md", "--output-format", "full"],
        ["check", "tests/fixtures/rules/FT001.md", "--output-format", "json"],
        ["check", "tests/fixtures/rules", "--statistics"],
        ["check", "no/such/page.md", "tests/fixtures/rules/DS001.md"],
        ["check", "--select", "QQ123"],
        ["check", "tests/fixtures/clean", "--no-such-option"],
        ["rule", "FT001"],
        ["--version"],
        [],
    ],
    ids=[
        "clean",
        "findings",
        "json",
        "statistics",
        "missing-path",
        "usage-error",
        "argparse-error",
        "rule",
        "version",
        "no-command",
    ],
)
def test_the_same_exit_code_and_output_as_the_real_process(args: list[str]) -> None:
    real = run_process(*args)
    here = run_checker(*args)
    assert (here.returncode, here.stdout, here.stderr) == (
        real.returncode,
        real.stdout,
        real.stderr,
    )


def test_stdin_and_the_working_folder_are_the_runs_own(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('select = ["DS001"]\n')
    data = (RULES / "DS001.md").read_bytes()
    args = ("check", "-", "--stdin-filename", "pages/a.md", "--output-format", "concise")
    real = run_process(*args, stdin=data, cwd=tmp_path)
    here = run_checker(*args, stdin=data, cwd=tmp_path)
    assert here.returncode == real.returncode == 1
    assert here.stdout == real.stdout
    assert here.stdout.startswith("pages/a.md:34:1: DS001 ")
    assert Path.cwd() != tmp_path


def test_the_environment_is_the_runs_own() -> None:
    page = "tests/fixtures/rules/DS001.md"
    env_before = os.environ.get("NO_COLOR")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_checker("check", page, "--color", "always", env=env)
    plain = run_checker("check", page, "--color", "always", env={**env, "NO_COLOR": "1"})
    assert coloured.returncode == plain.returncode == 1
    assert "\x1b[" in coloured.stdout
    assert "\x1b[" not in plain.stdout
    assert os.environ.get("NO_COLOR") == env_before


def test_a_changed_rule_pack_is_read_again(tmp_path: Path) -> None:
    """The pack loader is memoised within a process; a second run is a new process."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "checker.toml").write_text("")
    shutil.copyfile(CLEAN, tmp_path / "page.md")
    first = run_checker("check", "page.md", "--select", "FT005", "--no-cache", cwd=tmp_path)
    assert (first.returncode, first.stdout) == (0, "")
    template = tmp_path / "rules" / "templates" / "drug-v2.yaml"
    template.write_text(template.read_text().replace("ignore: [FT005]", "ignore: []"))
    second = run_checker("check", "page.md", "--select", "FT005", "--no-cache", cwd=tmp_path)
    assert second.returncode == 0  # FT005 is a warning
    assert "page.md:8:" in second.stdout and "FT005" in second.stdout


def test_a_changed_plugin_is_imported_again(tmp_path: Path) -> None:
    rule = (ROOT / "tests" / "plugins" / "example_rules.py").read_text()
    (tmp_path / "checker.toml").write_text('plugins = ["example_rules"]\nselect = ["EX"]\n')
    (tmp_path / "page.md").write_text("---\ntitle: A\n---\n\n# A\n\nWow!\n")
    (tmp_path / "example_rules.py").write_text(rule)
    first = run_checker("check", "page.md", "--no-cache", cwd=tmp_path)
    assert "EX001" in first.stdout, first.stderr
    (tmp_path / "example_rules.py").write_text(rule.replace('"EX001"', '"EX002"'))
    second = run_checker("check", "page.md", "--no-cache", cwd=tmp_path)
    assert "EX002" in second.stdout and "EX001" not in second.stdout, second.stderr
    assert str(tmp_path) not in sys.path


def test_a_run_that_would_start_the_worker_pool_fails_in_the_test_process(tmp_path: Path) -> None:
    from tests.in_process import PoolInTestProcess, run_in_process

    for n in range(POOL_THRESHOLD):
        (tmp_path / f"page-{n}.md").write_text(f"# Page {n}\n")
    with pytest.raises(PoolInTestProcess, match="run_process"):
        run_in_process(["check", ".", "--no-cache", "--jobs", "2"], tmp_path)
    # The same run as a process of its own.
    real = run_process("check", ".", "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert real.returncode == 0 and "0 files checked" in real.stderr, real.stderr
