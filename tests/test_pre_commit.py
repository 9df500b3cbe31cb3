"""The pre-commit hook, installed by the real `pre-commit` from this checkout into a content
repository, refusing and accepting real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, require

CLEAN = (Path(__file__).parent / "fixtures" / "integrations" / "clean-page.md").read_text("utf-8")
DISCLAIMER_LINE = next(line for line in CLEAN.splitlines() if line.startswith("**Disclaimer:**"))


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def snapshot_checkout(target: Path, env: dict[str, str]) -> str:
    """This checkout's files as they are now (committed or not), committed in a new repository:
    what `pre-commit try-repo` does, so that the hook under test is the code under test."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target, env=env)
    git("add", "-A", cwd=target, env=env)
    assert git("commit", "-q", "-m", "snapshot", cwd=target, env=env).returncode == 0
    return git("rev-parse", "HEAD", cwd=target, env=env).stdout.strip()


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, str]:
    """The git environment, and this checkout committed as a hook repository (shared by the
    tests here, with one pre-commit home, so that the hook's environment is built once)."""
    require(shutil.which("git") is not None, "git")
    home = tmp_path_factory.mktemp("pre-commit")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "GITHUB_ACTIONS"
    }
    env.update(
        PRE_COMMIT_HOME=str(home / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Content Editor",
        GIT_AUTHOR_EMAIL="editor@example.org",
        GIT_COMMITTER_NAME="Content Editor",
        GIT_COMMITTER_EMAIL="editor@example.org",
    )
    hook_repo = home / "hook-repo"
    hook_repo.mkdir()
    return env, hook_repo, snapshot_checkout(hook_repo, env)


def content_repo(
    site: Path, hook: tuple[dict[str, str], Path, str], hook_config: dict[str, object]
) -> None:
    """A site repository whose pre-commit config runs the checker hook, installed."""
    env, hook_repo, rev = hook
    (site / "content" / "e").mkdir(parents=True)
    git("init", "-q", cwd=site, env=env)
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [hook_config]}]}
    (site / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr


@pytest.mark.slow
@pytest.mark.precommit
def test_pre_commit_hook_accepts_clean_pages_and_refuses_a_missing_disclaimer(
    tmp_path: Path, hook: tuple[dict[str, str], Path, str]
) -> None:
    env = hook[0]
    site = tmp_path / "site"
    content_repo(site, hook, {"id": "checker"})

    # A clean page commits; the hook (and its environment, built from this checkout) runs.
    (site / "content" / "e" / "examplamine.md").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    accepted = git("commit", "-m", "Add examplamine", cwd=site, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "checker" in accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr

    # A page without its disclaimer is refused, and the message says where and why.
    broken = CLEAN.replace("\n\n" + DISCLAIMER_LINE, "")
    (site / "content" / "e" / "examplamine-2.md").write_text(broken, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    refused = git("commit", "-m", "Add a page without its disclaimer", cwd=site, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output
    line = len(broken.splitlines())  # DS001 points at the page's last line
    assert f"content/e/examplamine-2.md:{line}:" in output, output
    assert f"content/e/examplamine-2.md:{line}:1: DS001 [~] [error]" in output, output
    # The refusal names the command that fixes what can be fixed.
    assert "[~] 1 fixable with `checker check --fix --unsafe-fixes`." in output, output
    # Only the staged page was passed: the clean page committed before is not reported.
    assert "examplamine.md:" not in output
    assert git("log", "--format=%s", cwd=site, env=env).stdout.splitlines() == ["Add examplamine"]


@pytest.mark.slow
@pytest.mark.precommit
def test_a_verbose_hook_shows_warnings_and_a_raised_severity_refuses_them(
    tmp_path: Path, hook: tuple[dict[str, str], Path, str]
) -> None:
    """The README's hook settings: `verbose: true` shows the warnings of a commit that passes,
    and `severity = "error"` in checker.toml makes the rule refuse the commit."""
    env = hook[0]
    site = tmp_path / "site"
    content_repo(site, hook, {"id": "checker", "verbose": True})
    page = site / "content" / "e" / "examplamine.md"
    page.write_text(CLEAN.replace("\n\n**Disclaimer:**", "  \n\n**Disclaimer:**", 1))
    git("add", "-A", cwd=site, env=env)
    accepted = git("commit", "-m", "Add examplamine", cwd=site, env=env)
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert " FT001 [*] [warning] " in output, output
    assert "[*] 1 fixable with `checker check --fix`." in output, output

    (site / "checker.toml").write_text('[rules.FT001]\nseverity = "error"\n')
    page.write_text(page.read_text() + "\nMore text.  \n")
    git("add", "-A", cwd=site, env=env)
    refused = git("commit", "-m", "More text", cwd=site, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert " FT001 [*] [error] " in output, output


@pytest.mark.slow
@pytest.mark.precommit
def test_pre_commit_hook_with_fix_refuses_a_page_whose_title_another_page_has(
    tmp_path: Path, hook: tuple[dict[str, str], Path, str]
) -> None:
    # `args: [--fix]` is the usual way to run a fixing linter as a hook. Fixing goes through
    # the same run as checking, so the site-wide rules still see the whole content root.
    env = hook[0]
    site = tmp_path / "site"
    content_repo(site, hook, {"id": "checker", "args": ["--fix"]})
    (site / "checker.toml").write_text('content-root = "content"\n', encoding="utf-8")
    (site / "content" / "e" / "examplamine.md").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    accepted = git("commit", "-m", "Add examplamine", cwd=site, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    # The same page under another name: nothing to fix, but its title is taken.
    (site / "content" / "e" / "examplamine-copy.md").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    refused = git("commit", "-m", "Add a page with a taken title", cwd=site, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output
    title_line = CLEAN.splitlines().index("title: Examplamine") + 1
    assert f"content/e/examplamine-copy.md:{title_line}:1: XP001 [error]" in output, output
    assert git("log", "--format=%s", cwd=site, env=env).stdout.splitlines() == ["Add examplamine"]


@pytest.mark.precommit
def test_hook_manifest_and_project_config_are_valid() -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(ROOT / name)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert (hook["id"], hook["language"], hook["types"]) == ("checker", "python", ["markdown"])
    assert hook.get("pass_filenames", True) is True
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    ids = {hook["id"] for repo in local["repos"] for hook in repo["hooks"]}
    assert {"checker", "ruff", "ruff-format", "mypy", "import-linter"} <= ids
