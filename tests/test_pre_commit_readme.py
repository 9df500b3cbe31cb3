"""The pre-commit hook lets a site's README through: a Markdown file without front matter that
no template claims is not a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_pre_commit import CLEAN, content_repo, git, hook  # noqa: F401 (a fixture)


@pytest.mark.slow
def test_pre_commit_hook_accepts_a_readme_beside_the_pages(
    tmp_path: Path,
    hook: tuple[dict[str, str], Path, str],  # noqa: F811
) -> None:
    env = hook[0]
    site = tmp_path / "site"
    content_repo(site, hook, {"id": "checker"})
    (site / "checker.toml").write_text('content-root = "content"\n', encoding="utf-8")
    (site / "README.md").write_text("# Our drug pages\n\nHow to add a page.\n", encoding="utf-8")
    (site / "content" / "e" / "examplamine.md").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    accepted = git("commit", "-m", "Add the README and a page", cwd=site, env=env)
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert "Passed" in output and "FM001" not in output
