"""The lint run: every page through one pipeline, whether the run checks or fixes.

For each page the engine finds its config (and so its rules and pack), takes its result from
the cache when nothing it depends on changed, and otherwise hands it to the page pass, in a
pool of processes when there are enough pages. In fix mode the page pass fixes the page
before its final check (`checker.lint.fixpass`); everything else is the same. Then the site
pass runs the site-wide rules over the summaries of the pages, fixed or not. The engine
returns data and never prints.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.fixing.fixer import wanted
from checker.lint import cache, pool
from checker.lint.fixpass import fix_target
from checker.lint.pagecheck import check_target, is_timed_out
from checker.lint.resolver import Overrides, RuleSet, build_ruleset
from checker.lint.results import INTERNAL_ERROR_CODE, FileResult, FixRequest, PageFix, Report
from checker.lint.sitepass import SitePass, summarise_target
from checker.project.config import Config, ConfigFinder
from checker.project.targets import Target, relative_to
from checker.rules.summary import PageSummary


@dataclass(frozen=True, slots=True)
class Work:
    """One page for the page pass, and what storing its result in the cache needs."""

    target: Target
    # The bytes the planner read from the target's file (the cache key is made from them).
    data: bytes | None = None
    key: str | None = None
    cache_folder: Path | None = None
    fingerprint: str | None = None
    relpath: str = ""


class Engine:
    """Checks (or fixes) targets, finding each one's config, rules and pack as it goes.

    `jobs` is how many processes may work on pages at once; with `use_cache`, results are
    read from and written to the result cache, in `cache_dir` or in `.checker_cache` at each
    config's root. With `fixing`, the page pass fixes each page as the request says.
    """

    def __init__(
        self,
        overrides: Overrides,
        finder: ConfigFinder,
        *,
        jobs: int = 1,
        use_cache: bool = False,
        cache_dir: Path | None = None,
        fixing: FixRequest | None = None,
    ) -> None:
        self.overrides = overrides
        self.finder = finder
        # Called with (pages done, pages to check) as the page pass goes; for a progress line.
        self.progress: Callable[[int, int], None] | None = None
        self.jobs = jobs
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.fixing = fixing
        self._rulesets: dict[int, RuleSet] = {}
        self._configs: dict[Path, Config] = {}

    def ruleset_for(self, config: Config) -> RuleSet:
        key = id(config)
        ruleset = self._rulesets.get(key)
        if ruleset is None:
            ruleset = build_ruleset(config, self.overrides)
            if self.overrides.template:
                config.pack.template(self.overrides.template)
            self._rulesets[key] = ruleset
        return ruleset

    def config_for(self, target: Target) -> Config:
        if target.path is not None:
            config = self._configs.get(target.path)
            if config is None:
                config = self._configs[target.path] = self.finder.for_path(target.path)
            return config
        return self.finder.for_path(Path.cwd() / target.display)

    def check_target(self, target: Target) -> FileResult:
        """Check one target in this process, without the cache (an editor's buffer)."""
        return check_target(target, self.ruleset_for(self.config_for(target)), self.template)

    @property
    def template(self) -> str | None:
        return self.overrides.template

    def run_work(self, work: Work) -> FileResult:
        """The page pass for one planned page; its result is cached when it has a key."""
        ruleset = self.ruleset_for(self.config_for(work.target))
        if self.fixing is not None:
            result = fix_target(work.target, ruleset, self.template, self.fixing, work.data)
        else:
            target = work.target
            if work.data is not None:
                target = Target(target.path, target.display, work.data)
            result = check_target(target, ruleset, self.template)
        self._store(work, result)
        return result

    def _store(self, work: Work, result: FileResult) -> None:
        # A page cut short by the time limit may pass on a quieter machine: never cache it.
        if work.key is None or work.cache_folder is None or is_timed_out(result):
            return
        key = work.key
        if result.fix is not None and result.fix.changed:
            if not result.fix.written or work.target.path is None or work.fingerprint is None:
                return  # the result is of text that is not on disk (--diff)
            try:
                data = work.target.path.read_bytes()
            except OSError:
                return
            key = cache.page_key(work.fingerprint, work.target.display, work.relpath, data)
        stored = dataclasses.replace(result, fix=None)
        cache.ResultCache(work.cache_folder).put(key, stored)

    def prepare_for_pool(self) -> None:
        """Build what every worker would otherwise build again (forked workers inherit it)."""
        for ruleset in self._rulesets.values():
            for template in ruleset.config.pack.templates:
                _ = template.schema_model

    def run_pass(self, work: Sequence[Work]) -> list[FileResult]:
        """The page pass over every item, in a pool when there are enough, in order."""
        progress = self.progress
        if not pool.use_pool(self.jobs, len(work)):
            results = []
            for item in work:
                results.append(self.run_work(item))
                if progress is not None:
                    progress(len(results), len(work))
            return results
        self.prepare_for_pool()
        setup_args = (self.overrides, self.finder.explicit_path, self.fixing)
        states = pool.run_batches(work, self.jobs, _run_batch, _start_worker, setup_args, progress)
        return [cache.decode_result(state) for state in states]

    def check(self, targets: Iterable[Target]) -> Report:
        """Check (or fix) every target, then run the site pass; results in target order."""
        targets = list(targets)
        planner = Planner(self) if self.use_cache else None
        results: list[FileResult | None] = []
        pending: list[Work] = []
        slots: list[int] = []
        for target in targets:
            # Every config is loaded here, before any worker starts: a config error stops
            # the run in this process with its own message.
            self.ruleset_for(self.config_for(target))
            planned = planner.plan(target) if planner else Work(target)
            if isinstance(planned, FileResult):
                results.append(planned)
                continue
            slots.append(len(results))
            results.append(None)
            pending.append(planned)
        for slot, result in zip(slots, self.run_pass(pending), strict=True):
            results[slot] = result
        report = Report([result for result in results if result is not None])
        self.run_site_rules(targets, report, planner)
        return report

    def run_site_rules(
        self, targets: list[Target], report: Report, planner: Planner | None = None
    ) -> None:
        """The second phase: site rules over the summaries of each config's site."""
        passes: dict[int, SitePass] = {}
        for target, result in zip(targets, report.results, strict=True):
            config = self.config_for(target)
            ruleset = self.ruleset_for(config)
            # A page the first pass could not read or gave up on is not read again here.
            if not ruleset.has_site_rules or any(
                v.code in ("IO001", INTERNAL_ERROR_CODE) for v in result.violations
            ):
                continue
            summary = result.summary
            if summary is None:
                try:
                    summary = summarise_target(target, config, self.template)
                except Exception:  # the page pass already reported what broke this page
                    continue
            passes.setdefault(id(config), SitePass(ruleset)).add(summary, result)
        lookup = planner.cached_summary if planner is not None else None
        for site in passes.values():
            site.run(lookup, self.jobs)


class Planner:
    """For each target: its cached result, or the work of checking it (with the key to store)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fingerprints: dict[int, str] = {}
        self._caches: dict[Path, cache.ResultCache] = {}

    def _fingerprint(self, config: Config) -> str:
        key = id(config)
        if key not in self._fingerprints:
            ruleset = self.engine.ruleset_for(config)
            self._fingerprints[key] = cache.run_fingerprint(config, ruleset, self.engine.template)
        return self._fingerprints[key]

    def cache_for(self, config: Config) -> cache.ResultCache:
        folder = self.engine.cache_dir or config.root / cache.CACHE_FOLDER
        found = self._caches.get(folder)
        if found is None:
            found = self._caches[folder] = cache.ResultCache(folder)
        return found

    def _lookup(self, target: Target) -> tuple[FileResult | None, Work]:
        """The target's cached result, if any, and the work of checking it."""
        if target.data is not None or target.path is None:
            return None, Work(target)  # standard input: editors send every keystroke, keep none
        config = self.engine.config_for(target)
        if not target.path.is_file():
            return None, Work(target)  # a pipe would block the open; the check refuses it
        try:
            with open(target.path, "rb") as handle:  # noqa: PTH123
                if os.fstat(handle.fileno()).st_size > config.values.limits.max_file_size:
                    return None, Work(target)
                data = handle.read()
        except OSError:
            return None, Work(target)  # the check itself reports the read error
        relpath = relative_to(target.path, config.root)
        fingerprint = self._fingerprint(config)
        key = cache.page_key(fingerprint, target.display, relpath, data)
        store = self.cache_for(config)
        # The page travels with its bytes, so the result is stored under the key of what
        # was checked even if the file changes meanwhile.
        return store.get(key), Work(target, data, key, store.folder, fingerprint, relpath)

    def plan(self, target: Target) -> FileResult | Work:
        cached, work = self._lookup(target)
        if cached is None:
            return work
        fixing = self.engine.fixing
        if fixing is None:
            return cached
        if any(wanted(v, fixing.unsafe) for v in cached.violations):
            return work
        cached.fix = PageFix()  # nothing this run would fix
        return cached

    def cached_summary(self, target: Target) -> PageSummary | None:
        """A page's summary from the cache, for the site pass; None on a miss."""
        cached, _ = self._lookup(target)
        return cached.summary if cached is not None else None


# The engine a pool worker works with, built once per worker by `_start_worker`.
_worker: dict[str, Engine] = {}


def _start_worker(
    overrides: Overrides, config_path: Path | None, fixing: FixRequest | None
) -> None:
    # Ctrl-C is the parent's to handle: it ends the pool, which stops each worker with
    # SIGTERM (a page being written is finished first: see checker.fixing.writer).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["engine"] = Engine(overrides, ConfigFinder(config_path), fixing=fixing)


def _run_batch(batch: Sequence[Work]) -> list[dict[str, Any]]:
    engine = _worker["engine"]
    # Plain data crosses the process boundary several times faster than dataclasses do.
    return [cache.encode_result(engine.run_work(item)) for item in batch]


def fix_text(
    text: str,
    path: Path | None = None,
    *,
    unsafe: bool = False,
    config: Path | None = None,
    select: tuple[str, ...] | None = None,
) -> str:
    """Fix a page held in memory (an editor's buffer) and return its fixed text.

    `path` chooses the config and template as if the page lived there; `select` limits the
    rules (codes or prefixes) whose fixes apply. Nothing is written.
    Returns `text` unchanged when there is nothing to fix or the page must not be modified.
    """
    engine = Engine(
        Overrides(select=select), ConfigFinder(config), fixing=FixRequest(unsafe, write=False)
    )
    display = path.as_posix() if path is not None else "-"
    result = engine.run_work(Work(Target(path, display, text.encode("utf-8"))))
    fix = result.fix
    return fix.output if fix is not None and fix.changed and fix.output is not None else text
