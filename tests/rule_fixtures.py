"""Fixture pages and the findings expected on them, with their exact positions.

Every fixture page `NAME.md` (the per-rule pages in tests/fixtures/rules and the pages of the
fixture site in tests/fixtures/site) has beside it `NAME.findings`: each finding the page must
get, as `CODE LINE:COLUMN-END_LINE:END_COLUMN` (1-based, the end is the last character), with
the source line quoted under it and carets under the columns, as in Ruff's snapshot tests:

    CT001 7:1-7:12
       7 | Please note: I cannot provide medical advice.
         | ^^^^^^^^^^^^

A tab is shown as `→` and trailing spaces as `·`, so that the carets line up and no editor
strips them. The tests compare the whole file, so a finding's code, line, column, end line and
end column are all checked exactly. The page itself stays free of markers: a comment in it would
be text, HTML or trailing content that the rule under test could see.

After a deliberate change to what a rule reports, rewrite the files and review the diff:

    CHECKER_UPDATE_FIXTURES=1 pytest tests/test_rules.py tests/test_site_rules.py
"""

from __future__ import annotations

import os
from pathlib import Path

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.discovery import discover
from checker.project.targets import Target
from checker.rules.base import Violation

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SUFFIX = ".findings"
HEADER = (
    "# The findings expected on {name}: CODE LINE:COLUMN-END_LINE:END_COLUMN, compared\n"
    "# exactly (see tests/rule_fixtures.py; CHECKER_UPDATE_FIXTURES=1 rewrites this file).\n"
)
UPDATE = os.environ.get("CHECKER_UPDATE_FIXTURES") == "1"


def position(violation: Violation) -> str:
    """`CODE LINE:COLUMN-END_LINE:END_COLUMN`."""
    v = violation
    return f"{v.code} {v.line}:{v.column}-{v.end_line}:{v.end_column}"


def _shown(line: str) -> str:
    stripped = line.rstrip(" ")
    return (stripped + "·" * (len(line) - len(stripped))).replace("\t", "→")


def snapshot(page: Path, violations: list[Violation]) -> str:
    """The `.findings` text of `page` with these findings, in the order of their positions."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out = [HEADER.format(name=page.name)]
    ordered = sorted(violations, key=lambda v: (v.line, v.column, v.end_line, v.end_column, v.code))
    for v in ordered:
        out.append(position(v) + "\n")
        if not 1 <= v.line <= len(lines):
            continue
        source = _shown(lines[v.line - 1])
        last = v.end_column if v.end_line == v.line else max(len(source), v.column)
        width = len(str(v.line))
        out.append(f"   {v.line} | {source}".rstrip() + "\n")
        carets = " " * (v.column - 1) + "^" * max(1, last - v.column + 1)
        more = " …" if v.end_line != v.line else ""
        out.append(f"   {' ' * width} | {carets}{more}\n")
    return "".join(out)


def findings_file(page: Path) -> Path:
    return page.with_suffix(SUFFIX)


def compare(page: Path, violations: list[Violation]) -> tuple[str, str]:
    """(expected, actual) `.findings` texts of `page`; rewrites the file under UPDATE."""
    actual = snapshot(page, violations)
    sidecar = findings_file(page)
    if UPDATE:
        sidecar.write_text(actual, encoding="utf-8")
    expected = sidecar.read_text(encoding="utf-8") if sidecar.is_file() else ""
    return expected, actual


def expected_codes(page: Path) -> list[str]:
    """The codes the `.findings` file of `page` expects, one per finding."""
    sidecar = findings_file(page)
    return [
        line.split()[0]
        for line in sidecar.read_text(encoding="utf-8").splitlines()
        if line[:1].isalpha()
    ]


def check_only(code: str, paths: list[Path], config: Path | None = None) -> Report:
    """Check `paths` with nothing but rule `code` enabled."""
    return check_selected((code,), paths, config)


def check_selected(
    select: tuple[str, ...], paths: list[Path], config: Path | None = None
) -> Report:
    """Check `paths` with the rules `select` names (codes or prefixes), as `--select` does."""
    finder = ConfigFinder(config)
    targets = [Target(path, str(path)) for path in paths]
    return Engine(Overrides(select=select), finder).check(targets)


def found(folder: Path, code: str, text: str, second: str = "column") -> list[tuple[int, int, str]]:
    """(line, `second` (`column` or `end_line`), message) of each finding of rule `code` on a
    page of `text` written to `folder`, checked under the folder's checker.toml."""
    page = folder / "page.md"
    page.write_text(text, encoding="utf-8")
    report = check_only(code, [page], folder / "checker.toml")
    return [(v.line, getattr(v, second), v.message) for v in report.violations]


def site_targets(folder: Path) -> list[Path]:
    found = discover([str(folder)], ConfigFinder())
    return [target.path for target in found.targets if target.path is not None]
