"""`checker check --fix / --diff / --fix-only / --unsafe-fixes`, end to end in a subprocess."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_checker
from tests.fix_pages import DEFECT_PAGES, V2_SECTIONS, v2_page


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "checker.toml").write_text("", encoding="utf-8")
    return site


def _hashes(folder: Path) -> dict[str, str]:
    """Every file of the site but the result cache, which fixing fills as checking does."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".checker_cache" not in p.relative_to(folder).parts
    }


def test_fix_writes_safe_fixes_and_reports_what_remains(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    clean = v2_page(V2_SECTIONS, disclaimer=False)
    page.write_text(clean.replace("Nausea.", "Nausea.   ") + "\n\n", encoding="utf-8")
    result = run_checker("check", "content", "--fix", cwd=site)
    assert page.read_text(encoding="utf-8") == clean
    assert "DS001" in result.stdout  # the unsafe fix was not applied, so it remains
    # One sentence for what was found, fixed and left (as Ruff says it), then the one hint.
    assert result.stderr.splitlines() == [
        "Found 3 violations in 1 file checked (2 fixed in 1 file, 1 remaining: 1 error).",
        "[~] 1 more fixable with `checker check --fix --unsafe-fixes`.",
        "Run `checker rule CODE` to learn about a rule.",
    ]
    assert result.returncode == 1  # DS001 is an error

    result = run_checker("check", "content", "--fix", "--unsafe-fixes", cwd=site)
    assert page.read_text(encoding="utf-8") == v2_page(V2_SECTIONS)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "Found 1 violation in 1 file checked (1 fixed in 1 file, 0 remaining)."
    ]


def test_every_fix_mode_runs_the_site_rules_and_fails_on_a_taken_title(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "checker.toml").write_text('content-root = "content"\n', encoding="utf-8")
    clean = v2_page(V2_SECTIONS)
    (site / "content" / "aspirin.md").write_text(clean, encoding="utf-8")
    copy = site / "content" / "aspirin-copy.md"
    title_line = clean.splitlines().index("title: Aspirin") + 1
    expected = f"content/aspirin-copy.md:{title_line}:1: XP001 [error]"
    for mode in ("--fix", "--diff", "--fix-only"):
        # The copy has a fixable defect, so that fixing it is part of the run.
        copy.write_text(clean.replace("Nausea.", "Nausea.   "), encoding="utf-8")
        result = run_checker("check", "content/aspirin-copy.md", mode, cwd=site)
        assert result.returncode == 1, (mode, result.stdout, result.stderr)
        left = "1 would remain: XP001." if mode == "--diff" else "1 remaining: "
        left += "" if mode == "--diff" else "1 error)" if mode == "--fix" else "XP001)"
        assert left in result.stderr, (mode, result.stderr)
        if mode == "--fix":
            assert expected in result.stdout, result.stdout
            assert copy.read_text(encoding="utf-8") == clean
        if mode == "--diff":
            assert "+Nausea." in result.stdout and "XP001" not in result.stdout
    checked = run_checker("check", "content/aspirin-copy.md", cwd=site)
    assert checked.returncode == 1
    assert expected in checked.stdout


def test_diff_prints_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for name, text in DEFECT_PAGES.items():
        (site / "content" / f"{name}.md").write_bytes(text.encode("utf-8"))
    before = _hashes(site)
    result = run_checker("check", "content", "--diff", "--unsafe-fixes", cwd=site)
    assert _hashes(site) == before
    assert "+++ b/content/formatting.md" in result.stdout
    assert '-# "Aspirin"\n+# Aspirin\n' in result.stdout
    assert "bad-yaml.md" not in result.stdout
    assert result.returncode == 1  # something would change
    # Only what the diff would do: no count of the findings after the fixes, no second hint.
    summary = result.stderr.splitlines()[0]
    assert summary.startswith("Would fix "), result.stderr
    assert "Found" not in result.stderr and "--unsafe-fixes`" not in result.stderr


def test_diff_says_what_it_would_fix_and_the_unsafe_hint_once(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    page.write_text(
        v2_page(V2_SECTIONS, disclaimer=False).replace("Nausea.", "Nausea.   ") + "\n\n"
    )
    (site / "content" / "clean.md").write_text(v2_page(V2_SECTIONS).replace("Aspirin", "Clean"))
    result = run_checker("check", "content", "--diff", cwd=site)
    assert result.stderr.splitlines() == [
        "Would fix 2 of 3 violations in 2 files checked, changing 1 file; 1 would remain: DS001.",
        "[~] 1 more fixable with `checker check --diff --unsafe-fixes`.",
        "Run `checker rule CODE` to learn about a rule.",
    ]


def test_fix_only_prints_no_violations_but_the_exit_code_reflects_them(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    page.write_text(v2_page(V2_SECTIONS, disclaimer=False) + "\n\n", encoding="utf-8")
    result = run_checker("check", "content", "--fix-only", cwd=site)
    assert result.stdout == ""
    # The findings are not shown, so the summary names their codes.
    assert result.stderr.splitlines() == [
        "Found 2 violations in 1 file checked (1 fixed in 1 file, 1 remaining: DS001).",
        "[~] 1 more fixable with `checker check --fix-only --unsafe-fixes`.",
        "Run `checker rule CODE` to learn about a rule.",
    ]
    assert result.returncode == 1


def test_broken_yaml_and_unreadable_pages_are_left_byte_for_byte(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "content" / "yaml.md").write_text(DEFECT_PAGES["bad-yaml"], encoding="utf-8")
    (site / "content" / "latin1.md").write_bytes("---\ntitle: caf\xe9  \n---\n".encode("latin-1"))
    before = _hashes(site)
    result = run_checker("check", "content", "--fix", "--unsafe-fixes", cwd=site)
    assert _hashes(site) == before
    assert "2 files left untouched: unreadable, or broken YAML (IO001, FM002)." in result.stderr
    assert result.returncode == 1, result.stderr


def test_files_outside_the_content_root_are_not_written(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "checker.toml").write_text('content-root = "content"\n', encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text(v2_page(V2_SECTIONS) + "\n\n", encoding="utf-8")
    (site / "content" / "linked.md").symlink_to(outside)
    (site / "notes.md").write_text(v2_page(V2_SECTIONS) + "\n\n", encoding="utf-8")
    before = outside.read_bytes(), (site / "notes.md").read_bytes()
    result = run_checker("check", ".", "--fix", cwd=site)
    assert (outside.read_bytes(), (site / "notes.md").read_bytes()) == before
    assert "outside the content root" in result.stderr
    assert result.returncode == 1


def test_crlf_and_bom_pages_keep_their_style(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    clean = ("\ufeff" + v2_page(V2_SECTIONS)).replace("\n", "\r\n").encode("utf-8")
    page.write_bytes(clean.replace(b"Nausea.", b"Nausea.\t "))
    result = run_checker("check", "content", "--fix", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert page.read_bytes() == clean


def test_stdin_fix_prints_the_fixed_page_and_writes_no_file(tmp_path: Path) -> None:
    text = v2_page(V2_SECTIONS)
    named = tmp_path / "aspirin.md"
    named.write_text("on disk\n", encoding="utf-8")
    result = run_checker(
        "check",
        "-",
        "--fix",
        "--stdin-filename",
        str(named),
        stdin=(text + "\n\n").encode(),
        cwd=tmp_path,
    )
    assert result.stdout == text
    assert result.returncode == 0, result.stderr
    assert named.read_text(encoding="utf-8") == "on disk\n"


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    result = run_checker("check", ".", "--unsafe-fixes", cwd=tmp_path)
    assert result.returncode == 2
    assert "--unsafe-fixes needs --fix" in result.stderr


def test_fixing_from_cached_findings_writes_what_fixing_from_scratch_writes(
    tmp_path: Path,
) -> None:
    # A check fills the cache; the fix run then starts each page from its cached findings.
    warm, cold = _site(tmp_path / "warm"), _site(tmp_path / "cold")
    for site in (warm, cold):
        for name, text in DEFECT_PAGES.items():
            (site / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    checked = run_checker("check", "content", cwd=warm)
    assert checked.returncode == 1, checked.stderr
    assert (warm / ".checker_cache").is_dir()
    from_cache = run_checker("check", "content", "--fix", "--unsafe-fixes", cwd=warm)
    scratch = run_checker("check", "content", "--fix", "--unsafe-fixes", "--no-cache", cwd=cold)
    assert from_cache.returncode == scratch.returncode
    assert from_cache.stdout == scratch.stdout
    assert _hashes(warm / "content") == _hashes(cold / "content")
    assert _hashes(warm / "content") != {}


def test_fix_removes_what_runs_that_are_gone_staged_in_the_folders_it_writes(
    tmp_path: Path,
) -> None:
    """A run killed outright (SIGKILL, out of memory) leaves its staged pages behind, named for
    its process; the next fix run removes those of processes that are gone, and nothing else."""
    site = _site(tmp_path)
    page = site / "content" / "aspirin.md"
    page.write_text(v2_page(V2_SECTIONS).replace("Nausea.", "Nausea.   "), encoding="utf-8")
    gone = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead = int(subprocess.run(gone, check=True, capture_output=True, text=True).stdout)
    abandoned = site / "content" / f".checker-{dead}-x1y2z3.tmp"
    running = site / "content" / f".checker-{os.getppid()}-a1b2c3.tmp"
    elsewhere = site / "other" / f".checker-{dead}-x1y2z3.tmp"
    for path in (abandoned, running, elsewhere):
        path.parent.mkdir(exist_ok=True)
        path.write_text("half a page")
    result = run_checker("check", "content", "--fix", cwd=site)
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8") == v2_page(V2_SECTIONS)
    assert not abandoned.exists()
    # Another run's, still at work; and one in a folder this run does not write.
    assert running.exists() and elsewhere.exists()
