"""Regenerate docs/robustness.md: run every hostile case and record what the checker reports,
how long it took and how much memory it used.

    python scripts/robustness_table.py            # writes docs/robustness.md
    python scripts/robustness_table.py --check    # runs the cases, prints the table only
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.document.page import Limits  # noqa: E402
from tests.hostile.cases import CASES, CONTROL_FINDING, Case  # noqa: E402
from tests.hostile.run import (  # noqa: E402
    Outcome,
    fresh_folder,
    remove,
    run_case,
    unprivileged_skip_reason,
)
from tests.hostile.setups import SETUPS  # noqa: E402

DOC = ROOT / "docs" / "robustness.md"
KEPT = "## Measured by hand"

INTRO = """\
# Robustness

Content comes from generators and contributors, and the checker runs unattended in hooks and
CI, so no page may stop a run or stall it. This page lists the limits that guard a run, then
every hostile input of the test suite (`tests/hostile/`) with what the checker reports for it
and what it cost.

## Limits

Set them in `[tool.checker.limits]` (or `[limits]` in `checker.toml`). A page over a limit gets
a finding, never a crash, and the rest of the run goes on. The result cache keeps that finding
like any other, so a page that ran out of time costs no time in the next run: the entry holds
for the page's bytes under the config that checked it (its limits included), and a change to
either checks the page again (`--no-cache` always does). Running out of time depends on how
busy the machine was, so that finding holds only for the day it was made on. A page of the
site that the run does not check and that cannot be summarised in time is remembered the same
way, left out of the site-wide rules, and named in a note.

| key | default | guards against | finding |
| --- | --- | --- | --- |
| `max-file-size` | {max_file_bytes:,} bytes | huge pages; checked with `stat` before the file is read | IO001 |
| `max-front-matter-size` | {max_front_matter_bytes:,} bytes | huge front matter | FM002 |
| `max-yaml-nodes` | {max_yaml_nodes:,} | alias bombs: nodes counted on the composed graph, aliases expanded, before any value is built | FM002 |
| `max-nesting` | {max_nesting} | deep YAML (measured before libyaml composes it: its composer recurses and crashed on 31,000 levels) and deep lists or block quotes (the Markdown parser stops there; the page is told so) | FM002, IO001 |
| `max-markup-chars` | {max_markup_chars:,} | parser memory: Markdown markup characters (`` \\n|*_`[]<>!&\\\\ ``) bound the token count, and each token costs a few hundred bytes; over the limit the body is not parsed, rules on the raw text still run | IO001 |
| `max-page-seconds` | {max_page_seconds:g} s | anything slow that the limits above miss (the Markdown parser is quadratic on runs of unclosed `[`): reading, parsing, summarising, each rule, fixing and verifying, and the site pass's summaries of pages the run does not check; wall time, in any thread (SIGALRM on the main thread, a timer that raises in the guarded thread elsewhere, as in the language server); `0` turns it off | IO001 |

The largest page of the real corpus is under 10 kB and checks in milliseconds, so the defaults
leave a hundredfold margin. The time limit is wall time: on a heavily loaded machine a very large
page can reach it; raise it (or set `0`) there.

Other guards:
- YAML is only ever loaded with the safe loader (`yaml.CSafeLoader`, `yaml.safe_load`); a
  `!!python/...` tag is refused as FM002 and nothing from content or front matter is executed.
- Every regular expression a user supplies (front-matter field patterns and disclaimer
  statements in the pack, CT005 `notations`/`extend` and CT002 `patterns` in rule options) runs
  on RE2 ([google-re2](https://pypi.org/project/google-re2/)), whose matching time is linear in
  the text whatever the pattern: `(a+)+$`, `(a|aa)+$`, `(a|a)*$` and `\\s*\\s*\\s*\\s*\\s*x`, which
  backtrack for seconds on a few dozen characters in Python's `re`, take milliseconds on a 900 kB
  page. A pattern RE2 cannot run (lookaround, backreferences) is refused when the config or pack
  loads, with exit code 2 naming the file and key. `\\w`, `\\d` and `\\s` keep their Unicode
  meaning; `\\b` is RE2's, a boundary between ASCII word characters and the rest. The built-in
  notation patterns (which need lookbehind) are the project's own and run on `re`.
- Writes are confined: `--fix` never writes through a symbolic link, writes only pages of the
  run that lie inside the content root, and a config inside the content tree can narrow the
  content root but never widen it (the site pass reads only that root too). A page that was not
  written is not counted as fixed, and the exit code reflects what remains.
- Safe fixes never change code: whitespace fixes inside code blocks are unsafe. Lines are split
  on LF, CRLF and CR only, everywhere (never `str.splitlines`).
- Front matter: a number too long for Python to print (over 4,300 digits, written in hex,
  binary or base 60) is FM002; so is a top-level key written twice, at the repeat's line.
  Bidirectional controls and invisible characters are FT007 (the Trojan Source class).
- Output never crashes: an `--output-file` that cannot be written is a usage error before the
  run; a standard output that cannot encode a character shows a replacement instead.
- The language server answers every document with diagnostics or an IO001, whatever its text
  (a lone surrogate) or URI (`%00`).
- Files that are not regular files (pipes, sockets, devices) are refused before reading;
  folders are walked without following symbolic links, so a link loop cannot trap the walk.
- A page over a limit is reported whatever rules are selected: IO001 runs unless an ignore
  names it, so `--select CT002` cannot pass a page that was not checked in full.
- A rule that raises becomes an IE001 finding on that page (exit code 2); every other rule and
  page is still reported. A worker process that ends mid-run (killed, out of memory) loses
  only its batch: the batch is checked again a page at a time in new workers, and a page that
  ends its worker again becomes an IE001 finding (kept in the cache for the day); every other
  page is reported, and a fix run removes what the lost worker staged. A worker that cannot be
  set up stops the run with `checker: error:` and exit code 2. A missing or invalid config or
  rule pack exits with code 2 and names the file, the key and the reason.

## Hostile inputs

Each case is generated in a fresh folder (no large file is kept in the repository) and checked
together with a control page whose known finding (`{control}`) must still be reported. Time is
the wall time of the check inside the process (interpreter start-up and imports excluded);
memory is the peak resident memory above the process's resident memory once the checker was
imported. The suite asserts the findings, the exit code, the control page and the memory bound
(200 MB); it does not assert times, which depend on the machine.

Measured {date} on {machine} (Python {python}); regenerate with
`python scripts/robustness_table.py`.

| case | input | exit | what the checker reports | time | memory |
| --- | --- | --- | --- | --- | --- |
"""

SETUPS_INTRO = """
## Hostile setups

What surrounds the pages can be hostile too: a cache folder that is the project itself or a
link out of it, a forged cache, patterns in the config that backtrack, a page that is a link,
an output stream that cannot take the text, a document an editor sends. Each setup below is
built in a fresh folder like the cases above (`tests/hostile/setups.py`); one that needs an
earlier run (a cache to tamper with, a page to time out once) makes it while it builds, and
only the last command is measured. The suite asserts what each reports, its exit code and
what it must leave alone on disk (the project's files, the folder a link points to, a
read-only page, a code block). `check` runs include the control page unless they fix pages;
`server` rows are a whole language-server session over standard input and output (start-up
of the server included), with its diagnostics shown as `FILE:LINE:COL: CODE message`.

| case | setup | exit | what the checker reports | time | memory |
| --- | --- | --- | --- | --- | --- |
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# Stands for the temporary folder a case runs in, which differs from run to run and machine
# to machine.
FOLDER = "<project>"


def _placeholder(text: str, folder: Path) -> str:
    for name in dict.fromkeys((str(folder.resolve()), str(folder))):
        text = text.replace(name, FOLDER)
    return text


def _reported(case: Case, outcome: Outcome, folder: Path) -> str:
    output = _placeholder(outcome.output, folder)
    lines = [line for line in output.splitlines() if not line.startswith("control.md")]
    # The most specific expectation (the last) picks the lines worth showing.
    wanted = [line for line in lines if case.expect[-1] in line]
    shown = []
    for line in wanted or lines:
        trimmed = line if len(line) <= 170 else line[:167] + "…"
        if trimmed not in shown:
            shown.append(f"`{trimmed}`")
        if len(shown) == 2:
            break
    if case.notes:
        shown.append(f"({case.notes})")
    return "<br>".join(_cell(item) for item in shown)


def _rows(cases: tuple[Case, ...]) -> str:
    rows = []
    for case in cases:
        reason = unprivileged_skip_reason(case)
        if reason:
            rows.append(f"| {case.name} | {_cell(case.threat)} | - | not run: {reason} | - | - |")
            print(f"{case.name}: skipped ({reason})", file=sys.stderr)
            continue
        folder = fresh_folder()
        try:
            outcome = run_case(case, folder)
            problem = case.problem(outcome.exit, outcome.output, folder)
            if problem is not None:
                problem = _placeholder(problem, folder)
            reported = _reported(case, outcome, folder)
        finally:
            remove(folder)
        status = "" if problem is None else f" **(unexpected: {_cell(problem)})**"
        rows.append(
            f"| {case.name} | {_cell(case.threat)} | {outcome.exit} | "
            f"{reported}{status} | {outcome.seconds:.2f} s | "
            f"{outcome.memory_mb:.1f} MB |"
        )
        print(f"{case.name}: {outcome.seconds:.2f} s {outcome.memory_mb:.1f} MB", file=sys.stderr)
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="print instead of writing the doc")
    args = parser.parse_args()
    limits = Limits()
    text = INTRO.format(
        **{name: getattr(limits, name) for name in limits.__dataclass_fields__},
        control=CONTROL_FINDING,
        date=datetime.date.today().isoformat(),
        machine=f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        python=platform.python_version(),
    )
    text += _rows(CASES)
    text += SETUPS_INTRO + _rows(SETUPS)
    # Sections written by hand (fuzzing, runs without limits) follow the generated table and are kept.
    if DOC.is_file() and KEPT in DOC.read_text(encoding="utf-8"):
        text += "\n" + KEPT + DOC.read_text(encoding="utf-8").split(KEPT, 1)[1]
    if args.check:
        print(text)
    else:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
