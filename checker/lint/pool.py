"""Check many pages across all cores: a process pool fed with batches of pages.

The parent finds each page's config, takes what it can from the result cache, and hands the
rest to the pool in contiguous batches, so that each worker's start-up (and each round trip)
is paid once per batch, not once per page. Results come back in the order the pages were
given, whatever the number of workers. A handful of pages is checked in this process: a pool
would cost more to start than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import multiprocessing.context

    from checker.lint.engine import Engine, FileResult, Target
    from checker.lint.resolver import Overrides

# Below this many pages to check, one process is faster than starting a pool.
POOL_THRESHOLD = 48
MIN_BATCH, MAX_BATCH = 8, 128


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Work:
    """One page to check, and where to store its result (when caching)."""

    target: Target
    key: str | None = None
    cache_folder: Path | None = None


def batches(work: Sequence[Work], jobs: int) -> list[Sequence[Work]]:
    """Contiguous slices, several per worker so that a slow batch does not hold up the rest."""
    size = min(MAX_BATCH, max(MIN_BATCH, len(work) // (jobs * 4) or 1))
    return [work[start : start + size] for start in range(0, len(work), size)]


# The engine a pool worker checks with, built once per worker by `_start_worker`.
_worker: dict[str, Engine] = {}


def _start_worker(overrides: Overrides, config_path: Path | None) -> None:
    from checker.lint.engine import Engine
    from checker.project.config import ConfigFinder

    _worker["engine"] = Engine(overrides, ConfigFinder(config_path))


def _check_batch(batch: Sequence[Work]) -> list[dict[str, Any]]:
    from checker.lint.cache import encode_result

    engine = _worker["engine"]
    # Plain data crosses the process boundary several times faster than dataclasses do.
    return [encode_result(engine.check_work(item)) for item in batch]


def _pool_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # Forked workers inherit the loaded rule pack and imported modules, so they start at once.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def check_work(engine: Engine, work: Sequence[Work], jobs: int) -> list[FileResult]:
    """Check every item, in a pool when there are enough of them, and keep their order."""
    progress = engine.progress
    if jobs <= 1 or len(work) < POOL_THRESHOLD:
        serial = []
        for item in work:
            serial.append(engine.check_work(item))
            if progress is not None:
                progress(len(serial), len(work))
        return serial
    from checker.lint.cache import decode_result

    engine.prepare_for_pool()
    chunks = batches(work, jobs)
    results: list[FileResult] = []
    # multiprocessing's Pool starts its workers before any helper thread, which keeps `fork`
    # safe; results are read back in the order the batches were sent.
    with _pool_context().Pool(
        min(jobs, len(chunks)),
        initializer=_start_worker,
        initargs=(engine.overrides, engine.finder.explicit_path),
    ) as pool:
        for chunk in pool.imap(_check_batch, chunks):
            results.extend(decode_result(state) for state in chunk)
            if progress is not None:
                progress(len(results), len(work))
    return results
