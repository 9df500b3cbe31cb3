"""`--changed-since REF`: only the files git reports as changed, plus untracked ones."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require, run_checker


@pytest.fixture(autouse=True)
def _git() -> None:
    require(shutil.which("git") is not None, "git")


BAD_PAGE = "---\nlayout: minimal-medicine\ntitle: {title}\n---\n\n# {title}\n\nText. \n"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def paths_reported(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split(":", 1)[0] for line in result.stdout.splitlines()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    for name in ("a", "b", "c", "d"):
        page = tmp_path / "pages" / f"{name}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(BAD_PAGE.format(title=name.upper()), encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "pages")
    return tmp_path


def test_only_changed_staged_unstaged_and_untracked_pages(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "topic")
    (repo / "pages" / "a.md").write_text(BAD_PAGE.format(title="A2"), encoding="utf-8")
    git(repo, "commit", "-qam", "edit a")  # committed on the branch
    (repo / "pages" / "b.md").write_text(BAD_PAGE.format(title="B2"), encoding="utf-8")
    git(repo, "add", "pages/b.md")  # staged
    (repo / "pages" / "c.md").write_text(BAD_PAGE.format(title="C2"), encoding="utf-8")  # unstaged
    (repo / "pages" / "new.md").write_text(BAD_PAGE.format(title="New"), encoding="utf-8")
    (repo / "pages" / "ignored.md").write_text(BAD_PAGE.format(title="I"), encoding="utf-8")
    git(repo, "rm", "-q", "pages/d.md")  # deleted: nothing to check

    result = run_checker("check", "pages", "--changed-since", "main", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert paths_reported(result) == {"pages/a.md", "pages/b.md", "pages/c.md", "pages/new.md"}
    assert "of 4 files checked" in result.stderr

    # A plain run leaves out what .gitignore leaves out too; --no-respect-gitignore checks it.
    assert "pages/ignored.md" not in paths_reported(run_checker("check", "pages", cwd=repo))
    everything = run_checker("check", "pages", "--no-respect-gitignore", cwd=repo)
    assert "pages/ignored.md" in paths_reported(everything)


def test_changes_on_the_base_branch_after_the_fork_do_not_count(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "topic")
    (repo / "pages" / "a.md").write_text(BAD_PAGE.format(title="A2"), encoding="utf-8")
    git(repo, "commit", "-qam", "edit a on the branch")
    git(repo, "switch", "-q", "main")
    (repo / "pages" / "b.md").write_text(BAD_PAGE.format(title="B2"), encoding="utf-8")
    git(repo, "commit", "-qam", "edit b on main")
    git(repo, "switch", "-q", "topic")
    result = run_checker("check", "pages", "--changed-since", "main", cwd=repo)
    assert paths_reported(result) == {"pages/a.md"}


def test_nothing_changed_checks_nothing(repo: Path) -> None:
    result = run_checker("check", "pages", "--changed-since", "HEAD", cwd=repo)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "All checks passed: 0 files checked." in result.stderr


def test_an_unknown_ref_is_a_usage_error(repo: Path) -> None:
    result = run_checker("check", "pages", "--changed-since", "no-such-branch", cwd=repo)
    assert result.returncode == 2
    assert "git knows no commit 'no-such-branch'; give a branch, tag or commit" in result.stderr


def test_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD_PAGE.format(title="A"), encoding="utf-8")
    result = run_checker(
        "check",
        "a.md",
        "--changed-since",
        "main",
        cwd=tmp_path,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert result.returncode == 2
    assert "--changed-since needs a git repository" in result.stderr
