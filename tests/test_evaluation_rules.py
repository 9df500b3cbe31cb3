"""What the blind evaluation asked of the rules (docs/evaluation.md): dose rules off the H1 and
the front matter, findings that span their token, refusals found by their structure without
restating them, nested labels read as content, word forms in disclaimers, claims in questions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED, run_checker
from tests.rule_fixtures import check_only

V1_FRONT = "---\nlayout: minimal-medicine\nnav_exclude: true\ntitle: {title}\n---\n\n# {title}\n\n"
V2_FRONT = "---\nlayout: minimal-medicine\ntitle: {title}\n---\n\n# {title}\n\n"
V1_CLOSING = (
    "**Disclaimer:** This information is for general knowledge and does not constitute medical "
    "advice. Always consult a healthcare professional before starting any medication.\n\n"
    "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
    "Please consult a medical professional for verified advice.\n"
)


def _page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dose_rules_never_read_the_h1_or_the_front_matter(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Albendazole 125mg 5.0 mg qd")
        + "**Generic Name:** Albendazole\n\n**Usage:** Take 400mg with food, 5.0 mg qd.\n",
    )
    for code in ("CT005", "CT006"):
        lines = {v.line for v in check_only(code, [page]).violations}
        assert lines == {11}, (code, lines)  # the Usage line only: not lines 4 and 7


def test_a_notation_inside_a_word_or_a_quoted_name_is_not_a_dose(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V2_FRONT.format(title="Hair Tonic")
        + '### Usage\nSold as Hair4U; the request named "Tonic 10mg". Apply 10 U daily.\n',
    )
    notation = check_only("CT005", [page]).violations
    assert [(v.line, v.column) for v in notation] == [(9, 58)]  # `U` after 10, not Hair4U
    assert check_only("CT006", [page]).violations == []  # the quoted name


@pytest.mark.parametrize(
    ("code", "line", "token"),
    [
        ("CT006", "Adults take 500mg, children 500mg daily.", "500mg"),
        ("CT005", "Take 5.0 mg in the morning and 5.0 mg at night.", "5.0"),
        ("CT001", "I hope this helps. Really, I hope this helps.", "I hope this helps"),
        ("CT007", "It cures colds, and it cures flu.", "cures"),
    ],
)
def test_ct_findings_span_only_their_token_each_at_its_own_column(
    tmp_path: Path, code: str, line: str, token: str
) -> None:
    page = _page(tmp_path, V2_FRONT.format(title="Examplomycin") + f"### Usage\n{line}\n")
    found = check_only(code, [page]).violations
    starts = [index + 1 for index in range(len(line)) if line.startswith(token, index)]
    spans = [(v.column, v.end_column) for v in found if v.line == 9]
    assert spans == [(start, start + len(token) - 1) for start in starts], spans


def test_a_cut_off_page_is_marked_at_its_last_word(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Examplomycin")
        + "**Generic Name:** Examplomycin\n\n**FAQs:**\n\n"
        + "* **Can I take it with food?** Yes, but take it with a full glass of water and\n"
        + "* **What if I miss a dose?** Take it when you remember, unless the next dose is near\n\n"
        + V1_CLOSING,
    )
    found = check_only("CT003", [page]).violations
    assert [(v.line, v.column, v.end_column) for v in found] == [(14, 81, 84)]


def test_a_refusal_is_found_by_its_structure_and_nothing_restates_it(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Zyxomab")
        + 'There is no medicine called "Zyxomab"; the name may be misspelt. If you can give '
        "the active ingredient, I can describe it.\n\n"
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    result = run_checker("check", str(page), "--select", "CT,ST,DS", "--output-format", "concise")
    codes = {line.split()[1] for line in result.stdout.splitlines()}
    assert "CT002" in codes, result.stdout
    assert not codes & {"ST001", "ST007", "DS001"}, result.stdout


def test_a_refusal_that_describes_the_ingredients_briefly_is_found(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Zyxomab + Quorvane")
        + "* **Zyxomab:** an antibody given by infusion.\n"
        "* **Quorvane:** an antacid taken by mouth.\n\n"
        "No reliable information is available for the two together, so a leaflet for the "
        "combination cannot be created.\n\n"
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    result = run_checker("check", str(page), "--select", "CT,ST,DS", "--output-format", "concise")
    codes = {line.split()[1] for line in result.stdout.splitlines() if ": " in line}
    assert codes == {"CT002"}, result.stdout


def test_a_page_that_describes_each_ingredient_is_not_a_refusal(tmp_path: Path) -> None:
    items = "".join(
        f"**{name}:**\n\n* **Generic Name:** {name}\n* **Usage:** Eases pain.\n"
        "* **Side Effects:** Nausea.\n* **How it Works:** Blocks an enzyme.\n\n"
        for name in ("Alphamol", "Betamol")
    )
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Alphamol + Betamol")
        + "This combination is not a standard product; I describe each ingredient instead.\n\n"
        + items
        + "**FAQs:**\n\n* **Can I take both?** Ask your doctor.\n\n"
        + V1_CLOSING,
    )
    assert check_only("CT002", [page]).violations == []
    # The labels under each ingredient are that ingredient's content, not the page's sections.
    assert check_only("ST004", [page]).violations == []
    assert check_only("ST008", [page]).violations == []


def test_a_real_duplicate_section_at_top_level_is_still_found(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Examplomycin")
        + "**Generic Name:** Examplomycin\n\n**Usage:** Infections.\n\n"
        + "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        + "**Usage:** Infections again.\n\n**FAQs:**\n\n* **Is it safe?** Mostly.\n\n"
        + V1_CLOSING,
    )
    assert [v.line for v in check_only("ST004", [page]).violations] == [17]


def test_sections_repeated_per_ingredient_are_one_finding(tmp_path: Path) -> None:
    def one_set(name: str, heading: str) -> str:
        return (
            f"{heading}\n\n**Generic Name:** {name}\n\n**Usage:** Pain.\n\n**Dosage:** One.\n\n"
            "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
            "**Precautions:** Not for children.\n\n"
        )

    page = _page(
        tmp_path,
        V2_FRONT.format(title="Alphamol + Betamol")
        + one_set("Alphamol", "### Alphamol")
        + one_set("Betamol", "### Betamol")
        + "### FAQs\n\n**Can I take both?** Ask your doctor.\n\n",
    )
    result = run_checker("check", str(page), "--select", "ST", "--output-format", "concise")
    codes = [line.split()[1] for line in result.stdout.splitlines() if ": ST" in line]
    assert codes == ["ST004"], result.stdout
    assert "'Alphamol' (line 8), 'Betamol' (line 22)" in result.stdout


def test_a_disclaimer_under_another_label_is_not_an_unknown_section(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Examplomycin")
        + "**Generic Name:** Examplomycin\n\n**Usage:** Infections.\n\n"
        + "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        + "**FAQs:**\n\n* **Is it safe?** Mostly.\n\n"
        + "**Important Note:** This is not medical advice. Always consult your doctor.\n\n"
        + "**In summary:** It treats infections.\n\n"
        + "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    assert [v.line for v in check_only("ST005", [page]).violations] == [23]  # In summary
    assert [v.code for v in check_only("DS001", [page]).violations] == ["DS001"]


def test_a_section_split_per_ingredient_is_neither_missing_nor_repeated(tmp_path: Path) -> None:
    body = "".join(
        f"### {section} ({name})\n\nText.\n\n"
        for section in ("Usage", "Dosage", "Side Effects", "How it Works", "Precautions")
        for name in ("Alphamol", "Betamol")
    )
    page = _page(
        tmp_path,
        V2_FRONT.format(title="Alphamol + Betamol")
        + "### Alphamol Generic Name\n\nAlphamol.\n\n### Betamol Generic Name\n\nBetamol.\n\n"
        + body
        + "### FAQs\n\n**Can I take both?** Yes.\n",
    )
    result = run_checker("check", str(page), "--select", "ST", "--output-format", "concise")
    assert ": ST" not in result.stdout, result.stdout


@pytest.mark.parametrize(
    "disclaimer",
    [
        "This information is for educational purposes only. Consult a healthcare professional "
        "before use.",
        "This is not medical or veterinary advice. Always consult a veterinarian or doctor.",
        "This is not medical advice. Never use it without consulting a qualified physician.",
        "This is not medical advice. Use it only after consultation with your pharmacist.",
    ],
)
def test_disclaimer_statements_accept_word_forms(tmp_path: Path, disclaimer: str) -> None:
    page = _page(
        tmp_path,
        V1_FRONT.format(title="Examplomycin")
        + "**Generic Name:** Examplomycin\n\n"
        + f"**Disclaimer:** {disclaimer}\n\n"
        + "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    assert check_only("DS002", [page]).violations == []


def test_questions_hedges_and_negations_are_not_claims(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V2_FRONT.format(title="Examplomycin")
        + "### FAQs\n* **Is it 100% effective?** No medicine is.\n"
        + "* It may cure mild acne in some people.\n"
        + "* There is no guarantee that it works.\n"
        + "* It cures acne.\n",
    )
    assert [v.line for v in check_only("CT007", [page]).violations] == [12]


def test_a_strength_page_is_not_a_copy_of_the_composition_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "generic").mkdir(parents=True)
    (site / "composition").mkdir()
    body = "**Generic Name:** Adapalene\n\n**Usage:** Acne.\n"
    _page(site / "generic", V1_FRONT.format(title="Adapalene 0.1%") + body, "adapalene-0-1-.md")
    _page(site / "composition", V1_FRONT.format(title="Adapalene") + body, "adapalene.md")
    _page(site / "composition", V1_FRONT.format(title="Adapalene .") + body, "adapalene-.md")
    result = run_checker("check", ".", "--select", "XP002", cwd=site)
    flagged = sorted(line.split(":")[0] for line in result.stdout.splitlines() if "XP002" in line)
    assert flagged == ["composition/adapalene-.md", "composition/adapalene.md"], result.stdout


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("name", ["rxhive-pages", "rxhive-v1-pages"])
def test_unsafe_fixes_settle_on_every_page(tmp_path: Path, name: str) -> None:
    source = SHARED / "corpus" / name
    if not source.is_dir():
        pytest.skip("the shared corpus is not present beside the project")
    site = tmp_path / name
    shutil.copytree(source, site, copy_function=shutil.copyfile)
    result = run_checker("check", ".", "--fix", "--unsafe-fixes", "--exit-zero", cwd=site)
    assert "did not settle" not in result.stderr, result.stderr[-3000:]
    assert "fix rejected" not in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def test_a_bracketed_blank_is_a_placeholder(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        V2_FRONT.format(title="Examplomycin")
        + "### FAQs\n* Is it a cure for [specific condition]? Given by [IV] route.\n",
    )
    found = check_only("CT004", [page]).violations
    assert [(v.line, v.column, v.end_column) for v in found] == [(9, 20, 39)]
