"""The command line, end to end: run in the test process (`run_checker`), and in a real subprocess
where the process itself is under test (its exit codes, a terminal, the worker pool)."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from checker.rules.registry import BUILTIN_RULES
from tests.conftest import ROOT, cache_args, run_checker, run_process

FIXTURES = ROOT / "tests" / "fixtures"
CLEAN_V1 = FIXTURES / "clean" / "drug-v1.md"
CLEAN_V2 = FIXTURES / "clean" / "drug-v2.md"
RULES = FIXTURES / "rules"
FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3}) (?P<mark>\[[*~]\] )?"
    r"\[(?P<severity>error|warning|info)\] (?P<message>.+)$"
)
ANSI = "\x1b["


def findings(stdout: str) -> list[tuple[str, int, str]]:
    """(path, line, code) of every concise finding; fails on any line that is not one."""
    out = []
    for line in stdout.splitlines():
        match = FINDING.match(line)
        assert match, f"not a concise finding: {line!r}"
        out.append((match["path"], int(match["line"]), match["code"]))
    return out


def codes(stdout: str) -> set[str]:
    return {code for _, _, code in findings(stdout)}


def copy_page(source: Path, target: Path, text: str | None = None) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(source, target)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout


# -- the seed page -------------------------------------------------------------------------


@pytest.mark.parametrize("template", [["--template", "drug-v1"], []], ids=["drug-v1", "no-option"])
def test_seed_page_has_no_template_findings(seed: Path, template: list[str]) -> None:
    result = run_checker("check", str(seed), *template)
    found = codes(result.stdout)
    assert not {c for c in found if c[:2] in ("FM", "ST", "DS")}, result.stdout
    assert "FT002" in found  # the seed has no final newline
    assert result.returncode == 0


def test_content_pages_pass() -> None:
    result = run_checker("check", "content/")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


# -- exit codes ----------------------------------------------------------------------------


def test_clean_pages_exit_0() -> None:
    result = run_process("check", "tests/fixtures/clean")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "All checks passed: 2 files checked." in result.stderr


def test_error_level_findings_exit_1() -> None:
    result = run_process("check", "tests/fixtures/rules/DS001.md")
    assert result.returncode == 1
    assert ("tests/fixtures/rules/DS001.md", 34, "DS001") in findings(result.stdout)
    assert "in 1 of 1 file checked: 1 error, 0 warnings." in result.stderr


def test_warnings_alone_exit_0() -> None:
    result = run_checker("check", "tests/fixtures/rules/FT001.md", "--select", "FT001")
    assert result.returncode == 0
    assert [line for _, line, _ in findings(result.stdout)] == [8, 10]
    assert "[warning]" in result.stdout


def test_exit_zero_keeps_the_findings() -> None:
    result = run_checker("check", "tests/fixtures/rules/DS001.md", "--exit-zero")
    assert result.returncode == 0
    assert "DS001" in codes(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no/such/page.md"], "no/such/page.md: no such file or folder"),
        (["check", "tests/fixtures/clean", "--select", "QQ123"], "--select: unknown rule code"),
        (["check", "tests/fixtures/clean", "--ignore", "QQ"], "--ignore: unknown rule code"),
        (
            ["check", "tests/fixtures/clean", "--output-format", "xml"],
            "unknown output format 'xml'",
        ),
        (["check", "tests/fixtures/clean", "--template", "drug-v9"], "unknown template 'drug-v9'"),
        (
            [
                "check",
                "--show-settings",
                "tests/fixtures/clean/drug-v1.md",
                "--template",
                "drug-v9",
            ],
            "--template: unknown template 'drug-v9'",
        ),
        (["check", "tests/fixtures/clean", "-"], "cannot be combined"),
        (["check", "--config", "no/such.toml"], "config file not found"),
        (["rule", "QQ123"], "no rule 'QQ123'"),
        (["schema", "drug-v9"], "unknown template 'drug-v9'"),
        (["schema", "--bogus"], "unrecognized arguments: --bogus"),
        ([], "usage:"),
    ],
    ids=[
        "missing-path",
        "unknown-select",
        "unknown-ignore",
        "unknown-format",
        "unknown-template",
        "unknown-template-shown-settings",
        "stdin-and-paths",
        "missing-config",
        "unknown-rule",
        "unknown-schema",
        "unknown-option-before-a-positional",
        "no-command",
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run_checker(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["check", "--select", "QQ123"], "--select: unknown rule code"), ([], "usage:")],
    ids=["usage-error", "no-command"],
)
def test_the_real_process_exits_2_on_a_usage_error(args: list[str], message: str) -> None:
    result = run_process(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    no_traceback(result)


def test_a_missing_path_does_not_stop_the_others() -> None:
    result = run_checker("check", "no/such/page.md", "tests/fixtures/rules/DS001.md")
    assert result.returncode == 2
    assert "DS001" in codes(result.stdout)


# -- rule selection ------------------------------------------------------------------------


def test_select_runs_only_the_selected_codes_and_prefixes() -> None:
    result = run_checker("check", "tests/fixtures/rules", "--select", "ST008,ds00")
    found = codes(result.stdout)
    assert "ST008" in found and "DS001" in found
    assert found <= {"ST008"} | {f"DS00{n}" for n in range(1, 5)}


def test_ignore_drops_codes_and_prefixes() -> None:
    result = run_checker("check", "tests/fixtures/rules", "--ignore", "FT,DS001")
    found = codes(result.stdout)
    assert found, "the fixture pages break many rules"
    assert not {c for c in found if c.startswith("FT") or c == "DS001"}
    assert "DS002" in found


def test_extend_select_adds_to_the_config_selection(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('select = ["DS001"]\n')
    copy_page(RULES / "FT001.md", tmp_path / "page.md")
    assert codes(run_checker("check", "page.md", cwd=tmp_path).stdout) == {"DS001"}
    result = run_checker("check", "page.md", "--extend-select", "FT001", cwd=tmp_path)
    assert codes(result.stdout) == {"DS001", "FT001"}


def test_select_on_the_command_line_replaces_the_config_selection(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('select = ["DS001"]\n')
    copy_page(RULES / "FT001.md", tmp_path / "page.md")
    result = run_checker("check", "page.md", "--select", "FT001", cwd=tmp_path)
    assert codes(result.stdout) == {"FT001"}


def test_template_option_overrides_the_pack(tmp_path: Path) -> None:
    result = run_checker("check", str(CLEAN_V2), "--template", "drug-v1")
    found = findings(result.stdout)
    # drug-v1 expects bold labels and a closing note; the drug-v2 page has neither.
    assert {"ST008", "DS004"} <= {code for _, _, code in found}
    assert "template drug-v1 expects" in result.stdout
    assert result.returncode == 1


def test_config_option_uses_that_file_instead_of_searching(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere" / "lint.toml"
    config.parent.mkdir()
    config.write_text('ignore = ["DS001"]\n')
    page = "tests/fixtures/rules/DS001.md"
    assert "DS001" in codes(run_checker("check", page).stdout)
    result = run_checker("check", page, "--config", str(config))
    assert "DS001" not in codes(result.stdout)
    assert result.returncode == 0


# -- output --------------------------------------------------------------------------------


def test_concise_output_is_one_finding_per_line() -> None:
    result = run_checker(
        "check", "tests/fixtures/rules/FT001.md", "--select", "FT001", "--output-format", "concise"
    )
    lines = result.stdout.splitlines()
    assert lines == [
        "tests/fixtures/rules/FT001.md:8:17: FT001 [*] [warning] 2 trailing whitespace characters; "
        "remove them",
        "tests/fixtures/rules/FT001.md:10:21: FT001 [*] [warning] 1 trailing whitespace character; "
        "remove it",
    ]


def test_full_output_shows_the_source_line_and_a_caret() -> None:
    result = run_checker(
        "check", "tests/fixtures/rules/FT001.md", "--select", "FT001", "--output-format", "full"
    )
    lines = result.stdout.splitlines()
    first = lines.index(
        "tests/fixtures/rules/FT001.md:8:17: FT001 [*] [warning] 2 trailing whitespace characters; "
        "remove them"
    )
    assert lines[first + 1] == "    8 | ### Generic Name  "
    caret = lines[first + 2]
    assert caret.endswith("^^")
    # The caret sits under the trailing spaces, which start in column 17.
    assert caret.index("^") - caret.index("|") - 2 == 16
    assert "checker rule FT001" in lines[first + 3]


def test_statistics_count_each_rule() -> None:
    concise = run_checker("check", "tests/fixtures/rules")
    expected = Counter(code for _, _, code in findings(concise.stdout))
    result = run_checker("check", "tests/fixtures/rules", "--statistics")
    counted = {}
    for line in result.stdout.splitlines():
        count, share, code, name = line.split()
        counted[code] = int(count)
        assert name == next(rule.name for rule in BUILTIN_RULES if rule.code == code)
        assert share == f"{int(count) / sum(expected.values()):.1%}"
    assert counted == dict(expected)
    assert result.returncode == concise.returncode == 1


def test_stdin_with_a_filename() -> None:
    data = (RULES / "DS001.md").read_bytes()
    result = run_checker("check", "-", "--stdin-filename", "pages/a/aspirin.md", stdin=data)
    assert ("pages/a/aspirin.md", 34, "DS001") in findings(result.stdout)
    assert result.returncode == 1
    unnamed = run_checker("check", "-", stdin=data)
    assert ("-", 34, "DS001") in findings(unnamed.stdout)


def test_stdin_filename_chooses_config_and_template(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('[templates]\n"legacy/*.md" = "drug-v1"\n')
    data = CLEAN_V2.read_bytes()
    plain = run_checker("check", "-", "--stdin-filename", "pages/p.md", stdin=data, cwd=tmp_path)
    assert plain.stdout == "" and plain.returncode == 0
    legacy = run_checker("check", "-", "--stdin-filename", "legacy/p.md", stdin=data, cwd=tmp_path)
    assert "template drug-v1 expects" in legacy.stdout


def test_stdin_full_output_quotes_the_piped_text() -> None:
    data = (RULES / "FT001.md").read_bytes()
    result = run_checker(
        "check",
        "-",
        "--stdin-filename",
        "x.md",
        "--select",
        "FT001",
        "--output-format",
        "full",
        stdin=data,
    )
    assert "    8 | ### Generic Name  " in result.stdout.splitlines()


# -- colour --------------------------------------------------------------------------------


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def run_on_terminal(*args: str, env: dict[str, str], stream: str = "stdout") -> str:
    """Run the checker with a pseudo-terminal as its standard output (or error, with
    `stream="stderr"`); return what it printed there."""
    leader, follower = pty.openpty()
    outputs = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "checker", *args, *cache_args(args, ROOT)],
            cwd=ROOT,
            stdout=outputs["stdout"],
            stderr=outputs["stderr"],
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


PAGE = "tests/fixtures/rules/DS001.md"


def test_no_colour_when_not_a_terminal() -> None:
    result = run_checker("check", PAGE, env=_env())
    assert "DS001" in result.stdout
    assert ANSI not in result.stdout


def test_colour_on_a_terminal() -> None:
    out = run_on_terminal("check", PAGE, env=_env())
    assert "DS001" in out
    assert ANSI in out


def test_no_colour_on_a_terminal_with_no_color() -> None:
    out = run_on_terminal("check", PAGE, env=_env(NO_COLOR="1"))
    assert "DS001" in out
    assert ANSI not in out


def test_no_color_beats_color_always() -> None:
    result = run_checker("check", PAGE, "--color", "always", env=_env(NO_COLOR="1"))
    assert ANSI not in result.stdout
    forced = run_checker("check", PAGE, "--color", "always", env=_env())
    assert ANSI in forced.stdout


# -- other commands ------------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    result = run_checker("rules")
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(rows) == {rule.code for rule in BUILTIN_RULES}
    for rule in BUILTIN_RULES:
        assert rule.name in rows[rule.code]
        assert rule.summary in rows[rule.code]


@pytest.mark.parametrize("template", ["drug-v1", "drug-v2"])
def test_schema_is_a_valid_json_schema(template: str) -> None:
    result = run_checker("schema", template)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    good = {"layout": "minimal-medicine", "title": "Aspirin"}
    if template == "drug-v1":
        good = {"layout": "minimal", "nav_exclude": True, "title": "Aspirin"}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "layout": "wide"})
    assert not validator.is_valid({**good, "author": "someone"})
    assert not validator.is_valid({k: v for k, v in good.items() if k != "title"})


# -- configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "key", "allowed"),
    [
        ("colour = true\n", "colour", "allowed: select, extend-select, ignore"),
        ('select = ["QQ123"]\n', "select", "checker rules"),
        ('extend-select = ["FT", "QQ"]\n', "extend-select", "checker rules"),
        ("[rules.QQ123]\nmaximum = 2\n", "rules.QQ123", "checker rules"),
        ('[rules.FT003]\nmaximum = "two"\n', "rules.FT003.maximum", "integer"),
        ('[rules.FT006]\nstyle = "hash"\n', "rules.FT006.style", "'dash'"),
        ("[rules.FT003]\nminimum = 2\n", "rules.FT003.minimum", "allowed: maximum"),
        ("[limits]\nmax-size = 2\n", "limits.max-size", "allowed: max-file-size"),
        ('[rules.DS001]\nseverity = "fatal"\n', "rules.DS001.severity", "error, warning or info"),
        ('[per-file-ignores]\n"*.md" = ["QQ"]\n', "per-file-ignores.*.md", "checker rules"),
        ("select = [\n", "", "invalid TOML"),
    ],
    ids=[
        "unknown-key",
        "unknown-code",
        "unknown-prefix",
        "unknown-rule-table",
        "bad-option-type",
        "bad-option-choice",
        "unknown-option",
        "unknown-limit",
        "bad-severity",
        "unknown-per-file-code",
        "bad-toml",
    ],
)
def test_config_errors_name_file_and_key(
    tmp_path: Path, config: str, key: str, allowed: str
) -> None:
    (tmp_path / "checker.toml").write_text(config)
    copy_page(CLEAN_V2, tmp_path / "page.md")
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr
    assert str(tmp_path / "checker.toml") in message
    assert f": {key}:" in message if key else True
    assert allowed in message
    no_traceback(result)


def test_pyproject_tool_checker_is_found_upward(tmp_path: Path) -> None:
    page = copy_page(RULES / "FT001.md", tmp_path / "site" / "a" / "b" / "page.md")
    before = codes(run_checker("check", str(page), cwd=tmp_path).stdout)
    assert "FT001" in before
    (tmp_path / "site" / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.checker]\nignore = ["FT"]\n'
    )
    after = run_checker("check", str(page), cwd=tmp_path)
    assert after.stdout != ""
    assert not {c for c in codes(after.stdout) if c.startswith("FT")}


def test_pyproject_without_tool_checker_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('ignore = ["FT001"]\n')
    page = copy_page(RULES / "FT001.md", tmp_path / "sub" / "page.md")
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "sub"\n')
    assert "FT001" not in codes(run_checker("check", str(page), cwd=tmp_path).stdout)


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('[per-file-ignores]\n"legacy/*.md" = ["DS", "ft001"]\n')
    copy_page(RULES / "DS001.md", tmp_path / "legacy" / "old.md")
    copy_page(RULES / "DS001.md", tmp_path / "pages" / "new.md")
    copy_page(RULES / "FT001.md", tmp_path / "legacy" / "spaces.md")
    result = run_checker("check", ".", "--select", "DS,FT001", cwd=tmp_path)
    found = findings(result.stdout)
    assert ("pages/new.md", 34, "DS001") in found
    assert not [f for f in found if f[0].startswith("legacy/")]
    empty = tmp_path / "other" / "checker.toml"
    empty.parent.mkdir()
    empty.write_text("")
    control = run_checker(
        "check", "legacy", "--select", "DS,FT001", "--config", str(empty), cwd=tmp_path
    )
    assert {(path, code) for path, _, code in findings(control.stdout)} == {
        ("legacy/old.md", "DS001"),
        ("legacy/spaces.md", "DS001"),
        ("legacy/spaces.md", "FT001"),
    }


def test_exclude(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('exclude = ["drafts/*"]\n')
    copy_page(RULES / "DS001.md", tmp_path / "drafts" / "wip.md")
    copy_page(CLEAN_V2, tmp_path / "pages" / "done.md")
    result = run_checker("check", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "1 file checked" in result.stderr


def test_templates_glob_mapping(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('[templates]\n"legacy/**" = "drug-v1"\n')
    copy_page(CLEAN_V2, tmp_path / "legacy" / "a" / "p.md")
    copy_page(CLEAN_V2, tmp_path / "pages" / "p.md")
    copy_page(CLEAN_V1, tmp_path / "pages" / "v1.md")
    # Two copies of one page are duplicates to the site-wide rules; this test is about templates.
    result = run_checker("check", ".", "--ignore", "XP", cwd=tmp_path)
    paths = {path for path, _, _ in findings(result.stdout)}
    # The mapping wins over the pages' own front matter (layout: minimal-medicine).
    assert paths == {"legacy/a/p.md"}
    assert "template drug-v1 expects" in result.stdout


def test_folders_recurse_over_markdown_only(tmp_path: Path) -> None:
    copy_page(RULES / "DS001.md", tmp_path / "a" / "b" / "c.md")
    copy_page(RULES / "DS001.md", tmp_path / "a" / "notes.txt")
    result = run_checker("check", str(tmp_path / "a"))
    assert "in 1 of 1 file checked" in result.stderr, result.stderr


def test_default_path_is_the_current_folder(tmp_path: Path) -> None:
    copy_page(RULES / "DS001.md", tmp_path / "x" / "page.md")
    result = run_checker("check", cwd=tmp_path)
    assert ("x/page.md", 34, "DS001") in findings(result.stdout)


def test_rule_pack_errors_name_file_and_key(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", pack)
    template = pack / "templates" / "drug-v2.yaml"
    template.write_text(
        template.read_text().replace("  closed: true\n", "  closed: true\n  closd: false\n")
    )
    (tmp_path / "checker.toml").write_text('pack = "pack"\n')
    copy_page(CLEAN_V2, tmp_path / "page.md")
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{template}: sections.closd: unknown key" in result.stderr
    assert "allowed: form, closed, ordered, strict, items" in result.stderr
    no_traceback(result)


def test_a_projects_own_rule_pack_is_used(tmp_path: Path) -> None:
    pack = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", pack)
    template = pack / "templates" / "drug-v2.yaml"
    template.write_text(template.read_text().replace("ignore: [FT005]", "ignore: []"))
    (tmp_path / "checker.toml").write_text("")
    copy_page(CLEAN_V2, tmp_path / "page.md")
    result = run_checker("check", "page.md", cwd=tmp_path)
    # The bundled drug-v2 switches FT005 off; this pack does not, and # to ### skips a level.
    assert ("page.md", 8, "FT005") in findings(result.stdout)


def test_a_page_over_the_size_limit_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("[limits]\nmax-file-size = 2000\n")
    copy_page(CLEAN_V2, tmp_path / "big.md", CLEAN_V2.read_text() + "\nMore text.\n" * 200)
    copy_page(RULES / "DS001.md", tmp_path / "small.md")
    result = run_checker("check", ".", cwd=tmp_path)
    found = findings(result.stdout)
    assert [f for f in found if f[0] == "big.md"] == [("big.md", 1, "IO001")]
    assert "over the limit of 2,000" in result.stdout
    assert ("small.md", 34, "DS001") in found


def test_rule_severity_and_options_from_the_config(tmp_path: Path) -> None:
    copy_page(RULES / "DS001.md", tmp_path / "ds.md")
    copy_page(RULES / "FT003.md", tmp_path / "ft.md")
    before = run_checker("check", ".", "--select", "DS001,FT003", cwd=tmp_path)
    assert before.returncode == 1
    assert {(p, line, c) for p, line, c in findings(before.stdout)} == {
        ("ds.md", 34, "DS001"),
        ("ft.md", 24, "DS001"),
        ("ft.md", 12, "FT003"),
        ("ft.md", 22, "FT003"),
    }
    (tmp_path / "checker.toml").write_text(
        '[rules.DS001]\nseverity = "warning"\n\n[rules.multiple-blank-lines]\nmaximum = 2\n'
    )
    after = run_checker("check", ".", "--select", "DS001,FT003", cwd=tmp_path)
    # DS001 is now a warning, so nothing fails; FT003 allows two blank lines, not three.
    assert after.returncode == 0
    assert "ds.md:34:1: DS001 [~] [warning]" in after.stdout
    assert [(p, line, c) for p, line, c in findings(after.stdout) if c == "FT003"] == [
        ("ft.md", 23, "FT003")
    ]


def _own_pack(tmp_path: Path, replacements: dict[str, str]) -> None:
    pack = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", pack)
    template = pack / "templates" / "drug-v2.yaml"
    text = template.read_text()
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    template.write_text(text)
    (tmp_path / "checker.toml").write_text("")


def test_exact_disclaimer_match_shows_the_difference(tmp_path: Path) -> None:
    _own_pack(tmp_path, {"  match: statements\n": "  match: exact\n  similarity: 0.9\n"})
    page = CLEAN_V2.read_text().replace(
        "for diagnosis and treatment of any medical condition", "about your dog"
    )
    copy_page(CLEAN_V2, tmp_path / "page.md", page)
    copy_page(CLEAN_V2, tmp_path / "clean.md")
    result = run_checker("check", ".", "--select", "DS002", cwd=tmp_path)
    found = findings(result.stdout)
    assert found == [("page.md", 39, "DS002")]
    assert "“for diagnosis and treatment of any medical condition”" in result.stdout
    assert "“about your dog”" in result.stdout


def test_unknown_sections_only_under_a_closed_template(tmp_path: Path) -> None:
    page = RULES / "ST005.md"
    assert [
        f[1] for f in findings(run_checker("check", str(page), "--select", "ST005").stdout)
    ] == [
        40,
        44,
    ]
    _own_pack(tmp_path, {"  closed: true\n": "  closed: false\n"})
    copy_page(page, tmp_path / "page.md")
    assert run_checker("check", "page.md", "--select", "ST005", cwd=tmp_path).stdout == ""


def test_progress_line_only_on_a_terminal(tmp_path: Path) -> None:
    from checker.commands.check import PROGRESS_FROM

    page = (ROOT / "content" / "a" / "aspirin.md").read_text(encoding="utf-8")
    for number in range(PROGRESS_FROM):
        (tmp_path / f"page-{number:03}.md").write_text(page, encoding="utf-8")
    args = ("check", str(tmp_path), "--select", "FT", "--no-cache")
    on_terminal = run_on_terminal(*args, env=_env(), stream="stderr")
    assert f"checked {PROGRESS_FROM}/{PROGRESS_FROM} pages" in on_terminal
    piped = run_process(*args)
    assert "checked " not in piped.stderr
    assert "All checks passed" in piped.stderr


def test_help_teaches_the_commands_examples_and_exit_codes() -> None:
    top = run_process("--help")
    assert top.returncode == 0
    assert "Start with `checker check content/`" in top.stdout
    for command in ("check", "rules", "rule", "config", "server", "clean", "init"):
        assert f"\n    {command} " in top.stdout or f"\n    {command}\n" in top.stdout, command
    assert (
        "exit codes:\n  0  no error-level findings\n  1  error-level findings\n  2  " in top.stdout
    )
    check = run_process("check", "--help")
    assert check.returncode == 0
    out = check.stdout
    assert "examples:\n  checker check content/\n" in out
    assert "checker check content/ --fix" in out and "--stdin-filename" in out
    assert "exit codes:\n  0  no error-level finding" in out
    assert "\n  2  a usage or config error" in out
    # With no command, the top-level help goes to standard error and the exit code is 2.
    bare = run_process()
    assert bare.returncode == 2 and bare.stderr.startswith("usage: checker ")
    # An unknown flag after a command prints that command's usage, not the top-level one.
    for command in ("check", "rules", "clean"):
        wrong = run_process(command, "--bogus")
        assert wrong.returncode == 2
        assert wrong.stderr.startswith(f"usage: checker {command} "), wrong.stderr
        assert f"checker {command}: error: unrecognized arguments: --bogus" in wrong.stderr


def test_counts_are_written_in_the_right_number() -> None:
    result = run_process("templates", "--config", "tests/fixtures/other-site/checker.toml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("  medicine       4 pages  ") for line in lines), lines
    assert any(line.startswith("  leaflet        1 page   ") for line in lines), lines
    assert lines[-2].startswith("5 pages under ")
    assert lines[-1].startswith("Run `checker template NAME` to see what a page")
    # Nowhere does the product write `page(s)`: a count takes its noun in the right number.
    hedged = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "checker").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
        if re.search(r"[a-z]\((s|es)\)", line) and "http(s)" not in line
    ]
    assert hedged == []


def test_paths_may_follow_options(tmp_path: Path) -> None:
    page = (ROOT / "tests" / "fixtures" / "rules" / "FT001.md").read_text()
    (tmp_path / "a.md").write_text(page)
    (tmp_path / "b.md").write_text(page)
    args = (
        "check",
        "a.md",
        "--select",
        "FT001",
        "--no-cache",
        "b.md",
        "--output-format",
        "concise",
    )
    result = run_process(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert files == {"a.md", "b.md"}
