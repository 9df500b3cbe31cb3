"""A plug-in rule that kills the process checking a page holding `KILL HERE` (SIGKILL, as the
out-of-memory killer would): for tests of a run that loses a worker process.

Before it kills, it adds a line to the file `kills` beside the page, so that a test can count
how often the page was checked. On a page that also holds `AND REMOVE THE CONFIG` it first
removes `explicit.toml` from the current folder, so that no new worker can be set up from it.
Used through the config key `plugins = ["kill_rule"]`, in a run with a pool of workers (in a
run without one it would kill the run itself).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

from checker.document.page import Page
from checker.rules.base import Rule, Severity, Violation


class Kill(Rule):
    """## What it checks
    Nothing: it kills its own process on a page holding `KILL HERE`.

    ## Why
    Tests of a run whose worker process dies.

    ## Example
    `KILL HERE`
    """

    code = "ZZ903"
    name = "kill"
    summary = "Kill the process on a marked page"
    default_severity = Severity.WARNING
    needs_body = False

    def check(self, page: Page, options: Rule.Options) -> Iterator[Violation]:
        if page.text is not None and "KILL HERE" in page.text:
            if page.path is not None:
                with (page.path.parent / "kills").open("a") as kills:
                    kills.write(f"{page.path.name}\n")
            if "AND REMOVE THE CONFIG" in page.text:
                Path("explicit.toml").unlink(missing_ok=True)
            os.kill(os.getpid(), signal.SIGKILL)
        yield from ()


RULES = [Kill]
