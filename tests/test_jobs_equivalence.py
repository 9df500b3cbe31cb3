"""One process or two: `--jobs 1` and `--jobs 2` give byte-identical results on both corpora.

Covers what the pool changes: the report in every order-sensitive format, the site-wide rules
(which see every page's summary, whichever worker made it), and `--fix`, whose written pages
must not depend on which worker fixed them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.lint.pool import POOL_THRESHOLD
from tests.conftest import SHARED, require, run_process

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

CORPORA = ("rxhive-pages", "rxhive-v1-pages")
SAMPLE_SIZE = 90


def _site(name: str, tmp_path: Path) -> Path:
    """A copy of every n-th page of a corpus (folders kept), made into its own small site."""
    corpus = SHARED / "corpus" / name
    require(corpus.is_dir(), f"the shared corpus ({corpus})")
    pages = sorted(corpus.rglob("*.md"))
    step = max(1, len(pages) // SAMPLE_SIZE)
    site = tmp_path / "site"
    for page in pages[::step][:SAMPLE_SIZE]:
        target = site / page.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    assert sum(1 for _ in site.rglob("*.md")) >= POOL_THRESHOLD  # so --jobs 2 uses the pool
    return site


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.md"))}


@pytest.mark.parametrize("corpus_name", CORPORA)
def test_report_is_identical_with_one_or_two_jobs(corpus_name: str, tmp_path: Path) -> None:
    site = _site(corpus_name, tmp_path)
    outputs: dict[str, list[tuple[int, str, str]]] = {}
    for jobs in ("1", "2"):
        outputs[jobs] = []
        for output_format in ("full", "json", "sarif"):
            result = run_process(
                "check",
                ".",
                "--no-cache",
                "--jobs",
                jobs,
                "--output-format",
                output_format,
                "--select",
                "ALL",
                cwd=site,
            )
            assert result.returncode in (0, 1), result.stderr
            outputs[jobs].append((result.returncode, result.stdout, result.stderr))
    full = outputs["1"][0][1]
    assert full.count("\n") > SAMPLE_SIZE  # enough findings to compare
    assert " XP0" in full or "XP0" in outputs["1"][1][1]  # the site-wide rules ran
    assert outputs["2"] == outputs["1"]


@pytest.mark.parametrize("corpus_name", CORPORA)
def test_fix_writes_the_same_pages_with_one_or_two_jobs(corpus_name: str, tmp_path: Path) -> None:
    site = _site(corpus_name, tmp_path / "one")
    other = tmp_path / "two" / "site"
    shutil.copytree(site, other)
    before = _pages(site)
    results = {}
    for jobs, folder in (("1", site), ("2", other)):
        result = run_process(
            "check", ".", "--fix", "--unsafe-fixes", "--no-cache", "--jobs", jobs, cwd=folder
        )
        assert result.returncode in (0, 1), result.stderr
        results[jobs] = (result.returncode, result.stdout, result.stderr)
    fixed = _pages(site)
    assert fixed != before  # the sample has fixable findings
    assert _pages(other) == fixed
    assert results["2"] == results["1"]


@pytest.mark.parametrize("corpus_name", CORPORA)
def test_one_page_sees_the_same_site_with_one_or_two_jobs(corpus_name: str, tmp_path: Path) -> None:
    """A one-page check summarises the rest of the site (in a pool with two jobs); its site
    findings are those the same page gets in a run over the whole site."""
    site = _site(corpus_name, tmp_path)
    (site / "checker.toml").write_text("")  # the site's root: the rest of it is read
    whole = run_process("check", ".", "--no-cache", "--select", "XP", cwd=site)
    assert whole.returncode in (0, 1), whole.stderr
    flagged = sorted(
        {line.split(":", 1)[0] for line in whole.stdout.splitlines() if " XP0" in line}
    )
    assert flagged  # the sample has site-wide findings
    for page in flagged[:3]:
        outputs = []
        for jobs in ("1", "2"):
            result = run_process(
                "check", page, "--no-cache", "--select", "XP", "--jobs", jobs, cwd=site
            )
            assert result.returncode in (0, 1), result.stderr
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1]
        expected = [line for line in whole.stdout.splitlines() if line.startswith(page + ":")]
        assert [line for line in outputs[0].splitlines() if " XP0" in line] == expected
