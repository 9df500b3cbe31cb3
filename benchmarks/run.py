"""Time the checker over the corpus against its parser and against other Markdown linters.

    python benchmarks/run.py [--corpus DIR] [--repeat N] [--tool-repeat N] [--no-write]

Each measure runs `--repeat` times (`--tool-repeat` for the slow third-party linters) and the
median wall time is kept. The table, with a description of the machine and the targets, goes
to standard output and to docs/performance.md. Hand-written notes below the `<!-- notes -->`
line of that file are kept. This is a benchmark, not a test: nothing here asserts timings.

(a) parse floor: read every page, split its front matter and parse it with markdown-it-py,
    in one process;
(b) `checker check` cold: no cache, default jobs;
(c) the same, warm: cache filled, nothing changed;
(d) one page (and, as its yardstick, the start of an interpreter importing the parser libraries);
(e) one changed page in the site, cache otherwise warm, site-wide rules on (when the build has
    any);
(f) markdownlint-cli2 and (g) PyMarkdown on the same pages, when installed.
"""

from __future__ import annotations

import argparse
import os
import platform
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
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "rxhive-pages"
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
    peak_rss: list[int] = field(default_factory=list)
    note: str = ""
    skipped: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

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
    peak_rss: int
    returncode: int
    stderr: str


def run_once(command: Sequence[str], env: dict[str, str], cwd: Path) -> Run:
    """Wall time and peak resident memory (the whole process tree, sampled) of one command."""
    peak = 0
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
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return Run(seconds, peak, process.returncode, stderr)


def repeat(
    measure: Measure,
    times: int,
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    before: Callable[[], None] | None = None,
    ok: Callable[[Run], bool] = lambda run: run.returncode in (0, 1),
) -> None:
    for _ in range(times):
        if before is not None:
            before()
        result = run_once(command, env, cwd)
        measure.times.append(result.seconds)
        measure.peak_rss.append(result.peak_rss)
        if not ok(result):
            tail = " ".join(result.stderr.strip().splitlines()[-2:])[:300]
            # Name pages by their place in the corpus, not by where this machine keeps it.
            tail = tail.replace(str(cwd) + "/", "") if cwd else tail
            measure.note = f"exit code {result.returncode} after {result.seconds:.1f} s: {tail or 'no message'}"
        print(f"  {measure.label} {result.seconds:8.2f} s", file=sys.stderr, flush=True)


def machine() -> list[tuple[str, str]]:
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
    for name in ("markdown-it-py", "pydantic", "pymarkdownlnt"):
        try:
            from importlib.metadata import version

            facts.append((name, version(name)))
        except Exception:
            continue
    node = shutil.which("node")
    if node:
        facts.append(("Node.js", _version([node, "--version"])))
    lint = shutil.which("markdownlint-cli2")
    if lint:
        facts.append(("markdownlint-cli2", _version([lint, "--help"]).split("\n")[0]))
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


def targets(m: dict[str, Measure]) -> list[tuple[str, str, str, str]]:
    """(measure, target, result, verdict) for each target of the issue."""

    def get(label: str) -> float | None:
        return m[label].median if label in m else None

    rows = []

    def add(name: str, target: str, value: float | None, limit: float, below: bool) -> None:
        if value is None:
            rows.append((name, target, "not measured", "-"))
            return
        met = value <= limit if below else value >= limit
        if met:
            verdict = "met"
        else:
            miss = value / limit if below else limit / value
            verdict = f"missed by {100 * (miss - 1):.0f}%"
        shown = f"{value:.2f}x" if name != "Peak memory of a full run" else f"{value:.0f} MB"
        rows.append((name, target, shown, verdict))

    a, b, c, d, base = get("a"), get("b"), get("c"), get("d"), get("d0")
    f, g = get("f"), get("g")
    add("Cold full check, wall time", "≤ 0.75 x (a)", b / a if a and b else None, 0.75, True)
    add("Warm re-run", "≤ 0.05 x (b)", c / b if b and c else None, 0.05, True)
    add("One page, wall time", "≤ 1.5 x imports", d / base if d and base else None, 1.5, True)
    add("Cold full check vs markdownlint-cli2", "≥ 8x faster", f / b if b and f else None, 8, False)
    add("Cold full check vs PyMarkdown", "≥ 30x faster", g / b if b and g else None, 30, False)
    peak = m["b"].peak if "b" in m else None
    add("Peak memory of a full run", "≤ 300 MB", peak / 1e6 if peak else None, 300, True)
    return rows


def render(m: dict[str, Measure], pages: int, args: argparse.Namespace, load: str) -> str:
    a = m["a"].median
    f = m["f"].median if "f" in m else None
    g = m["g"].median if "g" in m else None
    lines = [
        "# Performance",
        "",
        "Generated by `python benchmarks/run.py`; re-run it to refresh this page. Times are the",
        f"median wall time of {args.repeat} runs ({args.tool_repeat} for markdownlint-cli2 and",
        f"PyMarkdown) over the {pages} pages of the corpus; memory is the peak resident memory",
        "of the whole process tree (workers included), sampled every 20 ms.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in machine()),
        f"| load average during the run | {load} |",
        "",
        "## Results",
        "",
        "| | What was timed | Median | Runs | vs (a) | (f) ÷ this | (g) ÷ this | Peak memory | Notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for measure in m.values():
        if measure.skipped:
            lines.append(
                f"| {measure.label} | {measure.title} | - | 0 | - | - | - | - | {measure.skipped} |"
            )
            continue
        median = measure.median
        lines.append(
            f"| {measure.label} | {measure.title} | {_fmt_time(median)} | {len(measure.times)} | "
            f"{_fmt_ratio(median, a)} | {_fmt_ratio(f, median)} | {_fmt_ratio(g, median)} | "
            f"{_fmt_mb(measure.peak)} | {measure.note} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        "| Measure | Target | Result | Verdict |",
        "|---|---|---|---|",
        *(f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in targets(m)),
        "",
    ]
    return "\n".join(lines)


def _keep_notes(text: str) -> str:
    if DOC.is_file():
        old = DOC.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            return text + "\n" + NOTES_MARK + old.split(NOTES_MARK, 1)[1]
    return text + "\n" + NOTES_MARK + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measure (default 5)")
    parser.add_argument(
        "--tool-repeat", type=int, default=3, help="runs of markdownlint-cli2 and PyMarkdown"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}; pass --corpus DIR", file=sys.stderr)
        return 2
    pages = sorted(corpus.rglob("*.md"))

    python = sys.executable
    env = dict(os.environ)
    # Installed packages ship compiled bytecode; make sure the checkout's does too, so that
    # start-up is timed as users see it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [python, "-m", "compileall", "-q", str(ROOT / "checker")],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    checker = [python, "-m", "checker", "check", "-q", "--output-format", "concise"]
    load_before = os.getloadavg()

    m: dict[str, Measure] = {}
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as scratch:
        work = Path(scratch)
        cache = work / "cache"
        # (e) edits a page, so it runs on a copy of the site kept outside the project.
        site = work / "site"
        shutil.copytree(corpus, site)

        m["a"] = Measure("a", "parse floor: read, front matter, markdown-it-py (one process)")
        repeat(m["a"], args.repeat, [python, "-c", FLOOR_SCRIPT, str(corpus)], env, work)

        m["b"] = Measure("b", "`checker check` cold: no cache, default jobs")
        repeat(m["b"], args.repeat, [*checker, "--no-cache", str(corpus)], env, work)

        m["c"] = Measure("c", "`checker check` warm: cache filled, nothing changed")
        run_once([*checker, "--cache-dir", str(cache), str(corpus)], env, work)
        repeat(m["c"], args.repeat, [*checker, "--cache-dir", str(cache), str(corpus)], env, work)

        one = pages[len(pages) // 2]
        m["d0"] = Measure("d0", f"yardstick: `python -c '{IMPORT_SCRIPT}'`")
        repeat(m["d0"], args.repeat, [python, "-c", IMPORT_SCRIPT], env, work)
        m["d"] = Measure("d", "one page: `checker check PAGE --no-cache`")
        repeat(m["d"], args.repeat, [*checker, "--no-cache", str(one)], env, work)

        from checker.rules.registry import BUILTIN_RULES

        site_rules = sorted(r.code for r in BUILTIN_RULES if r.code.startswith("XP"))
        title = "one changed page in the site, warm cache" + (
            f", site-wide rules on ({', '.join(site_rules)})"
            if site_rules
            else " (this build has no site-wide rules)"
        )
        m["e"] = Measure("e", title)
        changed = site / one.relative_to(corpus)
        site_cache = work / "site-cache"
        run_once([*checker, "--cache-dir", str(site_cache), str(site)], env, work)
        edits = iter(range(1_000_000))

        def edit() -> None:
            with changed.open("a", encoding="utf-8") as handle:
                handle.write(f"\nEdit {next(edits)}.\n")

        repeat(
            m["e"],
            args.repeat,
            [*checker, "--cache-dir", str(site_cache), str(site)],
            env,
            work,
            before=edit,
        )

        lint = shutil.which("markdownlint-cli2")
        m["f"] = Measure("f", "markdownlint-cli2 on the same pages")
        if lint:
            repeat(m["f"], args.tool_repeat, [lint, f"{corpus}/**/*.md"], env, work)
        else:
            m["f"].skipped = "not installed (npm install -g markdownlint-cli2)"

        pymarkdown = shutil.which("pymarkdown") or (
            str(Path(python).with_name("pymarkdown"))
            if Path(python).with_name("pymarkdown").exists()
            else None
        )
        m["g"] = Measure("g", "PyMarkdown (`pymarkdown scan -r`) on the same pages")
        if pymarkdown:
            # PyMarkdown exits 1 both for findings and when it stops on a page it cannot
            # tokenize; only the latter writes to standard error.
            repeat(
                m["g"],
                args.tool_repeat,
                [pymarkdown, "scan", "-r", str(corpus)],
                env,
                work,
                ok=lambda run: run.returncode in (0, 1) and not run.stderr.strip(),
            )
        else:
            m["g"].skipped = "not installed (pip install pymarkdownlnt)"

    load_after = os.getloadavg()
    load = (
        f"{load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
        f"(1-minute averages; {len(os.sched_getaffinity(0))} cores)"
    )
    text = render(m, len(pages), args, load)
    print(text)
    if not args.no_write:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(_keep_notes(text), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
