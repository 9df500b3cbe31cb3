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
import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.lint import pool
from checker.lint.pagecheck import check_target, is_timed_out
from checker.lint.reporting import worker_lost
from checker.lint.resolver import Overrides, RuleSet, build_ruleset
from checker.lint.results import INTERNAL_ERROR_CODE, FileResult, FixRequest, Report
from checker.lint.sitepass import SitePass, guarded_summary, summary_result
from checker.lint.work import Work
from checker.project.config import Config, ConfigFinder
from checker.project.targets import Target, resolved
from checker.rules.summary import PageSummary

if TYPE_CHECKING:
    from checker.lint.planner import Planner


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
        """The page pass for one planned page (or only its summary, for the site pass).

        A fixed page is staged, for `write_pending` to write."""
        config = self.config_for(work.target)
        target = work.target
        if work.data is not None:
            target = Target(target.path, target.display, work.data)
        if work.summary_only:
            return summary_result(target, config)
        ruleset = self.ruleset_for(config)
        if self.fixing is not None:
            # Imported here: a run that only checks never loads the fixer and the writer.
            from checker.lint.fixpass import fix_target  # noqa: PLC0415

            return fix_target(
                work.target,
                ruleset,
                self.template,
                self.fixing,
                work.data,
                work.initial,
                cached=work.slot is not None,
            )
        # A planned slot means the result cache keeps what this check finds.
        return check_target(target, ruleset, self.template, cached=work.slot is not None)

    def run_batch(self, items: Sequence[Work]) -> list[FileResult]:
        """The page pass over a batch, its fixed pages left for `write_pending`."""
        return [self.run_work(item) for item in items]

    def write_pending(self, items: Sequence[Work], results: list[FileResult]) -> list[FileResult]:
        """Write a batch's fixed pages together. In a pool this process does it while the
        workers go on with the next batches, so no worker waits for the disk."""
        if self.fixing is None or not self.fixing.write:
            return results
        from checker.lint.fixpass import write_pending  # noqa: PLC0415 (as in `run_work`)

        def settings(target: Target) -> tuple[RuleSet, str | None]:
            return self.ruleset_for(self.config_for(target)), self.template

        return write_pending(results, [item.target for item in items], settings)

    def prepare_for_pool(self) -> None:
        """Build what every worker would otherwise build again (forked workers inherit it)."""
        for ruleset in self._rulesets.values():
            for template in ruleset.config.pack.templates:
                _ = template.schema_model

    def run_pass(self, work: Sequence[Work], *, show_progress: bool = True) -> list[FileResult]:
        """The page pass over every item, in a pool when there are enough, in order.

        A pass that stops (Ctrl-C, SIGTERM, an error) removes the fixed pages it staged and did
        not write; each page is left as it was or as fixed, never half-written."""
        progress = self.progress if show_progress else None
        if self.fixing is None or not self.fixing.write:
            return self._run_pass(work, progress)
        # The folders of the pages this pass may fix (a site summary is never fixed).
        folders = {
            item.target.path.parent
            for item in work
            if not item.summary_only and item.target.path is not None
        }
        if not folders:
            return self._run_pass(work, progress)
        # Imported here: only a run that writes pages stages them.
        from checker.fixing import writer  # noqa: PLC0415

        writer.remove_abandoned(folders)
        try:
            with writer.terminated_as_exit():
                results = self._run_pass(work, progress)
        except BaseException:
            writer.remove_staged(folders, self.fixing.staging)
            raise
        if pool.use_pool(self.jobs, len(work)):
            # Every page handed over is written or its staged file removed by now; a worker
            # that was lost may have staged pages that it never handed over.
            writer.remove_staged(folders, self.fixing.staging)
        return results

    def _run_pass(self, work: Sequence[Work], progress: pool.Progress | None) -> list[FileResult]:
        if not pool.use_pool(self.jobs, len(work)):
            results: list[FileResult] = []
            for chunk in pool.batches(work, 1):
                results.extend(self.write_pending(chunk, self.run_batch(chunk)))
                if progress is not None:
                    progress(len(results), len(work))
            return results
        self.prepare_for_pool()
        setup_args = (self.overrides, self.finder.explicit_path, self.fixing)

        def arrived(chunk: Sequence[Work], states: list[Any]) -> list[Any]:
            return self.write_pending(chunk, [_from_wire(state) for state in states])

        return pool.run_batches(
            work, self.jobs, _run_batch, _start_worker, setup_args, progress, arrived, _lost
        )

    def check(self, targets: Iterable[Target]) -> Report:
        """Check (or fix) every target, then run the site pass; results in target order."""
        targets = list(targets)
        planner = None
        if self.use_cache:
            # Imported here: a run without the cache never loads the index code.
            from checker.lint.planner import Planner  # noqa: PLC0415

            planner = Planner(self)
        results: list[FileResult | None] = []
        pending: list[Work] = []
        slots: list[int] = []
        with planner.planning() if planner else contextlib.nullcontext():
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
            if not ruleset.has_site_rules:
                continue
            site = passes.setdefault(id(config), SitePass(ruleset))
            if is_timed_out(result):
                # Nor summarised as a page of the rest of the site: it would stall again.
                if target.path is not None:
                    site.left_out.add(resolved(target.path))
                continue
            # A page the first pass could not read or gave up on is not read again here.
            if any(v.code in ("IO001", INTERNAL_ERROR_CODE) for v in result.violations):
                continue
            summary = result.summary
            if summary is None:
                # The page pass already reported whatever breaks or stalls this page.
                summary = guarded_summary(target, config, self.template)
                if summary is None:
                    continue
            site.add(summary, result)
        for site in passes.values():
            if site.targets:
                memory = planner.index_for(site.ruleset.config) if planner is not None else None
                site.run(lambda rest: self.site_summaries(rest, planner, report.left_out), memory)

    def site_summaries(
        self, targets: list[Target], planner: Planner | None, left_out: list[str]
    ) -> list[PageSummary]:
        """The summaries of pages the run does not check, in order: from the cache where it
        has them, the others made in the pool (and cached). Pages that cannot be read or
        summarised in time are left out of the site, and named in `left_out`."""
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
            if work is None:
                # The cache knows this page cannot be summarised today (too slow, broken).
                left_out.append(target.display)
                continue
            slots.append(len(found))
            found.append(None)
            pending.append(work)
        for slot, item, result in zip(
            slots, pending, self.run_pass(pending, show_progress=False), strict=True
        ):
            found[slot] = result.summary
            if result.summary is None and not result.not_a_page:
                left_out.append(item.target.display)
            if planner is not None:
                planner.store(item, result)
        return [summary for summary in found if summary is not None]


# The engine a pool worker works with, built once per worker by `_start_worker`.
_worker: dict[str, Engine] = {}


def _start_worker(
    overrides: Overrides, config_path: Path | None, fixing: FixRequest | None
) -> None:
    _worker["engine"] = Engine(overrides, ConfigFinder(config_path), fixing=fixing)


@functools.cache
def _wire() -> tuple[Any, Any, type[Exception]]:
    # Imported here: only a run with a pool sends results between processes.
    import msgspec  # noqa: PLC0415

    encoder = msgspec.msgpack.Encoder()
    return encoder, msgspec.msgpack.Decoder(FileResult), msgspec.EncodeError


def _to_wire(result: FileResult) -> bytes | FileResult:
    # Plain data crosses the process boundary several times faster than dataclasses do.
    encoder, _, error = _wire()
    try:
        encoded: bytes = encoder.encode(result)
        return encoded
    except (error, UnicodeEncodeError):  # stray bytes of a file name, say
        return result


def _from_wire(state: bytes | FileResult) -> FileResult:
    if isinstance(state, bytes):
        decoded: FileResult = _wire()[1].decode(state)
        return decoded
    return state


def _lost(item: Work, why: str) -> FileResult:
    """The result of a page whose worker process ended (or failed) on it, even alone."""
    display = item.target.display
    return FileResult(display, None, [worker_lost(display, why, cached=item.slot is not None)])


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
