"""Run work across all cores: worker processes fed with contiguous batches.

The engine hands over the pages it could not take from the cache; each worker is set up once
(forked workers inherit the loaded rule pack and imported modules, so they start at once) and
checks a batch per round trip. Results come back in the order the items were given, whatever
the number of workers. A handful of items is done in this process: a pool would cost more to
start than it saves.

Each worker has a pipe of its own to this process, and no lock is shared with it. That is
why this is not `multiprocessing.Pool`: its workers share one result queue behind a lock, and
ending the pool while a worker writes a large result into that queue (Ctrl-C during a run) can
leave the parent waiting for the lock for ever (CPython issues 73945 and 78178); killing the
workers first does not help, since a worker killed while it holds that lock never releases it
(issue 96062). Here a run that is interrupted, or fails, kills its workers outright (nothing
of theirs is needed once the run stops) and waits for them to end.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import multiprocessing.connection
    import multiprocessing.context
    import multiprocessing.process

# Below this many pages to check, one process is faster than starting a pool.
POOL_THRESHOLD = 48
MIN_BATCH, MAX_BATCH = 8, 128

Item = TypeVar("Item")
Progress = Callable[[int, int], None]


class WorkerError(RuntimeError):
    """A worker process ended while it held a batch (killed from outside, out of memory)."""


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


def _pool_context() -> multiprocessing.context.ForkContext | multiprocessing.context.DefaultContext:
    # Imported here: a check of a few pages never starts a pool, and should not pay for it.
    import multiprocessing  # noqa: PLC0415

    # Forked workers inherit the loaded rule pack and imported modules, so they start at once.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _serve(
    connection: multiprocessing.connection.Connection,
    inherited: list[multiprocessing.connection.Connection],
    work: Callable[[Sequence[Any]], list[Any]],
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
) -> None:
    """A worker: set up, then answer each batch on `connection` until the parent closes it."""
    # Ctrl-C reaches every process of the terminal's group: stopping is the parent's to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for other in inherited:
        # The parent's ends of the pipes (forked along): without them, a parent that is gone
        # leaves this worker's pipe at its end, and the worker stops.
        other.close()
    setup(*setup_args)
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, work(batch))
        except Exception as error:  # handed to the parent, which raises it
            reply = (False, error)
        try:
            connection.send(reply)
        except (OSError, ValueError):  # the parent is gone
            return
        except Exception as error:  # a result or an error that cannot be sent
            connection.send((False, RuntimeError(f"{type(error).__name__}: {error}")))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: multiprocessing.connection.Connection
    # The index of the batch it works on, if any.
    batch: int | None = None


def _start(
    context: multiprocessing.context.ForkContext | multiprocessing.context.DefaultContext,
    count: int,
    work: Callable[[Sequence[Any]], list[Any]],
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
) -> list[_Worker]:
    workers: list[_Worker] = []
    forked = context.get_start_method() == "fork"
    try:
        for _ in range(count):
            here, there = context.Pipe()
            inherited = [worker.connection for worker in workers] + [here] if forked else []
            process = context.Process(
                target=_serve, args=(there, inherited, work, setup, setup_args), daemon=True
            )
            workers.append(_Worker(process, here))
            process.start()
            # Only the worker holds its end now: the pipe ends when the worker does.
            there.close()
    except BaseException:
        _stop(workers)
        raise
    return workers


def _stop(workers: list[_Worker], kill: bool = True) -> None:
    """End every worker and wait for it: killed outright, or (`kill=False`, each one idle) by
    closing its pipe."""
    for worker in workers:
        if not kill:
            worker.connection.close()
        elif worker.process.pid is not None and worker.process.exitcode is None:
            worker.process.kill()
    for worker in workers:
        if worker.process.pid is not None:
            worker.process.join()
        worker.connection.close()


def _lost(worker: _Worker) -> WorkerError:
    worker.process.join()
    return WorkerError(
        f"a worker process ended (exit code {worker.process.exitcode}) while it checked "
        "pages; run again, or with --jobs 1 to check in one process"
    )


def run_batches(
    items: Sequence[Item],
    jobs: int,
    work: Callable[[Sequence[Item]], list[Any]],
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
    progress: Progress | None = None,
    arrived: Callable[[Sequence[Item], list[Any]], list[Any]] | None = None,
) -> list[Any]:
    """`work` over batches of `items` in `jobs` worker processes, each set up by `setup`.

    `work` and `setup` must be module-level functions; `work` returns one result per item,
    and an exception it raises is raised here. `arrived` takes each batch's results in this
    process as they come back, in order, while the workers go on, and gives the results to
    keep. Whatever stops the run (Ctrl-C, an exception) kills the workers first.
    """
    from multiprocessing.connection import wait  # noqa: PLC0415 (as in `_pool_context`)

    chunks = batches(items, jobs)
    results: list[Any] = []
    done: dict[int, list[Any]] = {}
    sent = 0
    workers = _start(_pool_context(), min(jobs, len(chunks)), work, setup, setup_args)
    finished = False
    try:

        def give(worker: _Worker) -> None:
            nonlocal sent
            worker.batch = None
            if sent < len(chunks):
                try:
                    worker.connection.send(chunks[sent])
                except (OSError, ValueError):
                    raise _lost(worker) from None
                worker.batch, sent = sent, sent + 1

        for worker in workers:
            give(worker)
        by_connection = {worker.connection: worker for worker in workers}
        delivered = 0
        while delivered < len(chunks):
            busy = [worker.connection for worker in workers if worker.batch is not None]
            for connection in wait(busy):
                worker = by_connection[connection]  # type: ignore[index]
                try:
                    ok, reply = worker.connection.recv()
                except (EOFError, OSError):
                    raise _lost(worker) from None
                if not ok:
                    raise reply
                assert worker.batch is not None
                done[worker.batch] = reply
                give(worker)
            while delivered in done:
                chunk = done.pop(delivered)
                batch = chunks[delivered]
                results.extend(chunk if arrived is None else arrived(batch, chunk))
                delivered += 1
                if progress is not None:
                    progress(len(results), len(items))
        finished = True
    finally:
        _stop(workers, kill=not finished)
    return results
