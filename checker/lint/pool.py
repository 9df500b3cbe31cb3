"""Run work across all cores: a process pool fed with contiguous batches.

The engine hands over the pages it could not take from the cache; each worker is set up once
(forked workers inherit the loaded rule pack and imported modules, so they start at once) and
checks a batch per round trip. Results come back in the order the items were given, whatever
the number of workers. A handful of items is done in this process: a pool would cost more to
start than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import multiprocessing.context

# Below this many pages to check, one process is faster than starting a pool.
POOL_THRESHOLD = 48
MIN_BATCH, MAX_BATCH = 8, 128

Item = TypeVar("Item")
Progress = Callable[[int, int], None]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def batches(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """Contiguous slices, several per worker so that a slow batch does not hold up the rest."""
    size = min(MAX_BATCH, max(MIN_BATCH, len(items) // (jobs * 4) or 1))
    return [items[start : start + size] for start in range(0, len(items), size)]


def use_pool(jobs: int, count: int) -> bool:
    return jobs > 1 and count >= POOL_THRESHOLD


def _pool_context() -> multiprocessing.context.BaseContext:
    # Imported here: a check of a few pages never starts a pool, and should not pay for it.
    import multiprocessing  # noqa: PLC0415

    # Forked workers inherit the loaded rule pack and imported modules, so they start at once.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def run_batches(
    items: Sequence[Item],
    jobs: int,
    work: Callable[[Sequence[Item]], list[Any]],
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
    progress: Progress | None = None,
    arrived: Callable[[Sequence[Item], list[Any]], list[Any]] | None = None,
) -> list[Any]:
    """`work` over batches of `items` in a pool of `jobs` workers, each set up by `setup`.

    `work` and `setup` must be module-level functions; `work` returns one result per item.
    `arrived` takes each batch's results in this process as they come back, in order, while
    the workers go on, and gives the results to keep.
    """
    chunks = batches(items, jobs)
    results: list[Any] = []
    # multiprocessing's Pool starts its workers before any helper thread, which keeps `fork`
    # safe; results are read back in the order the batches were sent.
    with _pool_context().Pool(
        min(jobs, len(chunks)), initializer=setup, initargs=setup_args
    ) as pool:
        for batch, chunk in zip(chunks, pool.imap(work, chunks), strict=True):
            results.extend(chunk if arrived is None else arrived(batch, chunk))
            if progress is not None:
                progress(len(results), len(items))
    return results
