"""Every hostile input gets a clear finding or usage error, in bounded time and memory, and the
rest of the run (the control page) is still reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.cases import CASES, Case
from tests.hostile.run import fresh_folder, remove, run_case, unprivileged_skip_reason
from tests.hostile.setups import SETUPS

MEMORY_BOUND_MB = 200


@pytest.fixture
def folder() -> Iterator[Path]:
    path = fresh_folder()
    yield path
    remove(path)


# The cases that take seconds each stay out of the fast loop (`pytest`); `pytest -m ""` and CI
# run them. one-line-950kb also depends on the page time limit, which a busy machine can reach.
HEAVY = {"many-sections", "one-line-950kb", "one-line-5mb", "page-50mb", "front-matter-10mb"}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.name in HEAVY else [])
        for case in CASES
    ],
)
def test_hostile_case(case: Case, folder: Path) -> None:
    reason = unprivileged_skip_reason(case)
    if reason:
        pytest.skip(reason)
    _assert_outcome(case, folder)


# Setups that prepare a cache or a pack with an unmeasured run of their own, or open a
# language-server session, take a few seconds each: `pytest -m ""` and CI run them. The fast
# loop covers each of their items with a test beside the code (tests/test_cache.py,
# tests/hostile/test_safety.py, tests/hostile/test_server_hostile.py).
@pytest.mark.slow
@pytest.mark.parametrize("case", [pytest.param(case, id=case.name) for case in SETUPS])
def test_hostile_setup(case: Case, folder: Path) -> None:
    _assert_outcome(case, folder)


def _assert_outcome(case: Case, folder: Path) -> None:
    outcome = run_case(case, folder)
    assert case.problem(outcome.exit, outcome.output, folder) is None, outcome.output
    assert outcome.memory_mb <= MEMORY_BOUND_MB, outcome
    assert not (folder / "executed").exists()


def test_the_robustness_doc_lists_every_case() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "robustness.md").read_text()
    rows = {line.split("|")[1].strip() for line in doc.splitlines() if line.startswith("| ")}
    missing = [case.name for case in (*CASES, *SETUPS) if case.name not in rows]
    assert missing == [], "regenerate docs/robustness.md: python scripts/robustness_table.py"
