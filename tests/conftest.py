"""Shared fixtures: the real corpus (skipped when absent, a failure under CI) and helpers to run
the CLI: `run_checker` in the test process (tests/in_process.py), for tests that need the
command's output and exit code, and `run_process` in a real subprocess, where the process
itself is under test.

Tests write only under pytest's temporary folders: a `checker check` run from anywhere else (the
project, the corpus) keeps its result cache in one folder there, shared by the whole session,
and hypothesis keeps no example database and writes its other files there too.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "rxhive-pages"
SEED = SHARED / "seed" / "seed-page.md"
OTHER_SITE = ROOT / "tests" / "fixtures" / "other-site"

# Under CI (`CI=true`, as .ci/run and every hosted CI set it) a test never skips for want of
# the corpus or a tool: a moved corpus would otherwise turn the corpus tests silently off.
IN_CI = os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


@pytest.fixture(autouse=True, scope="session")
def _compiled_settings_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the compiled pack and config (normally in the user's cache folder) under pytest's
    tmp folder, for this process and every checker it starts."""
    os.environ["CHECKER_CACHE_HOME"] = str(tmp_path_factory.mktemp("checker-cache-home"))


settings.register_profile("checker", database=None)
settings.load_profile("checker")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its other files (caches, patches of failing examples) in this session's
    temporary folder, not in `.hypothesis/` of the current folder."""
    factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
    set_hypothesis_home_dir(factory.mktemp("hypothesis"))


_session: dict[str, Path] = {}


def interruptible(command: list[str]) -> list[str]:
    """`command` started with SIGINT heard, as Ctrl-C is in a terminal, for a test that stops
    it with SIGINT. A shell starts background jobs with SIGINT ignored, a child inherits that,
    and Python leaves an ignored SIGINT ignored: a suite run in the background would otherwise
    send Ctrl-C to a process that cannot hear it."""
    restore = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execvp(sys.argv[1], sys.argv[1:])"
    )
    return [sys.executable, "-c", restore, *command]


def load_script(name: str) -> ModuleType:
    """`scripts/NAME.py`, which is not part of the package, as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def other_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/other-site, a site of another shape than the shipped pack's,
    described by its own config and pack."""
    copy = tmp_path / "other-site"
    shutil.copytree(OTHER_SITE, copy)
    return copy


def require(present: bool, what: str) -> None:
    """Skip the test when `what` is missing; fail it instead under CI."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every test")
    pytest.skip(f"{what} is not present")


def require_corpus() -> Path:
    require(CORPUS.is_dir(), f"the shared corpus ({CORPUS})")
    return CORPUS


# Tests that use these fixtures read the shared folder: they are marked `corpus` here.
_SHARED_FIXTURES = {"corpus", "seed", "corpus_json"}


def _shared_result(item: pytest.Item) -> str | None:
    """The group of tests that share one expensive result with this one: the whole-corpus check
    (`corpus_json`), or a fixture of its own module with module scope."""
    names = set(getattr(item, "fixturenames", ()))
    if "corpus_json" in names:
        return "corpus-check"
    info = getattr(item, "_fixtureinfo", None)
    module = item.nodeid.split("::", 1)[0]
    for name in sorted(names):
        for definition in info.name2fixturedefs.get(name, ()) if info else ():
            if definition.scope == "module" and definition.baseid == module:
                return module
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
        # Under pytest-xdist (`--dist loadgroup`) a group runs on one worker, so a shared result
        # is computed once, not once per worker.
        group = _shared_result(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def corpus() -> Path:
    return require_corpus()


@pytest.fixture(scope="session")
def seed() -> Path:
    require(SEED.is_file(), f"the shared seed page ({SEED})")
    return SEED


@pytest.fixture(scope="session", autouse=True)
def _session_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    _session["base"] = tmp_path_factory.getbasetemp().resolve()
    _session["cache"] = tmp_path_factory.mktemp("checker-cache")
    yield
    _session.clear()


@pytest.fixture(scope="session", autouse=True)
def _breakage() -> Iterator[None]:
    """`CHECKER_TEST_BREAK=KIND` breaks the product on purpose in this process (tests/breakage.py)."""
    kind = os.environ.get("CHECKER_TEST_BREAK")
    if not kind:
        yield
        return
    from tests import breakage

    with pytest.MonkeyPatch.context() as monkeypatch:
        breakage.apply(kind, monkeypatch)
        yield


@pytest.fixture(scope="session")
def corpus_json() -> subprocess.CompletedProcess[str]:
    """One `checker check rxhive-pages --output-format json` over the whole corpus, run from the
    corpus folder, shared by every test that needs the whole corpus's findings."""
    corpus = require_corpus()
    result = run_process("check", corpus.name, "--output-format", "json", cwd=corpus.parent)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return result


def cache_args(args: tuple[str, ...], cwd: Path) -> list[str]:
    """`--cache-dir` in the session's folder for a `check` run outside pytest's folders."""
    if not args or args[0] != "check" or "--cache-dir" in args or "--no-cache" in args:
        return []
    if "base" not in _session or cwd.resolve().is_relative_to(_session["base"]):
        return []
    return ["--cache-dir", str(_session["cache"])]


# `CHECKER_TEST_SUBPROCESS=1` runs `run_checker` in a real subprocess too: the same tests then show
# that running the command in the test process changes none of their results.
_ALWAYS_SUBPROCESS = os.environ.get("CHECKER_TEST_SUBPROCESS", "") not in {"", "0"}


def _sets_interpreter_variables(env: dict[str, str] | None) -> bool:
    """Whether `env` changes what only a new interpreter reads (`PYTHONPATH`, `PYTHONIOENCODING`)."""
    if env is None:
        return False
    names = {n for n in (*env, *os.environ) if n.startswith("PYTHON")}
    return any(env.get(n) != os.environ.get(n) for n in names)


def run_checker(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`checker ARGS` as a user would run it, and what it printed and returned.

    It runs in this process (tests/in_process.py), as a new process would: about a third of a
    second of CPU less per run than `run_process`, with the same arguments and result. A run
    that sets `PYTHONPATH` or another `PYTHON*` variable in `env` goes to `run_process`. `stdin`
    is passed as bytes, so tests can feed pages that are not UTF-8; `env` replaces the
    environment when given. A deliberate breakage (`CHECKER_TEST_BREAK`) reaches these runs.
    """
    if _ALWAYS_SUBPROCESS or _sets_interpreter_variables(env):
        return run_process(*args, cwd=cwd, stdin=stdin, env=env)
    from tests.in_process import run_in_process

    folder = cwd or ROOT
    return run_in_process([*args, *cache_args(args, folder)], folder, stdin=stdin, env=env)


def run_process(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m checker ARGS` in a real subprocess: for tests of the process itself (the
    script's exit codes, signals, the worker pool, memory), with `run_checker`'s arguments."""
    folder = cwd or ROOT
    result = subprocess.run(
        [sys.executable, "-m", "checker", *args, *cache_args(args, folder)],
        cwd=folder,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        result.stderr.decode("utf-8", errors="replace"),
    )
