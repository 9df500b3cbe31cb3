"""The blind evaluation of the rules: split, sample, score. Method in docs/evaluation.md.

    python scripts/evaluation.py split               # pages per half of each corpus
    python scripts/evaluation.py counts [--half H]   # findings and pages per rule in a half
    python scripts/evaluation.py sample              # the pages to label, by corpus and stratum
    python scripts/evaluation.py site-sample FILE    # site-rule findings to judge, into FILE
    python scripts/evaluation.py formatting [--setup]  # FT rules against markdownlint-cli2
    python scripts/evaluation.py report [--setup]    # check the labelled pages, write the report

Each corpus under ../shared/corpus is split into a tuning half and a test half by a hash of the
page's path; only the test half is sampled and scored. The sample is drawn with fixed seeds, so
anyone gets the same pages. Labels live in evaluation/labels-CORPUS.yaml as paths and verdicts
only; the report (docs/evaluation-report.md) is generated from them and from a fresh check.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.base import Violation

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = ("rxhive-pages", "rxhive-v1-pages")
LABELS = ROOT / "evaluation"
OUT = ROOT / "docs" / "evaluation-report.md"
SEED = "evaluation-2026"
RANDOM_SIZE = 40
STRATUM_SIZE = 10

# A template section's marker in any form the pages use: `### Usage`, `**Usage:**`, `* **Usage:**`.
_MARKER = re.compile(
    r"^(?:#{2,6} *|\s*[*-] *\*\*|\*\*)(?:generic names?|usage|uses|dosage|side effects|how it works"
    r"|mechanism of action|precautions|faqs?|frequently asked questions)\b",
    re.MULTILINE | re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^\s*(?:[*-]\s*)?\*\*(?:important )?(?:disclaimer|note)\b", re.IGNORECASE | re.MULTILINE
)
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I'll|I've|I'd|my|me)\b|\byour (?:request|query|question)\b|\byou (?:asked|provided|mentioned)\b"
)
_ENDS_WELL = re.compile(r"[.!?:)\]\"'*`]$")


def half(corpus: str, page: str) -> str:
    """'test' or 'tuning', fixed by a hash of the corpus name and the page's path."""
    digest = hashlib.sha256(f"{corpus}/{page}".encode()).hexdigest()
    return "test" if int(digest[:8], 16) % 2 else "tuning"


def pages(corpus: str) -> list[str]:
    base = SHARED / corpus
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*.md"))


def body_before_closing(text: str) -> str:
    match = _CLOSING.search(text)
    return text[: match.start()] if match else text


def strata(text: str) -> list[str]:
    """Cheap text heuristics that enrich the sample with rare defects; never the rules."""
    found = []
    if len(_MARKER.findall(text)) < 3:
        found.append("few-sections")
    body = body_before_closing(text).rstrip()
    last = body.splitlines()[-1].strip() if body else ""
    if not _ENDS_WELL.search(last) or last.count("**") % 2:
        found.append("open-ending")
    if _FIRST_PERSON.search(body.split("\n---", 2)[-1]):
        found.append("first-person")
    return found


def draw(corpus: str, round_: int = 1) -> list[tuple[str, str]]:
    """The labelled sample of a corpus's test half in one round: (page, stratum).

    Round 2 draws with its own seed from the test pages that round 1 did not take.
    """
    test = [p for p in pages(corpus) if half(corpus, p) == "test"]
    earlier: set[str] = set()
    for previous in range(1, round_):
        earlier.update(p for p, _ in draw(corpus, previous))
    test = [p for p in test if p not in earlier]
    seed = SEED if round_ == 1 else f"{SEED}-round{round_}"
    rng = random.Random(f"{seed}-{corpus}-random")
    chosen = [(p, "random") for p in sorted(rng.sample(test, RANDOM_SIZE))]
    taken = {p for p, _ in chosen}
    base = SHARED / corpus
    flagged: dict[str, list[str]] = defaultdict(list)
    for page in test:
        if page in taken:
            continue
        for name in strata((base / page).read_text(encoding="utf-8", errors="replace")):
            flagged[name].append(page)
    for name in ("few-sections", "open-ending", "first-person"):
        pool = sorted(set(flagged[name]) - taken)
        rng = random.Random(f"{seed}-{corpus}-{name}")
        picked = sorted(rng.sample(pool, min(STRATUM_SIZE, len(pool))))
        chosen += [(p, name) for p in picked]
        taken.update(picked)
    return chosen


def stratum_sizes(corpus: str) -> dict[str, int]:
    """How many test pages each stratum could draw from (for the report's weights)."""
    test = [p for p in pages(corpus) if half(corpus, p) == "test"]
    base = SHARED / corpus
    sizes: Counter[str] = Counter({"all": len(test)})
    for page in test:
        for name in strata((base / page).read_text(encoding="utf-8", errors="replace")):
            sizes[name] += 1
    return dict(sizes)


# The rule each labelled defect belongs to (docs/evaluation.md).
DEFECTS = {
    "CT001": "ai-artifact",
    "CT002": "refusal",
    "CT003": "truncated",
    "CT004": "placeholder",
    "CT005": "dose-notation",
    "CT006": "dose-unit-style",
    "CT007": "unsupported-claim",
    "DS001": "disclaimer-missing",
    "DS002": "disclaimer-text",
    "DS003": "disclaimer-position",
    "DS004": "note-missing",
    "ST001": "missing-section",
    "ST002": "section-order",
    "ST003": "empty-section",
    "ST004": "duplicate-section",
    "ST005": "unknown-section",
    "ST007": "preamble",
    "ST008": "section-style",
    "FM004": "title-mismatch",
}
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.8
RECALL_RULES = ("CT001", "CT002", "CT003")


# Each round draws from the test pages the earlier rounds left. Round 1 was labelled by the
# person who then tuned the rules. Rounds 2 and 3 were labelled by two readers each who never
# ran the checker nor read the rules, with a third reader settling their disagreements; round 2
# then served to diagnose the rules (its scores are no longer held out), round 3 was scored
# once, at the end. The targets are judged on round 3 (docs/evaluation.md).
ROUNDS = {
    1: "round 1 (labelled by the rules' tuner)",
    2: "round 2 (independent readers; later used to diagnose the rules)",
    3: "round 3 (independent readers, held out until the rules were final)",
}
TARGET_ROUND = 3


def labels_file(corpus: str, round_: int) -> Path:
    suffix = "" if round_ == 1 else f"-round{round_}"
    return LABELS / f"labels-{corpus}{suffix}.yaml"


def load_labels(corpus: str, round_: int = 1) -> list[dict[str, Any]]:
    data = yaml.safe_load(labels_file(corpus, round_).read_text(encoding="utf-8"))
    pages = list(data["pages"])
    known = set(DEFECTS.values())
    for entry in pages:
        unknown = set(entry["defects"]) - known
        if unknown:
            raise SystemExit(f"{corpus}: {entry['page']}: unknown defects {sorted(unknown)}")
    return pages


def check_pages(corpus: str, relpaths: list[str]) -> Report:
    """Check pages of a corpus with the default rule set, as `checker check` would."""
    base = SHARED / corpus
    finder = ConfigFinder()
    targets = [Target(base / page, page) for page in relpaths]
    return Engine(Overrides(), finder).check(targets)


def ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "n/a"


def defects_of(entry: dict[str, Any], first: bool = False) -> set[str]:
    """A page's defects; with `first`, as labelled before any checker output was seen."""
    found = set(entry["defects"])
    return found - set(entry.get("added-after-report", [])) if first else found


def score(
    labels: list[dict[str, Any]],
    flagged: dict[str, set[str]],
    strata: set[str] | None = None,
    first: bool = False,
) -> dict[str, tuple[int, int, int, int]]:
    """Per rule: (flagged pages, true positives, pages with the defect, found)."""
    chosen = [entry for entry in labels if strata is None or entry["stratum"] in strata]
    out = {}
    for code, defect in DEFECTS.items():
        pages = flagged.get(code, set())
        has = {e["page"] for e in chosen if defect in defects_of(e, first)}
        hit = {e["page"] for e in chosen if e["page"] in pages}
        out[code] = (len(hit), len(hit & has), len(has), len(has & pages))
    return out


def targets_missed(corpus: str, scores: dict[str, tuple[int, int, int, int]]) -> list[str]:
    missed = []
    for code, (flagged, hits, has, found) in scores.items():
        if flagged >= 5 and hits / flagged < PRECISION_TARGET:
            missed.append(
                f"{corpus} {code}: precision {hits}/{flagged} is under {PRECISION_TARGET}"
            )
        if code in RECALL_RULES and has and found / has < RECALL_TARGET:
            missed.append(f"{corpus} {code}: recall {found}/{has} is under {RECALL_TARGET}")
    return missed


def _round_section(
    corpus: str, round_: int, labels: list[dict[str, Any]], flagged: dict[str, set[str]]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """The tables of one round: lines, targets missed, missed as first labelled, corrections."""
    sizes = stratum_sizes(corpus)
    counts = Counter(e["stratum"] for e in labels)
    lines = [
        f"### {ROUNDS[round_].capitalize()}",
        "",
        f"Labelled: {len(labels)} pages — "
        + ", ".join(
            f"{counts[name]} {name}"
            + (
                f" (of {sizes.get(name, 0)} test pages the heuristic flags)"
                if name != "random"
                else ""
            )
            for name in ("random", "few-sections", "open-ending", "first-person")
        )
        + ".",
        "",
        "Page level: a flagged page is a true positive when it carries the rule's defect.",
        "*All* counts every labelled page of the round; *random* only those drawn at random.",
        "",
        "| Code | Defect | Flagged | True pos. | Precision | With defect | Found | Recall "
        "| Precision (random) | Recall (random) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    whole = score(labels, flagged)
    rand = score(labels, flagged, {"random"})
    label = f"{corpus} (round {round_})"
    failures = targets_missed(label, whole)
    first_failures = targets_missed(label, score(labels, flagged, first=True))
    corrections = [
        f"`{corpus}/{e['page']}` (round {round_}): added {', '.join(e['added-after-report'])} "
        f"({e['note']})"
        for e in labels
        if e.get("added-after-report")
    ]
    for code, defect in DEFECTS.items():
        f, tp, has, found = whole[code]
        rf, rtp, rhas, rfound = rand[code]
        if not (f or has):
            continue
        lines.append(
            f"| {code} | {defect} | {f} | {tp} | {ratio(tp, f)} | {has} | {found} | "
            f"{ratio(found, has)} | {ratio(rtp, rf)} ({rtp}/{rf}) | {ratio(rfound, rhas)} ({rfound}/{rhas}) |"
        )
    missed = [
        (e["page"], code)
        for e in labels
        for code, defect in DEFECTS.items()
        if defect in defects_of(e) and e["page"] not in flagged.get(code, set())
    ]
    by_page = {e["page"]: e for e in labels}
    wrong = [
        (page, code)
        for code, defect in DEFECTS.items()
        for page in sorted(flagged.get(code, set()) & set(by_page))
        if defect not in defects_of(by_page[page])
    ]
    lines += [
        "",
        "False positives (page, rule): "
        + (", ".join(f"`{p}` {c}" for p, c in wrong) or "none")
        + ".",
        "",
        "Misses (page, rule): " + (", ".join(f"`{p}` {c}" for p, c in missed) or "none") + ".",
        "",
    ]
    return lines, failures, first_failures, corrections


def _noise(report: Report, test: list[str]) -> list[str]:
    totals = Counter(v.code for v in report.violations)
    pages_per = defaultdict(set)
    for violation in report.violations:
        pages_per[violation.code].add(violation.path)
    total = sum(totals.values())
    lines = [
        "### Share of findings (noise), whole test half",
        "",
        f"{total} findings on {len(test)} pages.",
        "",
        "| Code | Findings | Share | Pages | Share of pages |",
        "|---|---:|---:|---:|---:|",
    ]
    for code, n in totals.most_common():
        lines.append(
            f"| {code} | {n} | {n / total:.1%} | {len(pages_per[code])} | "
            f"{len(pages_per[code]) / len(test):.1%} |"
        )
    measured = set(DEFECTS) | set(SITE_RULES) | set(COUNTERPARTS)
    unmeasured = sorted(code for code, n in totals.items() if n >= 5 and code not in measured)
    lines += [
        "",
        "Fired at least 5 times here and measured by none of the three means above (page "
        "labels, judged site findings, markdownlint-cli2): "
        + (", ".join(unmeasured) or "none")
        + ".",
        "",
    ]
    return lines


# -- site rules: findings judged one by one ---------------------------------------------------

SITE_RULES = ("XP001", "XP002", "XP004")
SITE_SAMPLE_SIZE = 25
SITE_VERDICTS = ("defect", "no-defect")
_PAGE_IN_MESSAGE = re.compile(r"[\w.+()-]+(?:/[\w.+()-]+)*\.md\b")


def site_labels_file(corpus: str) -> Path:
    return LABELS / f"labels-site-{corpus}.yaml"


def others_named(violation: Violation) -> tuple[str, ...]:
    """The other pages a site finding names (the duplicate's partners), in message order."""
    found = [path for path in _PAGE_IN_MESSAGE.findall(violation.message) if path != violation.path]
    return tuple(dict.fromkeys(found))


def site_key(rule: str, page: str, others: tuple[str, ...] | list[str]) -> tuple[str, str, str]:
    return rule, page, ",".join(sorted(others))


def site_findings(violations: list[Violation]) -> dict[str, list[Violation]]:
    """The site rules' findings of a run, by rule, in a stable order."""
    out: dict[str, list[Violation]] = {rule: [] for rule in SITE_RULES}
    for violation in violations:
        if violation.code in out:
            out[violation.code].append(violation)
    for found in out.values():
        found.sort(key=lambda v: (v.path, others_named(v), v.message))
    return out


def draw_site(corpus: str, found: dict[str, list[Violation]]) -> list[dict[str, Any]]:
    """Up to SITE_SAMPLE_SIZE findings per site rule, drawn with a fixed seed."""
    chosen = []
    for rule in SITE_RULES:
        rng = random.Random(f"{SEED}-site-{corpus}-{rule}")
        pool = found.get(rule, [])
        for violation in rng.sample(pool, min(SITE_SAMPLE_SIZE, len(pool))):
            chosen.append(
                {
                    "corpus": corpus,
                    "rule": rule,
                    "page": violation.path,
                    "others": list(others_named(violation)),
                    "message": violation.message,
                }
            )
    return chosen


def load_site_labels(path: Path) -> list[dict[str, Any]]:
    """Verdicts on site findings: page, rule, the other pages if any, and `defect` or
    `no-defect`; nothing from the pages themselves."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = list(data.get("findings") or [])
    for entry in entries:
        if entry.get("rule") not in SITE_RULES or entry.get("verdict") not in SITE_VERDICTS:
            raise SystemExit(
                f"{path.name}: {entry.get('page')}: rule must be one of {', '.join(SITE_RULES)} "
                f"and verdict one of {', '.join(SITE_VERDICTS)}"
            )
    return entries


def site_precision(
    labels: list[dict[str, Any]], found: dict[str, list[Violation]]
) -> dict[str, tuple[int, int, int]]:
    """Per site rule: (judged findings still reported, of them defects, judged but gone)."""
    reported = {site_key(v.code, v.path, others_named(v)) for vs in found.values() for v in vs}
    out = {}
    for rule in SITE_RULES:
        judged = [e for e in labels if e["rule"] == rule]
        live = [e for e in judged if site_key(rule, e["page"], e.get("others") or []) in reported]
        defects = sum(1 for e in live if e["verdict"] == "defect")
        out[rule] = (len(live), defects, len(judged) - len(live))
    return out


def _site_section(corpus: str, report: Report) -> list[str]:
    path = site_labels_file(corpus)
    lines = ["### Site rules, finding by finding", ""]
    if not path.is_file():
        lines += [
            f"No verdicts yet (`{path.relative_to(ROOT)}`); draw the findings to judge with "
            "`python scripts/evaluation.py site-sample FILE`.",
            "",
        ]
        return lines
    scores = site_precision(load_site_labels(path), site_findings(report.violations))
    lines += [
        "A judged finding is a true positive when the reader found the defect its rule names "
        "(evaluation.md, *Site rules*). Findings judged but no longer reported are left out.",
        "",
        "| Code | Judged and reported | Defects | Precision | Judged, no longer reported |",
        "|---|---:|---:|---:|---:|",
    ]
    for rule, (live, defects, gone) in scores.items():
        lines.append(f"| {rule} | {live} | {defects} | {ratio(defects, live)} | {gone} |")
    lines.append("")
    return lines


def cmd_site_sample(args: argparse.Namespace) -> int:
    out = Path(args.file).resolve()
    if out.is_relative_to(ROOT):
        raise SystemExit(
            f"{out} is inside the project: the sample quotes page titles, which stay out of the "
            "repository; give a path outside it"
        )
    chosen = []
    for corpus in CORPORA:
        test = [p for p in pages(corpus) if half(corpus, p) == "test"]
        chosen += draw_site(corpus, site_findings(check_pages(corpus, test).violations))
    header = (
        "# Site-rule findings to judge (docs/evaluation.md, *Site rules*). Copy each entry's\n"
        "# page, rule and others into evaluation/labels-site-CORPUS.yaml under `findings:`,\n"
        "# with `verdict: defect` or `verdict: no-defect`; leave the message out.\n"
    )
    out.write_text(header + yaml.safe_dump({"findings": chosen}, sort_keys=False), "utf-8")
    counts = Counter((entry["corpus"], entry["rule"]) for entry in chosen)
    for (corpus, rule), n in sorted(counts.items()):
        print(f"{corpus}\t{rule}\t{n}")
    print(f"wrote {len(chosen)} findings to {out}")
    return 0


# -- formatting rules against markdownlint-cli2 --------------------------------------------------

# Each formatting rule and the markdownlint rule that checks the same bytes, with the settings
# that make the two ask the same thing (docs/evaluation.md, *Formatting rules*).
COUNTERPARTS = {
    "FT001": "MD009",
    "FT002": "MD047",
    "FT003": "MD012",
    "FT004": "MD022",
    "FT005": "MD001",
    "FT006": "MD004",
    "FT007": "MD010",
}
MARKDOWNLINT_CONFIG: dict[str, Any] = {
    "default": False,
    # Every trailing space, a two-space line break included (FT001 reports those too).
    "MD009": {"br_spaces": 0, "list_item_empty_lines": False, "strict": False},
    "MD047": True,
    "MD012": {"maximum": 1},
    "MD022": {"lines_above": 1, "lines_below": 1},
    "MD001": True,
    "MD004": {"style": "consistent"},
    "MD010": {"code_blocks": False},
}
_MARKDOWNLINT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::\d+)? (?:\w+ )?(?P<rule>MD\d+)/")


def _benchmark_tools() -> Any:
    """`benchmarks/run.py`, which installs and finds the comparison linters."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def find_markdownlint(tools: Path | None, setup: bool) -> str | None:
    bench = _benchmark_tools()
    return bench.find_tools(tools or bench.DEFAULT_TOOLS, setup).markdownlint  # type: ignore[no-any-return]


def run_markdownlint(
    markdownlint: str, base: Path, relpaths: list[str]
) -> set[tuple[str, int, str]]:
    """(page, line, MD rule) of each markdownlint-cli2 finding on the pages."""
    found: set[tuple[str, int, str]] = set()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / ".markdownlint-cli2.jsonc"
        config.write_text(
            json.dumps({"config": MARKDOWNLINT_CONFIG, "noInlineConfig": True, "noProgress": True}),
            encoding="utf-8",
        )
        step = 500
        for start in range(0, len(relpaths), step):
            # `:` marks a literal path, so no file name is read as a glob.
            batch = [f":{page}" for page in relpaths[start : start + step]]
            result = subprocess.run(
                [markdownlint, "--config", str(config), *batch],
                cwd=base,
                capture_output=True,
                text=True,
                check=False,
            )
            for line in (result.stdout + result.stderr).splitlines():
                match = _MARKDOWNLINT_LINE.match(line)
                if match:
                    found.add((match.group("path"), int(match.group("line")), match.group("rule")))
    return found


def has_counterpart(violation: Violation) -> bool:
    """Whether markdownlint has a rule for what this finding reports: FT002's repeated final
    newlines and FT007's invisible characters have none (MD047 only asks for a final newline,
    MD010 only finds tabs)."""
    if violation.code == "FT002":
        return "does not end with a newline" in violation.message
    if violation.code == "FT007":
        return "tab" in violation.message
    return violation.code in COUNTERPARTS


def agreement(
    ours: list[Violation], theirs: set[tuple[str, int, str]]
) -> dict[str, tuple[int, int, int, int, int]]:
    """Per FT rule: (its findings with a counterpart, of them on a line markdownlint's
    counterpart flags too, its findings without one, the counterpart's findings, of them on a
    line the FT rule flags)."""
    out = {}
    for code, rule in COUNTERPARTS.items():
        mine = [(v.path, v.line) for v in ours if v.code == code and has_counterpart(v)]
        alone = sum(1 for v in ours if v.code == code and not has_counterpart(v))
        counterpart = {(page, line) for page, line, md in theirs if md == rule}
        agree = sum(1 for place in mine if place in counterpart)
        out[code] = (len(mine), agree, alone, len(counterpart), len(counterpart & set(mine)))
    return out


def _formatting_section(corpus: str, report: Report, markdownlint: str | None) -> list[str]:
    lines = ["### Formatting rules against markdownlint-cli2", ""]
    if markdownlint is None:
        lines += [
            "markdownlint-cli2 is not installed; run the report with `--setup` to install it "
            "(as `benchmarks/run.py --setup` does).",
            "",
        ]
        return lines
    theirs = run_markdownlint(markdownlint, SHARED / corpus, _test_pages(corpus))
    scores = agreement(report.violations, theirs)
    lines += [
        "Line level: an FT finding agrees when markdownlint-cli2's counterpart rule, set as "
        "in evaluation.md, reports the same page and line. *Precision* is the share of the FT "
        "rule's findings that agree; the last columns count the other way round.",
        "",
        "| Code | markdownlint | FT findings | Agree | Precision | Without a counterpart | "
        "markdownlint findings | On a line the FT rule flags |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, (mine, agree, alone, theirs_n, found) in scores.items():
        if not (mine or alone or theirs_n):
            continue
        lines.append(
            f"| {code} | {COUNTERPARTS[code]} | {mine} | {agree} | {ratio(agree, mine)} | "
            f"{alone} | {theirs_n} | {found} |"
        )
    lines.append("")
    return lines


def _test_pages(corpus: str) -> list[str]:
    return [p for p in pages(corpus) if half(corpus, p) == "test"]


def cmd_formatting(args: argparse.Namespace) -> int:
    markdownlint = find_markdownlint(args.tools, args.setup)
    if markdownlint is None:
        print("markdownlint-cli2 not found; run with --setup to install it", file=sys.stderr)
        return 2
    for corpus in CORPORA:
        report = check_pages(corpus, _test_pages(corpus))
        print(f"## {corpus}\n")
        print("\n".join(_formatting_section(corpus, report, markdownlint)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    lines = [
        "# Evaluation report",
        "",
        "Generated by `python scripts/evaluation.py report`; do not edit by hand. The method, the",
        "split and the defect definitions are in [evaluation.md](evaluation.md). Every number is",
        "measured on the **test halves** only, with the default rule set and the site's rule pack.",
        "",
        "Method in short: each corpus is split into halves by a hash of the page path; the rules",
        "are changed using the tuning halves only. Two rounds of pages of each test half (40 at",
        "random, up to 30 from three strata that a plain text heuristic flags) were read and",
        "labelled by hand before the checker's output on them was seen. Round 1 was labelled by",
        "the person who then tuned the rules; rounds 2 and 3, each on pages the earlier rounds",
        "did not take, by two readers who never ran the checker nor read the rules, with a third",
        "settling their disagreements. Round 2's results were then used to diagnose the rules;",
        "round 3 was held out until the rules were final. The targets are judged on round 3.",
        "",
    ]
    markdownlint = find_markdownlint(args.tools, args.setup)
    failures: dict[int, list[str]] = defaultdict(list)
    first_failures: dict[int, list[str]] = defaultdict(list)
    corrections: list[str] = []
    labelled_rounds: set[int] = set()
    for corpus in CORPORA:
        test = [p for p in pages(corpus) if half(corpus, p) == "test"]
        report = check_pages(corpus, test)
        flagged: dict[str, set[str]] = defaultdict(set)
        for violation in report.violations:
            flagged[violation.code].add(violation.path)
        lines += [f"## {corpus}", "", f"Test half: {len(test)} pages.", ""]
        for round_ in sorted(ROUNDS, reverse=True):
            if not labels_file(corpus, round_).is_file():
                continue
            section, missed, first_missed, fixed = _round_section(
                corpus, round_, load_labels(corpus, round_), flagged
            )
            lines += section
            labelled_rounds.add(round_)
            failures[round_] += missed
            first_failures[round_] += first_missed
            corrections += fixed
        lines += _site_section(corpus, report)
        lines += _formatting_section(corpus, report, markdownlint)
        lines += _noise(report, test)
    lines += [
        "## Against the targets",
        "",
        f"Precision ≥ {PRECISION_TARGET} for every labelled rule that flagged at least 5 labelled "
        f"pages; recall ≥ {RECALL_TARGET} for {', '.join(RECALL_RULES)}.",
        "",
    ]
    for round_ in sorted(labelled_rounds, reverse=True):
        verdict = "the targets" if round_ == TARGET_ROUND else "for comparison"
        lines += [f"{ROUNDS[round_].capitalize()}, {verdict}:", ""]
        lines += [f"- not met: {f}" for f in failures[round_]] or ["- all met."]
        lines += ["", "With the labels as first given:", ""]
        lines += [f"- not met: {f}" for f in first_failures[round_]] or ["- all met."]
        lines.append("")
    lines += [
        "Labels corrected after this report was first generated (a reader's slip, each checked "
        "again on the page; the tables above use the corrected labels):",
        "",
    ]
    lines += [f"- {c}" for c in corrections] or ["- none."]
    lines += [
        "",
        "## Switching off a site habit",
        "",
        "FT003 (blank lines) and, on `drug-v1` pages, FT002 (no final newline) make most of the",
        "findings above because the site's generator writes pages that way. A project that",
        "accepts the habit switches the rule off with one line in `checker.toml`:",
        "",
        '    ignore = ["FT002", "FT003"]',
        "",
        "`checker check --statistics` prints each rule's share of the findings of a run.",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    for failure in failures[TARGET_ROUND]:
        print(failure)
    return 0


def cmd_split(_: argparse.Namespace) -> int:
    for corpus in CORPORA:
        counts = Counter(half(corpus, p) for p in pages(corpus))
        print(f"{corpus}: tuning {counts['tuning']}, test {counts['test']}")
    return 0


def cmd_counts(args: argparse.Namespace) -> int:
    """Findings and pages per rule on one half of each corpus: how a rule change is weighed on
    the tuning halves before it is committed."""
    for corpus in CORPORA:
        chosen = [p for p in pages(corpus) if half(corpus, p) == args.half]
        report = check_pages(corpus, chosen)
        findings = Counter(v.code for v in report.violations)
        flagged: dict[str, set[str]] = defaultdict(set)
        for violation in report.violations:
            flagged[violation.code].add(violation.path)
        print(f"{corpus} ({args.half} half, {len(chosen)} pages): findings/pages")
        for code in sorted(findings):
            print(f"  {code} {findings[code]}/{len(flagged[code])}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    for corpus in CORPORA:
        if args.corpus and corpus != args.corpus:
            continue
        for page, stratum in draw(corpus, args.round):
            print(f"{corpus}\t{stratum}\t{page}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("split").set_defaults(run=cmd_split)
    counts = sub.add_parser("counts", help="findings and pages per rule in one half")
    counts.add_argument("--half", choices=("tuning", "test"), default="tuning")
    counts.set_defaults(run=cmd_counts)
    sample = sub.add_parser("sample")
    sample.add_argument("--corpus")
    sample.add_argument("--round", type=int, default=1, choices=tuple(ROUNDS))
    sample.set_defaults(run=cmd_sample)
    site = sub.add_parser("site-sample", help="site-rule findings to judge, written to FILE")
    site.add_argument("file", help="where to write them: a path outside the project")
    site.set_defaults(run=cmd_site_sample)
    for name, run in (("formatting", cmd_formatting), ("report", cmd_report)):
        command = sub.add_parser(name)
        command.add_argument("--tools", type=Path, help="where the comparison linters live")
        command.add_argument("--setup", action="store_true", help="install markdownlint-cli2")
        command.set_defaults(run=run)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
