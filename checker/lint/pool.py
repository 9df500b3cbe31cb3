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

A worker that ends mid-batch (the out-of-memory killer, a rule that brings its process down)
loses only its batch: that batch is done again an item at a time, each in a new worker until
one ends again, so one page is found out and every other page gets its result. The lost
worker is replaced.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from checker.errors import InternalError

if TYPE_CHECKING:
    import multiprocessing.connection
    import multiprocessing.context
    import multiprocessing.process

# Below this many pages to check, one process is faster than starting a pool.
POOL_THRESHOLD = 48
MIN_BATCH, MAX_BATCH = 8, 128

Item = TypeVar("Item")
Progress = Callable[[int, int], None]


class WorkerError(InternalError):
    """A worker process could not be set up, or ended while it held work that no one can
    account for (a caller that gives no `failed`)."""


# What a worker answers: a batch's results; the reason a batch failed (an exception of `work`,
# or results that cannot be sent); the reason its setup failed (it then ends).
_DONE, _FAILED, _NOT_SET_UP = "done", "failed", "not set up"
# A result for an item that failed alone: from the item and why it failed.
Failed = Callable[[Any, str], Any]


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
    try:
        setup(*setup_args)
    except Exception as error:
        # Told to the parent in answer to its first batch (so that it is sent while the
        # parent waits for it), and the parent stops the run with it: no worker can do without
        # its setup. Raised here, it would end the process with a traceback and tell the parent
        # nothing.
        with contextlib.suppress(EOFError, OSError, ValueError):
            connection.recv()
            connection.send((_NOT_SET_UP, f"{type(error).__name__}: {error}"))
        return
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = (_DONE, work(batch))
        except Exception as error:  # the parent runs the batch's items again, one at a time
            reply = (_FAILED, f"{type(error).__name__}: {error}")
        try:
            connection.send(reply)
        except (OSError, ValueError):  # the parent is gone
            return
        except Exception as error:  # results that cannot be sent (pickled)
            try:
                connection.send((_FAILED, f"{type(error).__name__}: {error}"))
            except (OSError, ValueError):  # the parent went meanwhile
                return


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
    others: Sequence[_Worker] = (),
) -> list[_Worker]:
    """Start `count` workers; `others` are the workers already running, whose pipes a forked
    worker must not keep open."""
    workers: list[_Worker] = []
    forked = context.get_start_method() == "fork"
    try:
        for _ in range(count):
            here, there = context.Pipe()
            inherited = (
                [worker.connection for worker in [*others, *workers]] + [here] if forked else []
            )
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


def _stop(workers: Sequence[_Worker], kill: bool = True) -> None:
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


def _send(worker: _Worker, batch: Sequence[Any]) -> bool:
    """Send a batch; False if the worker is gone."""
    try:
        worker.connection.send(batch)
    except (OSError, ValueError):
        return False
    return True


def _receive(worker: _Worker) -> tuple[str, Any] | None:
    """The worker's answer, or None if it ended without one."""
    try:
        answer: tuple[str, Any] = worker.connection.recv()
    except (EOFError, OSError):
        return None
    except Exception as error:  # an answer that cannot be read; the pipe is still in step
        return (_FAILED, f"its results could not be read ({type(error).__name__}: {error})")
    if answer[0] == _NOT_SET_UP:
        raise WorkerError(
            f"a worker process could not be set up ({answer[1]}); run with --jobs 1 to check "
            "in one process, and report this"
        )
    return answer


def _ended(worker: _Worker) -> str:
    """Why a worker that ended without an answer did (it is stopped and waited for)."""
    _stop([worker])
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit code {code}"
    return f"the worker process ended ({how})"


class _Batches:
    """Hands out the batches and keeps their results until they can be delivered in order."""

    def __init__(self, items: Sequence[Any], jobs: int) -> None:
        self.chunks = batches(items, jobs)
        self.sent = 0
        self.done: dict[int, list[Any]] = {}
        self.delivered = 0

    def next(self) -> int | None:
        if self.sent == len(self.chunks):
            return None
        self.sent += 1
        return self.sent - 1

    def waiting(self) -> int:
        return len(self.chunks) - self.sent

    def finished(self) -> bool:
        return self.delivered == len(self.chunks)

    def deliverable(self) -> Iterator[tuple[Sequence[Any], list[Any]]]:
        while self.delivered in self.done:
            results = self.done.pop(self.delivered)
            yield self.chunks[self.delivered], results
            self.delivered += 1


def run_batches(
    items: Sequence[Item],
    jobs: int,
    work: Callable[[Sequence[Item]], list[Any]],
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
    progress: Progress | None = None,
    arrived: Callable[[Sequence[Item], list[Any]], list[Any]] | None = None,
    failed: Failed | None = None,
) -> list[Any]:
    """`work` over batches of `items` in `jobs` worker processes, each set up by `setup`.

    `work` and `setup` must be module-level functions; `work` returns one result per item.
    `arrived` takes each batch's results in this process as they come back, in order, while
    the workers go on, and gives the results to keep. Whatever stops the run (Ctrl-C, an
    exception) kills the workers first.

    A batch whose worker ends without answering (killed, out of memory) or whose `work`
    raises is done again one item at a time, in a new worker, and a worker that is lost is
    replaced: an item that fails alone too gets the result `failed` makes of it and why, and
    every other item its own. Without `failed`, such an item raises WorkerError. A worker
    whose setup fails raises WorkerError.
    """
    from multiprocessing.connection import wait  # noqa: PLC0415 (as in `_pool_context`)

    context = _pool_context()
    plan = _Batches(items, jobs)
    size = min(jobs, len(plan.chunks))
    workers: list[_Worker] = []
    results: list[Any] = []

    def start(count: int) -> list[_Worker]:
        return _start(context, count, work, setup, setup_args, workers)

    def alone(batch: Sequence[Any]) -> list[Any]:
        return _one_by_one(batch, start, failed)

    def feed() -> list[tuple[_Worker | None, int]]:
        """Hand the next batch to each idle worker; the batches that could not be sent."""
        unsent: list[tuple[_Worker | None, int]] = []
        for worker in workers:
            index = plan.next() if worker.batch is None else None
            if index is not None:
                if _send(worker, plan.chunks[index]):
                    worker.batch = index
                else:
                    unsent.append((worker, index))
        return unsent

    finished = False
    try:
        workers.extend(start(size))
        # Batches whose worker failed them: (the worker, if it is gone, and the batch). Each
        # round ends by feeding the idle workers, so a round begins with every worker busy
        # but those whose batch could not be sent: they are here, and fed no other batch.
        failures: list[tuple[_Worker | None, int]] = feed()
        while not plan.finished():
            busy = {w.connection: w for w in workers if w.batch is not None}
            for connection in wait(list(busy)) if busy and not failures else ():
                worker = busy[connection]  # type: ignore[index]
                index, worker.batch = worker.batch, None
                assert index is not None
                answer = _receive(worker)
                if answer is None:
                    failures.append((worker, index))
                elif answer[0] == _DONE:
                    plan.done[index] = answer[1]
                else:
                    failures.append((None, index))
            for lost, index in failures:
                if lost is not None:
                    _stop([lost])
                    workers.remove(lost)
                plan.done[index] = alone(plan.chunks[index])
            # A lost worker is replaced while batches wait for one.
            missing = min(size - len(workers), plan.waiting())
            if missing > 0:
                workers.extend(start(missing))
            # Idle workers get their next batch before results are delivered here (a fix run
            # writes its pages then), so no worker waits while this process works.
            failures = feed()
            for batch, done in plan.deliverable():
                results.extend(done if arrived is None else arrived(batch, done))
                if progress is not None:
                    progress(len(results), len(items))
        finished = True
    finally:
        _stop(workers, kill=not finished)
    return results


def _one_by_one(
    batch: Sequence[Any], start: Callable[[int], list[_Worker]], failed: Failed | None
) -> list[Any]:
    """The results of a batch that failed, each item done alone in a worker of its own until
    one fails it: that item gets `failed`'s result, and the next a new worker."""
    results: list[Any] = []
    worker: _Worker | None = None
    try:
        for item in batch:
            if worker is None:
                worker = start(1)[0]
            answer = _receive(worker) if _send(worker, [item]) else None
            if answer is not None and answer[0] == _DONE:
                results.extend(answer[1])
                continue
            if answer is None:
                why = _ended(worker)
                worker = None
            else:
                why = f"the worker process failed ({answer[1]})"
            if failed is None:
                raise WorkerError(f"{why}; run with --jobs 1 to check in one process")
            results.append(failed(item, why))
    finally:
        if worker is not None:
            _stop([worker])
    return results
