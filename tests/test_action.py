"""The composite GitHub Action (action.yml): its steps, and its check step run as GitHub would."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import yaml

from checker.cli import build_parser
from tests.conftest import ROOT, require

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_installs_the_checker_from_its_own_checkout() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"]
    assert "pip install" in steps[1]["run"]
    assert all(step.get("shell", "bash") == "bash" for step in steps[1:])


def _run_check_step(
    site: Path, paths: str, args: str, bin_dir: Path, sarif: str = ""
) -> subprocess.CompletedProcess[str]:
    """The check step's script under bash, with the environment GitHub gives it."""
    step = ACTION["runs"]["steps"][2]
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "CHECKER_PATHS": paths,
        "CHECKER_ARGS": args,
        "CHECKER_SARIF": sarif,
    }
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _site_with_a_missing_disclaimer(tmp_path: Path) -> tuple[Path, Path]:
    """A site whose one page has no disclaimer (DS001 at line 34), and the folder of the
    installed `checker`."""
    checker = shutil.which("checker")
    assert checker is not None, "the checker is installed in the test environment"
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "checker.toml").write_text('content-root = "content"\n')
    shutil.copyfile(ROOT / "tests" / "fixtures" / "rules" / "DS001.md", site / "content" / "ds.md")
    return site, Path(checker).parent


def test_the_check_step_reports_findings_as_github_annotations(tmp_path: Path) -> None:
    site, bin_dir = _site_with_a_missing_disclaimer(tmp_path)
    result = _run_check_step(site, "", "--no-cache", bin_dir)
    assert result.returncode == 1, result.stderr
    assert "::error file=content/ds.md,line=34" in result.stdout
    relaxed = _run_check_step(
        site, "content/ds.md", "--select DS001 --exit-zero --no-cache", bin_dir
    )
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stdout.count("::error ") == 1


def test_the_check_step_writes_the_sarif_report_when_asked(tmp_path: Path) -> None:
    site, bin_dir = _site_with_a_missing_disclaimer(tmp_path)
    result = _run_check_step(site, "", "--no-cache", bin_dir, sarif="out.sarif")
    # The annotations run decides the outcome; the SARIF run before it never fails for findings.
    assert result.returncode == 1, result.stderr
    assert "::error file=content/ds.md,line=34" in result.stdout
    report = json.loads((site / "out.sarif").read_text())
    results = report["runs"][0]["results"]
    assert [r["ruleId"] for r in results].count("DS001") == 1
    assert result.stderr.count("Found ") == 1  # the SARIF run is quiet


# -- the README's workflows use the action as action.yml defines it ---------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTION_REF = re.compile(r"uses: medpage-checker/medpage-checker@(\S+)")


def _readme_workflow_steps() -> list[list[dict[str, Any]]]:
    """The steps of every YAML block of the README that uses the action (a workflow, or a list
    of steps shown on their own)."""
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", README, re.S):
        if "medpage-checker/medpage-checker@" not in block:
            continue
        data = yaml.safe_load(textwrap.dedent(block))
        if isinstance(data, dict):
            steps = [step for job in data["jobs"].values() for step in job["steps"]]
        else:
            steps = data
        found.append(steps)
    return found


def test_the_readme_uses_only_inputs_the_action_has_and_uploads_its_sarif_file() -> None:
    workflows = _readme_workflow_steps()
    assert len(workflows) >= 2
    inputs = set(ACTION["inputs"])
    for steps in workflows:
        for index, step in enumerate(steps):
            if not str(step.get("uses", "")).startswith("medpage-checker/medpage-checker@"):
                continue
            given = step.get("with", {})
            assert set(given) <= inputs, set(given) - inputs
            args = given.get("args", "").replace("${{ github.base_ref }}", "main")
            parsed = build_parser().parse_args(["check", *shlex.split(args)])
            assert parsed.output_format is None and parsed.output_file is None
            full_workflow = any("actions/checkout" in str(s.get("uses")) for s in steps)
            if "sarif-file" in given and full_workflow:
                uploads = [
                    s
                    for s in steps[index + 1 :]
                    if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
                ]
                assert uploads and uploads[0]["with"]["sarif_file"] == given["sarif-file"]
                assert uploads[0].get("if") == "always()"


def test_the_readme_says_what_the_action_checks() -> None:
    # Every page under the content root, not the changed lines; the annotations limit and the
    # SARIF report that works around it, as action.yml says.
    assert "annotations on the changed lines" not in README
    assert "every page under the content root" in README
    header = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "Every page under the\n# content root is checked" in header
    assert "sarif-file" in header


def test_every_pinned_version_exists() -> None:
    """The README and the action pin this repository only at a ref that exists: `main`, a
    commit, or a tag the repository has."""
    require(shutil.which("git") is not None, "git")
    listed = subprocess.run(
        ["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    require(listed.returncode == 0, "a git checkout")
    tags = set(listed.stdout.split())
    texts = [README, (ROOT / "action.yml").read_text(encoding="utf-8")]
    refs = [ref for text in texts for ref in ACTION_REF.findall(text)]
    refs += re.findall(r"\brev: (\S+)", README)
    assert refs
    for ref in refs:
        assert ref == "main" or re.fullmatch(r"[0-9a-f]{40}", ref) or ref in tags, ref
