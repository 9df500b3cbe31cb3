"""Run the `checker` command inside the test process, as a fresh process would run it.

Starting Python and importing the checker costs about a third of a second of CPU per run, which
hundreds of CLI tests paid again and again. `run_in_process` calls `checker.cli.main(argv)`
instead, with everything a process would have of its own set up for the call and put back
after it: the working folder, the environment, stdin, stdout and stderr (byte streams that are
not a terminal, as a pipe is), the exit code (`SystemExit` included) and a traceback on stderr
with exit code 1 for an exception that escapes `main`, as Python prints it. What a process
starts without is cleared first: the checker's memoised loaders (rule pack, plugins), and
afterwards the plugin modules a run imported and what it added to `sys.path`.

What it cannot stand in for stays a real subprocess (`tests.conftest.run_process`): signals,
a terminal, the installed `checker` script, interpreter settings (`PYTHON*` variables), and
runs that would start the worker pool (48 pages or more with more than one job, the pages of
the run or the rest of the site): a run here has one job unless it asks for more, and a run
that starts the pool fails its test.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import checker
from checker import cli
from checker.lint import pool

_PACKAGE = Path(checker.__file__).resolve().parent
# Modules from here are installed or part of Python: a later run would find them imported too.
_INSTALLED = tuple(
    str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, _PACKAGE}
)


def _forget_memoised() -> None:
    """Clear every memoised function of the checker, as a new process would start."""
    for name, module in list(sys.modules.items()):
        if name != "checker" and not name.startswith("checker."):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _imports_undone() -> Iterator[None]:
    """Drop the modules a run imported from outside the installed packages (plugins written
    by a test), and what it added to `sys.path`, so that the next run imports them anew."""
    modules = set(sys.modules)
    path = list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            file = getattr(sys.modules[name], "__file__", None)
            if file and not str(Path(file).resolve()).startswith(_INSTALLED):
                del sys.modules[name]


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict", newline=None)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", errors="replace")


def _exit_code(stop: SystemExit, stderr: io.TextIOWrapper) -> int:
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=stderr)
    return 1


class PoolInTestProcess(BaseException):
    """Raised by a run in the test process that starts the worker pool: forked from a test
    process, workers would inherit its state; such a run belongs in `run_process`. A
    BaseException, so that no handler of the checker's turns it into a finding."""


@contextlib.contextmanager
def _no_pool() -> Iterator[None]:
    """One job unless the run asks for more (`--jobs`), and a pool refused: a run that needs
    one fails its test, whether its pages come from the cache or not."""
    real = pool.run_batches, pool.default_jobs

    def refused(items: object, jobs: int, *args: object, **kwargs: object) -> list[object]:
        raise PoolInTestProcess(
            f"this run would start {jobs} worker processes in the test process; "
            "run it with tests.conftest.run_process"
        )

    pool.run_batches = refused  # type: ignore[assignment]
    pool.default_jobs = lambda: 1
    try:
        yield
    finally:
        pool.run_batches, pool.default_jobs = real


def run_in_process(
    argv: list[str], cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`checker ARGV` run by `checker.cli.main` in this process; the result reads as a
    subprocess's (`returncode`, `stdout`, `stderr` as text)."""
    out, err, into = _stream(), _stream(), _stream(stdin or b"")
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    folder = Path.cwd()
    with _environment(env), _imports_undone(), _no_pool():
        _forget_memoised()
        os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = into, out, err
        try:
            code = cli.main(argv)
        except SystemExit as stop:
            code = _exit_code(stop, err)
        except Exception:
            traceback.print_exc(file=err)
            code = 1
        finally:
            out.flush()
            err.flush()
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            os.chdir(folder)
    return subprocess.CompletedProcess(["checker", *argv], code, _text(out), _text(err))
