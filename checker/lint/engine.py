"""The lint run: every page through one pipeline, whether the run checks or fixes.

For each page the engine finds its config (and so its rules and pack), takes its result from
the cache when nothing it depends on changed, and otherwise hands it to the page pass, in a
pool of processes when there are enough pages. In fix mode the page pass fixes the page
before its final check (`checker.lint.fixpass`); everything else is the same. Then the site
pass runs the site-wide rules over the summaries of the pages, fixed or not. The engine
returns data and never prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from checker.fixing.fixer import wanted
from checker.lint import cache, pool
from checker.lint.fixpass import WriteBatch, fix_target
from checker.lint.pagecheck import check_target, is_timed_out
from checker.lint.resolver import Overrides, RuleSet, build_ruleset
from checker.lint.results import INTERNAL_ERROR_CODE, FileResult, FixRequest, PageFix, Report
from checker.lint.sitepass import SitePass, guarded_summary, summary_result
from checker.project.config import Config, ConfigFinder
from checker.project.targets import Target, relative_to
from checker.rules.summary import PageSummary

# A page with more findings than this is checked again rather than cached.
MAX_CACHED_FINDINGS = 10_000


@dataclass(frozen=True, slots=True)
class Work:
    """One page for the page pass, and where its result goes in the result cache."""

    target: Target
    # The bytes the planner read from the target's file (the cache entry describes them).
    data: bytes | None = None
    slot: cache.Slot | None = None
    # A page of the site that the run does not check: only its summary is made.
    summary_only: bool = False
    # For a fix run, the page's findings from the cache: fixing starts from them instead of
    # checking the page first (its bytes are those the entry describes).
    initial: FileResult | None = None


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

    def run_work(self, work: Work, batch: WriteBatch | None = None) -> FileResult:
        """The page pass for one planned page (or only its summary, for the site pass).

        A fixed page to write joins `batch` when there is one, and is written at once when
        there is not."""
        config = self.config_for(work.target)
        target = work.target
        if work.data is not None:
            target = Target(target.path, target.display, work.data)
        if work.summary_only:
            return summary_result(target, config)
        ruleset = self.ruleset_for(config)
        if self.fixing is not None:
            return fix_target(
                work.target, ruleset, self.template, self.fixing, work.data, work.initial, batch
            )
        return check_target(target, ruleset, self.template)

    def run_batch(self, items: Sequence[Work]) -> list[FileResult]:
        """The page pass over a batch; the batch's fixed pages are written together at its end."""
        batch = WriteBatch() if self.fixing is not None and self.fixing.write else None
        results = [self.run_work(item, batch) for item in items]
        return batch.commit(results) if batch is not None else results

    def prepare_for_pool(self) -> None:
        """Build what every worker would otherwise build again (forked workers inherit it)."""
        for ruleset in self._rulesets.values():
            for template in ruleset.config.pack.templates:
                _ = template.schema_model

    def run_pass(self, work: Sequence[Work], *, show_progress: bool = True) -> list[FileResult]:
        """The page pass over every item, in a pool when there are enough, in order."""
        progress = self.progress if show_progress else None
        if not pool.use_pool(self.jobs, len(work)):
            results: list[FileResult] = []
            for chunk in pool.batches(work, 1):
                results.extend(self.run_batch(chunk))
                if progress is not None:
                    progress(len(results), len(work))
            return results
        self.prepare_for_pool()
        setup_args = (self.overrides, self.finder.explicit_path, self.fixing)
        states = pool.run_batches(work, self.jobs, _run_batch, _start_worker, setup_args, progress)
        return [_from_wire(state) for state in states]

    def check(self, targets: Iterable[Target]) -> Report:
        """Check (or fix) every target, then run the site pass; results in target order."""
        targets = list(targets)
        planner = Planner(self) if self.use_cache else None
        results: list[FileResult | None] = []
        pending: list[Work] = []
        slots: list[int] = []
        with cache.no_gc() if planner else contextlib.nullcontext():
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
        for slot, item, result in zip(slots, pending, self.run_pass(pending), strict=True):
            results[slot] = result
            if planner is not None:
                planner.store(item, result)
        report = Report([result for result in results if result is not None])
        self.run_site_rules(targets, report, planner)
        if planner is not None:
            planner.save()
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
                # The page pass already reported whatever breaks or stalls this page.
                summary = guarded_summary(target, config, self.template)
                if summary is None:
                    continue
            passes.setdefault(id(config), SitePass(ruleset)).add(summary, result)
        for site in passes.values():
            site.run(lambda rest: self.site_summaries(rest, planner))

    def site_summaries(self, targets: list[Target], planner: Planner | None) -> list[PageSummary]:
        """The summaries of pages the run does not check, in order: from the cache where it
        has them, the others made in the pool (and cached). Unreadable pages are left out."""
        found: list[PageSummary | None] = []
        pending: list[Work] = []
        slots: list[int] = []
        for target in targets:
            if planner is not None:
                summary, work = planner.summary(target)
            else:
                summary, work = None, Work(target, summary_only=True)
            if summary is not None:
                found.append(summary)
                continue
            slots.append(len(found))
            found.append(None)
            pending.append(work)
        for slot, item, result in zip(
            slots, pending, self.run_pass(pending, show_progress=False), strict=True
        ):
            found[slot] = result.summary
            if planner is not None:
                planner.store(item, result)
        return [summary for summary in found if summary is not None]


class Planner:
    """For each target: its cached result, or the work of checking it (with where to store it).

    Each config's results live in the index of its run fingerprint, in `cache_dir` or in
    `.checker_cache` at the config's root (see `checker.lint.cache`).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fingerprints: dict[int, str] = {}
        self._indexes: dict[tuple[Path, str], cache.ResultIndex] = {}
        self._roots: dict[tuple[Path, str], Path] = {}

    def _fingerprint(self, config: Config) -> str:
        key = id(config)
        if key not in self._fingerprints:
            ruleset = self.engine.ruleset_for(config)
            self._fingerprints[key] = cache.run_fingerprint(config, ruleset, self.engine.template)
        return self._fingerprints[key]

    def index_for(self, config: Config) -> cache.ResultIndex:
        """The config's index; a UsageError if its folder is not the checker's own."""
        folder = self.engine.cache_dir or config.root / cache.CACHE_FOLDER
        key = (folder, self._fingerprint(config))
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = cache.ResultIndex.open(*key)
            self._roots[key] = config.root
        return found

    def _read(
        self, path: Path, config: Config, index: cache.ResultIndex, relpath: str
    ) -> tuple[bytes, cache.Slot] | None:
        now = time.time_ns()
        try:
            with open(path, "rb") as handle:  # noqa: PTH123
                status = os.fstat(handle.fileno())
                if status.st_size > config.values.limits.max_file_size:
                    return None  # the check reports it
                data = handle.read()
        except OSError:
            return None  # the check itself reports the read error
        stat = cache.trusted_stat(status, now)
        digest = cache.content_digest(data)
        slot = cache.Slot(
            index.folder, index.fingerprint, relpath, stat, digest, cache.day_of(data)
        )
        return data, slot

    def _probe(self, target: Target) -> tuple[cache.Entry | None, Work]:
        """The index's entry if it describes the target's file as it is now, and the work of
        checking the target (with the page's bytes, unless an unchanged stat spared reading)."""
        path = target.path
        if target.data is not None or path is None:
            return None, Work(target)  # standard input: editors send every keystroke, keep none
        try:
            status = path.stat()
        except OSError:
            return None, Work(target)
        if not stat.S_ISREG(status.st_mode):
            return None, Work(target)  # a pipe would block the open; the check refuses it
        config = self.engine.config_for(target)
        index = self.index_for(config)
        relpath = relative_to(path, config.root)
        index.seen.add(relpath)
        entry = index.entries.get(relpath)
        if (
            entry is not None
            and entry.stat is not None
            and entry.stat == cache.file_stat(status)
            and cache.is_current(entry.day)
        ):
            slot = cache.Slot(
                index.folder, index.fingerprint, relpath, entry.stat, entry.digest, entry.day
            )
            return entry, Work(target, None, slot)
        read = self._read(path, config, index, relpath)
        if read is None:
            return None, Work(target)
        data, slot = read
        if entry is None or (entry.digest, entry.day) != (slot.digest, slot.day):
            return None, Work(target, data, slot)
        if entry.stat != slot.stat:
            # The same bytes under a new stat (touched, checked out again): note the new stat.
            entry = msgspec.structs.replace(entry, stat=slot.stat)
            index.put(relpath, entry)
        return entry, Work(target, data, slot)

    def _with_data(self, work: Work) -> Work:
        """The work with the page's bytes, for a page whose stat spared reading it."""
        if work.data is not None or work.slot is None or work.target.path is None:
            return work
        config = self.engine.config_for(work.target)
        index = self.index_for(config)
        read = self._read(work.target.path, config, index, work.slot.relpath)
        if read is None:
            return Work(work.target)
        return Work(work.target, *read)

    def plan(self, target: Target) -> FileResult | Work:
        entry, work = self._probe(target)
        if entry is None:
            return work
        cached = cache.decode_result(entry.result)
        if cached is None or cached.display != target.display:
            return self._with_data(work)
        cached.summary = entry.summary
        fixing = self.engine.fixing
        if fixing is None:
            return cached
        if any(wanted(v, fixing.unsafe) for v in cached.violations):
            with_data = self._with_data(work)
            same = with_data.slot is not None and with_data.slot.digest == entry.digest
            # The cached findings hold for exactly the bytes they were made of: fixing starts
            # from them only when the bytes just read are those.
            return dataclasses.replace(with_data, initial=cached) if same else with_data
        cached.fix = PageFix()  # nothing this run would fix
        return cached

    def summary(self, target: Target) -> tuple[PageSummary | None, Work]:
        """A page's summary from the cache, or the work of making it, for the site pass."""
        entry, work = self._probe(target)
        if entry is not None and entry.summary is not None:
            summary = entry.summary
            if summary.path != target.display:
                summary = dataclasses.replace(summary, path=target.display)
            return summary, work
        return None, dataclasses.replace(work, summary_only=True)

    def cached_summary(self, target: Target) -> PageSummary | None:
        """A page's summary from the cache; None on a miss."""
        return self.summary(target)[0]

    def store(self, work: Work, result: FileResult) -> None:
        """Keep a page pass's result in the index of its config (saved by `save`)."""
        slot = work.slot
        # A page cut short by the time limit may pass on a quieter machine: never cache it.
        # Nor a page with a flood of findings (a generator gone wrong): keeping them would
        # cost the index more memory and time than checking the page again.
        if slot is None or is_timed_out(result) or len(result.violations) > MAX_CACHED_FINDINGS:
            return
        if work.summary_only and result.summary is None:
            return  # a page that could not be summarised is tried again next time
        if result.fix is not None and result.fix.changed:
            if not result.fix.written or work.target.path is None:
                return  # the result is of text that is not on disk (--diff)
            config = self.engine.config_for(work.target)
            read = self._read(work.target.path, config, self._index(slot), slot.relpath)
            if read is None:
                return
            slot = read[1]
        self._index(slot).put_result(slot, result, summary_only=work.summary_only)

    def _index(self, slot: cache.Slot) -> cache.ResultIndex:
        return self._indexes[(slot.folder, slot.fingerprint)]

    def save(self) -> None:
        """Write every index this run changed."""
        for key, index in self._indexes.items():
            index.save(self._roots[key])


# The engine a pool worker works with, built once per worker by `_start_worker`.
_worker: dict[str, Engine] = {}


def _start_worker(
    overrides: Overrides, config_path: Path | None, fixing: FixRequest | None
) -> None:
    # Ctrl-C is the parent's to handle: it ends the pool, which stops each worker with
    # SIGTERM (a page being written is finished first: see checker.fixing.writer).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["engine"] = Engine(overrides, ConfigFinder(config_path), fixing=fixing)


_wire_encoder = msgspec.msgpack.Encoder()
_wire_decoder = msgspec.msgpack.Decoder(FileResult)


def _to_wire(result: FileResult) -> bytes | FileResult:
    # Plain data crosses the process boundary several times faster than dataclasses do.
    try:
        return _wire_encoder.encode(result)
    except (msgspec.EncodeError, UnicodeEncodeError):  # stray bytes of a file name, say
        return result


def _from_wire(state: bytes | FileResult) -> FileResult:
    return _wire_decoder.decode(state) if isinstance(state, bytes) else state


def _run_batch(batch: Sequence[Work]) -> list[bytes | FileResult]:
    return [_to_wire(result) for result in _worker["engine"].run_batch(batch)]


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
