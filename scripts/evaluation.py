"""The blind evaluation of the rules: split, sample, score. Method in docs/evaluation.md.

    python scripts/evaluation.py split               # pages per half of each corpus
    python scripts/evaluation.py sample              # the pages to label, by corpus and stratum
    python scripts/evaluation.py report              # check the labelled pages, write the report

Each corpus under ../shared/corpus is split into a tuning half and a test half by a hash of the
page's path; only the test half is sampled and scored. The sample is drawn with fixed seeds, so
anyone gets the same pages. Labels live in evaluation/labels-CORPUS.yaml as paths and verdicts
only; the report (docs/evaluation-report.md) is generated from them and from a fresh check.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

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


def draw(corpus: str) -> list[tuple[str, str]]:
    """The labelled sample of a corpus's test half: (page, stratum)."""
    test = [p for p in pages(corpus) if half(corpus, p) == "test"]
    rng = random.Random(f"{SEED}-{corpus}-random")
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
        rng = random.Random(f"{SEED}-{corpus}-{name}")
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


def cmd_split(_: argparse.Namespace) -> int:
    for corpus in CORPORA:
        counts = Counter(half(corpus, p) for p in pages(corpus))
        print(f"{corpus}: tuning {counts['tuning']}, test {counts['test']}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    for corpus in CORPORA:
        if args.corpus and corpus != args.corpus:
            continue
        for page, stratum in draw(corpus):
            print(f"{corpus}\t{stratum}\t{page}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("split").set_defaults(run=cmd_split)
    sample = sub.add_parser("sample")
    sample.add_argument("--corpus")
    sample.set_defaults(run=cmd_sample)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
