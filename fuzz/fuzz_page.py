"""Fuzz target: any bytes, read as a page and checked by every rule of both templates.

Run it for a bounded time (here ten minutes) from the repository root, with a working corpus
that starts from the seeds (libFuzzer adds the inputs it finds to the first folder):

    pip install -e '.[fuzz]'
    mkdir -p fuzz/corpus && cp fuzz/seeds/*.md fuzz/corpus/
    python fuzz/fuzz_page.py -max_total_time=600 -rss_limit_mb=2048 -timeout=10 fuzz/corpus

A finding is anything that escapes the engine, an internal-error finding (the engine turns a
rule's exception into IE001, so the target fails on those too), a finding whose line lies
outside the page, an input over 10 s or over 2 GB. libFuzzer saves it as `crash-*`,
`timeout-*` or `oom-*`; each one becomes a regression case in tests/hostile/cases.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

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
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
