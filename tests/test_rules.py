"""Per-rule fixtures: each page breaks one rule; only that rule runs; every finding's code,
line, column, end line and end column must match.

A fixture is `tests/fixtures/rules/CODE[-case].md` with its expected findings beside it in
`CODE[-case].findings` (the format is described in tests/rule_fixtures.py). Pages that cannot be
committed as text (undecodable bytes, CR-only line endings) are generated here instead, with
their expected positions in the same `CODE LINE:COLUMN-END_LINE:END_COLUMN` notation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import FileResult
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.registry import BUILTIN_RULES
from tests.rule_fixtures import SUFFIX, compare, expected_codes, position

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE_FIXTURES = FIXTURES / "rules"
CLEAN_PAGES = {
    "drug-v1": FIXTURES / "clean" / "drug-v1.md",
    "drug-v2": FIXTURES / "clean" / "drug-v2.md",
}
CODES = [rule.code for rule in BUILTIN_RULES]

_PAGE = b"---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n### Usage\n\nPain.\n"

# Pages written as bytes by the test: (code, case, bytes, expected findings).
GENERATED: list[tuple[str, str, bytes, list[str]]] = [
    ("IO001", "latin-1", b"---\ntitle: Caf\xe9\n---\n", ["IO001 2:1-2:1"]),
    ("IO001", "latin-1-body", _PAGE + b"\nna\xefve\n", ["IO001 12:1-12:1"]),
    ("IO001", "binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["IO001 3:1-3:1"]),
    ("IO001", "utf-16", "---\ntitle: Aspirin\n---\n".encode("utf-16"), ["IO001 1:1-1:1"]),
    # Lists nested past limits.max-nesting: the parser would drop the rest of the page.
    (
        "IO001",
        "deep-nesting",
        _PAGE + b"\n" + b"".join(b"  " * i + b"* item\n" for i in range(30)),
        ["IO001 36:1-36:1"],
    ),
    # Front matter over limits.max-front-matter-size, and nested past limits.max-nesting.
    ("FM002", "too-large", b"---\ntitle: " + b"x" * 70_000 + b"\n---\n\n# x\n", ["FM002 1:1-1:3"]),
    (
        "FM002",
        "too-deep",
        b"---\ntitle: " + b"[" * 200 + b"]" * 200 + b"\n---\n",
        ["FM002 1:1-1:3"],
    ),
    ("FT007", "cr-only", _PAGE.replace(b"\n", b"\r"), ["FT007 1:1-1:3"]),
    ("FT007", "mixed-endings", _PAGE.replace(b"\n", b"\r\n", 2), ["FT007 1:1-1:3"]),
]


def check_file(path: Path, code: str) -> FileResult:
    """Run the real engine over one file with only `code` selected."""
    engine = Engine(Overrides(select=(code,)), ConfigFinder())
    report = engine.check([Target(path, path.name)])
    assert len(report.results) == 1
    return report.results[0]


def fixture_cases() -> list[tuple[str, Path]]:
    cases = []
    for page in sorted(RULE_FIXTURES.glob("*.md")):
        code = page.stem.split("-", 1)[0]
        cases.append(pytest.param(code, page, id=page.stem))
    return cases


@pytest.mark.parametrize(("code", "page"), fixture_cases())
def test_fixture_page(code: str, page: Path) -> None:
    assert code in CODES, f"{page.name} is named after no rule"
    result = check_file(page, code)
    assert {v.code for v in result.violations} <= {code}, result.violations
    expected, actual = compare(page, result.violations)
    assert actual == expected, [(position(v), v.message) for v in result.violations]
    for violation in result.violations:
        assert violation.path == page.name
        assert violation.message


@pytest.mark.parametrize(
    ("code", "data", "findings"),
    [
        pytest.param(code, data, findings, id=f"{code}-{case}")
        for code, case, data, findings in GENERATED
    ],
)
def test_generated_page(code: str, data: bytes, findings: list[str], tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("")  # defaults, whatever lies above tmp_path
    page = tmp_path / "page.md"
    page.write_bytes(data)
    result = check_file(page, code)
    assert sorted(position(v) for v in result.violations) == findings, [
        (position(v), v.message) for v in result.violations
    ]


@pytest.mark.parametrize("template", sorted(CLEAN_PAGES))
@pytest.mark.parametrize("code", CODES)
def test_rule_is_quiet_on_a_clean_page(code: str, template: str) -> None:
    result = check_file(CLEAN_PAGES[template], code)
    assert result.template == template
    assert result.violations == []


def test_every_fixture_has_its_findings() -> None:
    pages = {p.stem for p in RULE_FIXTURES.glob("*.md")}
    sidecars = {p.stem for p in RULE_FIXTURES.glob(f"*{SUFFIX}")}
    assert pages == sidecars
    assert not list(RULE_FIXTURES.glob("*.yaml")), "expected findings live in .findings files"


def test_every_rule_has_a_breaking_case() -> None:
    """Cases that expect no finding (such as FM004-whitespace) do not count."""
    breaking = {code for page in RULE_FIXTURES.glob("*.md") for code in expected_codes(page)}
    breaking |= {code for code, _, _, findings in GENERATED if findings}
    # Site-wide rules need several pages: their fixture is a small site (tests/test_site_rules.py).
    for page in (FIXTURES / "site").rglob("*.md"):
        breaking.update(expected_codes(page))
    assert set(CODES) <= breaking
