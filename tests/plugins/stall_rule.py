"""A plug-in rule that never finishes on a page holding `STALL HERE`: a run that reaches that
page cannot end by itself, so a test can stop it mid-run whatever the machine's speed.

On reaching the page it creates the file `stalled` beside it. Used through the
config key `plugins = ["stall_rule"]`, with a time limit longer than the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from checker.document.page import Page
from checker.rules.base import Rule, Severity, Violation


class Stall(Rule):
    """## What it checks
    Nothing: it waits for ever on a page holding `STALL HERE`.

    ## Why
    Tests of a run stopped part-way through.

    ## Example
    `STALL HERE`
    """

    code = "ZZ902"
    name = "stall"
    summary = "Wait for ever on a marked page"
    default_severity = Severity.WARNING
    needs_body = False

    def check(self, page: Page, options: Rule.Options) -> Iterator[Violation]:
        if page.text is not None and "STALL HERE" in page.text:
            if page.path is not None:
                (page.path.parent / "stalled").touch()
            while True:
                time.sleep(0.05)
        yield from ()


RULES = [Stall]
