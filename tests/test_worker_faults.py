"""A worker process that ends mid-run (killed, out of memory) or cannot be set up.

A page that kills the process checking it becomes an IE001 finding naming it, and every other
page is reported as in a run without it; a worker that cannot be set up stops the run with a
`checker: error:` line. Never a traceback. The pages are enough for a pool (`--jobs 2`), and
the runs are real processes: a killed worker is what is under test.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from checker.lint import pool
from tests.conftest import ROOT, run_checker, run_process
from tests.test_faults_concurrent import checker_env

PAGE = "---\nlayout: minimal-medicine\ntitle: Page {n}\n---\n\n# Page {n}\n\nText. \n"
# Over pool.POOL_THRESHOLD, so that a run with --jobs 2 uses a pool: in a run without one the
# plug-in would kill the run itself.
COUNT = 60
KILLER = "content/page-30.md"
CONFIG = 'content-root = "content"\nplugins = ["kill_rule"]\n'


def make_site(root: Path, marker: str = "KILL HERE") -> None:
    content = root / "content"
    content.mkdir()
    for n in range(COUNT):
        (content / f"page-{n:02}.md").write_text(PAGE.format(n=n))
    with (root / KILLER).open("a") as page:
        page.write(f"\n{marker}\n")
    shutil.copy(ROOT / "tests" / "plugins" / "kill_rule.py", root)
    (root / "checker.toml").write_text(CONFIG)


def findings(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("content/")]


def without_killer(root: Path) -> list[str]:
    """The findings of every other page, from a run in one process without the page."""
    (root / KILLER).unlink()
    run = run_checker("check", "content", "--no-cache", "--output-format", "concise", cwd=root)
    assert "Traceback" not in run.stderr, run.stderr
    return findings(run.stdout)


def kills(root: Path) -> list[str]:
    """The pages the plug-in killed a process on, once per kill."""
    log = root / "content" / "kills"
    return log.read_text().splitlines() if log.exists() else []


def check(root: Path, *extra: str) -> tuple[int, list[str], str]:
    run = run_process(
        "check", "content", "--jobs", "2", "--output-format", "concise", *extra,
        cwd=root, env=checker_env(),
    )  # fmt: skip
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, findings(run.stdout), run.stderr


def test_a_page_that_kills_its_worker_is_ie001_and_every_other_page_is_reported(
    tmp_path: Path,
) -> None:
    make_site(tmp_path)
    code, found, _ = check(tmp_path, "--no-cache")
    assert code == 2  # an internal error, as a crashing rule's
    killed = [line for line in found if line.startswith(KILLER)]
    assert killed == [
        f"{KILLER}:1:1: IE001 [error] the page was not checked: the worker process ended "
        "(killed by SIGKILL) when it was checked alone; the rest of the run went on. If the "
        "system ran out of memory, run with fewer --jobs; otherwise report this with the page "
        "attached"
    ]
    # Checked with its batch, then alone in a new worker.
    assert kills(tmp_path) == ["page-30.md"] * 2
    others = [line for line in found if not line.startswith(KILLER)]
    assert others == without_killer(tmp_path)


def test_the_cache_keeps_the_killed_page_for_the_day_and_the_next_run_is_not_killed(
    tmp_path: Path,
) -> None:
    make_site(tmp_path)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    first = check(tmp_path, *cache)
    assert first[0] == 2
    assert any("IE001" in line and "the cache keeps this finding" in line for line in first[1])
    # Only the killed page would be checked again: so few pages are checked in this process,
    # which the page would kill.
    assert check(tmp_path, *cache) == first
    assert kills(tmp_path) == ["page-30.md"] * 2
    # A changed page is checked again.
    (tmp_path / "content" / "page-30.md").write_text(PAGE.format(n=30))
    code, found, _ = check(tmp_path, *cache)
    assert not any("IE001" in line for line in found)
    assert code == 1


def test_a_fix_run_that_loses_a_worker_fixes_every_other_page_and_leaves_no_staged_file(
    tmp_path: Path,
) -> None:
    make_site(tmp_path)
    before = (tmp_path / KILLER).read_bytes()
    code, found, _ = check(tmp_path, "--no-cache", "--fix")
    assert code == 2
    assert [line.split(" ", 2)[:2] for line in found if "IE001" in line] == [
        [f"{KILLER}:1:1:", "IE001"]
    ]
    assert (tmp_path / KILLER).read_bytes() == before
    pages = sorted((tmp_path / "content").glob("page-*.md"))
    fixed = [page for page in pages if page.read_text().endswith("Text.\n")]
    assert len(fixed) == COUNT - 1
    # The pages the lost worker staged, and never handed over, are gone.
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == sorted(
        [page.name for page in pages] + ["kills"]
    )


def test_a_worker_that_cannot_be_set_up_stops_the_run_with_an_error(tmp_path: Path) -> None:
    make_site(tmp_path, "KILL HERE AND REMOVE THE CONFIG")
    (tmp_path / "checker.toml").rename(tmp_path / "explicit.toml")
    code, _, errors = check(tmp_path, "--no-cache", "--config", "explicit.toml")
    assert code == 2
    assert errors.strip() == (
        "checker: error: a worker process could not be set up (ConfigError: explicit.toml: "
        "config file not found; check the --config path); run with --jobs 1 to check in one "
        "process, and report this"
    )


# The pool on its own, with work that fails in each way a worker can.


def _setup() -> None:
    pass


def _broken_setup() -> None:
    raise OSError("no memory for the rule pack")


class Unsendable:
    def __reduce__(self) -> str:
        raise TypeError("cannot be sent")


def _double(batch: Sequence[int]) -> list[object]:
    """Twice each number; 13 kills the process, 7 raises, 5 gives a result that cannot be
    sent."""
    results: list[object] = []
    for item in batch:
        if item == 13:
            signal.raise_signal(signal.SIGKILL)
        if item == 7:
            raise ValueError("seven")
        results.append(Unsendable() if item == 5 else item * 2)
    return results


def _failed(item: int, why: str) -> str:
    return f"{item}: {why}"


def test_the_pool_redoes_a_failed_batch_one_item_at_a_time(
    capfd: pytest.CaptureFixture[str],
) -> None:
    items = list(range(100))
    results = pool.run_batches(items, 2, _double, _setup, (), failed=_failed)
    expected: list[object] = [item * 2 for item in items]
    expected[13] = "13: the worker process ended (killed by SIGKILL)"
    expected[7] = "7: the worker process failed (ValueError: seven)"
    expected[5] = "5: the worker process failed (TypeError: cannot be sent)"
    assert results == expected
    assert "Traceback" not in capfd.readouterr().err


def test_a_pool_without_failed_raises_a_worker_error() -> None:
    with pytest.raises(pool.WorkerError, match=r"^the worker process ended \(killed by SIGKILL\)"):
        pool.run_batches(list(range(10, 100)), 2, _double, _setup, ())


def test_a_worker_whose_setup_fails_raises_a_worker_error_and_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(pool.WorkerError) as raised:
        pool.run_batches(list(range(100)), 2, _double, _broken_setup, ())
    assert str(raised.value) == (
        "a worker process could not be set up (OSError: no memory for the rule pack); run with "
        "--jobs 1 to check in one process, and report this"
    )
    assert "Traceback" not in capfd.readouterr().err


def _unsendable(batch: Sequence[int]) -> list[object]:
    return [Unsendable() for _ in batch]


def test_a_worker_whose_parent_is_gone_ends_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    context = pool._pool_context()
    here, there = context.Pipe()
    # A batch is waiting for the worker, and nothing reads its answer: the answer cannot be
    # sent, and neither can the account of why.
    here.send([1])
    here.close()
    worker = context.Process(target=pool._serve, args=(there, [], _unsendable, _setup, ()))
    worker.start()
    there.close()
    worker.join()
    assert worker.exitcode == 0
    assert "Traceback" not in capfd.readouterr().err


# Feeding: a worker gets its next batch before this process takes a batch's results in (a fix
# run writes its pages then), so no worker waits while the parent works.

_STARTED: list[Path] = []


def _mark_setup(folder: Path) -> None:
    _STARTED.append(folder)


def _marked(batch: Sequence[int]) -> list[object]:
    (_STARTED[0] / f"started-{batch[0]}").touch()
    if batch[0] == 8:
        # The second batch comes back last: the third goes to the first batch's worker, which
        # must get it while the first batch's results are taken in, not after.
        time.sleep(0.5)
    return [item * 2 for item in batch]


def test_a_worker_gets_its_next_batch_before_the_results_are_taken_in(tmp_path: Path) -> None:
    items = list(range(64))  # 8 per batch with two workers: batches start at 0, 8, 16, ...
    seen: list[list[str]] = []

    def arrived(batch: Sequence[int], results: list[object]) -> list[object]:
        if not seen:
            # The first batch is back; its worker should be busy with a third batch already.
            for _ in range(500):
                started = sorted(path.name for path in tmp_path.iterdir())
                if len(started) >= 3:
                    break
                time.sleep(0.01)
            seen.append(started)
        return results

    results = pool.run_batches(items, 2, _marked, _mark_setup, (tmp_path,), arrived=arrived)
    assert results == [item * 2 for item in items]
    assert len(seen[0]) >= 3, seen


def _dies_when_idle(batch: Sequence[int]) -> list[object]:
    if batch[0] == 0:
        # Ends just after its answer is sent: killed while it waits for its next batch.
        threading.Timer(0.2, os._exit, (1,)).start()
    return [item * 2 for item in batch]


def test_a_worker_lost_while_idle_has_its_next_batch_done_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parent's send of the next batch fails; that batch is done again, and the run goes
    on, once for the lost worker."""
    receive = pool._receive

    def receive_then_wait_for_the_end(worker: pool._Worker) -> object:
        answer = receive(worker)
        if answer is not None and answer[0] == "done" and answer[1][:1] == [0]:
            worker.process.join(5)  # it is gone before it is handed its next batch
            assert worker.process.exitcode == 1
        return answer

    monkeypatch.setattr(pool, "_receive", receive_then_wait_for_the_end)
    items = list(range(200))
    results = pool.run_batches(items, 2, _dies_when_idle, _setup, (), failed=_failed)
    assert results == [item * 2 for item in items]
