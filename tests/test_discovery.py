"""Which files a run checks: .gitignore, .ignore, include and exclude, pages and non-pages,
the default path, and the honest edges (a missing path or content root)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT, run_checker

RULES = ROOT / "tests" / "fixtures" / "rules"
CLEAN = ROOT / "content" / "a" / "aspirin.md"


def _site(tmp_path: Path, config: str = 'content-root = "content"\n') -> Path:
    """A small Git work tree: a content root with one clean page, a README, a build folder."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "checker.toml").write_text(config)
    (tmp_path / "content" / "a").mkdir(parents=True)
    shutil.copyfile(CLEAN, tmp_path / "content" / "a" / "aspirin.md")
    (tmp_path / "README.md").write_text("# My site\n\nHow to build it.\n")
    (tmp_path / "build").mkdir()
    shutil.copyfile(RULES / "FT001.md", tmp_path / "build" / "x.md")
    (tmp_path / ".gitignore").write_text("build/\n")
    return tmp_path


def _listed(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_gitignored_files_are_not_checked_unless_asked(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert _listed(run_checker("check", ".", "--show-files", cwd=site)) == [
        "README.md",
        "content/a/aspirin.md",
    ]
    result = run_checker("check", ".", "--no-respect-gitignore", "--show-files", cwd=site)
    assert "build/x.md" in _listed(result)
    # The run itself agrees with --show-files: the gitignored page's findings are not reported.
    assert "build/x.md" not in run_checker("check", ".", "--no-cache", cwd=site).stdout


def test_ignore_files_and_nested_gitignores_with_negation(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "content" / ".ignore").write_text("drafts/\n")
    (site / "content" / "drafts").mkdir()
    shutil.copyfile(CLEAN, site / "content" / "drafts" / "wip.md")
    (site / "content" / "a" / ".gitignore").write_text("*.md\n!aspirin.md\n")
    shutil.copyfile(CLEAN, site / "content" / "a" / "scratch.md")
    assert _listed(run_checker("check", "content", "--show-files", cwd=site)) == [
        "content/a/aspirin.md"
    ]


def test_gitignore_outside_a_git_work_tree_does_not_count(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.md\n")
    shutil.copyfile(CLEAN, tmp_path / "aspirin.md")
    (tmp_path / "checker.toml").write_text("")
    assert _listed(run_checker("check", ".", "--show-files", cwd=tmp_path)) == ["aspirin.md"]


def test_config_include_and_exclude_use_gitignore_patterns(tmp_path: Path) -> None:
    site = _site(tmp_path, 'include = ["*.md", "*.markdown"]\nexclude = ["/README.md", "a/"]\n')
    shutil.copyfile(CLEAN, site / "content" / "b.markdown")
    assert _listed(run_checker("check", ".", "--show-files", cwd=site)) == ["content/b.markdown"]
    # An excluded file stays excluded when named, as a pre-commit hook names every staged file.
    result = run_checker("check", "README.md", "content/a/aspirin.md", "--show-files", cwd=site)
    assert _listed(result) == []


def test_with_no_path_the_content_root_is_checked(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert _listed(run_checker("check", "--show-files", cwd=site)) == ["content/a/aspirin.md"]
    result = run_checker("check", "--no-cache", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file checked" in result.stderr


def test_a_readme_is_not_a_page(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_checker("check", ".", "--no-cache", cwd=site)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "README.md" not in result.stderr
    verbose = run_checker("check", ".", "--no-cache", "-v", cwd=site)
    assert verbose.stderr.count("README.md: not a page, skipped") == 1
    assert "1 file checked" in verbose.stderr


def test_a_pack_can_say_every_markdown_file_is_a_page(tmp_path: Path) -> None:
    site = _site(tmp_path, 'content-root = "content"\npack = "pack"\n')
    shutil.copytree(ROOT / "rules", site / "pack")
    pack = site / "pack" / "pack.yaml"
    pack.write_text(pack.read_text() + "every-md-is-a-page: true\n")
    result = run_checker("check", "README.md", "--no-cache", cwd=site)
    assert result.returncode == 1
    assert "README.md:1:1: FM001" in result.stdout


def test_a_template_that_claims_a_file_makes_it_a_page(tmp_path: Path) -> None:
    site = _site(tmp_path, '[templates]\n"README.md" = "drug-v2"\n')
    result = run_checker("check", "README.md", "--no-cache", cwd=site)
    assert "README.md:1:1: FM001" in result.stdout


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_checker("check", "nope/", "--no-cache", cwd=site)
    assert result.returncode == 2
    assert "nope/: no such file or folder" in result.stderr
    assert "All checks passed" not in result.stderr


def test_a_missing_content_root_is_a_usage_error(tmp_path: Path) -> None:
    site = _site(tmp_path, 'content-root = "nope"\n')
    result = run_checker("check", cwd=site)
    assert result.returncode == 2
    assert "nope does not exist" in result.stderr and "checker.toml" in result.stderr
    named = run_checker("check", "content", "--no-cache", cwd=site)
    assert named.returncode == 2
    assert "content-root: the folder" in named.stderr


def test_without_a_config_a_note_says_site_rules_see_only_this_run(tmp_path: Path) -> None:
    shutil.copyfile(CLEAN, tmp_path / "aspirin.md")
    result = run_checker("check", "aspirin.md", "--no-cache", cwd=tmp_path)
    assert "site-wide rules (XP) compare only the files of this run" in result.stderr
    (tmp_path / "checker.toml").write_text("")
    result = run_checker("check", "aspirin.md", "--no-cache", cwd=tmp_path)
    assert "site-wide rules" not in result.stderr


def test_show_settings_prints_the_config_template_and_rules(tmp_path: Path) -> None:
    site = _site(
        tmp_path, 'content-root = "content"\nignore = ["FT"]\n[rules.CT006]\nseverity = "error"\n'
    )
    page = "content/a/aspirin.md"
    result = run_checker("check", "--show-settings", page, cwd=site)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"config file:   {site / 'checker.toml'}" in out
    assert "template:      drug-v2" in out
    assert "  CT006  dose-unit-style" in out and "error" in out.split("CT006")[1].splitlines()[0]
    assert "FT001" not in out
    readme = run_checker("check", "--show-settings", "README.md", cwd=site)
    assert "not a page" in readme.stdout
