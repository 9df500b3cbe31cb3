"""The HTML site report of the real corpus, loaded in a real headless chromium."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker import DEFAULT_DOCS_URL
from tests.cdp import Browser, find_chromium
from tests.conftest import require, require_corpus, run_process

PHONE, DESKTOP = (390, 844), (1280, 900)

pytestmark = [pytest.mark.corpus, pytest.mark.slow, pytest.mark.browser]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str
    severity: str

    @property
    def folder(self) -> str:
        return self.path.split("/")[1] if self.path.count("/") >= 2 else "."


@dataclass
class Reference:
    """What the machine-readable output says about the corpus: what the report must show."""

    findings: list[Finding]
    files: int

    def count(self, **where: str) -> int:
        return len(self.select(**where))

    def select(self, **where: str) -> list[Finding]:
        return [f for f in self.findings if all(getattr(f, k) == v for k, v in where.items())]


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    return require_corpus()


@pytest.fixture(scope="module")
def report_file(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run_process(
        "check",
        corpus_dir.name,
        "--output-format",
        "html",
        "--output-file",
        str(out),
        cwd=corpus_dir.parent,
    )
    assert result.returncode == 1, result.stderr
    return out


@pytest.fixture(scope="module")
def reference(corpus_json: subprocess.CompletedProcess[str]) -> Reference:
    """The findings as the JSON output lists them."""
    result = corpus_json
    findings = [
        Finding(item["path"], item["line"], item["code"], item["severity"])
        for item in json.loads(result.stdout)
    ]
    files = re.search(r"in \d+ of (\d+) files? checked", result.stderr)
    assert files, result.stderr
    return Reference(findings, int(files.group(1)))


@pytest.fixture(scope="module")
def browser() -> Any:
    executable = find_chromium()
    require(executable is not None, "chromium (apt-get install chromium; .ci/run installs it)")
    with Browser(executable) as opened:
        yield opened


@pytest.fixture
def page(browser: Browser, report_file: Path) -> Browser:
    browser.viewport(*DESKTOP)
    browser.open(report_file.as_uri())
    return browser


def shown_totals(page: Browser) -> dict[str, int]:
    values = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('[data-total]')]"
        ".map(e => [e.dataset.total, e.textContent]))"
    )
    return {key: int(text.replace(",", "")) for key, text in values.items()}


def choose(page: Browser, select_id: str, label_prefix: str) -> None:
    chosen = page.evaluate(
        f"""(() => {{
        const select = document.getElementById({select_id!r});
        const option = [...select.options].find(o => o.textContent.startsWith({label_prefix!r}));
        if (!option) return null;
        select.value = option.value;
        select.dispatchEvent(new Event('change'));
        return option.textContent; }})()"""
    )
    assert chosen, f"no option starting with {label_prefix!r} in #{select_id}"


def table_rows(page: Browser) -> list[tuple[str, int, str, str, str]]:
    rows = page.evaluate(
        "[...document.querySelectorAll('#findings-table tbody tr')].map(tr => "
        "[tr.cells[0].textContent, tr.cells[1].textContent, tr.dataset.rule, "
        "tr.dataset.severity, tr.querySelector('a').getAttribute('href')])"
    )
    return [
        (path, int(where.split(":")[0]), code, sev, href) for path, where, code, sev, href in rows
    ]


def test_the_report_is_one_self_contained_file(report_file: Path, page: Browser) -> None:
    text = report_file.read_text(encoding="utf-8")
    assert not re.search(r"<link\b|\ssrc=|@import|url\(", text)
    assert page.requested_urls() == [report_file.as_uri()]


def test_the_totals_shown_equal_those_of_the_json_output(
    page: Browser, reference: Reference
) -> None:
    assert shown_totals(page) == {
        "files": reference.files,
        "pages-with-findings": len({f.path for f in reference.findings}),
        "findings": len(reference.findings),
        "error": reference.count(severity="error"),
        "warning": reference.count(severity="warning"),
        "info": reference.count(severity="info"),
    }
    assert page.evaluate("document.getElementById('shown').dataset.count") == str(
        len(reference.findings)
    )


def test_the_charts_agree_with_the_json_output(page: Browser, reference: Reference) -> None:
    bars = page.evaluate(
        "[...document.querySelectorAll('#per-rule .bar')].map(g => "
        "[g.dataset.label, g.querySelector('.count').textContent, "
        "g.querySelector('a').getAttribute('href')])"
    )
    per_rule = {label.split()[0]: int(count.replace(",", "")) for label, count, _ in bars}
    assert per_rule == dict(Counter(f.code for f in reference.findings))
    for label, _, href in bars:
        code, name = label.split()
        assert href == f"{DEFAULT_DOCS_URL}#{code.lower()}-{name}"
    templates = page.evaluate(
        "[...document.querySelectorAll('#per-template .bar')].map(g => [g.dataset.label, "
        "+g.dataset.count])"
    )
    assert sum(count for _, count in templates) == len(reference.findings)
    assert {label.split()[0] for label, _ in templates} == {"drug-v1", "drug-v2"}


def test_filters_show_exactly_the_matching_findings(page: Browser, reference: Reference) -> None:
    choose(page, "filter-rule", "DS001 ")
    expected = reference.select(code="DS001")
    assert page.evaluate("document.getElementById('shown').dataset.count") == str(len(expected))
    rows = table_rows(page)
    assert len(rows) == min(100, len(expected))
    assert all(
        code == "DS001" and href.endswith("#ds001-disclaimer-missing")
        for _, _, code, _, href in rows
    )

    choose(page, "filter-folder", "o")
    choose(page, "filter-severity", "error")
    rows = table_rows(page)
    wanted = reference.select(code="DS001", folder="o", severity="error")
    assert 0 < len(wanted) <= 100
    assert sorted((path, line) for path, line, _, _, _ in rows) == sorted(
        (f.path, f.line) for f in wanted
    )
    # The refusal page o/omega.md has no disclaimer, but CT002 reports it, not DS001.
    assert "rxhive-pages/o/omega.md" not in {path for path, *_ in rows}
    assert "rxhive-pages/o/omega.md" in {f.path for f in reference.select(code="CT002")}


def test_sorting_by_a_column(page: Browser, reference: Reference) -> None:
    choose(page, "filter-rule", "FT004 ")
    page.evaluate("document.querySelector('button[data-sort=line]').click()")
    lines = [line for _, line, _, _, _ in table_rows(page)]
    assert lines == sorted(lines) and lines[0] == min(
        f.line for f in reference.select(code="FT004")
    )
    page.evaluate("document.querySelector('button[data-sort=line]').click()")
    lines = [line for _, line, _, _, _ in table_rows(page)]
    assert lines == sorted(lines, reverse=True)


@pytest.mark.parametrize(("name", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_readable_at_phone_and_desktop_widths(
    browser: Browser, report_file: Path, name: str, size: tuple[int, int], tmp_path: Path
) -> None:
    browser.viewport(*size, mobile=name == "phone")
    browser.open(report_file.as_uri())
    # Nothing wider than the screen: no sideways scrolling of the whole page.
    assert browser.evaluate("document.documentElement.scrollWidth") <= size[0]
    font = browser.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#findings-table td')).fontSize)"
    )
    assert font >= 12
    shot = tmp_path / f"html-report-{name}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
