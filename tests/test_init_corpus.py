"""`checker init` on the two real corpora (../shared/corpus), read and never copied.

The template it infers must describe each site: under it, FM003 is on at most 2% of pages and
no other rule but the formatting ones (FT) on more than 10%, unless the pages really have that
defect that often. That is shown by a plain text count, independent of the rule, that agrees
with what the rule reports. The defects the corpus README lists (pages without a disclaimer,
refusal pages) are found.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

import pytest

from tests.conftest import SHARED, require, run_process

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

FOLDERS = {"rxhive-pages": 6447, "rxhive-v1-pages": 2112}


@dataclass
class Inferred:
    folder: str
    total: int
    template: str
    texts: dict[str, str]
    pages: dict[str, set[str]]  # code -> pages it reports

    def share(self, code: str) -> float:
        return len(self.pages.get(code, set())) / self.total


@pytest.fixture(scope="module", params=list(FOLDERS))
def inferred(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Inferred:
    folder: str = request.param
    site = SHARED / "corpus" / folder
    require(site.is_dir(), f"the shared corpus ({site})")
    output = tmp_path_factory.mktemp(folder)
    init = run_process("init", str(site), "--output", str(output), "--no-check")
    assert init.returncode == 0, init.stderr
    check = run_process(
        "check",
        folder,
        "--config",
        str(output / "checker.toml"),
        "--no-cache",
        "--output-format",
        "json",
        cwd=site.parent,
    )
    assert check.returncode == 1, check.stderr[-2000:]
    assert "Traceback" not in check.stderr
    pages: dict[str, set[str]] = defaultdict(set)
    for finding in json.loads(check.stdout):
        pages[finding["code"]].add(PurePosixPath(finding["path"]).relative_to(folder).as_posix())
    texts = {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(site.rglob("*.md"))
    }
    assert len(texts) == FOLDERS[folder]
    template = (output / "rules" / "templates" / f"{folder}.yaml").read_text(encoding="utf-8")
    return Inferred(folder, len(texts), template, texts, pages)


# -- plain text counts, independent of the rules -------------------------------------------

SECTION_START = re.compile(r"\s*(\*\*|#|[*-] \*\*)")


def _after_the_h1(text: str) -> str:
    """The lines between the `# ` line and the first that opens a section."""
    lines = text.splitlines()
    h1 = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if h1 is None:
        return ""
    rest = lines[h1 + 1 :]
    end = next((i for i, line in enumerate(rest) if SECTION_START.match(line)), len(rest))
    return "\n".join(rest[:end]).strip()


def prose_after_the_h1(texts: dict[str, str]) -> set[str]:
    """Pages with text between the `# ` line and the first section."""
    return {page for page, text in texts.items() if _after_the_h1(text)}


# The writer of an answer showing through (docs/evaluation.md, `ai-artifact`), written here
# independently of CT001's patterns: the writer speaking of itself, of the request or its
# input, of what it cannot provide, or framing its answer. Leaflet caveats ("The information
# below is for general guidance only") and statements about the drug do not count.
ITSELF = re.compile(
    r"\bas an AI\b|\blanguage model\b|\bI (cannot|can'?t|could ?n[o']t|am|will|need|must|can"
    r"|have|hope|do not|don'?t|would|suggest|recommend|strongly|only)\b|\bI'(m|ll|ve|d)\b",
    re.IGNORECASE,
)
# A capital I only, and not in a question: a reader asks "what if I miss a dose?".
QUESTION = re.compile(r"[^.!?\n]*\?")
REQUEST = re.compile(
    r"\b(provided|supplied|source) (text|data|material|details|document|name|list)\b"
    r"|\bin the provided information\b|\b(data|details|text) (you )?supplied\b"
    r"|\brequested (format|information|details)\b|\bformat requested\b|\bas requested\b"
    r"|\byou (provided|mentioned|requested|asked)\b|\bif you can specify\b|\byour request\b",
    re.IGNORECASE,
)
CANNOT = re.compile(
    r"\bcannot be (\w+ly )?(provided|listed|stated|given here|generated)\b"
    r"|\b(impossible|not possible|difficult) to (provide|give|list|outline)\b"
    r"|\b(information|section|source) cannot provide\b"
    r"|\b(is|are) not (provided|detailed|listed) here\b"
    r"|\bproviding [^.]{0,300}\b((is|would be) (impossible|not possible|irresponsible|misleading"
    r"|inaccurate|not appropriate|difficult|challenging|unsafe|beyond)|requires (a|the|medical"
    r"|significant)\b)|\banswer is impossible\b",
    re.IGNORECASE,
)
FRAMING = re.compile(
    r"(^|[.:!] +)here('s| is| are) (a|an|some) [\w ]{0,30}(overview|summary|breakdown|guidelines)"
    r"|\blet'?s\b|\bwe('ll| will| can) (discuss|provide|look|examine|describe|treat|address)\b"
    r"|\bthis (response|answer)\b|\bbeyond the scope of this\b"
    r"|\b(information|details|section)"
    r"( below| above| provided below| presented below| that follows)?"
    r"[^.;:!?]{0,60}?\b(describes?|address(es)?|reflects?|pertains? to|covers?|discuss(es)?"
    r"|focus(es)? on|based on|provides?|outlines?|refers? to|presents?|details|summary of"
    r"|compilation of)\b[^.;:!?]{0,80}\b(each|individual|separately|components?|ingredients?)\b"
    r"|\b(information|section)( below| above)? assumes\b|\bwe will assume\b|\bpreface this\b"
    r"|\b(addressing|describing|discussing) each \w+ (separately|individually)\b"
    r"|\binformation (below|above|provided here) (will be based on assumptions|assumes)\b",
    re.IGNORECASE,
)
DISCLAIMER = re.compile(r"^\W*(important )?disclaimer\b", re.IGNORECASE)
NOTE = re.compile(r"^\W*note\b", re.IGNORECASE)


def _closing_and_rest(text: str) -> tuple[str, str]:
    """(the disclaimer lines, the rest without them and without the closing note)."""
    lines = [line for line in text.split("\n---", 2)[-1].splitlines() if line.strip()]
    if lines and NOTE.match(lines[-1]):
        lines.pop()
    disclaimer = [line for line in lines if DISCLAIMER.match(line)]
    rest = [line for line in lines if not DISCLAIMER.match(line) and not line.startswith("#")]
    return "\n".join(disclaimer), "\n".join(rest)


def assistant_text(texts: dict[str, str]) -> set[str]:
    found = set()
    for page, text in texts.items():
        disclaimer, rest = _closing_and_rest(text)
        statements = QUESTION.sub(" ", rest)
        if (
            ITSELF.search(statements)
            or REQUEST.search(rest)
            or CANNOT.search(rest)
            or FRAMING.search(statements)
            or REQUEST.search(disclaimer)
        ):
            found.add(page)
    return found


GLUED = re.compile(r"\b\d+(?:[.,]\d+)?(?:mg|mcg|g|kg|ml|mL)\b")


def number_glued_to_unit(texts: dict[str, str]) -> set[str]:
    """Pages with `500mg` in a line that is not a heading (CT006 leaves titles alone)."""
    return {
        page
        for page, text in texts.items()
        if any(GLUED.search(line) for line in text.splitlines() if not line.startswith("#"))
    }


# Rules that may stand above 10% because the pages have the defect, with its plain count.
REAL_DEFECTS: dict[str, Callable[[dict[str, str]], set[str]]] = {
    "ST007": prose_after_the_h1,
    "CT001": assistant_text,
    "CT006": number_glued_to_unit,
}


def test_front_matter_is_described(inferred: Inferred) -> None:
    assert inferred.share("FM003") <= 0.02, sorted(inferred.pages["FM003"])[:5]


def test_no_rule_but_formatting_is_on_more_than_10_percent_of_pages_but_real_defects(
    inferred: Inferred,
) -> None:
    refusals = inferred.pages.get("CT002", set())
    above = sorted(
        code for code in inferred.pages if not code.startswith("FT") and inferred.share(code) > 0.10
    )
    for code in above:
        assert code in REAL_DEFECTS, (code, f"{inferred.share(code):.1%}")
        reported = inferred.pages[code]
        counted = REAL_DEFECTS[code](inferred.texts)
        if not reported & refusals:
            # A rule that leaves refusal pages to CT002 (ST007) is counted outside them.
            counted -= refusals
        assert abs(len(counted) - len(reported)) <= 0.02 * inferred.total, (
            code,
            len(counted),
            len(reported),
        )
        assert len(counted & reported) >= 0.9 * len(reported), code


def test_pages_without_a_disclaimer_and_refusals_are_found(inferred: Inferred) -> None:
    # The disclaimer as a bold label, or in italics (`*Disclaimer: ...*`), which the checker
    # also reads as a disclaimer.
    has_one = re.compile(r"\*\*(Important )?Disclaimer:?\*\*|^\*Disclaimer:", re.MULTILINE)
    without = {page for page, text in inferred.texts.items() if not has_one.search(text)}
    # Corpus README: 440 and 218 pages without `**Disclaimer:**`; 8 of the 440 carry it as
    # `**Important Disclaimer:**` or in italics.
    assert len(without) == {"rxhive-pages": 432, "rxhive-v1-pages": 218}[inferred.folder]
    reported = inferred.pages["DS001"] | inferred.pages["CT002"]
    assert without <= reported, sorted(without - reported)[:5]
    assert inferred.pages["DS001"] <= without, sorted(inferred.pages["DS001"] - without)[:5]
    if inferred.folder == "rxhive-pages":
        # The README's two refusal examples: one refuses outright; the other, a page about a
        # "hypothetical" drug, is found by its truncated name, as under the shipped template.
        assert "o/omega.md" in inferred.pages["CT002"]
        assert "o/omega-.md" in inferred.pages["XP004"]


def test_the_disclaimer_is_matched_by_what_it_says(inferred: Inferred) -> None:
    """The wordings differ from page to page; the template matches their statements, and
    DS002 (a disclaimer that leaves one out) stays rare."""
    assert "match: statements" in inferred.template
    assert "not constitute medical advice" in inferred.template
    assert inferred.share("DS002") <= 0.02
