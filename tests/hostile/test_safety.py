"""Data safety under hostile setups: every per-page step guarded in any thread, regular
expressions in linear time, writes confined, honest reports, safe fixes that leave code alone,
one definition of a line, output that never crashes. The hostile pages themselves are cases in
`tests/hostile/cases.py`; these tests cover what a case cannot show."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from checker.document.guard import PageTimeout, time_limit
from checker.document.page import Page
from checker.formatters import RenderContext
from checker.lint.engine import Engine, fix_text
from checker.lint.resolver import Overrides
from checker.lint.sitepass import site_pages
from checker.project.config import ConfigFinder, site_root
from checker.project.patterns import user_pattern
from checker.project.targets import Target
from tests.conftest import ROOT, run_checker
from tests.fix_pages import V2_SECTIONS, v2_page
from tests.hostile.cases import PAGE

FAST_LIMIT = "[limits]\nmax-page-seconds = 0.2\n"


def _in_thread(work: object) -> object:
    """Run `work()` on a thread that is not the main one (as the language server does)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()  # type: ignore[operator]
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the time limit did not stop the work"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


# -- every per-page step runs under the guard, in any thread ---------------------------------


def test_the_time_limit_stops_work_off_the_main_thread() -> None:
    def spin() -> str:
        with time_limit(0.2):
            while True:
                pass

    with pytest.raises(PageTimeout):
        _in_thread(spin)


def test_a_finished_guard_leaves_no_exception_behind() -> None:
    def many() -> int:
        finished = 0
        for _ in range(300):
            try:
                with time_limit(0.001):
                    sum(range(200))
                finished += 1
            except PageTimeout:
                pass
        time.sleep(0.05)  # a late exception would land here
        return finished

    assert isinstance(_in_thread(many), int)


def test_a_stalled_summary_in_an_editor_thread_becomes_io001(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.pagecheck

    def stall(*args: object) -> None:
        while True:
            pass

    monkeypatch.setattr(checker.lint.pagecheck, "summarise", stall)
    (tmp_path / "checker.toml").write_text(FAST_LIMIT)
    page = tmp_path / "page.md"
    engine = Engine(Overrides(), ConfigFinder())
    result = _in_thread(lambda: engine.check_target(Target(page, "page.md", PAGE.encode())))
    assert [v.code for v in result.violations] == ["IO001"]  # type: ignore[attr-defined]
    assert "limits.max-page-seconds" in result.violations[0].message  # type: ignore[attr-defined]


def test_a_summary_that_raises_is_ie001_on_its_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.pagecheck

    def broken(*args: object) -> None:
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(checker.lint.pagecheck, "summarise", broken)
    engine = Engine(Overrides(), ConfigFinder())
    result = engine.check_target(Target(tmp_path / "page.md", "page.md", PAGE.encode()))
    (violation,) = result.violations
    assert violation.code == "IE001"
    assert "checking the page crashed (ValueError" in violation.message


def test_fixing_in_an_editor_thread_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.fixpass

    def stall(*args: object, **kwargs: object) -> None:
        while True:
            pass

    monkeypatch.setattr(checker.lint.fixpass, "fix_page", stall)
    (tmp_path / "checker.toml").write_text(FAST_LIMIT)
    text = PAGE.replace("mouth.", "mouth. ")
    fixed = _in_thread(lambda: fix_text(text, tmp_path / "page.md"))
    assert fixed == text  # not fixed: over the time limit, the page is left as it was


def test_a_slow_page_elsewhere_in_the_site_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.sitepass

    real = checker.lint.sitepass.summarise_target

    def slow_for_one(target: Target, *args: object) -> object:
        if target.path is not None and target.path.name == "slow.md":
            while True:
                pass
        return real(target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(checker.lint.sitepass, "summarise_target", slow_for_one)
    (tmp_path / "checker.toml").write_text(FAST_LIMIT)
    (tmp_path / "slow.md").write_text(PAGE)
    (tmp_path / "other.md").write_text(PAGE)
    config = ConfigFinder().for_path(tmp_path / "other.md")
    summaries = site_pages(config, known=[])
    assert [Path(s.file).name for s in summaries] == ["other.md"]


def test_a_page_over_a_limit_is_reported_whatever_rules_are_selected(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("[limits]\nmax-markup-chars = 1000\n")
    (tmp_path / "page.md").write_text(PAGE + "text \n" * 2_000)
    args = ("check", "page.md", "--no-cache", "--output-format", "concise")
    selected = run_checker(*args, "--select", "CT002", cwd=tmp_path)
    assert selected.returncode == 1
    # Over limits.max-markup-chars: CT002 saw part of it.
    assert " IO001 [error] " in selected.stdout and "(limits.max-markup-chars" in selected.stdout
    # Only an ignore that names it hides it.
    ignored = run_checker(*args, "--select", "CT002", "--ignore", "unreadable-file", cwd=tmp_path)
    assert (ignored.returncode, ignored.stdout) == (0, "")


# -- one regex policy ------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(a|a)*$", r"\s*\s*\s*\s*\s*x", r"(a+)+$"])
def test_patterns_that_backtrack_run_on_the_linear_engine(pattern: str) -> None:
    compiled = user_pattern(pattern)
    assert type(compiled).__module__ != "re"
    text = "a" * 100_000 + "!" if "s" not in pattern else " " * 100_000
    assert compiled.search(text) is None or pattern == r"(a|a)*$"


def test_user_patterns_keep_pythons_unicode_classes() -> None:
    # RE2's \b stays ASCII (docs/robustness.md); \w, \d and \s read as Python reads them.
    assert user_pattern(r"caf\w", ignore_case=True).search("CAFÉ au lait") is not None
    assert user_pattern(r"\d+\s?mg").search("\uff15\u00a0mg") is not None


def test_config_patterns_run_in_linear_time_and_python_only_ones_are_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "checker.toml").write_text(
        "[rules.dose-notation]\n"
        'extend = [{pattern = "(a|aa)+$", use = "x"}]\n'
        "[rules.refusal]\n"
        'patterns = ["\\\\s*\\\\s*\\\\s*\\\\s*\\\\s*z"]\n'
    )
    page = PAGE + "\n" + "a" * 30_000 + "!\n\n" + " " * 30_000 + "y\n"
    (tmp_path / "page.md").write_text(page)
    result = run_checker("check", "page.md", "--select", "CT005,CT002", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "IO001" not in result.stdout

    (tmp_path / "checker.toml").write_text(
        '[rules.dose-notation]\nextend = [{pattern = "(?<!x)mg", use = "x"}]\n'
    )
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "rules.CT005.extend.0.pattern" in result.stderr
    assert "lookbehind" in result.stderr
    assert "Traceback" not in result.stderr


# -- writes are confined; reports are honest -------------------------------------------------


def test_fix_never_writes_through_a_symlinked_page(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.checker]\ncontent-root = "content"\n')
    (tmp_path / "content").mkdir()
    # A page by its front matter, with a fix to make, reached through a link.
    target = tmp_path / "content" / "notes.txt"
    target.write_text("---\ntitle: Notes\n---\nx = 1   \n")
    before = target.read_bytes()
    (tmp_path / "content" / "notes.md").symlink_to("notes.txt")
    result = run_checker("check", "content", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert target.read_bytes() == before
    assert (tmp_path / "content" / "notes.md").is_symlink()
    assert "not written: the page is a symbolic link" in result.stderr
    assert result.returncode == 1


def test_a_config_inside_the_content_tree_cannot_widen_the_content_root(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('content-root = "content"\n')
    (tmp_path / "content" / "deep").mkdir(parents=True)
    (tmp_path / "content" / "deep" / "checker.toml").write_text('content-root = "/"\n')
    nested = ConfigFinder().for_path(tmp_path / "content" / "deep" / "page.md")
    assert nested.content_root == Path("/")
    assert (tmp_path / "content").resolve() in nested.write_roots
    assert site_root(nested) == (tmp_path / "content").resolve()


def test_a_page_that_was_not_written_is_not_counted_as_fixed(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(v2_page(V2_SECTIONS.replace("Used for pain.", "Used for pain. ")))
    page.chmod(0o444)
    try:
        result = run_checker("check", "page.md", "--fix", cwd=tmp_path)
    finally:
        page.chmod(0o644)
    assert "not written" in result.stderr
    assert "Found 1 violation in 1 file checked (0 fixed, 1 remaining: 1 warning)." in result.stderr
    assert "[*] 1 with a safe fix could not be fixed automatically this run." in result.stderr
    assert result.returncode == 1


# -- safe fixes leave code alone; block-quote prefixes are structure ----------------------------


def test_a_safe_fix_leaves_code_blocks_alone() -> None:
    page = v2_page(V2_SECTIONS + "\n```\ncode   \nno\u00a0break\n```\n")
    assert fix_text(page, select=("FT",)) == page
    unsafe = fix_text(page, select=("FT",), unsafe=True)
    assert "```\ncode\nno break\n```" in unsafe


def test_a_heading_in_a_block_quote_between_quote_lines_has_its_blank_lines(
    tmp_path: Path,
) -> None:
    quoted = "\n> A quote.\n>\n> ## Inside\n>\n> More.\n"
    (tmp_path / "page.md").write_text(v2_page(V2_SECTIONS + quoted))
    result = run_checker("check", "page.md", "--select", "FT004", cwd=tmp_path)
    assert "FT004" not in result.stdout, result.stdout


# -- lines are lines ---------------------------------------------------------------------------


def test_the_product_never_splits_lines_with_splitlines() -> None:
    users = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "checker").rglob("*.py")
        if ".splitlines(" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def test_report_lines_from_standard_input_are_the_pages_lines() -> None:
    text = "a\x0cb\x1cc\x85d\u2028e\r\nf\rg\n"
    page = Page(None, "-", text.encode("utf-8"), None)
    context = RenderContext(sources={"-": text})
    assert context.source_lines("-") == page.lines == ["a\x0cb\x1cc\x85d\u2028e", "f", "g"]


# -- output never crashes ----------------------------------------------------------------------


def test_an_unwritable_output_file_is_a_one_line_usage_error(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", "--output-file", "missing/out.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "--output-file missing/out.txt: cannot write it" in result.stderr


def test_output_on_a_stream_that_cannot_encode_is_replaced_not_a_crash(tmp_path: Path) -> None:
    import os

    (tmp_path / "page.md").write_text(PAGE.replace("# Examplamine", "# Exämplamine"))
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    result = run_checker("check", "page.md", "--output-format", "concise", cwd=tmp_path, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "Ex?mplamine" in result.stdout


# -- the config and pack loader refuse what they cannot read ---------------------------------


def test_a_config_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_bytes(b'select = ["FT"]\n# caf\xe9\n')
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "checker.toml: the config file is not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pack_value_that_cannot_be_built_is_a_usage_error(tmp_path: Path) -> None:
    import shutil

    from checker.project.pack import bundled_pack_dir

    shutil.copytree(bundled_pack_dir(), tmp_path / "pack")
    pack_file = tmp_path / "pack" / "pack.yaml"
    pack_file.write_text(pack_file.read_text() + "\nreviewed: 2024-02-30\n")
    (tmp_path / "checker.toml").write_text('pack = "pack"\n')
    (tmp_path / "page.md").write_text(PAGE)
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "pack.yaml" in result.stderr and "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_page_named_by_a_link_and_by_itself_is_checked_once_as_itself(tmp_path: Path) -> None:
    from checker.project.discovery import discover

    (tmp_path / "real.md").write_text(PAGE)
    (tmp_path / "alias.md").symlink_to("real.md")
    (tmp_path / "a").mkdir()
    found = discover(
        [str(tmp_path / "alias.md"), str(tmp_path / "a" / ".." / "real.md"), str(tmp_path)],
        ConfigFinder(),
    )
    assert [t.path.name for t in found.targets if t.path is not None] == ["real.md"]


# -- the fuzz targets ------------------------------------------------------------------------


def test_each_fuzz_target_runs_with_one_command_and_its_corpus_stays_out_of_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.syspath_prepend(str(ROOT / "fuzz"))
    import launch

    monkeypatch.setattr(launch, "FUZZ", tmp_path)
    seeds = ROOT / "fuzz" / "seeds"
    argv = launch.arguments(["fuzz_page.py"], "corpus", seeds)
    assert argv[1:] == [
        "-max_total_time=600",
        "-timeout=10",
        "-rss_limit_mb=2048",
        str(tmp_path / "corpus"),
    ]
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["drug-v1.md", "drug-v2.md"]
    # Flags given replace the defaults; a folder given is used as it is.
    given = launch.arguments(["fuzz_page.py", "-max_total_time=60", "elsewhere"], "corpus", seeds)
    assert given[1:] == ["-timeout=10", "-rss_limit_mb=2048", "-max_total_time=60", "elsewhere"]
    for corpus in ("corpus", "config-corpus"):
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", f"fuzz/{corpus}/input"], cwd=ROOT, check=False
        )
        assert ignored.returncode == 0, f"fuzz/{corpus}/ is not ignored by git"
    for target in ("fuzz_page.py", "fuzz_config.py"):
        source = (ROOT / "fuzz" / target).read_text()
        assert "arguments(sys.argv" in source and f"python fuzz/{target}" in source
