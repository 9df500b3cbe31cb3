"""Input rules: pages that cannot be read as text."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from checker.document.page import Page
from checker.rules.base import Rule, RuleOptions, Severity, Violation


class UnreadableFile(Rule):
    """## What it checks
    The file can be read and decoded as UTF-8 text, holds no NUL bytes, and stays within the
    resource limits: `limits.max-file-size`, `limits.max-markup-chars`, `limits.max-nesting`
    (for lists and block quotes) and `limits.max-page-seconds`.

    ## Why
    A page that cannot be decoded cannot be checked, and will not render as intended either.
    Reporting it as a finding, instead of stopping, lets the rest of the run go on.

    ## Example
    A page saved as UTF-16 or Latin-1, an image renamed to `.md`, a 50 MB generated dump, or
    lists nested 10,000 levels deep.

    It is reported whatever rules are selected (`--select CT002` included), unless an ignore
    names it: a page that was not checked in full must not pass because other rules were
    chosen.
    """

    code = "IO001"
    name = "unreadable-file"
    summary = "The file is not UTF-8 text, cannot be read, or exceeds a resource limit"
    default_severity = Severity.ERROR
    always_reported = True

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
