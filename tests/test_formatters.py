"""Every output format, rendered from real checks of real pages."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from checker import DEFAULT_DOCS_URL, formatters
from checker.formatters import github
from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.discovery import discover
from checker.rules.base import Severity, Violation
from tests.conftest import ROOT, run_checker, run_process

DATA = Path(__file__).parent / "data"
PLUGINS = Path(__file__).parent / "plugins"
CLEAN = Path(__file__).parent / "fixtures" / "integrations" / "clean-page.md"
SARIF_SCHEMA = json.loads((DATA / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
VIOLATION_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "docs" / "violation.schema.json").read_text("utf-8"))
)


def check(*paths: Path, config: Path | None = None) -> Report:
    finder = ConfigFinder(config)
    found = discover([str(p) for p in paths], finder)
    return Engine(Overrides(), finder).check(found.targets)


def render(name: str, report: Report) -> str:
    return formatters.get(name)(report, formatters.RenderContext())


@pytest.fixture
def fixable_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose config loads the ASAP plug-in rule, with one page that it can fix."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    (tmp_path / "checker.toml").write_text('plugins = ["asap_rule"]\n', encoding="utf-8")
    text = CLEAN.read_text("utf-8").replace("as your doctor prescribes", "start ASAP, ASAP")
    (tmp_path / "page.md").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def corpus_report(corpus: Path) -> Report:
    folder = corpus / "o"
    report = check(folder)
    assert report.violations
    return report


def test_every_format_is_registered_as_a_module() -> None:
    assert set(formatters.names()) >= {
        "concise",
        "full",
        "grouped",
        "json",
        "json-lines",
        "github",
        "sarif",
        "junit",
        "gitlab",
    }
    for name in formatters.names():
        assert callable(formatters.get(name))


@pytest.mark.slow  # every finding of a corpus folder
def test_json_matches_the_documented_schema(corpus_report: Report) -> None:
    records = json.loads(render("json", corpus_report))
    assert len(records) == len(corpus_report.violations)
    for record in records:
        VIOLATION_SCHEMA.validate(record)
    first, violation = records[0], corpus_report.violations[0]
    assert (first["code"], first["line"], first["path"]) == (
        violation.code,
        violation.line,
        violation.path,
    )
    assert first["url"] == f"{DEFAULT_DOCS_URL}#{violation.code.lower()}-{violation.name}"


@pytest.mark.slow  # every finding of a corpus folder
def test_json_lines_holds_the_same_objects(corpus_report: Report) -> None:
    lines = render("json-lines", corpus_report).splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render("json", corpus_report))


def test_json_fix_edits_carry_positions(fixable_site: Path) -> None:
    report = check(fixable_site / "page.md")
    records = [r for r in json.loads(render("json", report)) if r["code"] == "ZZ901"]
    assert len(records) == 2
    for record in records:
        VIOLATION_SCHEMA.validate(record)
        assert record["fixable"] is True
        (edit,) = record["fix"]["edits"]
        assert edit["replacement"] == "as soon as possible"
        assert edit["location"] == {"line": record["line"], "column": record["column"]}
        assert edit["end_location"]["column"] == record["end_column"] + 1


@pytest.mark.slow  # every finding of a corpus folder
def test_sarif_is_valid_against_the_official_schema(corpus_report: Report) -> None:
    log = json.loads(render("sarif", corpus_report))
    jsonschema.validate(log, SARIF_SCHEMA)
    run = log["runs"][0]
    assert len(run["results"]) == len(corpus_report.violations)
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} == {v.code for v in corpus_report.violations}
    ds001 = next(rule for rule in rules if rule["id"] == "DS001")
    assert ds001["defaultConfiguration"]["level"] == "error"
    assert "## What it checks" in ds001["help"]["markdown"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_with_fixes_is_valid(fixable_site: Path) -> None:
    log = json.loads(render("sarif", check(fixable_site / "page.md")))
    jsonschema.validate(log, SARIF_SCHEMA)
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert len(fixed) == 2
    replacement = fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    region = fixed[0]["locations"][0]["physicalLocation"]["region"]
    assert replacement["deletedRegion"] == region


@pytest.mark.slow  # every finding of a corpus folder
def test_sarif_schema_rejects_a_broken_log(corpus_report: Report) -> None:
    log = json.loads(render("sarif", corpus_report))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, SARIF_SCHEMA)


def _violation(**changes: object) -> Violation:
    values: dict[str, object] = {
        "code": "DS001",
        "name": "disclaimer-missing",
        "path": "content/a.md",
        "line": 3,
        "column": 2,
        "end_line": 3,
        "end_column": 9,
        "message": "m",
        "severity": Severity.ERROR,
    }
    values.update(changes)
    return Violation(**values)  # type: ignore[arg-type]


def test_github_command_escapes_data_and_properties() -> None:
    violation = _violation(
        path="content/a,b:c%.md", message="50% off\r\nnext: line, here", severity=Severity.INFO
    )
    assert github.command_for(violation) == (
        "::notice file=content/a%2Cb%3Ac%25.md,line=3,col=2,endLine=3,endColumn=9,"
        "title=checker (DS001)::50%25 off%0D%0Anext: line, here"
    )


def test_github_leaves_out_columns_for_multi_line_ranges() -> None:
    command = github.command_for(_violation(end_line=5, severity=Severity.WARNING))
    assert command == "::warning file=content/a.md,line=3,endLine=5,title=checker (DS001)::m"


@pytest.mark.slow  # every finding of a corpus folder
def test_github_prints_workflow_commands_under_actions(corpus: Path, corpus_report: Report) -> None:
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = run_process("check", str(corpus / "o"), env=env)
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert result.returncode == 1
    assert commands and len(commands) == len(lines) - 1  # the last line is the summary
    assert any(c.startswith("::error file=") for c in commands)
    assert any(c.startswith("::warning file=") for c in commands)
    for command in commands:
        head, _, message = command[2:].partition("::")
        kind, _, props = head.partition(" ")
        assert kind in {"error", "warning", "notice"}
        keys = [prop.split("=", 1)[0] for prop in props.split(",")]
        assert keys[:2] == ["file", "line"] and keys[-1] == "title"
        assert "\n" not in message and "\r" not in message
        assert "%" not in message.replace("%25", "").replace("%0A", "").replace("%0D", "")
    kinds = [command[2:].split(" ", 1)[0] for command in commands]
    assert kinds == [github.COMMANDS[v.severity] for v in corpus_report.violations]
    assert "GitHub shows only the first 10" in lines[-1]


def test_github_summary_only_when_annotations_are_dropped() -> None:
    report = Report()
    from checker.lint.results import FileResult

    report.results.append(FileResult("a.md", None, [_violation(line=n) for n in range(1, 11)]))
    assert "GitHub shows" not in render("github", report)
    report.results[0].violations.append(_violation(line=11))
    assert render("github", report).splitlines()[-1].startswith("checker: 11 annotations")


@pytest.mark.slow  # every finding of a corpus folder
def test_junit_has_one_testcase_per_file(corpus_report: Report) -> None:
    root = ET.fromstring(render("junit", corpus_report))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == corpus_report.files_checked
    failing = [r for r in corpus_report.results if r.violations]
    assert root.get("failures") == str(len(failing))
    case = next(c for c in cases if c.get("name") == failing[0].display)
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.text.count("\n") == len(failing[0].violations)


def test_gitlab_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    text = CLEAN.read_text("utf-8").replace("### Dosage\n", "").replace("### FAQs", "### FAQ2")
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    before = json.loads(render("gitlab", check(page)))
    page.write_text(text.replace("# Examplamine\n", "# Examplamine\n\n\n\n"), encoding="utf-8")
    after = json.loads(render("gitlab", check(page)))
    assert {i["check_name"] for i in before} >= {"ST001"}
    assert [i["location"]["lines"]["begin"] for i in before] != [
        i["location"]["lines"]["begin"] for i in after
    ]
    kept = {i["fingerprint"] for i in before} & {i["fingerprint"] for i in after}
    st001 = [i["fingerprint"] for i in before if i["check_name"] == "ST001"]
    assert st001 and set(st001) <= kept
    assert len({i["fingerprint"] for i in before}) == len(before)
    for issue in before:
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == str(page)


@pytest.mark.slow  # every finding of a corpus folder
def test_grouped_puts_findings_under_their_file(corpus_report: Report) -> None:
    out = render("grouped", corpus_report)
    headers = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert len(headers) == len({v.path for v in corpus_report.violations})
    assert all(h.endswith(":") for h in headers)


def test_output_file_and_clean_page(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    page = tmp_path / "examplamine.md"  # a clean page is named after its title (XP003)
    page.write_bytes(CLEAN.read_bytes())
    result = run_checker(
        "check", str(page), "--output-format", "json", "--output-file", str(target)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text("utf-8")) == []
