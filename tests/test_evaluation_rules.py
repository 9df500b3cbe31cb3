"""What the blind evaluation asked of the rules (docs/evaluation.md): dose rules off the H1 and
the front matter, findings that span their token, refusals found by their structure without
restating them, nested labels read as content, word forms in disclaimers, claims in questions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED, require, run_checker, run_process
from tests.fix_pages import drug_page, ingredient_sets
from tests.rule_fixtures import check_only, check_selected, site_targets

V1_CLOSING = (
    "**Disclaimer:** This information is for general knowledge and does not constitute medical "
    "advice. Always consult a healthcare professional before starting any medication.\n\n"
    "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
    "Please consult a medical professional for verified advice.\n"
)


def _page(folder: Path, template: str, title: str, body: str, name: str = "page.md") -> Path:
    path = folder / name
    path.write_text(drug_page(template, title, body), encoding="utf-8")
    return path


def test_dose_rules_never_read_the_h1_or_the_front_matter(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Albendazole 125mg 5.0 mg qd",
        "**Generic Name:** Albendazole\n\n**Usage:** Take 400mg with food, 5.0 mg qd.\n",
    )
    for code in ("CT005", "CT006"):
        lines = {v.line for v in check_only(code, [page]).violations}
        assert lines == {11}, (code, lines)  # the Usage line only: not lines 4 and 7


def test_a_notation_inside_a_word_or_a_quoted_name_is_not_a_dose(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Hair Tonic",
        '### Usage\nSold as Hair4U; the request named "Tonic 10mg". Apply 10 U daily.\n',
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
    page = _page(tmp_path, "drug-v2", "Examplomycin", f"### Usage\n{line}\n")
    found = check_only(code, [page]).violations
    starts = [index + 1 for index in range(len(line)) if line.startswith(token, index)]
    spans = [(v.column, v.end_column) for v in found if v.line == 9]
    assert spans == [(start, start + len(token) - 1) for start in starts], spans


def test_a_cut_off_page_is_marked_at_its_last_word(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Examplomycin",
        "**Generic Name:** Examplomycin\n\n**FAQs:**\n\n"
        + "* **Can I take it with food?** Yes, but take it with a full glass of water and\n"
        + "* **What if I miss a dose?** Take it when you remember, unless the next dose is near\n\n"
        + V1_CLOSING,
    )
    found = check_only("CT003", [page]).violations
    assert [(v.line, v.column, v.end_column) for v in found] == [(14, 81, 84)]


def test_a_refusal_is_found_by_its_structure_and_nothing_restates_it(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Zyxomab",
        'There is no medicine called "Zyxomab"; the name may be misspelt. If you can give '
        "the active ingredient, I can describe it.\n\n"
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    found = check_selected(("CT", "ST", "DS"), [page]).violations
    codes = {v.code for v in found}
    assert "CT002" in codes, found
    assert not codes & {"ST001", "ST007", "DS001"}, found


def test_a_refusal_that_describes_the_ingredients_briefly_is_found(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Zyxomab + Quorvane",
        "* **Zyxomab:** an antibody given by infusion.\n"
        "* **Quorvane:** an antacid taken by mouth.\n\n"
        "No reliable information is available for the two together, so a leaflet for the "
        "combination cannot be created.\n\n"
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    found = check_selected(("CT", "ST", "DS"), [page]).violations
    # "cannot be created" is also the writer saying what it cannot provide (CT001).
    assert {v.code for v in found} == {"CT001", "CT002"}, found


def test_a_page_that_describes_each_ingredient_is_not_a_refusal(tmp_path: Path) -> None:
    items = ingredient_sets(
        "**{name}:**\n\n",
        "* **Generic Name:** {name}\n* **Usage:** Eases pain.\n"
        "* **Side Effects:** Nausea.\n* **How it Works:** Blocks an enzyme.\n",
    )
    page = _page(
        tmp_path,
        "drug-v1",
        "Alphamol + Betamol",
        "This combination is not a standard product; I describe each ingredient instead.\n\n"
        + items
        + "**FAQs:**\n\n* **Can I take both?** Ask your doctor.\n\n"
        + V1_CLOSING,
    )
    assert check_only("CT002", [page]).violations == []
    # The labels under each ingredient are that ingredient's set of sections: the form is not
    # what is wrong, but the set is repeated, once per ingredient, as one finding.
    assert check_only("ST008", [page]).violations == []
    repeats = check_only("ST004", [page]).violations
    assert [v.line for v in repeats] == [18], repeats  # `**Betamol:**`
    assert "'Alphamol' (line 11), 'Betamol' (line 18)" in repeats[0].message


def test_labels_nested_in_a_sections_list_are_not_repeats(tmp_path: Path) -> None:
    per_ingredient = ingredient_sets(
        "* **{name}:**\n",
        "    * **Usage:** Eases pain.\n    * **Side Effects:** Nausea.\n",
        after="",
    )
    page = _page(
        tmp_path,
        "drug-v1",
        "Alphamol + Betamol",
        "**Generic Name:** Alphamol + Betamol\n\n**Usage:** Pain.\n\n"
        + "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        + "**FAQs:**\n\n"
        + per_ingredient
        + "\n"
        + V1_CLOSING,
    )
    assert check_only("ST004", [page]).violations == []


def test_one_label_listed_under_two_ingredients_is_not_a_repeated_set(tmp_path: Path) -> None:
    # A list under a label needs two of the template's labels to be an ingredient's own set.
    items = ingredient_sets("**{name}:**\n\n", "* **Usage:** Eases pain.\n* **Strength:** 5 mg.\n")
    page = _page(
        tmp_path,
        "drug-v1",
        "Alphamol + Betamol",
        "**Generic Name:** Alphamol + Betamol\n\n"
        + items
        + "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        + "**FAQs:**\n\n* **Can I take both?** Ask your doctor.\n\n"
        + V1_CLOSING,
    )
    assert check_only("ST004", [page]).violations == []


def test_a_real_duplicate_section_at_top_level_is_still_found(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Examplomycin",
        "**Generic Name:** Examplomycin\n\n**Usage:** Infections.\n\n"
        + "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        + "**Usage:** Infections again.\n\n**FAQs:**\n\n* **Is it safe?** Mostly.\n\n"
        + V1_CLOSING,
    )
    assert [v.line for v in check_only("ST004", [page]).violations] == [17]


def test_sections_repeated_per_ingredient_are_one_finding(tmp_path: Path) -> None:
    sets = ingredient_sets(
        "### {name}\n\n",
        "**Generic Name:** {name}\n\n**Usage:** Pain.\n\n**Dosage:** One.\n\n"
        "**Side Effects:** Nausea.\n\n**How it Works:** Blocks an enzyme.\n\n"
        "**Precautions:** Not for children.\n",
    )
    page = _page(
        tmp_path,
        "drug-v2",
        "Alphamol + Betamol",
        sets + "### FAQs\n\n**Can I take both?** Ask your doctor.\n\n",
    )
    found = check_selected(("ST",), [page]).violations
    assert [v.code for v in found] == ["ST004"], found
    assert "'Alphamol' (line 8), 'Betamol' (line 22)" in found[0].message


def test_a_disclaimer_under_another_label_is_not_an_unknown_section(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Examplomycin",
        "**Generic Name:** Examplomycin\n\n**Usage:** Infections.\n\n"
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
        ingredient_sets(f"### {section} ({{name}})\n\n", "Text.\n")
        for section in ("Usage", "Dosage", "Side Effects", "How it Works", "Precautions")
    )
    page = _page(
        tmp_path,
        "drug-v2",
        "Alphamol + Betamol",
        "### Alphamol Generic Name\n\nAlphamol.\n\n### Betamol Generic Name\n\nBetamol.\n\n"
        + body
        + "### FAQs\n\n**Can I take both?** Yes.\n",
    )
    assert check_selected(("ST",), [page]).violations == []


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
        "drug-v1",
        "Examplomycin",
        "**Generic Name:** Examplomycin\n\n"
        + f"**Disclaimer:** {disclaimer}\n\n"
        + "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.\n",
    )
    assert check_only("DS002", [page]).violations == []


def test_questions_hedges_and_negations_are_not_claims(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Examplomycin",
        "### FAQs\n* **Is it 100% effective?** No medicine is.\n"
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
    _page(site / "generic", "drug-v1", "Adapalene 0.1%", body, "adapalene-0-1-.md")
    _page(site / "composition", "drug-v1", "Adapalene", body, "adapalene.md")
    _page(site / "composition", "drug-v1", "Adapalene .", body, "adapalene-.md")
    found = check_only("XP002", site_targets(site)).violations
    flagged = sorted(Path(v.path).relative_to(site).as_posix() for v in found)
    assert flagged == ["composition/adapalene-.md", "composition/adapalene.md"], found


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("name", ["rxhive-pages", "rxhive-v1-pages"])
def test_unsafe_fixes_settle_on_every_page(tmp_path: Path, name: str) -> None:
    source = SHARED / "corpus" / name
    require(source.is_dir(), f"the shared corpus ({source})")
    site = tmp_path / name
    shutil.copytree(source, site, copy_function=shutil.copyfile)
    result = run_process("check", ".", "--fix", "--unsafe-fixes", "--exit-zero", cwd=site)
    assert "did not settle" not in result.stderr, result.stderr[-3000:]
    assert "fix rejected" not in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def test_a_bracketed_blank_is_a_placeholder(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Examplomycin",
        "### FAQs\n* Is it a cure for [specific condition]? Given by [IV] route.\n",
    )
    found = check_only("CT004", [page]).violations
    assert [(v.line, v.column, v.end_column) for v in found] == [(9, 20, 39)]


# The writer of an answer showing through (docs/evaluation.md, `ai-artifact`): of itself, of the
# request or its input, of what it can or cannot provide, or framing its answer.
WRITER_SHOWS = [
    "As an AI, I have no view on this.",
    "Describing every interaction is beyond the scope of a language model.",
    "The uses below follow the provided text.",
    "Doses are listed as requested, in the requested format.",
    "If you can specify the strength, the dose can be given.",
    "This information cannot provide specific dosage recommendations.",
    "Because the drug was withdrawn, dosage information cannot be provided.",
    "Information on doses for adults and children, and on changes for weight, cannot be "
    "provided from the sources at hand.",
    "It is impossible to provide a dose for children.",
    "Doses for children cannot be provided here.",
    "Specific precautions are difficult to outline for this mixture.",
    "Providing a dose for this mixture requires the expertise of a pharmacist.",
    "Here's an overview of how it is used.",
    "Let's break down what each part does.",
    "The information below describes each component separately.",
    "This information addresses each drug individually.",
    "The text below is built from the individual properties of each ingredient.",
]
# Dosing text in the words the writer's signals are made of: a dose that is hard to provide,
# doses provided to patients, what is hard to specify, the answer said to be about the drugs.
ORDINARY_DOSING = [
    "Splitting the tablets makes it hard to provide an accurate dose.",
    "Tablets make it difficult to provide consistent dosing in infants.",
    "Providing higher doses to elderly patients requires caution.",
    "Providing higher doses requires careful consideration of kidney function.",
    "Further doses cannot be provided to patients who had an allergic reaction.",
    "A safe dose for children under 2 cannot be stated.",
    "Adequate analgesia may be difficult to provide after major surgery.",
    "Accurate doses are hard to specify for neonates.",
    "The following information is about both drugs.",
]
# What a printed leaflet says too: its caveats, statements about the drug or what is known,
# advice to the reader.
LEAFLET_SAYS = [
    "This is not a complete list of side effects.",
    "The following information is for general guidance only.",
    "The information below is for general guidance only and should not replace your doctor.",
    "This section provides general information about the tablets.",
    "This text is for educational purposes only.",
    "The information provided here does not cover every use of each drug.",
    "Your dose should be determined by a doctor.",
    "No standard dose exists for children.",
    "Information on its use in pregnancy is not readily available in the literature.",
    "The mechanism is not fully understood.",
    "Consult your doctor if the rash spreads.",
    "If your child vomits and you cannot give the full dose, call your doctor.",
    "This information pertains to the combination as sold in pharmacies.",
    "Providing a list of your medicines to your doctor is essential.",
    # What others cannot do is a statement about the drug; only the writer or its answer
    # saying what it cannot provide is the writer showing through.
    "Doctors cannot give an exact dose for children without weighing them.",
    "Nurses are unable to provide doses outside the hospital.",
    "It is difficult to list every possible interaction, so ask your pharmacist.",
    "Live vaccines cannot be provided to people who take it.",
    "Let us know how you feel after a week.",
    *ORDINARY_DOSING,
]


@pytest.mark.parametrize("sentence", WRITER_SHOWS)
def test_the_writer_showing_through_is_an_artifact(tmp_path: Path, sentence: str) -> None:
    page = _page(tmp_path, "drug-v2", "Examplomycin", f"### Usage\n{sentence}\n")
    assert [v.line for v in check_only("CT001", [page]).violations] == [9], sentence


@pytest.mark.parametrize("sentence", LEAFLET_SAYS)
def test_what_a_leaflet_says_too_is_not_an_artifact(tmp_path: Path, sentence: str) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Examplomycin",
        f"{sentence}\n\n### Usage\n{sentence}\n\n* {sentence}\n",
    )
    assert check_only("CT001", [page]).violations == [], sentence


@pytest.mark.parametrize("sentence", ORDINARY_DOSING)
def test_dosing_text_on_a_short_page_is_no_refusal(tmp_path: Path, sentence: str) -> None:
    # A page that names two sections or fewer is a refusal if its prose speaks about the
    # request or declines what it names; ordinary dosing text does neither.
    body = "### Usage\nPain.\n\n### Dosage\n{}\n"
    page = _page(tmp_path, "drug-v2", "Examplomycin", body.format(sentence))
    assert check_only("CT002", [page]).violations == [], sentence
    declined = _page(
        tmp_path, "drug-v2", "Examplomycin", body.format("Dosage cannot be provided here."), "x.md"
    )
    assert [v.line for v in check_only("CT002", [declined]).violations] == [12]


def test_a_framing_across_emphasis_spans_only_the_words_the_line_shows(tmp_path: Path) -> None:
    line = "Therefore, the information below is a *general* overview of each component."
    page = _page(tmp_path, "drug-v2", "Examplomycin", f"### Usage\n{line}\n")
    found = check_only("CT001", [page]).violations
    assert [(v.line, v.column, v.end_column) for v in found] == [(9, 12, 37)]
    assert line[11:37] == "the information below is a"
    assert "each component" in found[0].message


def test_the_disclaimer_is_read_only_for_the_request_and_its_input(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v1",
        "Examplomycin",
        "**Generic Name:** Examplomycin\n\n**Usage:** Infections.\n\n"
        + "**Disclaimer:** This information is for general knowledge only and cannot provide "
        "medical advice. Always consult a healthcare professional. It is based on the data "
        "supplied and may not be exhaustive.\n\n"
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Here is an overview of the provided text.\n",
    )
    found = check_only("CT001", [page]).violations
    # "cannot provide medical advice" is the disclaimer's caveat, the note is the site's own.
    assert [
        (v.line, page.read_text().splitlines()[v.line - 1][v.column - 1 : v.end_column])
        for v in found
    ] == [(13, "data supplied")]


# A dotless i (U+0131) matches "i" in a case-insensitive pattern, yet names no section.
@pytest.mark.parametrize("side", ["side", "s\u0131de"])
def test_a_page_that_declines_the_sections_it_names_is_a_refusal(tmp_path: Path, side: str) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Alphamol + Betamol",
        "### Generic Name\n\nAlphamol + Betamol is not sold as one product.\n\n"
        + "* **Alphamol:** an analgesic.\n* **Betamol:** an antacid.\n\n"
        + "**If they are used together:**\n\n"
        + "* **Dosage:** each is dosed on its own.\n"
        + "* **Side Effects:** those of each drug.\n"
        + "* **Precautions:** each has its own.\n\n"
        + f"It is impossible to provide dosage, {side} effects, precautions or how it works for a "
        "combination that is not a product. Always consult a pharmacist.\n",
    )
    found = check_selected(("CT002", "ST", "DS"), [page]).violations
    assert [(v.code, v.line, v.column) for v in found] == [("CT002", 21, 7)], found


def test_a_page_that_declines_first_and_then_gives_the_sections_is_not(tmp_path: Path) -> None:
    items = ingredient_sets(
        "**{name}:**\n\n",
        "* **Usage:** Eases pain.\n* **Dosage:** One tablet.\n"
        "* **Side Effects:** Nausea.\n* **Precautions:** Not for children.\n",
    )
    page = _page(
        tmp_path,
        "drug-v2",
        "Alphamol + Betamol",
        "### Generic Name\n\nAlphamol + Betamol\n\n"
        + "Dosage, side effects and precautions cannot be given for the two as one product, "
        "so each ingredient follows.\n\n" + items,
    )
    assert check_only("CT002", [page]).violations == []


def test_a_heading_that_holds_its_value_is_reported_only_when_asked(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "drug-v2",
        "Examplomycin",
        "### Generic Name: Examplomycin\n\n### Usage\n\nInfections.\n",
    )
    assert check_only("ST008", [page]).violations == []
    config = tmp_path / "checker.toml"
    config.write_text("[rules.ST008]\nvalue-in-heading = true\n", encoding="utf-8")
    assert [(v.line, v.message) for v in check_only("ST008", [page], config).violations] == [
        (
            8,
            "section heading 'Generic Name: Examplomycin' holds the section's value; write "
            "`### Generic Name` and the value under it",
        )
    ]
    result = run_checker("check", str(page), "--config", str(config), "--select", "ST008", "--fix")
    assert "### Generic Name\n\nExamplomycin\n" in page.read_text(encoding="utf-8"), result


@pytest.mark.parametrize(
    ("title", "cut"),
    [
        ("Vitamin B + Vitamin B", True),  # Vitamin B12 + Vitamin B6
        ("Zinc + Coenzyme Q", True),  # Coenzyme Q10
        ("Poliovirus Type + Poliovirus Type", True),  # types 1 and 2
        ("Omega + Vitamin E", True),  # Omega-3
        ("Apremilast + Apremilast + Apremilast", False),  # a dose-step pack
        ("Estradiol + Estradiol + Dydrogesterone", False),  # a kit
        ("Vitamin B", False),  # the B complex
        ("Recombinant Growth Factor", False),
    ],
)
def test_a_repeated_name_is_a_lost_number_only_when_it_looks_cut(
    tmp_path: Path, title: str, cut: bool
) -> None:
    page = _page(tmp_path, "drug-v2", title, "### Usage\nText.\n")
    found = check_only("XP004", [page]).violations
    assert bool(found) is cut, [v.message for v in found]
