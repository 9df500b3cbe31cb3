"""Rules about the suppression comments themselves."""

from __future__ import annotations

from collections.abc import Iterator

from checker.page import Page
from checker.rule import Rule, RuleOptions, Severity, Violation


class UnusedSuppression(Rule):
    """## What it checks
    Every `<!-- checker: disable… -->` comment hides at least one finding, and names only
    real rule codes.

    ## Why
    A suppression that hides nothing is noise, and worse, it will silently hide a real problem
    that appears later on that line.

    ## Example
    `<!-- checker: disable-next-line FT001 -->` above a line that has no trailing whitespace.
    """

    code = "SP001"
    name = "unused-suppression"
    summary = "A suppression comment that suppresses nothing"
    default_severity = Severity.WARNING
    after_suppressions = True
    needs_body = False

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        for index, item in enumerate(page.suppressions):
            for problem in item.problems:
                yield self.violation(
                    page,
                    f"suppression comment: {problem}",
                    item.line,
                    item.column,
                    end_column=item.end_column,
                )
            if index in page.suppressions_used:
                continue
            what = ", ".join(item.codes) if item.codes else "any rule"
            yield self.violation(
                page,
                f"`{item.action}` for {what} suppresses nothing here; remove the comment",
                item.line,
                item.column,
                end_column=item.end_column,
            )
