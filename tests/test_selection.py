"""Rule selection as Ruff does it, through the real command: a table of config and flags."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_checker

# This page breaks ST001, ST008, FT005, DS001 and DS004 under the default selection, and the
# opt-in XP003 (its file name is not its title's slug).
PAGE = ROOT / "tests" / "fixtures" / "rules" / "FT005.md"
DEFAULT = {"ST001", "ST008", "FT005", "DS001", "DS004"}

CASES = [
    # (config file, command-line flags, codes reported)
    ("", [], DEFAULT),
    ("", ["--select", "ST"], {"ST001", "ST008"}),
    # The more specific of a select and an ignore wins, on the command line ...
    ("", ["--select", "ST", "--ignore", "ST001"], {"ST008"}),
    ("", ["--ignore", "ST", "--extend-select", "ST001"], DEFAULT - {"ST008"}),
    # ... and at equal specificity the ignore wins.
    ("", ["--select", "ST001", "--ignore", "ST001"], set()),
    # Repeated flags add up.
    ("", ["--select", "DS", "--select", "FT"], {"DS001", "DS004", "FT005"}),
    ("", ["--ignore", "DS", "--ignore", "FT"], {"ST001", "ST008"}),
    ("", ["--ignore", "DS", "--extend-ignore", "FT"], {"ST001", "ST008"}),
    # Codes, prefixes and rule names, in any case.
    ("", ["--select", "heading-increment,ds004"], {"FT005", "DS004"}),
    ("", ["--ignore", "missing-section"], DEFAULT - {"ST001"}),
    ("", ["--select", "ALL", "--ignore", "ST,DS"], {"FT005", "XP003"}),
    # The config file alone.
    ('select = ["ST", "DS"]\nignore = ["ST001"]\n', [], {"ST008", "DS001", "DS004"}),
    ('ignore = ["ST"]\nextend-select = ["ST001"]\n', [], DEFAULT - {"ST008"}),
    ('extend-ignore = ["section-style"]\n', [], DEFAULT - {"ST008"}),
    ('select = ["filename-slug"]\n', [], {"XP003"}),
    # The command line adjusts the config's selection ...
    ('select = ["ST", "DS"]\nignore = ["ST001"]\n', ["--ignore", "DS004"], {"ST008", "DS001"}),
    (
        'select = ["ST", "DS"]\nignore = ["ST001"]\n',
        ["--extend-select", "FT"],
        {"ST008", "DS001", "DS004", "FT005"},
    ),
    ('ignore = ["DS"]\n', ["--extend-select", "DS001"], DEFAULT - {"DS004"}),
    # ... unless it selects: then it starts afresh, the config's ignores included.
    ('select = ["ST", "DS"]\nignore = ["ST001"]\n', ["--select", "ST001"], {"ST001"}),
    ('ignore = ["FT005"]\n', ["--select", "FT"], {"FT005"}),
    # Per-file ignores, from the config and the command line, by code, prefix, name or ALL.
    ('[per-file-ignores]\n"pages/*.md" = ["ST", "heading-increment"]\n', [], {"DS001", "DS004"}),
    ('[extend-per-file-ignores]\n"pages/*" = ["DS"]\n', [], {"ST001", "ST008", "FT005"}),
    ("", ["--per-file-ignores", "pages/*.md:ALL"], set()),
    ("", ["--per-file-ignores", "other/*.md:ALL"], DEFAULT),
]


@pytest.mark.parametrize(("config", "flags", "expected"), CASES)
def test_selection(tmp_path: Path, config: str, flags: list[str], expected: set[str]) -> None:
    (tmp_path / "checker.toml").write_text(config)
    (tmp_path / "pages").mkdir()
    shutil.copyfile(PAGE, tmp_path / "pages" / "ft005.md")
    result = run_checker("check", "pages", "--no-cache", *flags, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    reported = {line.split()[1] for line in result.stdout.splitlines()}
    assert reported == expected


@pytest.mark.parametrize(
    ("config", "flags", "message"),
    [
        ("", ["--select", "QQ"], "command line: --select: unknown rule code, prefix or name 'QQ'"),
        ("", ["--extend-ignore", "no-such-rule"], "--extend-ignore: unknown rule"),
        ('ignore = ["nope"]\n', [], "checker.toml: ignore: unknown rule code, prefix or name"),
        ("", ["--per-file-ignores", "oops"], "is not GLOB:CODES"),
    ],
)
def test_unknown_selectors_are_usage_errors(
    tmp_path: Path, config: str, flags: list[str], message: str
) -> None:
    (tmp_path / "checker.toml").write_text(config)
    shutil.copyfile(PAGE, tmp_path / "page.md")
    result = run_checker("check", "page.md", *flags, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
