"""The files a branch has changed, asked of git: `checker check --changed-since REF`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from checker.document.text import split_lines
from checker.errors import UsageError


def _git(args: list[str], cwd: Path) -> str:
    git = shutil.which("git")
    if git is None:
        raise UsageError("--changed-since needs git on PATH; install git or check all the pages")
    result = subprocess.run(
        [git, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        detail = split_lines(result.stderr.strip())
        raise UsageError(f"`git {' '.join(args)}` failed: {detail[-1] if detail else 'no message'}")
    return result.stdout


def changed_since(ref: str, cwd: Path) -> set[Path]:
    """Files changed between REF and the working tree, plus untracked files, as absolute paths.

    The comparison starts at the merge base of REF and HEAD, so on a branch `--changed-since
    main` means what the branch changed, not what landed on main since it forked. Staged and
    unstaged edits count; deleted files do not.
    """
    if ref.startswith("-"):
        raise UsageError(f"--changed-since: {ref!r} is not a git ref; give a branch, tag or commit")
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    except UsageError:
        raise UsageError(
            f"--changed-since needs a git repository, and {cwd} is not inside one"
        ) from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except UsageError:
        raise UsageError(
            f"--changed-since: git knows no commit {ref!r}; give a branch, tag or commit "
            "(in a shallow CI clone, fetch it first)"
        ) from None
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--merge-base", ref, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    names = {name for name in (diff + untracked).split("\0") if name}
    return {path.resolve() for path in (top / name for name in names) if path.is_file()}
