"""docs/setup-your-site.md shows what the commands print and write now: each command of its
worked example is run on a copy of the fixture site, and its output and files compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import ROOT, run_checker
from tests.test_init_disclaimer import make_site

GUIDE = ROOT / "docs" / "setup-your-site.md"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def worked_example() -> str:
    """The guide up to its section on the real corpora, whose commands read ../shared."""
    return guide().split("\n## 7. ", 1)[0]


def block_after(text: str, marker: str) -> str:
    """The fenced block that follows the first `marker`."""
    after = text.split(marker, 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]


def console_runs(text: str) -> list[tuple[list[str], list[str]]]:
    """Each `$ checker ...` line of the console blocks, with the lines shown after it."""
    runs: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ checker "):
                runs.append((shlex.split(line[len("$ checker ") :]), []))
            elif not line.startswith("$ "):
                runs[-1][1].append(line)
    return runs


def test_every_command_prints_what_the_guide_shows(other_site: Path) -> None:
    runs = console_runs(worked_example())
    assert [args[0] for args, _ in runs] == ["init", "check", "templates"]
    for args, shown in runs:
        result = run_checker(*args, cwd=other_site)
        assert "Traceback" not in result.stderr
        assert result.stdout.splitlines() == shown, args


def test_the_files_shown_are_those_init_writes(other_site: Path) -> None:
    (args, _), *_ = console_runs(worked_example())
    assert run_checker(*args, cwd=other_site).returncode == 0
    text = worked_example()
    for name in ["checker.toml", "rules/pack.yaml", "rules/templates/medicine.yaml"]:
        written = (other_site / "trial" / name).read_text(encoding="utf-8")
        assert block_after(text, f"`trial/{name}`") == written, name


def test_the_disclaimer_shown_is_what_init_learns_from_its_pages(tmp_path: Path) -> None:
    pages = make_site(tmp_path)
    result = run_checker("init", str(pages), "--output", str(tmp_path), "--no-check")
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "rules" / "templates" / "pages.yaml").read_text(encoding="utf-8")
    shown = block_after(guide(), "## 4. A disclaimer worded differently on every page")
    assert shown in written
