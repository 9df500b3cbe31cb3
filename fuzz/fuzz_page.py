"""Fuzz target: any bytes, read as a page and checked by every rule of both templates.

Run it for ten minutes, from its seeds, into `fuzz/corpus/` (ignored by git; libFuzzer adds
the inputs it finds there), from the repository root:

    pip install -e '.[fuzz]'
    python fuzz/fuzz_page.py

(libFuzzer flags such as `-max_total_time=60` replace the defaults; see fuzz/launch.py.)

A finding is anything that escapes the engine, an internal-error finding (the engine turns a
rule's exception into IE001, so the target fails on those too), a finding whose line lies
outside the page, an input over 10 s or over 2 GB. libFuzzer saves it as `crash-*`,
`timeout-*` or `oom-*`; each one becomes a regression case in tests/hostile/cases.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris
from launch import FUZZ, arguments  # fuzz/launch.py: the script's folder is on the path

with atheris.instrument_imports(include=["checker"]):
    from checker.document.page import Page
    from checker.lint.pagecheck import check_page
    from checker.lint.resolver import Overrides, build_ruleset
    from checker.lint.results import INTERNAL_ERROR_CODE
    from checker.project.config import default_config

CONFIG = default_config(Path.cwd())
RULESET = build_ruleset(CONFIG, Overrides())
TEMPLATES = [template.name for template in CONFIG.pack.templates]


def test_one_input(data: bytes) -> None:
    for name in TEMPLATES:
        page = Page(None, "fuzz.md", data)
        result = check_page(page, RULESET, name)
        for violation in result.violations:
            if violation.code == INTERNAL_ERROR_CODE:
                raise AssertionError(violation.message)
            if not 1 <= violation.line <= violation.end_line <= last_line(page, data):
                raise AssertionError(f"line out of the page: {violation}")


def last_line(page: Page, data: bytes) -> int:
    """The page's last line; for a page that could not be decoded, the file's last line."""
    if page.text is None:
        return data.count(b"\n") + 1
    return max(1, page.line_count)


def main() -> None:
    argv = arguments(sys.argv, "corpus", FUZZ / "seeds")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
