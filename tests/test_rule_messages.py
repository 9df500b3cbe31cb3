"""What each rule says on its fixture pages, word for word.

The `.findings` files pin where each finding is; `tests/fixtures/messages.txt` pins what it
says, and the fix it offers (its title, whether it is safe, and each edit), for every fixture page, the pages
generated in tests/test_rules.py and the fixture site: a message is what tells the user what to
do next. After a deliberate change of wording, rewrite the file and review the diff:

    CHECKER_UPDATE_FIXTURES=1 pytest -n 0 tests/test_rule_messages.py
    git diff tests/fixtures/messages.txt
"""

from __future__ import annotations

from pathlib import Path

from checker.rules.base import Violation
from tests.rule_fixtures import FIXTURES, UPDATE, check_only, site_targets
from tests.test_rules import GENERATED, RULE_FIXTURES, check_file

MESSAGES = FIXTURES / "messages.txt"
HEADER = (
    "# What each rule says on its fixture pages: PAGE CODE LINE:COLUMN MESSAGE, then the fix it\n"
    "# offers and its edits (START-END of the normalised text -> the replacement); see\n"
    "# tests/test_rule_messages.py (CHECKER_UPDATE_FIXTURES=1 rewrites this file).\n"
)


def _lines(name: str, violations: list[Violation]) -> list[str]:
    out = []
    for v in sorted(violations, key=lambda v: (v.line, v.column, v.code, v.message)):
        # Site findings name the other pages by the path they were checked under.
        message = v.message.replace(f"{FIXTURES}/", "")
        out.append(f"{name} {v.code} {v.line}:{v.column} {message}")
        if v.fix is not None:
            out.append(f"    fix ({v.fix.applicability.value}): {v.fix.title}")
            out += [f"    {e.start}-{e.end} -> {e.replacement!r}" for e in v.fix.edits]
    return out


def _messages(tmp_path: Path) -> str:
    lines = []
    for page in sorted(RULE_FIXTURES.glob("*.md")):
        code = page.stem.split("-", 1)[0]
        lines += _lines(f"rules/{page.name}", check_file(page, code).violations)
    (tmp_path / "checker.toml").write_text("")  # defaults, whatever lies above tmp_path
    for code, case, data, _ in GENERATED:
        page = tmp_path / f"{code}-{case}.md"
        page.write_bytes(data)
        lines += _lines(f"generated/{page.name}", check_file(page, code).violations)
    site = FIXTURES / "site"
    report = check_only("XP", site_targets(site / "pages"), site / "checker.toml")
    for page in site_targets(site / "pages"):
        found = [v for v in report.violations if Path(v.path) == page]
        lines += _lines(page.relative_to(FIXTURES).as_posix(), found)
    return HEADER + "".join(line + "\n" for line in lines)


def test_every_message_and_fix_title_is_as_written(tmp_path: Path) -> None:
    actual = _messages(tmp_path)
    if UPDATE:
        MESSAGES.write_text(actual, encoding="utf-8")
    expected = MESSAGES.read_text(encoding="utf-8") if MESSAGES.is_file() else ""
    assert actual == expected
