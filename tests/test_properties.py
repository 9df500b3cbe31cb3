"""Property tests: the page parser, the section index, the suppression parser and every rule
never raise, and every finding lies within the page. Bounded examples, in the normal suite."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document.page import Page
from checker.document.sections import build_outline
from checker.document.suppressions import parse_suppressions
from checker.lint.pagecheck import check_page
from checker.lint.resolver import Overrides, build_ruleset
from checker.lint.results import INTERNAL_ERROR_CODE
from checker.project.config import default_config

CONFIG = default_config(Path(__file__).resolve().parent)
RULESET = build_ruleset(CONFIG, Overrides())
TEMPLATES = list(CONFIG.pack.templates)

FRAGMENTS = [
    "---\n",
    "layout: minimal-medicine\n",
    "title: Examplamine\n",
    "x: &a [1, *a]\n",
    "key: [unclosed\n",
    "# Examplamine\n",
    "## Usage\n",
    "### Generic Name\n",
    "### Side Effects\n",
    "### FAQs\n",
    "**Usage:** text\n",
    "* **Generic Name:** examplamine\n",
    "**Disclaimer:** This is not medical advice; consult a doctor.\n",
    "*Disclaimer: not medical advice*\n",
    "**Note:** generated\n",
    "<!-- checker: disable FT001 -->\n",
    "<!-- checker: enable -->\n",
    '<!-- checker: disable-next-line ST reason="x" until=2020-01-01 -->',
    "<!-- checker: disable-file nonsense=1 -->\n",
    "- item\n",
    "  - nested\n",
    "1. first\n",
    "> quote\n",
    "```\n",
    "    code\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "\n",
    "\n\n\n",
    "trailing \n",
    "\t",
    "\u00a0",
    "\u200b",
    "\r\n",
    "\r",
    "\ufeff",
    "[link](x)",
    "**bold",
    "Setext\n===\n",
]

pages = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map(
    "".join
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_within(page: Page, line: int, end_line: int | None = None, data: bytes = b"") -> None:
    # A page that could not be decoded has no text lines; its findings may point at the
    # file's own lines (the line of an invalid byte).
    last = max(1, page.line_count if page.text is not None else data.count(b"\n") + 1)
    assert 1 <= line <= last
    if end_line is not None:
        assert line <= end_line <= last


@SETTINGS
@given(st.one_of(pages.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary()))
def test_page_parser_never_raises(data: bytes) -> None:
    page = Page(None, "page.md", data)
    if page.text is None:
        assert page.input_problem is not None
        return
    assert page.line_count >= 1
    for number in range(1, page.line_count + 1):
        assert page.line_of_offset(page.line_offset(number)) == number
    if page.front_matter is not None:
        for line in page.front_matter.key_lines.values():
            assert_within(page, line)


@SETTINGS
@given(pages)
def test_section_index_never_raises(text: str) -> None:
    page = Page(None, "page.md", text.encode("utf-8", "surrogatepass"))
    if page.tokens is None:
        return
    for template in TEMPLATES:
        outline = build_outline(page.tokens, template, page.body_start_line)
        blocks = [s.marker for s in outline.sections] + outline.h1s + outline.disclaimers
        for block in blocks:
            assert_within(page, block.line, block.end_line)
        for section in outline.sections:
            assert_within(page, section.line, section.end_line)
        for first, last in outline.preamble:
            assert_within(page, first, last)
        page.attach_template(template)
        for number in range(1, page.line_count + 1):
            assert isinstance(page.section_key_at(number), str)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=30))
def test_suppression_parser_never_raises(lines: list[str]) -> None:
    lines = [line.replace("\n", " ") for line in lines]
    for item in parse_suppressions(lines):
        assert 1 <= item.line <= len(lines)
        assert item.first >= 1
        assert item.first <= item.last <= len(lines) + 1
        assert 1 <= item.column <= item.end_column


@SETTINGS
@given(pages, st.sampled_from([template.name for template in TEMPLATES]))
def test_every_rule_never_raises_and_findings_lie_within_the_page(text: str, name: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    page = Page(None, "page.md", data)
    result = check_page(page, RULESET, name)
    for violation in result.violations:
        assert violation.code != INTERNAL_ERROR_CODE, violation.message
        assert_within(page, violation.line, violation.end_line, data)
        assert violation.column >= 1
        assert violation.end_column >= 1


def test_fuzz_finding_a_nul_byte_on_a_later_line() -> None:
    # Found by fuzz/fuzz_page.py: an undecodable page's IO001 points at the file's line of the
    # NUL byte (here 3), while the page itself has no text lines. Within the file, not the page.
    data = b"---\nlayout: minimal-medicine\ntitle: ET\x02\x00\x00lamine\n---\n\n# Examplamine\n"
    page = Page(None, "page.md", data)
    assert page.text is None
    result = check_page(page, RULESET, "drug-v2")
    assert [(v.code, v.line, v.end_line) for v in result.violations] == [("IO001", 3, 3)]
    for violation in result.violations:
        assert_within(page, violation.line, violation.end_line, data)


def test_fuzz_finding_an_impossible_date() -> None:
    # Found by fuzz/fuzz_page.py: PyYAML's date constructor raised ValueError out of the page
    # parser, which stopped the whole run. Now FM002 at the value's line.
    data = b"---\ntitle: A\nx: &a []\nd: 2024-01-81\n---\n# A\nn\n"
    page = Page(None, "page.md", data)
    assert page.front_matter_problem is not None
    assert page.front_matter_problem.code == "FM002"
    assert page.front_matter_problem.line == 4
    result = check_page(page, RULESET, "drug-v1")
    assert ("FM002", 4) in [(v.code, v.line) for v in result.violations]
    assert INTERNAL_ERROR_CODE not in [v.code for v in result.violations]
