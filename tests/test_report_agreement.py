"""`--statistics`, the text output and the HTML report count the same findings."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.conftest import ROOT, run_checker

PAGES = ROOT / "tests" / "fixtures"


def test_statistics_text_and_html_agree(tmp_path: Path) -> None:
    text = run_checker("check", str(PAGES), "--output-format", "concise")
    per_code = Counter(line.split()[1] for line in text.stdout.splitlines())
    assert sum(per_code.values()) > 10 and len(per_code) >= 5, text.stdout

    stats = run_checker("check", str(PAGES), "--statistics")
    counted = {}
    for line in stats.stdout.splitlines():
        count, _share, code, _name = line.split()
        counted[code] = int(count)
    assert counted == dict(per_code)

    out = tmp_path / "report.html"
    written = run_checker("check", str(PAGES), "--output-format", "html", "--output-file", str(out))
    assert written.returncode == text.returncode, written.stderr
    html = out.read_text(encoding="utf-8")
    bars = re.findall(r'<g class="bar" data-label="([A-Z]+\d+) [^"]*" data-count="(\d+)"', html)
    assert {code: int(count) for code, count in bars} == dict(per_code)
    total = re.search(r'data-total="findings">([\d,]+)<', html)
    assert total and int(total.group(1).replace(",", "")) == sum(per_code.values())


def test_an_empty_run_still_renders(tmp_path: Path) -> None:
    page = tmp_path / "empty" / "nothing-here.txt"
    page.parent.mkdir()
    page.write_text("not a page\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = run_checker(
        "check", str(page.parent), "--output-format", "html", "--output-file", str(out)
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'data-total="findings">0<' in html
    assert "No findings." in html


def test_page_text_is_escaped_in_the_report_data(tmp_path: Path) -> None:
    page = tmp_path / "pages" / "x.md"
    page.parent.mkdir()
    page.write_text(
        "---\nlayout: minimal-medicine\ntitle: x\n---\n\n# x\n\n### a < b & c\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    written = run_checker(
        "check", "pages", "--output-format", "html", "--output-file", str(out), cwd=tmp_path
    )
    assert written.returncode == 1, written.stderr  # the page lacks its sections
    assert written.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.count("</script>") == 2
    assert "section 'a \\u003c b & c'" in html  # the message is in the data, escaped
    assert "a < b" not in html


def test_folders_are_relative_to_the_folder_holding_every_page() -> None:
    from checker.formatters.html import _folders

    assert _folders(["x/y/a.md", "x/z/b.md", "x/c.md"]) == {
        "x/y/a.md": "y",
        "x/z/b.md": "z",
        "x/c.md": ".",
    }
    assert _folders(["a.md", "b/c.md"]) == {"a.md": ".", "b/c.md": "b"}
    assert _folders(["/x/a.md", "b/c.md"]) == {"/x/a.md": "/x", "b/c.md": "b"}
