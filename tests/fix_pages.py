"""Small pages with known defects, shared by the fix tests."""

from __future__ import annotations

from pathlib import Path

from checker.document.page import Page
from checker.fixing.fixer import fix_page
from checker.lint.fixpass import probe_codes
from checker.lint.pagecheck import check_page
from checker.lint.resolver import RuleSet
from tests.conftest import ROOT, SHARED

V2_HEAD = "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n"
V1_HEAD = "---\nlayout: minimal\nnav_exclude: true\ntitle: Aspirin\n---\n\n"

V2_DISCLAIMER = (
    "**Disclaimer:** This information is for general knowledge and does not constitute medical "
    "advice. Always consult a healthcare professional for diagnosis and treatment of any medical "
    "condition.\n"
)


INGREDIENTS = ("Alphamol", "Betamol")


def drug_page(template: str, title: str, body: str) -> str:
    """A page of the site's template `drug-v1` or `drug-v2`: its front matter, the H1 and `body`."""
    hidden = "nav_exclude: true\n" if template == "drug-v1" else ""
    return f"---\nlayout: minimal-medicine\n{hidden}title: {title}\n---\n\n# {title}\n\n{body}"


def ingredient_sets(
    opener: str, items: str, names: tuple[str, ...] = INGREDIENTS, after: str = "\n"
) -> str:
    """The same lines once per ingredient, as a generated page describes a combination's
    ingredients one by one: `opener` and `items`, with `{name}` the ingredient's name."""
    return "".join(opener.format(name=name) + items.format(name=name) + after for name in names)


def v2_page(body: str, disclaimer: bool = True) -> str:
    return V2_HEAD + body + ("\n" + V2_DISCLAIMER if disclaimer else "")


V2_SECTIONS = (
    "# Aspirin\n\n### Generic Name\n\nAcetylsalicylic acid\n\n### Usage\n\nUsed for pain.\n\n"
    "### Dosage\n\n500 mg.\n\n### Side Effects\n\nNausea.\n\n### How it Works\n\nIt blocks COX.\n\n"
    "### Precautions\n\nNot for children.\n\n### FAQs\n\n* **Is it safe?** Mostly.\n"
)

V1_BODY = (
    "# Aspirin\n\n**Generic Name:** Acetylsalicylic acid\n\n**Usage:** Used for pain.\n\n"
    "**Side Effects:** Nausea.\n\n**How it Works:** It blocks COX.\n\n**FAQs:**\n\n"
    "* **Is it safe?** Mostly.\n\n"
    "**Disclaimer:** This is not medical advice; consult your doctor.\n\n"
    "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
    "Please consult a medical professional for verified advice.\n"
)

# Pages that between them make every fixable rule report something, fixable or not.
DEFECT_PAGES: dict[str, str] = {
    "formatting": v2_page(
        V2_SECTIONS.replace("Used for pain.", "Used for pain.   \nAnd fever.  ")
        .replace("### Dosage\n\n", "### Dosage\n500\u00a0mg\ttwice.\n\n\n\n")
        .replace("\n\n### Side Effects", "\n### Side Effects")
        + "\n\n\n"
    ),
    "no-final-newline": v2_page(V2_SECTIONS).rstrip("\n"),
    "crlf-mixed": v2_page(V2_SECTIONS).replace("\n", "\r\n", 3),
    "cr-only": v2_page(V2_SECTIONS).replace("\n", "\r"),
    "zero-width": v2_page(V2_SECTIONS.replace("500 mg", "500\u200bmg")),
    "nested-heading": v2_page(V2_SECTIONS + "\n> quoted\n> ## Inside a quote\n"),
    "labels-in-heading-template": v2_page(
        V2_SECTIONS.replace("### Usage\n\n", "**Usage:** ")
        .replace("### Dosage\n\n", "## Dosage\n\n")
        .replace("### Precautions\n\n", "* **Precautions:** ")
    ),
    "headings-in-label-template": V1_HEAD
    + V1_BODY.replace("**Usage:** ", "### Usage\n\n").replace("**FAQs:**", "## FAQs"),
    "no-disclaimer": v2_page(V2_SECTIONS, disclaimer=False),
    "weak-disclaimer": V2_HEAD + V2_SECTIONS + "\n**Disclaimer:** Be careful out there.\n",
    "heading-disclaimer": V2_HEAD + V2_SECTIONS + "\n### Disclaimer\n\nBe careful out there.\n",
    "no-note": V1_HEAD + V1_BODY[: V1_BODY.index("**Note:**")].rstrip("\n") + "\n",
    "altered-note": V1_HEAD + V1_BODY.replace("may not be accurate", "is surely right"),
    "note-not-last": V1_HEAD + V1_BODY + "\nA stray last line.\n",
    "title-mismatch": v2_page(V2_SECTIONS.replace("# Aspirin", '# "Aspirin"')),
    "bad-yaml": "---\ntitle: [unclosed\n---\n\n# Aspirin  \n",
}


# Every page the fix tests run over in the fast loop: the rule fixtures and the example pages.
EXAMPLE_PAGES = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*.md")) + sorted(
    (ROOT / "content").rglob("*.md")
)


def corpus_sample(step: int) -> list[Path]:
    """Every `step`-th page of each corpus of the shared folder."""
    pages: list[Path] = []
    for name in ("rxhive-pages", "rxhive-v1-pages"):
        pages += sorted((SHARED / "corpus" / name).rglob("*.md"))[::step]
    return pages


# What fixing one page gives: its final bytes, its findings (where, code, message, fix), how
# many findings were fixed, and whether the passes settled.
Fixed = tuple[bytes, list[str], int, bool]


def fix_result(path: Path, ruleset: RuleSet, unsafe: bool, with_probe: bool = True) -> Fixed:
    """Fix the page at `path` as a fix run does (the probe first, unless `with_probe` is
    False), in this process; nothing is written."""
    page = Page(path, path.name, path.read_bytes())
    probe = probe_codes(ruleset, unsafe)
    outcome = fix_page(
        page,
        lambda p: check_page(p, ruleset, None),
        unsafe,
        probe=(lambda p: check_page(p, ruleset, None, only=probe)) if with_probe else None,
    )
    findings = [
        f"{v.line}:{v.column}:{v.end_line}:{v.end_column}:{v.code}:{v.message}:{v.fix}"
        for v in outcome.result.violations
    ]
    # No page's report comes from the probe alone.
    assert not outcome.initial_is_probe or outcome.passes
    return outcome.final, findings, outcome.fixed, outcome.converged
