"""Parallel checking, the result cache and lazy parsing give the same results as a plain run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from checker.document.markdown import parse_blocks, parse_inline, parse_markdown
from checker.lint.cache import CACHE_FOLDER
from checker.lint.engine import Engine
from checker.lint.pool import POOL_THRESHOLD
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.discovery import discover
from tests.conftest import ROOT, run_checker, run_process

SAMPLE_SIZE = 120


def _sample(corpus: Path) -> list[Path]:
    """Pages spread over the whole corpus (every n-th in name order), enough to use the pool."""
    pages = sorted(corpus.rglob("*.md"))
    step = max(1, len(pages) // SAMPLE_SIZE)
    return pages[::step][:SAMPLE_SIZE]


def _check(paths: list[Path], **options: object) -> Report:
    finder = ConfigFinder(None)
    targets = discover([str(p) for p in paths], finder).targets
    return Engine(Overrides(), finder, **options).check(targets)  # type: ignore[arg-type]


def _entries(folder: Path) -> list[str]:
    """The pages that the cache indexes in `folder`."""
    pages = []
    for index in folder.glob("index-*.json"):
        pages.extend(json.loads(index.read_bytes())["entries"])
    return pages


@pytest.fixture
def sample(corpus: Path) -> list[Path]:
    pages = _sample(corpus)
    assert len(pages) >= POOL_THRESHOLD  # so that --jobs 2 really uses the pool
    return pages


@pytest.mark.slow  # a sample of the corpus, through the pool
def test_cli_output_is_identical_across_jobs_and_cache(sample: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = [str(p) for p in sample]
    runs = {
        "jobs 1, no cache": ["--jobs", "1", "--no-cache"],
        "jobs 2, no cache": ["--jobs", "2", "--no-cache"],
        "jobs 2, cold cache": ["--jobs", "2", "--cache-dir", str(cache)],
        "jobs 2, warm cache": ["--jobs", "2", "--cache-dir", str(cache)],
        "jobs 1, warm cache": ["--jobs", "1", "--cache-dir", str(cache)],
    }
    outputs = {}
    for name, extra in runs.items():
        result = run_process("check", *args, "--output-format", "full", *extra)
        assert result.returncode in (0, 1), result.stderr
        outputs[name] = (result.returncode, result.stdout, result.stderr)
    reference = outputs["jobs 1, no cache"]
    assert reference[1].count("\n") > len(sample)  # the sample has findings to compare
    for name, output in outputs.items():
        assert output == reference, f"{name} differs from a single-process run without cache"
    assert len(_entries(cache)) == len(sample)


@pytest.mark.slow  # a sample of the corpus, through the pool
def test_engine_results_are_identical_and_in_order(sample: list[Path], tmp_path: Path) -> None:
    single = _check(sample, jobs=1)
    pooled = _check(sample, jobs=2)
    cold = _check(sample, jobs=2, use_cache=True, cache_dir=tmp_path)
    warm = _check(sample, jobs=2, use_cache=True, cache_dir=tmp_path)
    assert [r.display for r in single.results] == [Path(p).as_posix() for p in sample]
    assert pooled.results == single.results
    assert cold.results == single.results
    assert warm.results == single.results


@pytest.mark.slow  # a sample of the corpus, through the pool
def test_warm_run_checks_nothing(
    sample: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(sample[:10], use_cache=True, cache_dir=tmp_path)

    def fail(self: Engine, work: object, **options: bool) -> None:
        raise AssertionError("a page was checked although its result was cached")

    monkeypatch.setattr(Engine, "run_work", fail)
    again = _check(sample[:10], use_cache=True, cache_dir=tmp_path)
    assert again.results == first.results


def _project(tmp_path: Path, page: str, config: str = "") -> Path:
    (tmp_path / "checker.toml").write_text(config, encoding="utf-8")
    path = tmp_path / "page.md"
    path.write_text(page, encoding="utf-8")
    return path


def test_cache_misses_when_the_page_or_config_changes(tmp_path: Path) -> None:
    page = _project(tmp_path, "---\ntitle: A\n---\n# A\n\ntext   \n")
    run = ["check", str(page), "--select", "FT001", "--output-format", "concise"]
    first = run_checker(*run, cwd=tmp_path)
    assert "FT001" in first.stdout
    assert (tmp_path / CACHE_FOLDER / "CACHEDIR.TAG").is_file()  # the project root by default
    page.write_text("---\ntitle: A\n---\n# A\n\ntext\n", encoding="utf-8")
    assert "FT001" not in run_checker(*run, cwd=tmp_path).stdout
    page.write_text("---\ntitle: A\n---\n# A\n\ntext   \n", encoding="utf-8")
    assert "FT001" in run_checker(*run, cwd=tmp_path).stdout
    (tmp_path / "checker.toml").write_text('ignore = ["FT001"]\n', encoding="utf-8")
    quiet = run_checker("check", str(page), "--output-format", "concise", cwd=tmp_path)
    assert "FT001" not in quiet.stdout
    (tmp_path / "checker.toml").write_text('[rules.FT001]\nseverity = "error"\n', encoding="utf-8")
    strict = run_checker(*run, cwd=tmp_path)
    assert "FT001 [*] [error]" in strict.stdout


@pytest.mark.slow  # a sample of the corpus, through the pool
def test_concurrent_runs_share_a_cache(sample: list[Path], tmp_path: Path) -> None:
    args = [str(p) for p in sample[:60]]
    expected = run_process("check", *args, "--no-cache", "--output-format", "concise").stdout
    outputs: list[str] = []

    def run() -> None:
        result = run_process(
            "check",
            *args,
            "--jobs",
            "2",
            "--cache-dir",
            str(tmp_path),
            "--output-format",
            "concise",
        )
        outputs.append(result.stdout)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outputs == [expected] * 3
    leftovers = list(tmp_path.glob(".tmp-*"))
    assert not leftovers


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    page = _project(tmp_path, "---\ntitle: A\n---\n# A\n")
    result = run_checker("check", str(page), "--no-cache", cwd=tmp_path)
    # The run checked the page (a crash would also write no cache).
    assert result.returncode == 1, result.stderr
    assert "1 of 1 file checked" in result.stderr
    assert not (tmp_path / CACHE_FOLDER).exists()


def test_clean_removes_the_cache(tmp_path: Path) -> None:
    page = _project(tmp_path, "---\ntitle: A\n---\n# A\n")
    assert run_checker("check", str(page), cwd=tmp_path).returncode == 1
    assert (tmp_path / CACHE_FOLDER).is_dir()
    result = run_checker("clean", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / CACHE_FOLDER).exists()
    assert "nothing to remove" in run_checker("clean", cwd=tmp_path).stdout


def test_clean_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "todo.txt").write_text("keep me", encoding="utf-8")
    result = run_checker("clean", "--cache-dir", str(keep), cwd=tmp_path)
    assert result.returncode == 2
    assert "not a checker cache" in result.stderr
    assert (keep / "todo.txt").is_file()


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = run_checker("check", ".", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--jobs" in result.stderr


def _tokens(tokens: list[object]) -> list[dict[str, object]]:
    return [token.as_dict() for token in tokens]  # type: ignore[attr-defined]


@pytest.mark.slow  # a sample of the corpus, through the pool
def test_lazy_inline_parsing_equals_a_full_parse(sample: list[Path]) -> None:
    for path in sample:
        body = path.read_text(encoding="utf-8")
        full = parse_markdown(body, 50)
        env: dict[str, object] = {}
        lazy = parse_blocks(body, 50, env)
        assert all(not token.children for token in lazy if token.type == "inline")
        for token in lazy:
            if token.type == "inline":
                parse_inline(token, 50, env)
        assert _tokens(lazy) == _tokens(full), path


def _run_script(script: str, cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `script` in a new interpreter; the JSON object it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    state: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return state


def test_one_page_imports_only_what_it_needs(seed: Path) -> None:
    script = f"""
import json, sys
import checker.project.pack
reads = []
original = checker.project.pack._read_yaml
def counting(path):
    reads.append(str(path))
    return original(path)
checker.project.pack._read_yaml = counting
from checker.cli import main
code = main(["check", {str(seed)!r}, "--no-cache", "-q", "--output-format", "concise"])
print(json.dumps({{"modules": sorted(sys.modules), "reads": reads, "code": code}}))
"""
    # No compiled pack, so that the pack is read here (test_compiled_settings covers that).
    state = _run_script(script, ROOT, {**os.environ, "CHECKER_CACHE_HOME": ""})
    modules = set(state["modules"])
    assert "checker.formatters.concise" in modules  # the check did run and render
    for unwanted in ("pygls", "lsprotocol", "checker.formatters.full", "multiprocessing"):
        assert unwanted not in modules, f"`checker check one.md` imported {unwanted}"
    assert not any(name.startswith(("pygls.", "lsprotocol.")) for name in modules)
    reads = state["reads"]
    assert reads, "the rule pack was not read"
    assert len(reads) == len(set(reads)), f"a rule pack file was parsed twice: {reads}"


def test_pages_with_dated_suppressions_are_keyed_by_day(monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.lint.cache

    dated = b"<!-- checker: disable-next-line FT001 until=2030-01-01 -->\ntext  \n"
    plain = b"text  \n"
    monkeypatch.setattr(checker.lint.cache, "today", lambda: "2029-12-31")
    day = checker.lint.cache.day_of(dated)
    assert checker.lint.cache.day_of(plain) is None
    assert checker.lint.cache.is_current(day)
    monkeypatch.setattr(checker.lint.cache, "today", lambda: "2030-01-02")
    assert not checker.lint.cache.is_current(day)
    assert checker.lint.cache.is_current(None)


def test_a_check_with_the_cache_loads_neither_the_fixer_nor_the_writer(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("---\ntitle: Page\n---\n\n# Page\n\nText.  \n")
    run = 'main(["check", "page.md", "-q", "--cache-dir", "cache", "--output-format", "concise"])'
    # The second run takes the page's result from the cache.
    script = f"""
import json, sys
from checker.cli import main
codes = [{run}, {run}]
print(json.dumps({{"modules": sorted(sys.modules), "codes": codes}}))
"""
    state = _run_script(script, tmp_path)
    assert state["codes"] == [1, 1]
    modules = set(state["modules"])
    assert "checker.lint.cache" in modules
    for unwanted in ("checker.fixing.writer", "checker.fixing.fixer", "checker.lint.fixpass"):
        assert unwanted not in modules, f"a check with the cache imported {unwanted}"
