"""What the reporting step decides: a finding's severity comes from the config, and a
template's `ignore` list hides a rule on the pages of that template."""

from __future__ import annotations

from pathlib import Path

from checker.rules.base import Severity
from tests.rule_fixtures import FIXTURES, check_only


def test_the_configured_severity_is_the_reported_one(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes((FIXTURES / "rules" / "FT005.md").read_bytes())
    (tmp_path / "checker.toml").write_text("")
    default = check_only("FT005", [page]).violations
    assert default and {v.severity for v in default} == {Severity.WARNING}
    config = tmp_path / "raised.toml"
    config.write_text('[rules.FT005]\nseverity = "error"\n', encoding="utf-8")
    raised = check_only("FT005", [page], config).violations
    assert [(v.line, v.severity) for v in raised] == [(v.line, Severity.ERROR) for v in default]


def test_a_template_ignore_list_hides_the_rule_on_its_pages(tmp_path: Path) -> None:
    # FT005.md is a drug-v1 page; drug-v2 lists FT005 under `ignore`.
    text = (FIXTURES / "rules" / "FT005.md").read_text(encoding="utf-8")
    (tmp_path / "checker.toml").write_text("")
    v1 = tmp_path / "v1.md"
    v1.write_text(text, encoding="utf-8")
    v2 = tmp_path / "v2.md"
    v2.write_text(
        text.replace("layout: minimal\nnav_exclude: true\n", "layout: minimal-medicine\n"),
        encoding="utf-8",
    )
    report = check_only("FT005", [v1, v2])
    assert {r.display.rsplit("/", 1)[-1]: r.template for r in report.results} == {
        "v1.md": "drug-v1",
        "v2.md": "drug-v2",
    }
    assert {Path(v.path).name for v in report.violations} == {"v1.md"}
