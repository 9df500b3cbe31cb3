"""The result cache: its folder is the checker's own, its index is data checked before use, and
a warm run reads only what changed, with the same results as a run without it."""

from __future__ import annotations

import datetime
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

import checker.lint.cache
import checker.lint.sitepass
from checker.lint import cache
from checker.lint.engine import Engine
from checker.lint.planner import Planner
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.discovery import discover
from checker.project.targets import Target
from checker.rules.summary import PageSummary
from tests.conftest import ROOT, run_checker, run_process

CONTENT = ROOT / "content"
PAGE = "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n# Aspirin\n\ntext with trailing   \n"
HOUR_NS = 3_600_000_000_000


def _project(tmp_path: Path, pages: int = 6) -> Path:
    """A project of a few pages, each with a fixable finding, changed an hour ago."""
    (tmp_path / "checker.toml").write_text("", encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    for index in range(pages):
        path = folder / f"page{index}.md"
        path.write_text(PAGE.replace("Aspirin", f"Drug {index}"), encoding="utf-8")
    _age(folder)
    return folder


def _age(folder: Path) -> None:
    """Date the pages an hour back, so that their stat is old enough to be trusted."""
    past = time.time_ns() - HOUR_NS
    for path in folder.rglob("*.md"):
        os.utime(path, ns=(past, past))


def _engine(cache_dir: Path | None, **options: object) -> Engine:
    return Engine(
        Overrides(),
        ConfigFinder(None),
        use_cache=cache_dir is not None,
        cache_dir=cache_dir,
        **options,  # type: ignore[arg-type]
    )


def _check(folder: Path, cache_dir: Path | None, **options: object) -> Report:
    targets = discover([str(folder)], ConfigFinder(None)).targets
    return _engine(cache_dir, **options).check(targets)


def _index(folder: Path) -> tuple[Path, dict[str, object]]:
    (path,) = folder.glob("index-*.json")
    return path, json.loads(path.read_bytes())


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# -- the folder is the checker's own ----------------------------------------------------------


def test_a_project_folder_is_refused_as_cache_and_never_cleaned(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    before = _tree(tmp_path)
    result = run_checker("check", "pages", "--cache-dir", ".", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "checker did not make" in result.stderr and "--cache-dir" in result.stderr
    assert "Traceback" not in result.stderr
    cleaned = run_checker("clean", "--cache-dir", ".", cwd=tmp_path)
    assert cleaned.returncode == 2
    assert "not a checker cache" in cleaned.stderr and "Traceback" not in cleaned.stderr
    assert _tree(tmp_path) == before


def test_a_symlinked_cache_folder_is_never_followed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _project(project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.txt").write_text("elsewhere", encoding="utf-8")
    (project / cache.CACHE_FOLDER).symlink_to(outside)
    empty = tmp_path / "empty"
    empty.mkdir()
    (project / "link").symlink_to(empty)
    for extra in ([], ["--cache-dir", "link"]):
        result = run_checker("check", "pages", *extra, cwd=project)
        assert result.returncode == 2, result.stdout
        assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    for extra in ([], ["--cache-dir", "link"]):
        cleaned = run_checker("clean", *extra, cwd=project)
        assert cleaned.returncode == 2
        assert "symbolic link" in cleaned.stderr and "Traceback" not in cleaned.stderr
    assert _tree(outside) == {"data.txt": b"elsewhere"}
    assert list(empty.iterdir()) == []


def test_another_tools_cache_is_refused(tmp_path: Path) -> None:
    _project(tmp_path)
    other = tmp_path / "other-cache"
    other.mkdir()
    tag = "Signature: 8a477f597d28d172789f06886806bc55\n# made by another tool\n"
    (other / cache.TAG).write_text(tag, encoding="utf-8")
    (other / "blob").write_bytes(b"\x00")
    before = _tree(other)
    assert run_checker("check", "pages", "--cache-dir", str(other), cwd=tmp_path).returncode == 2
    assert run_checker("clean", "--cache-dir", str(other), cwd=tmp_path).returncode == 2
    assert _tree(other) == before


def test_an_empty_folder_is_adopted_and_clean_removes_it(tmp_path: Path) -> None:
    _project(tmp_path)
    folder = tmp_path / "cache"
    folder.mkdir()
    result = run_checker("check", "pages", "--cache-dir", "cache", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # FT001 is found
    assert (folder / cache.TAG).is_file()
    assert len(list(folder.glob("index-*.json"))) == 1
    cleaned = run_checker("clean", "--cache-dir", "cache", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not folder.exists()


def test_clean_removes_only_the_checkers_own_files(tmp_path: Path) -> None:
    _project(tmp_path)
    assert run_checker("check", "pages", cwd=tmp_path).returncode == 1
    folder = tmp_path / cache.CACHE_FOLDER
    (folder / "mine.txt").write_text("not the checker's", encoding="utf-8")
    (folder / "index-notours.json").write_text("{}", encoding="utf-8")
    cleaned = run_checker("clean", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert "left 2" in cleaned.stdout
    assert sorted(p.name for p in folder.iterdir()) == [cache.TAG, "index-notours.json", "mine.txt"]


def test_a_planted_link_in_the_cache_is_replaced_not_written_through(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    _check(pages, folder)
    index, _ = _index(folder)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    index.unlink()
    index.symlink_to(victim)
    (pages / "page0.md").write_text(PAGE + "more\n", encoding="utf-8")
    _check(pages, folder)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not index.is_symlink()
    assert len(json.loads(index.read_bytes())["entries"]) == 6


def _legacy_cache(folder: Path) -> Path:
    """A cache folder as earlier versions left it: one pickle file per page."""
    (folder / "v1" / "ab").mkdir(parents=True)
    (folder / cache.TAG).write_text(cache._TAG_TEXT, encoding="utf-8")
    (folder / ".gitignore").write_text("*\n", encoding="utf-8")
    entry = folder / "v1" / "ab" / ("c" * 38)
    entry.write_bytes(pickle.dumps(("key", {})))
    return entry


def test_clean_removes_the_per_page_files_of_earlier_versions(tmp_path: Path) -> None:
    folder = tmp_path / cache.CACHE_FOLDER
    _legacy_cache(folder)
    cleaned = run_checker("clean", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not folder.exists()


def test_a_run_replaces_the_per_page_files_of_earlier_versions(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    entry = _legacy_cache(folder)
    _check(pages, folder)
    assert not entry.exists() and not (folder / "v1").exists()
    assert len(_index(folder)[1]["entries"]) == 6  # type: ignore[arg-type]


def test_two_runs_saving_one_index_keep_both_their_pages(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    _check(pages, folder)
    fingerprint = str(_index(folder)[1]["fingerprint"])
    first = cache.ResultIndex.open(folder, fingerprint)
    second = cache.ResultIndex.open(folder, fingerprint)
    entry = first.entries["pages/page0.md"]
    for name, index in (("a", first), ("b", second)):
        (pages / f"new-{name}.md").write_text(PAGE, encoding="utf-8")
        index.put(f"pages/new-{name}.md", entry)
    first.save(tmp_path)
    second.save(tmp_path)
    entries = _index(folder)[1]["entries"]
    assert {"pages/new-a.md", "pages/new-b.md", "pages/page5.md"} <= set(entries)  # type: ignore[arg-type]


# -- the index is data, checked before use ----------------------------------------------------


def _damaged(index: Path) -> dict[str, bytes]:
    data = index.read_bytes()
    state = json.loads(data)
    entry = next(iter(state["entries"].values()))
    forged_types = json.loads(data)
    for item in forged_types["entries"].values():
        item[5] = {"display": 1, "violations": "none"}
    other = dict(state, fingerprint="0" * 40)
    newer = dict(state, version=cache.VERSION + 1)
    foreign = {"format": "something-else", "version": 1, "entries": {}}
    # A page's entry rewritten to claim the page is clean, but for other bytes.
    forged_clean = json.loads(data)
    for item in forged_clean["entries"].values():
        item[1] = None
        item[2] = "0" * 32
        item[5] = json.loads(json.dumps({"display": entry[0], "template": None, "violations": []}))
    return {
        "empty": b"",
        "garbage": b"\x00\xff not json",
        "truncated": data[: len(data) // 2],
        "a pickle": pickle.dumps(("key", {"violations": []})),
        "forged types": json.dumps(forged_types).encode(),
        "another fingerprint": json.dumps(other).encode(),
        "another version": json.dumps(newer).encode(),
        "another format": json.dumps(foreign).encode(),
        "other bytes": json.dumps(forged_clean).encode(),
    }


def test_a_corrupt_truncated_or_foreign_index_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    expected = _check(pages, None).results
    folder = tmp_path / "cache"
    assert _check(pages, folder).results == expected
    index, state = _index(folder)
    fingerprint = str(state["fingerprint"])
    for name, damage in _damaged(index).items():
        index.write_bytes(damage)
        assert _check(pages, folder).results == expected, name
        _, rebuilt = _index(folder)
        assert rebuilt["fingerprint"] == fingerprint, name
        assert len(rebuilt["entries"]) == 6, name  # type: ignore[arg-type]


def test_a_damaged_index_from_the_cli_gives_the_same_report(tmp_path: Path) -> None:
    _project(tmp_path)
    args = ("check", "pages", "--output-format", "concise")
    expected = run_checker(*args, "--no-cache", cwd=tmp_path)
    assert run_checker(*args, cwd=tmp_path).returncode == expected.returncode
    index, _ = _index(tmp_path / cache.CACHE_FOLDER)
    index.write_bytes(index.read_bytes()[:100])
    damaged = run_checker(*args, cwd=tmp_path)
    assert (damaged.returncode, damaged.stdout) == (expected.returncode, expected.stdout)
    assert "Traceback" not in damaged.stderr


# -- a warm run reads only what changed --------------------------------------------------------


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = Planner._read

    def counting(self: Planner, path: Path, *args: object) -> object:
        reads.append(path)
        return real(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Planner, "_read", counting)
    return reads


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    real = Engine.run_work

    def counting(self: Engine, work: object, **options: bool) -> object:
        checked.append(work.target.display)  # type: ignore[attr-defined]
        return real(self, work, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "run_work", counting)
    return checked


def test_an_unchanged_stat_spares_reading_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    first = _check(pages, folder)
    reads, checked = _count_reads(monkeypatch), _count_checks(monkeypatch)
    assert _check(pages, folder).results == first.results
    assert (reads, checked) == ([], [])


def test_a_touched_page_is_hashed_not_checked_and_its_stat_refreshed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    first = _check(pages, folder)
    page = pages / "page1.md"
    later = time.time_ns() - HOUR_NS // 2
    os.utime(page, ns=(later, later))
    reads, checked = _count_reads(monkeypatch), _count_checks(monkeypatch)
    assert _check(pages, folder).results == first.results
    assert (reads, checked) == ([page], [])
    _, state = _index(folder)
    assert state["entries"]["pages/page1.md"][1][1] == later  # type: ignore[index]


def test_new_bytes_under_the_same_size_and_mtime_are_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    _check(pages, folder)
    page = pages / "page2.md"
    status = page.stat()
    page.write_bytes(page.read_bytes().replace(b"   \n", b"\n  \n"))  # same size
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))  # same mtime; ctime moves
    assert page.stat().st_size == status.st_size
    checked = _count_checks(monkeypatch)
    report = _check(pages, folder)
    assert len(checked) == 1 and checked[0].endswith("page2.md")
    assert report.results == _check(pages, None).results


def test_a_page_changed_just_now_is_keyed_by_its_content(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    (pages / "page3.md").write_text(PAGE + "new\n", encoding="utf-8")  # mtime: now
    folder = tmp_path / "cache"
    _check(pages, folder)
    _, state = _index(folder)
    entries = state["entries"]
    assert entries["pages/page3.md"][1] is None  # type: ignore[index]
    assert entries["pages/page0.md"][1] is not None  # type: ignore[index]


def test_a_page_with_dated_suppressions_is_checked_again_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _project(tmp_path)
    dated = pages / "page4.md"
    dated.write_text(
        PAGE.replace(
            "text with", "<!-- checker: disable-next-line FT001 until=2030-01-01 -->\ntext with"
        ),
        encoding="utf-8",
    )
    _age(pages)
    folder = tmp_path / "cache"
    monkeypatch.setattr(checker.lint.cache, "today", lambda: "2029-12-31")
    _check(pages, folder)
    checked = _count_checks(monkeypatch)
    _check(pages, folder)
    assert checked == []
    monkeypatch.setattr(checker.lint.cache, "today", lambda: "2030-01-02")
    _check(pages, folder)
    assert len(checked) == 1 and checked[0].endswith("page4.md")


def test_a_fix_run_skips_cached_pages_with_nothing_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.lint.results import FixRequest

    pages = _project(tmp_path)
    clean = pages / "page5.md"
    clean.write_text(PAGE.replace("   \n", "\n"), encoding="utf-8")
    _age(pages)
    folder = tmp_path / "cache"
    _check(pages, folder)
    checked = _count_checks(monkeypatch)
    report = _check(pages, folder, fixing=FixRequest(unsafe=False, write=False, diff=True))
    # Five pages have a fix kept in the index; the clean one is not even read.
    assert len(checked) == 5 and not any(name.endswith("page5.md") for name in checked)
    assert sum(1 for result in report.results if result.fix and result.fix.changed) == 5


def test_a_yml_template_outside_the_pack_is_part_of_the_key(tmp_path: Path) -> None:
    shared = tmp_path / "shared-templates"
    shared.mkdir()
    template = shared / "drug-v2.yml"
    shutil.copy(ROOT / "rules" / "templates" / "drug-v2.yaml", template)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: test\ndefault-template: drug-v2\ntemplates:\n  - ../shared-templates/drug-v2.yml\n",
        encoding="utf-8",
    )
    (tmp_path / "checker.toml").write_text('pack = "pack"\n', encoding="utf-8")
    shutil.copytree(CONTENT / "a", tmp_path / "pages")
    args = ("check", "pages", "--select", "ST001", "--output-format", "concise")
    assert run_checker(*args, cwd=tmp_path).returncode == 0
    text = template.read_text(encoding="utf-8")
    assert "  items:\n" in text
    template.write_text(
        text.replace("  items:\n", "  items:\n    - name: Storage Conditions\n", 1),
        encoding="utf-8",
    )
    stale = run_checker(*args, cwd=tmp_path)
    assert stale.returncode == 1, stale.stdout
    assert "Storage Conditions" in stale.stdout


# -- the rest of the site ----------------------------------------------------------------------


def test_a_cold_one_page_run_summarises_the_site_once_and_caches_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", site)
    _age(site)
    pages = sorted((site / "pages").rglob("*.md"))
    finder = ConfigFinder(site / "checker.toml")
    folder = tmp_path / "cache"

    def one_page(page: Path) -> Report:
        targets = discover([str(page)], finder).targets
        engine = Engine(
            Overrides(select=("XP001", "XP002")), finder, use_cache=True, cache_dir=folder
        )
        return engine.check(targets)

    summarised: list[Path] = []
    real = checker.lint.sitepass.summarise_file

    def counting(path: Path, config: object) -> PageSummary:
        summarised.append(path)
        return real(path, config)  # type: ignore[arg-type]

    monkeypatch.setattr(checker.lint.sitepass, "summarise_file", counting)
    target = site / "pages" / "c" / "clonazepam-.md"
    cold = one_page(target)
    assert {v.code for v in cold.violations} == {"XP001", "XP002"}
    _, state = _index(folder)
    assert len(state["entries"]) == len(pages)  # type: ignore[arg-type]
    summarised.clear()
    other = next(page for page in pages if page != target)
    one_page(other)
    assert summarised == []
    assert {v.code for v in one_page(target).violations} == {"XP001", "XP002"}
    assert summarised == []


# -- the same results with and without the cache, on real pages -------------------------------


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_output_is_byte_identical_with_and_without_the_cache(
    corpus: Path, tmp_path: Path
) -> None:
    pages = sorted(corpus.rglob("*.md"))[::60][:100]
    site = tmp_path / "site"
    for page in pages:  # a site of its own, so that the site rules see these pages only
        target = site / page.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    (tmp_path / "checker.toml").write_text('content-root = "site"\n', encoding="utf-8")
    folder = tmp_path / "cache"
    full = ("check", "site", "--output-format", "full")
    runs = {
        "jobs 1, no cache": [*full, "--jobs", "1", "--no-cache"],
        "jobs 2, no cache": [*full, "--jobs", "2", "--no-cache"],
        "jobs 2, cold cache": [*full, "--jobs", "2", "--cache-dir", str(folder)],
        "jobs 1, warm cache": [*full, "--jobs", "1", "--cache-dir", str(folder)],
        "jobs 2, warm cache": [*full, "--jobs", "2", "--cache-dir", str(folder)],
    }
    outputs = {}
    for name, args in runs.items():
        result = run_process(*args, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        outputs[name] = (result.returncode, result.stdout, result.stderr)
    reference = outputs["jobs 1, no cache"]
    assert reference[1].count("\n") > len(pages)
    for name, output in outputs.items():
        assert output == reference, f"{name} differs from a single-process run without cache"
    _, state = _index(folder)
    assert len(state["entries"]) == len(pages)  # type: ignore[arg-type]
    # Fixes come from the index as well: the diff of a warm run is that of a cold one.
    diff = ("check", "site", "--diff", "--jobs", "2")
    expected = run_process(*diff, "--no-cache", cwd=tmp_path)
    warm = run_process(*diff, "--cache-dir", str(folder), cwd=tmp_path)
    assert (warm.returncode, warm.stdout) == (expected.returncode, expected.stdout)
    assert "+++ " in expected.stdout
    # One changed page in a warm site: the same report as without the cache.
    changed = site / pages[3].relative_to(corpus)
    changed.write_bytes(changed.read_bytes() + b"\nA new closing line.   \n")
    one = ("check", str(changed.relative_to(tmp_path)), "--output-format", "full")
    expected = run_process(*one, "--no-cache", cwd=tmp_path)
    warm = run_process(*one, "--cache-dir", str(folder), cwd=tmp_path)
    assert (warm.returncode, warm.stdout) == (expected.returncode, expected.stdout)


def test_deleted_pages_leave_the_index(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    folder = tmp_path / "cache"
    _check(pages, folder)
    (pages / "page0.md").unlink()
    (pages / "page1.md").write_text(PAGE + "more\n", encoding="utf-8")
    _check(pages / "page1.md", folder)  # a one-page run: the others are not looked at
    entries = _index(folder)[1]["entries"]
    assert "pages/page0.md" not in entries  # type: ignore[operator]
    assert len(entries) == 5  # type: ignore[arg-type]


def test_a_file_name_that_is_not_utf8_is_checked_and_not_cached(tmp_path: Path) -> None:
    pages = _project(tmp_path)
    odd = pages / os.fsdecode(b"\xff-page.md")
    odd.write_text(PAGE, encoding="utf-8")
    _age(pages)
    folder = tmp_path / "cache"
    expected = _check(pages, None).results
    assert _check(pages, folder).results == expected
    assert _check(pages, folder).results == expected
    assert len(_index(folder)[1]["entries"]) == 6  # type: ignore[arg-type]


def test_a_site_page_that_times_out_is_left_out_of_the_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from checker.document.guard import PageTimeout
    from checker.lint.sitepass import summary_result
    from checker.project.targets import Target

    def slow(path: Path, config: object) -> PageSummary:
        raise PageTimeout(1.0)

    monkeypatch.setattr(checker.lint.sitepass, "summarise_file", slow)
    page = CONTENT / "a" / "aspirin.md"
    config = ConfigFinder(None).for_path(page)
    result = summary_result(Target(page, "aspirin.md"), config)
    assert result.summary is None and result.violations == []


# -- a page over a limit is cached with its finding ------------------------------------------


def _stall_on(monkeypatch: pytest.MonkeyPatch, module: object, name: str, page: str) -> list[str]:
    """Make `module.name` run out of time on the page named `page`, as if it took longer than
    the time limit (the guard itself is tested in tests/hostile/); the list records each call
    for that page."""
    from checker.document.guard import PageTimeout

    calls: list[str] = []
    real = getattr(module, name)

    def stalling(*args: object, **kwargs: object) -> object:
        # A page with text: the page a limit stopped is reported from an empty one.
        if any(
            getattr(arg, "display_path", "").endswith(page) and arg.text  # type: ignore[attr-defined]
            for arg in args
        ):
            calls.append(page)
            raise PageTimeout(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, stalling)
    return calls


def _limited_project(tmp_path: Path, seconds: float) -> Path:
    pages = _project(tmp_path, pages=3)
    (pages / "slow.md").write_text(PAGE.replace("Aspirin", "Slowamine"), encoding="utf-8")
    _limit(tmp_path, seconds)
    _age(pages)
    return pages


def _limit(tmp_path: Path, seconds: float) -> None:
    (tmp_path / "checker.toml").write_text(
        f'content-root = "pages"\n[limits]\nmax-page-seconds = {seconds}\n', encoding="utf-8"
    )


def _codes(report: Report, name: str) -> list[str]:
    (result,) = [r for r in report.results if r.display.endswith(name)]
    return [v.code for v in result.violations]


def test_a_page_over_the_time_limit_is_cached_with_its_finding_until_it_or_the_limit_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.pagecheck

    pages = _limited_project(tmp_path, 1.5)
    folder = tmp_path / "cache"
    stalls = _stall_on(monkeypatch, checker.lint.pagecheck, "run_rules", "slow.md")
    first = _check(pages, folder)
    assert _codes(first, "slow.md") == ["IO001"]
    message = first.results[-1].violations[0].message
    assert "limits.max-page-seconds" in message
    assert "the cache keeps this finding for the rest of the day" in message
    assert len(stalls) == 1

    # Unchanged: the finding comes from the cache, and the page costs no time at all.
    checked = _count_checks(monkeypatch)
    assert _check(pages, folder).results == first.results
    assert (len(stalls), checked) == (1, [])

    # Another limit is another config: the page is checked again.
    _limit(tmp_path, 2)
    assert _codes(_check(pages, folder), "slow.md") == ["IO001"]
    assert len(stalls) == 2

    # A changed page is checked again.
    (pages / "slow.md").write_text(PAGE.replace("Aspirin", "Slowamol"), encoding="utf-8")
    _age(pages)
    assert _codes(_check(pages, folder), "slow.md") == ["IO001"]
    assert len(stalls) == 3
    assert _check(pages, folder).results[-1].violations[0].code == "IO001"
    assert len(stalls) == 3

    # Running out of time depends on the machine's load that day: the next day, it is tried
    # again.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    monkeypatch.setattr(checker.lint.cache, "today", lambda: tomorrow)
    assert _codes(_check(pages, folder), "slow.md") == ["IO001"]
    assert len(stalls) == 4
    assert _codes(_check(pages, folder), "slow.md") == ["IO001"]
    assert len(stalls) == 4


def test_a_fix_run_keeps_a_time_out_as_a_check_run_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache holds no fix mode: what a fix run keeps of a page it could not check in time
    is what a check run would have kept, and it says so."""
    import checker.lint.pagecheck
    from checker.lint.results import FixRequest

    pages = _limited_project(tmp_path, 1.5)
    folder = tmp_path / "cache"
    stalls = _stall_on(monkeypatch, checker.lint.pagecheck, "run_rules", "slow.md")
    fixed = _check(pages, folder, fixing=FixRequest(unsafe=False, write=False, diff=True))
    (finding,) = next(r for r in fixed.results if r.display.endswith("slow.md")).violations
    assert finding.code == "IO001"
    assert "the cache keeps this finding" in finding.message
    calls = len(stalls)
    checked = _check(pages, folder)
    assert next(r for r in checked.results if r.display.endswith("slow.md")).violations == [finding]
    assert len(stalls) == calls


def test_a_page_over_the_time_limit_that_is_not_cached_does_not_say_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's buffer or standard input is never kept by the cache, nor is a run with
    `--no-cache`: their time-out finding says only what to do about the page."""
    import checker.lint.pagecheck

    pages = _limited_project(tmp_path, 1.5)
    _stall_on(monkeypatch, checker.lint.pagecheck, "run_rules", "slow.md")
    slow = pages / "slow.md"
    buffer = Target(slow, "slow.md", slow.read_bytes())
    for report in (_engine(tmp_path / "cache").check([buffer]), _check(pages, None)):
        (result,) = [r for r in report.results if r.display.endswith("slow.md")]
        (finding,) = result.violations
        assert finding.code == "IO001"
        assert finding.message.endswith("split or simplify it, or raise the limit")


def test_a_site_page_too_slow_to_summarise_is_remembered_and_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lint.sitepass

    pages = _limited_project(tmp_path, 1.5)
    folder = tmp_path / "cache"
    stalls = _stall_on(monkeypatch, checker.lint.sitepass, "summarise", "slow.md")
    one_page = pages / "page0.md"
    first = _check(one_page, folder)
    assert len(stalls) == 1
    assert [Path(display).name for display in first.left_out] == ["slow.md"]
    # The one-page run after it summarises nothing: the rest of the site is in the cache,
    # the slow page as a page that cannot be summarised in time (and still named).
    checked = _count_checks(monkeypatch)
    again = _check(one_page, folder)
    assert (again.results, again.left_out) == (first.results, first.left_out)
    assert (len(stalls), checked) == (1, [])
    # The next day it is tried again.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    monkeypatch.setattr(checker.lint.cache, "today", lambda: tomorrow)
    _check(one_page, folder)
    assert len(stalls) == 2
    (pages / "slow.md").write_text(PAGE.replace("Aspirin", "Slowamol"), encoding="utf-8")
    _age(pages)
    _check(one_page, folder)
    assert len(stalls) == 3


def test_a_page_the_site_pass_summarises_after_an_io001_keeps_its_cached_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _limited_project(tmp_path, 1.5)
    # Over limits.max-nesting: IO001 from the page pass, then summarised for the site.
    (pages / "deep.md").write_text(PAGE + "\n" + "- " * 200 + "deep\n", encoding="utf-8")
    _age(pages)
    folder = tmp_path / "cache"
    first = _check(pages, folder)
    assert "IO001" in _codes(first, "deep.md")
    checked = _count_checks(monkeypatch)
    assert _check(pages, folder).results == first.results
    assert checked == []


def test_a_site_pass_over_the_same_summaries_takes_its_findings_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.rules.site import DuplicateTitle

    pages = _project(tmp_path)
    # Two pages with one title: XP001 has findings to keep.
    (pages / "page1.md").write_text(PAGE.replace("Aspirin", "Drug 0"), encoding="utf-8")
    _age(pages)
    folder = tmp_path / "cache"
    first = _check(pages, folder)
    assert any(v.code == "XP001" for v in first.violations)
    uncached = _check(pages, None)
    assert uncached.results == first.results
    calls: list[int] = []
    real = DuplicateTitle.check_site_for

    def counting(self: DuplicateTitle, *args: object) -> object:
        calls.append(1)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(DuplicateTitle, "check_site_for", counting)
    again = _check(pages, folder)
    assert again.results == first.results
    assert calls == []  # nothing changed: the site pass's findings came from the cache
    (pages / "page2.md").write_text(PAGE.replace("Aspirin", "Drug 0"), encoding="utf-8")
    _age(pages)
    changed = _check(pages, folder)
    assert calls == [1]  # a summary changed: the site rules ran again
    assert changed.results == _check(pages, None).results
    assert sum(1 for v in changed.violations if v.code == "XP001") == 3


def test_a_page_not_written_because_it_changed_is_not_cached_as_the_text_first_read(
    tmp_path: Path,
) -> None:
    """A fixed page that changed meanwhile is not written, and reports the findings of the text
    it then holds; those are not the findings of the text the run read first, and the cache
    must not give them for it."""
    page = tmp_path / "content" / "page.md"
    page.parent.mkdir()
    first = "---\ntitle: Page\n---\n\n# Page\n\nText.   \nEDIT ME\n"
    page.write_text(first)
    shutil.copy(ROOT / "tests" / "plugins" / "edit_rule.py", tmp_path)
    (tmp_path / "checker.toml").write_text('content-root = "content"\nplugins = ["edit_rule"]\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    args = ("check", "content", "--output-format", "concise")
    cache_dir = ("--cache-dir", str(tmp_path / "cache"))
    fixing = run_process(*args, "--fix", *cache_dir, cwd=tmp_path, env=env)
    assert "content/page.md:1:1: not written: " in fixing.stdout + fixing.stderr
    assert (tmp_path / "content" / "edited").exists()
    # The page holds the text the run first read again (the plug-in edits it only once).
    page.write_text(first)
    expected = run_process(*args, "--no-cache", cwd=tmp_path, env=env)
    cached = run_process(*args, *cache_dir, cwd=tmp_path, env=env)
    assert (cached.returncode, cached.stdout) == (expected.returncode, expected.stdout)
