"""Run rules over fixture pages whose expected findings are marked inline.

A line that should get findings says so with `expect CODE [CODE ...]`, in an HTML comment in
the Markdown (`<!-- expect CT001 -->`) or in a YAML comment in the front matter.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.project.config import ConfigFinder
from checker.project.discovery import discover
from checker.project.targets import Target

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_EXPECT = re.compile(r"expect((?:\s+[A-Z]{2}\d{3})+)")


def expected(path: Path, code: str) -> Counter[tuple[str, int]]:
    found: Counter[tuple[str, int]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for marked in match.group(1).split():
                if marked == code:
                    found[(path.name, number)] += 1
    return found


def check_only(code: str, paths: list[Path], config: Path | None = None) -> Report:
    """Check `paths` with nothing but rule `code` enabled."""
    finder = ConfigFinder(config)
    targets = [Target(path, str(path)) for path in paths]
    return Engine(Overrides(select=(code,)), finder).check(targets)


def actual(report: Report) -> Counter[tuple[str, int]]:
    return Counter((Path(v.path).name, v.line) for v in report.violations)


def site_targets(folder: Path) -> list[Path]:
    found = discover([str(folder)], ConfigFinder())
    return [target.path for target in found.targets if target.path is not None]
