"""Input rules: pages that cannot be read as text."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from checker.page import Page
from checker.rule import Rule, RuleOptions, Severity, Violation


class UnreadableFile(Rule):
    """## What it checks
    The file can be read and decoded as UTF-8 text, holds no NUL bytes, and is within the size
    limit (`limits.max-file-size`).

    ## Why
    A page that cannot be decoded cannot be checked, and will not render as intended either.
    Reporting it as a finding, instead of stopping, lets the rest of the run go on.

    ## Example
    A page saved as UTF-16 or Latin-1, an image renamed to `.md`, or a 50 MB generated dump.
    """

    code = "IO001"
    name = "unreadable-file"
    summary = "The file is not UTF-8 text, is too large, or cannot be read"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        return page.input_problem is not None

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        problem = page.input_problem
        if problem is not None:
            # The page has no text lines to clamp to, so point at the problem's line directly.
            found = self.violation(page, problem.message, line=1, end_column=1)
            yield dataclasses.replace(found, line=problem.line, end_line=problem.line)
