"""Malformed and unusual pages, all in one run beside good pages: each gets a clear finding at a
file and line (or, for legitimate variants such as a BOM or CRLF, the same findings as its plain
twin), never a traceback, and the rest of the run goes on."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT, run_checker
from tests.test_cli import FINDING

CLEAN = (ROOT / "tests" / "fixtures" / "clean" / "drug-v2.md").read_text(encoding="utf-8")
BODY = CLEAN.split("---\n", 2)[2]
WITH_PROBLEMS = (ROOT / "tests" / "fixtures" / "rules" / "ST002.md").read_text(encoding="utf-8")


def alias_bomb() -> str:
    """The "billion laughs": nine levels of nine aliases each, 9**9 strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\ntitle: Paracetamol\n---\n" + BODY


def deep_list(levels: int) -> str:
    nested = "".join("  " * i + f"* level {i}\n" for i in range(levels))
    return CLEAN.replace("* **Common:** nausea\n", nested)


PAGES: dict[str, bytes] = {
    "good.md": CLEAN.encode(),
    "lf-problems.md": WITH_PROBLEMS.encode(),
    "fm-list.md": ("---\n- layout: minimal-medicine\n- title: Paracetamol\n---\n" + BODY).encode(),
    "fm-string.md": ("---\nParacetamol, the painkiller\n---\n" + BODY).encode(),
    "unterminated.md": ("---\nlayout: minimal-medicine\ntitle: Paracetamol\n" + BODY).encode(),
    "bomb.md": alias_bomb().encode(),
    "latin1.md": CLEAN.replace("acetaminophen", "acétaminophène").encode("latin-1"),
    "empty.md": b"",
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 64,
    "bom.md": b"\xef\xbb\xbf" + CLEAN.encode(),
    "crlf.md": CLEAN.replace("\n", "\r\n").encode(),
    "crlf-problems.md": WITH_PROBLEMS.replace("\n", "\r\n").encode(),
    "long-line.md": CLEAN.replace(
        "Relieves mild", "Relieves " + "very " * 40_000 + "mild"
    ).encode(),
    "deep-list.md": deep_list(300).encode(),
    "nested-list.md": deep_list(12).encode(),
    "deep-quote.md": CLEAN.replace("* **Common:**", "> " * 60 + "deep\n\n* **Common:**").encode(),
}

Findings = dict[str, list[tuple[int, str, str]]]


@pytest.fixture(scope="module")
def run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Findings]:
    folder = tmp_path_factory.mktemp("malformed")
    (folder / "checker.toml").write_text("")
    for name, data in PAGES.items():
        (folder / name).write_bytes(data)
    # The pages are variants of one page, so site-wide rules would rightly call them duplicates.
    result = run_checker("check", ".", "--output-format", "concise", "--ignore", "XP", cwd=folder)
    found: Findings = {name: [] for name in PAGES}
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        assert match, f"not a concise finding: {line!r}"
        found[match["path"]].append((int(match["line"]), match["code"], match["message"]))
    return result, found


def lines_codes(found: Findings, name: str) -> list[tuple[int, str]]:
    return sorted((line, code) for line, code, _ in found[name])


def test_the_run_goes_on_without_a_traceback(
    run: tuple[subprocess.CompletedProcess[str], Findings],
) -> None:
    result, found = run
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1  # error-level findings, no internal error
    assert f"of {len(PAGES)} files checked" in result.stderr
    assert not [f for items in found.values() for f in items if f[1] == "IE001"]


@pytest.mark.parametrize(
    ("name", "expected", "words"),
    [
        ("fm-list.md", [(1, "FM002")], "front matter is a list"),
        ("fm-string.md", [(1, "FM002")], "front matter is a string"),
        ("unterminated.md", [(1, "FM001")], "not terminated"),
        ("bomb.md", [(1, "FM002")], "anchors and aliases"),
        ("latin1.md", [(10, "IO001")], "not valid UTF-8"),
        ("binary.md", [(3, "IO001")], "binary"),
        ("deep-list.md", [(46, "IO001")], "the rest of the page could not be read"),
        # A quote loses only what it holds: the sections after it are still found.
        ("deep-quote.md", [(22, "IO001")], "what this quote holds could not be read"),
    ],
)
def test_malformed_page_gets_one_clear_finding(
    run: tuple[subprocess.CompletedProcess[str], Findings],
    name: str,
    expected: list[tuple[int, str]],
    words: str,
) -> None:
    _, found = run
    assert lines_codes(found, name) == expected, found[name]
    assert words in found[name][0][2]


def test_empty_file(run: tuple[subprocess.CompletedProcess[str], Findings]) -> None:
    _, found = run
    assert lines_codes(found, "empty.md") == [(1, "FM001")]
    assert "the file is empty" in found["empty.md"][0][2]


@pytest.mark.parametrize("name", ["good.md", "bom.md", "crlf.md", "long-line.md", "nested-list.md"])
def test_good_pages_beside_them_stay_clean(
    run: tuple[subprocess.CompletedProcess[str], Findings], name: str
) -> None:
    _, found = run
    assert found[name] == []


def test_crlf_line_endings_give_the_same_findings_as_lf(
    run: tuple[subprocess.CompletedProcess[str], Findings],
) -> None:
    _, found = run
    lf = lines_codes(found, "lf-problems.md")
    assert (16, "ST002") in lf
    assert lines_codes(found, "crlf-problems.md") == lf
