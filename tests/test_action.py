"""The composite GitHub Action (action.yml): its steps, and its check step run as GitHub would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_installs_the_checker_from_its_own_checkout() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"]
    assert "pip install" in steps[1]["run"]
    assert all(step.get("shell", "bash") == "bash" for step in steps[1:])


def _run_check_step(
    site: Path, paths: str, args: str, bin_dir: Path
) -> subprocess.CompletedProcess[str]:
    """The check step's script under bash, with the environment GitHub gives it."""
    step = ACTION["runs"]["steps"][2]
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "CHECKER_PATHS": paths,
        "CHECKER_ARGS": args,
    }
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_check_step_reports_findings_as_github_annotations(tmp_path: Path) -> None:
    checker = shutil.which("checker")
    assert checker is not None, "the checker is installed in the test environment"
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "checker.toml").write_text('content-root = "content"\n')
    shutil.copyfile(ROOT / "tests" / "fixtures" / "rules" / "DS001.md", site / "content" / "ds.md")
    bin_dir = Path(checker).parent
    result = _run_check_step(site, "", "--no-cache", bin_dir)
    assert result.returncode == 1, result.stderr
    assert "::error file=content/ds.md,line=34" in result.stdout
    relaxed = _run_check_step(
        site, "content/ds.md", "--select DS001 --exit-zero --no-cache", bin_dir
    )
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stdout.count("::error ") == 1
