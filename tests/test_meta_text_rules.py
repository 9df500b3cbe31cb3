"""CT001 (assistant meta-text) and CT002 (a refusal instead of a drug page): where the phrase
lists apply, the writer's own voice, questions left to the reader, the disclaimer, read only for
the request's input, and the closing note, which is never read."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_checker
from tests.rule_fixtures import check_only

V1 = "---\nlayout: minimal-medicine\nnav_exclude: true\ntitle: Examplomycin\n---\n\n# Examplomycin\n\n"
V2 = "---\nlayout: minimal-medicine\ntitle: Examplomycin\n---\n\n# Examplomycin\n\n"
META = "Sure, the tablets are small."
VOICE = "The tablets are small. I recommend taking them with water."


def found(tmp_path: Path, code: str, text: str) -> list[tuple[int, int, int, str]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return [
        (v.line, v.column, v.end_column, v.message) for v in check_only(code, [page]).violations
    ]


def test_lead_phrases_count_only_before_the_first_section(tmp_path: Path) -> None:
    assert found(tmp_path, "CT001", V2 + META + "\n\n### Usage\n\nPain.\n") == [
        (
            8,
            1,
            5,
            "the writer of the answer shows through ('Sure,'): remove it, so that the page "
            "speaks about the drug",
        )
    ]
    # A statement about the drug opens a leaflet as well as an answer.
    lead = "It is important to note that the tablets are small.\n\n### Usage\n\nPain.\n"
    assert found(tmp_path, "CT001", V2 + lead) == []
    assert found(tmp_path, "CT001", V2 + "### Usage\n\n" + META + "\n") == []
    # A heading in the lead is the page's outline, not its prose.
    assert found(tmp_path, "CT001", V2 + "## " + META[:-1] + "\n\n### Usage\n\nPain.\n") == []


def test_the_writer_speaking_about_itself_is_found_once_per_block(tmp_path: Path) -> None:
    assert found(tmp_path, "CT001", V2 + "### Usage\n\n" + VOICE + "\n") == [
        (
            10,
            24,
            34,
            "the writer of the answer shows through ('I recommend'): remove it, so that the "
            "page speaks about the drug",
        )
    ]
    # A block that has a listed phrase is reported for the phrase alone.
    both = "### Usage\n\nAs an AI, I recommend taking them with water.\n"
    assert [message.split(":")[0] for *_, message in found(tmp_path, "CT001", V2 + both)] == [
        "the writer of the answer shows through ('As an AI')"
    ]
    # The reader's questions in an FAQ are not the writer's voice; nor is a heading.
    faq = "### FAQs\n\n* **Can I take it with food?** Yes.\n\n### I recommend this\n\nText.\n"
    assert found(tmp_path, "CT001", V2 + faq) == []


def test_sources_and_the_request_are_the_writers_voice_too(tmp_path: Path) -> None:
    page = V2 + "### Usage\n\nThe source material does not say more about it.\n"
    assert [(line, column, end) for line, column, end, _ in found(tmp_path, "CT001", page)] == [
        (10, 5, 19)
    ]


def test_the_disclaimer_is_read_for_the_input_alone_and_the_note_not_at_all(
    tmp_path: Path,
) -> None:
    closing = (
        "**Usage:** Pain.\n\n"
        "**Disclaimer:** As an AI, I recommend asking a doctor before you take it.\n\n"
        "**Note:** As an AI, I cannot provide medical advice. It follows the provided text.\n"
    )
    assert found(tmp_path, "CT001", V1 + closing) == []
    assert found(tmp_path, "CT002", V1 + closing) == []
    lead = V1 + "As an AI, I am here.\n\n" + closing
    assert [(line, column) for line, column, *_ in found(tmp_path, "CT001", lead)] == [(9, 1)]
    sourced = closing.replace("before you take it.", "before you take it; see the provided text.")
    assert [(line, column) for line, column, *_ in found(tmp_path, "CT001", V1 + sourced)] == [
        (11, 83)
    ]


def test_a_sites_framing_wordings_are_its_packs_data(tmp_path: Path) -> None:
    page = V2 + "### Usage\n\nLet's break down how the tablets work. Let us know how you feel.\n"
    assert [column for _, column, _, _ in found(tmp_path, "CT001", page)] == [1]
    # A site whose own voice says "let's" takes the wording out; no signal in code restores it.
    config = tmp_path / "checker.toml"
    config.write_text('[rules.CT001]\nremove-phrases = ["let\'s break down"]\n', encoding="utf-8")
    target = tmp_path / "page.md"
    assert check_only("CT001", [target], config).violations == []
    config.write_text('[rules.CT001]\nextend-phrases = ["how you feel"]\n', encoding="utf-8")
    assert [v.column for v in check_only("CT001", [target], config).violations] == [1, 52]


def test_a_phrase_needs_a_word(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(V2 + "### Usage\n\nPain.\n", encoding="utf-8")
    config = tmp_path / "checker.toml"
    config.write_text('[rules.CT001]\nextend-phrases = ["..."]\n', encoding="utf-8")
    result = run_checker("check", "page.md", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result
    assert "holds no word; give each phrase at least one word" in result.stderr
