"""Time the checker over both corpora, side by side, against its parser and other linters.

    python benchmarks/run.py [--corpus-root DIR] [--repeat N] [--tool-repeat N]
                             [--tools DIR] [--setup] [--no-write]

Each measure runs `--repeat` times (`--tool-repeat` for the slow third-party linters) and the
median wall time (and CPU time) is kept. The tables, with a description of the machine and the
issue's targets, go to standard output and to docs/performance.md. Hand-written notes below the
`<!-- notes -->` line of that file are kept. This is a benchmark, not a test: nothing here
asserts timings. Every measure runs on each corpus of `--corpus-root` (rxhive-pages and
rxhive-v1-pages); pages are only read there, never written: the measures that write (the
cache, --fix, an edited page) work on copies in a temporary folder.

(a) parse floor: read every page, split its front matter and parse it with markdown-it-py,
    in one process;
(b) `checker check --no-cache` cold, default jobs, over a fresh copy of the corpus;
(c) the same, warm: cache filled, nothing changed;
(d0) yardstick: an interpreter importing markdown_it, frontmatter and pydantic;
(d) one page, no cache;
(e) one changed page in the site, cache warm, site-wide rules on;
(h) one page in the site, cache cold, site-wide rules on (the rest of the site summarised);
(i) `checker check --fix` over the copy (b) just checked (a cold cache, the pool);
(f) markdownlint-cli2 and (g) PyMarkdown on the same pages.

The comparison tools are never project dependencies. `--setup` installs them under `--tools`
(default: a `checker-bench-tools` folder in the system's temporary folder):
markdownlint-cli2 with `npm install --prefix TOOLS/npm markdownlint-cli2`, PyMarkdown with
`python -m venv TOOLS/venv` and `TOOLS/venv/bin/pip install pymarkdownlnt`. Tools found there
or on PATH are used; a missing tool leaves its row empty.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_ROOT = ROOT.parent / "shared" / "corpus"
CORPORA = ("rxhive-pages", "rxhive-v1-pages")
DEFAULT_TOOLS = Path(tempfile.gettempdir()) / "checker-bench-tools"
DOC = ROOT / "docs" / "performance.md"
NOTES_MARK = "<!-- notes -->"

FLOOR_SCRIPT = """
import sys
from pathlib import Path
import frontmatter
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark", {"maxNesting": 50}).enable("table")
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    count += len(md.parse(post.content))
print(count)
"""
IMPORT_SCRIPT = "import markdown_it, frontmatter, pydantic"


@dataclass
class Measure:
    label: str
    title: str
    times: list[float] = field(default_factory=list)
    # CPU time (user + system) of the process tree: what load on the machine inflates least.
    cpu: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    note: str = ""
    skipped: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def peak(self) -> int | None:
        return max(self.peak_rss) if self.peak_rss else None


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_rss: int
    returncode: int
    stderr: str


def run_once(
    command: Sequence[str], env: dict[str, str], cwd: Path, timeout: float | None = None
) -> Run:
    """Wall time and peak resident memory (the whole process tree, sampled) of one command."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        stderr = f"stopped after the {timeout:.0f} s time limit of this benchmark"
        process.returncode = -9
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    # The command's children (pool workers) count once it has waited for them.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, cpu, peak, process.returncode, stderr)


def repeat(
    measure: Measure,
    times: int,
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    before: Callable[[], None] | None = None,
    ok: Callable[[Run], bool] = lambda run: run.returncode in (0, 1),
    timeout: float | None = None,
) -> None:
    for _ in range(times):
        if before is not None:
            before()
        result = run_once(command, env, cwd, timeout)
        measure.times.append(result.seconds)
        measure.cpu.append(result.cpu)
        measure.peak_rss.append(result.peak_rss)
        if not ok(result):
            tail = " ".join(result.stderr.strip().splitlines()[-2:])[:300]
            # Name pages by their place in the corpus, not by where this machine keeps it.
            tail = tail.replace(str(cwd) + "/", "") if cwd else tail
            measure.note = f"exit code {result.returncode} after {result.seconds:.1f} s: {tail or 'no message'}"
        print(
            f"  {measure.label} {result.seconds:8.2f} s wall {result.cpu:8.2f} s cpu",
            file=sys.stderr,
            flush=True,
        )


@dataclass
class Tools:
    markdownlint: str | None
    pymarkdown: str | None


def find_tools(folder: Path, setup: bool) -> Tools:
    """The comparison linters: installed under `folder` when asked, else found there or on PATH."""
    npm_bin = folder / "npm" / "node_modules" / ".bin" / "markdownlint-cli2"
    venv_bin = folder / "venv" / "bin" / "pymarkdown"
    if setup:
        folder.mkdir(parents=True, exist_ok=True)
        if not npm_bin.exists() and shutil.which("npm"):
            subprocess.run(
                ["npm", "install", "--prefix", str(folder / "npm"), "markdownlint-cli2"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
        if not venv_bin.exists():
            subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=False)
            subprocess.run(
                [str(folder / "venv" / "bin" / "pip"), "install", "-q", "pymarkdownlnt"],
                check=False,
            )
    lint = str(npm_bin) if npm_bin.exists() else shutil.which("markdownlint-cli2")
    pymarkdown = str(venv_bin) if venv_bin.exists() else shutil.which("pymarkdown")
    return Tools(lint, pymarkdown)


def machine(tools: Tools) -> list[tuple[str, str]]:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    facts = [
        ("CPU", cpu),
        ("cores available", str(len(os.sched_getaffinity(0)))),
        ("memory", memory),
        ("system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", platform.python_version()),
    ]
    from importlib.metadata import PackageNotFoundError, version

    for name in ("markdown-it-py", "pydantic", "PyYAML", "python-frontmatter"):
        try:
            facts.append((name, version(name)))
        except PackageNotFoundError:
            continue
    if tools.pymarkdown:
        facts.append(("pymarkdownlnt", _version([tools.pymarkdown, "version"])))
    node = shutil.which("node")
    if node:
        facts.append(("Node.js", _version([node, "--version"])))
    if tools.markdownlint:
        facts.append(("markdownlint-cli2", _version([tools.markdownlint, "--help"]).split("\n")[0]))
    return facts


def _version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "unknown"
    return (result.stdout or result.stderr).strip() or "unknown"


def _fmt_time(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def _fmt_ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "-"
    return f"{value / base:.2f}x"


def _fmt_mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:.0f} MB"


# (name, target text, how the result is computed, limit, True when the result must be below)
TARGETS: list[tuple[str, str, Callable[[dict[str, Measure]], float | None], float, bool]] = []


def _ratio(top: str, bottom: str) -> Callable[[dict[str, Measure]], float | None]:
    def compute(m: dict[str, Measure]) -> float | None:
        a = m[top].median if top in m else None
        b = m[bottom].median if bottom in m else None
        return a / b if a and b else None

    return compute


def _peak(m: dict[str, Measure]) -> float | None:
    peak = m["b"].peak if "b" in m else None
    return peak / 1e6 if peak else None


TARGETS += [
    ("Cold full check (b) vs the parse floor (a)", "≤ 1.0 x", _ratio("b", "a"), 1.0, True),
    ("markdownlint-cli2 (f) ÷ cold full check (b)", "≥ 3 x", _ratio("f", "b"), 3.0, False),
    ("Warm re-run (c) vs cold (b)", "≤ 0.05 x", _ratio("c", "b"), 0.05, True),
    ("One page (d) vs bare imports (d0)", "≤ 1.5 x", _ratio("d", "d0"), 1.5, True),
    ("One changed page, warm, site rules (e) vs one page (d)", "≤ 2 x", _ratio("e", "d"), 2, True),
    (
        "One page, cold-cache site (h) vs cold full check (b)",
        "≤ 0.3 x",
        _ratio("h", "b"),
        0.3,
        True,
    ),
    ("`--fix` over the copy (i) vs cold check of it (b)", "≤ 1.5 x", _ratio("i", "b"), 1.5, True),
    ("Peak memory of a full run (b)", "≤ 300 MB", _peak, 300, True),
]


def _verdict(value: float | None, limit: float, below: bool, memory: bool) -> str:
    if value is None:
        return "not measured"
    shown = f"{value:.0f} MB" if memory else f"{value:.2f}x"
    met = value <= limit if below else value >= limit
    if met:
        return f"{shown}: met"
    miss = value / limit if below else limit / value
    return f"{shown}: missed by {100 * (miss - 1):.0f}%"


def render(
    runs: dict[str, dict[str, Measure]],
    pages: dict[str, int],
    args: argparse.Namespace,
    load: str,
    tools: Tools,
) -> str:
    names = list(runs)
    lines = [
        "# Performance",
        "",
        "Generated by `python benchmarks/run.py --setup`; re-run it to refresh this page. Times",
        f"are the median wall time of {args.repeat} runs ({args.tool_repeat} for markdownlint-cli2",
        "and PyMarkdown); CPU is the median user + system time of the process and every process",
        "it waited for (pool workers included), which load on the machine inflates least; memory",
        "is the peak resident memory of the whole process tree, sampled every 20 ms. Both corpora",
        "were measured in the same run: "
        + ", ".join(f"{name} ({pages[name]} pages)" for name in names)
        + ".",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in machine(tools)),
        f"| load average during the run | {load} |",
        "",
        "## Results",
        "",
        "| | What was timed | "
        + " | ".join(f"{n}: median (runs) | vs (a) | CPU | peak memory" for n in names)
        + " |",
        "|---|---|" + "---|---|---|---|" * len(names),
    ]
    first = runs[names[0]]
    for label, measure in first.items():
        cells = []
        notes = []
        for name in names:
            current = runs[name].get(label)
            if current is None or current.skipped or not current.times:
                cells.append("- | - | - | -")
                if current is not None and current.skipped:
                    notes.append(f"{name}: {current.skipped}")
                continue
            a = runs[name]["a"].median
            cells.append(
                f"{_fmt_time(current.median)} ({len(current.times)}) | "
                f"{_fmt_ratio(current.median, a)} | {_fmt_time(current.median_cpu)} | "
                f"{_fmt_mb(current.peak)}"
            )
            if current.note:
                notes.append(f"{name}: {current.note}")
        title = measure.title + (" — " + "; ".join(notes) if notes else "")
        lines.append(f"| {label} | {title} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Targets",
        "",
        "| Measure | Target | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for title, target, compute, limit, below in TARGETS:
        memory = "memory" in title
        verdicts = [_verdict(compute(runs[name]), limit, below, memory) for name in names]
        lines.append(f"| {title} | {target} | " + " | ".join(verdicts) + " |")
    lines.append("")
    return "\n".join(lines)


def _keep_notes(text: str) -> str:
    if DOC.is_file():
        old = DOC.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            return text + "\n" + NOTES_MARK + old.split(NOTES_MARK, 1)[1]
    return text + "\n" + NOTES_MARK + "\n"


def measure_corpus(
    corpus: Path, args: argparse.Namespace, env: dict[str, str], tools: Tools, work: Path
) -> dict[str, Measure]:
    python = sys.executable
    checker = [python, "-m", "checker", "check", "-q", "--output-format", "concise"]
    pages = sorted(corpus.rglob("*.md"))
    one = pages[len(pages) // 2]
    relative_one = str(one.relative_to(corpus))
    m: dict[str, Measure] = {}
    print(f"{corpus.name}: {len(pages)} pages", file=sys.stderr, flush=True)

    m["a"] = Measure("a", "parse floor: read, front matter, markdown-it-py (one process)")
    repeat(m["a"], args.repeat, [python, "-c", FLOOR_SCRIPT, str(corpus)], env, work)

    # (b) and (i) share a fresh copy per run: the check and the fix see the very same files.
    copy = work / "copy"
    m["b"] = Measure("b", "`checker check --no-cache` cold, default jobs (a fresh copy)")
    m["i"] = Measure("i", "`checker check --fix` over that copy (cold cache, default jobs)")
    for _ in range(args.repeat):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(work / "fix-cache", ignore_errors=True)
        shutil.copytree(corpus, copy, copy_function=shutil.copyfile)
        repeat(m["b"], 1, [*checker, "--no-cache", "."], env, copy)
        fix = [*checker, "--fix", "--cache-dir", str(work / "fix-cache"), "."]
        repeat(m["i"], 1, fix, env, copy)
        written = sum(
            1
            for page in pages
            if (copy / page.relative_to(corpus)).read_bytes() != page.read_bytes()
        )
        m["i"].note = m["i"].note or f"{written} pages written"
    shutil.rmtree(copy, ignore_errors=True)

    cache = work / "cache"
    m["c"] = Measure("c", "`checker check` warm: cache filled, nothing changed")
    run_once([*checker, "--cache-dir", str(cache), str(corpus)], env, work)
    repeat(m["c"], args.repeat, [*checker, "--cache-dir", str(cache), str(corpus)], env, work)

    m["d0"] = Measure("d0", f"yardstick: `python -c '{IMPORT_SCRIPT}'`")
    repeat(m["d0"], args.repeat, [python, "-c", IMPORT_SCRIPT], env, work)
    m["d"] = Measure("d", "one page: `checker check PAGE --no-cache`")
    repeat(m["d"], args.repeat, [*checker, "--no-cache", str(one)], env, work)

    from checker.rules.registry import BUILTIN_RULES

    site_rules = ", ".join(sorted(r.code for r in BUILTIN_RULES if r.code.startswith("XP")))
    # (e) and (h) edit a page and run from the site's folder, its content root.
    site = work / "site"
    shutil.copytree(corpus, site, copy_function=shutil.copyfile)
    # A config file makes the copy a site: a one-page check reads the rest of it.
    (site / "checker.toml").write_text("# the site's root\n", encoding="utf-8")
    site_cache = work / "site-cache"
    m["e"] = Measure(
        "e", f"one changed page, `checker check PAGE`, warm cache, site rules on ({site_rules})"
    )
    run_once([*checker, "--cache-dir", str(site_cache), "."], env, site)
    edits = iter(range(1_000_000))
    changed = site / relative_one

    def edit() -> None:
        with changed.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdit {next(edits)}.\n")

    page_run = [*checker, "--cache-dir", str(site_cache), relative_one]
    repeat(m["e"], args.repeat, page_run, env, site, before=edit)

    m["h"] = Measure("h", "one page, `checker check PAGE`, cold cache, site rules on")
    repeat(
        m["h"],
        args.repeat,
        page_run,
        env,
        site,
        before=lambda: shutil.rmtree(site_cache, ignore_errors=True),
    )
    shutil.rmtree(site, ignore_errors=True)

    m["f"] = Measure("f", "markdownlint-cli2 on the same pages")
    if tools.markdownlint:
        lint = [tools.markdownlint, "**/*.md"]
        repeat(m["f"], args.tool_repeat, lint, env, corpus, timeout=args.tool_timeout)
    else:
        m["f"].skipped = "not installed (run with --setup)"
    m["g"] = Measure("g", "PyMarkdown (`pymarkdown scan -r`) on the same pages")
    if tools.pymarkdown:
        # PyMarkdown exits 1 both for findings and when it stops on a page it cannot
        # tokenize; only the latter writes to standard error.
        repeat(
            m["g"],
            args.tool_repeat,
            [tools.pymarkdown, "scan", "-r", "."],
            env,
            corpus,
            ok=lambda run: run.returncode in (0, 1) and not run.stderr.strip(),
            timeout=args.tool_timeout,
        )
    else:
        m["g"].skipped = "not installed (run with --setup)"
    return m


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_CORPUS_ROOT)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument(
        "--tool-repeat", type=int, default=1, help="runs of markdownlint-cli2 and PyMarkdown"
    )
    parser.add_argument(
        "--tool-timeout",
        type=float,
        default=600,
        help="stop a comparison tool after this many seconds (its time is then a lower bound)",
    )
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS, help="comparison tools")
    parser.add_argument("--setup", action="store_true", help="install the comparison tools")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    corpora = [args.corpus_root.resolve() / name for name in CORPORA]
    corpora = [corpus for corpus in corpora if corpus.is_dir()]
    if not corpora:
        print(f"no corpus under {args.corpus_root}; pass --corpus-root DIR", file=sys.stderr)
        return 2
    tools = find_tools(args.tools, args.setup)

    env = dict(os.environ)
    # Installed packages ship compiled bytecode; make sure the checkout's does too, so that
    # start-up is timed as users see it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    load_before = os.getloadavg()
    runs: dict[str, dict[str, Measure]] = {}
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as scratch:
        # The compiled pack lives in the benchmark's own cache home, filled by the first run
        # as a user's would be.
        env["CHECKER_CACHE_HOME"] = str(Path(scratch) / "home")
        for corpus in corpora:
            work = Path(scratch) / corpus.name
            work.mkdir()
            pages[corpus.name] = sum(1 for _ in corpus.rglob("*.md"))
            runs[corpus.name] = measure_corpus(corpus, args, env, tools, work)
    load_after = os.getloadavg()
    load = (
        f"{load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
        f"(1-minute averages; {len(os.sched_getaffinity(0))} cores)"
    )
    text = render(runs, pages, args, load, tools)
    print(text)
    if not args.no_write:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(_keep_notes(text), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
