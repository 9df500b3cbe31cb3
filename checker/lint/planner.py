"""The result cache as a run uses it: for each page, its cached result or the work of checking it.

Imported only by runs that use the cache (a `--no-cache` run never loads the index code).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import time
from pathlib import Path
from typing import Protocol

import msgspec

from checker.lint import cache
from checker.lint.pagecheck import is_timed_out
from checker.lint.reporting import is_worker_lost
from checker.lint.resolver import RuleSet
from checker.lint.results import FileResult, FixRequest, PageFix
from checker.lint.work import Work
from checker.project.config import Config
from checker.project.targets import Target, relative_to
from checker.rules.summary import PageSummary


class Run(Protocol):
    """What the planner asks of the run it plans for (the engine)."""

    cache_dir: Path | None
    fixing: FixRequest | None

    @property
    def template(self) -> str | None: ...

    def config_for(self, target: Target) -> Config: ...

    def ruleset_for(self, config: Config) -> RuleSet: ...


# A page with more findings than this is checked again rather than cached.
MAX_CACHED_FINDINGS = 10_000


class Planner:
    """For each target: its cached result, or the work of checking it (with where to store it).

    Each config's results live in the index of its run fingerprint, in `cache_dir` or in
    `.checker_cache` at the config's root (see `checker.lint.cache`).
    """

    def __init__(self, engine: Run) -> None:
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
        # The same bytes give the same day (see `cache.day_of`), unless the entry is of a page
        # that could not be checked or summarised in time: kept for the day it was made on.
        if entry is None or entry.digest != slot.digest or not cache.is_current(entry.day):
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

    def planning(self) -> contextlib.AbstractContextManager[None]:
        """Hold off the cyclic garbage collector while the run plans its pages (see
        `cache.no_gc`): entries are decoded by the thousand."""
        return cache.no_gc()

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
        # Imported here: only a fix run needs the fixer.
        from checker.fixing.fixer import wanted  # noqa: PLC0415

        if any(wanted(v, fixing.unsafe) for v in cached.violations):
            with_data = self._with_data(work)
            same = with_data.slot is not None and with_data.slot.digest == entry.digest
            # The cached findings hold for exactly the bytes they were made of: fixing starts
            # from them only when the bytes just read are those.
            return dataclasses.replace(with_data, initial=cached) if same else with_data
        cached.fix = PageFix()  # nothing this run would fix
        return cached

    def summary(self, target: Target) -> tuple[PageSummary | None, Work | None]:
        """A page's summary from the cache, or the work of making it, for the site pass; no
        work when the cache knows the page cannot be summarised (it is left out of the site)."""
        entry, work = self._probe(target)
        if entry is not None and entry.summary is not None:
            summary = entry.summary
            if summary.path != target.display:
                summary = dataclasses.replace(summary, path=target.display)
            return summary, work
        if entry is not None and _unsummarisable(entry):
            return None, None
        return None, dataclasses.replace(work, summary_only=True)

    def store(self, work: Work, result: FileResult) -> None:
        """Keep a page pass's result in the index of its config (saved by `save`)."""
        slot = work.slot
        # A page with a flood of findings (a generator gone wrong) is not kept: keeping them
        # would cost the index more memory and time than checking the page again. A page cut
        # short by a limit is kept with its finding, so that one slow page does not make every
        # run slow; the entry holds for these bytes under this config (its limits included),
        # and a change to either checks the page again. Running out of time depends on how
        # busy the machine was, and a worker process that ended on a page (out of memory, say)
        # on how much memory it had: such an entry (or a summary that failed) holds for the day.
        # Checking such a page again would not report it better, and could end the run itself
        # (with few pages to check, they are checked in this process).
        if slot is None or len(result.violations) > MAX_CACHED_FINDINGS:
            return
        if (
            is_timed_out(result)
            or is_worker_lost(result.violations)
            or (work.summary_only and result.summary is None)
        ):
            slot = dataclasses.replace(slot, day=cache.today())
        index = self._index(slot)
        if work.summary_only:
            # A page of the run that the site pass summarised (one the page pass reported
            # IO001 on): its findings stay, with the summary beside them.
            checked = index.changed.get(slot.relpath)
            if (
                isinstance(checked, cache.Pending)
                and not checked.summary_only
                and checked.slot.digest == slot.digest
            ):
                merged = dataclasses.replace(checked.result, summary=result.summary)
                index.changed[slot.relpath] = cache.Pending(checked.slot, merged, False)
                return
        if result.fix is not None and result.fix.refused:
            return  # the findings of whatever the page held when it could not be written
        if result.fix is not None and result.fix.changed:
            staged = result.fix.staged
            if not result.fix.written or staged is None:
                return  # the result is of text that is not on disk (--diff)
            # Kept for the bytes written, not for what the page holds now (someone may have
            # edited it since); with no stat, the next run reads the page to compare.
            slot = dataclasses.replace(slot, stat=None, digest=staged.digest, day=staged.day)
        index.put_result(slot, result, summary_only=work.summary_only)

    def _index(self, slot: cache.Slot) -> cache.ResultIndex:
        return self._indexes[(slot.folder, slot.fingerprint)]

    def save(self) -> None:
        """Write every index this run changed."""
        for key, index in self._indexes.items():
            index.save(self._roots[key])


def _unsummarisable(entry: cache.Entry) -> bool:
    """Whether an entry without a summary says the page cannot be summarised: a summary that
    failed or ran out of time (no findings kept), or a check cut short by the time limit or by
    the end of its worker process."""
    if bytes(entry.result) == b"null":
        return True
    result = cache.decode_result(entry.result)
    return result is not None and (is_timed_out(result) or is_worker_lost(result.violations))
