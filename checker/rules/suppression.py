"""Rules about the suppression comments themselves."""

from __future__ import annotations

from collections.abc import Iterator

from checker.document.page import Page
from checker.rules.base import RuleOptions, Severity, SuppressionRule, Violation

# How SP001 ends the finding for a suppression that hid nothing. The site pass withdraws
# such a finding when the suppression turns out to hide a site-wide finding.
_UNUSED = "suppresses nothing here; remove the comment"


class UnusedSuppression(SuppressionRule):
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
    needs_body = False

    class Options(RuleOptions):
        pass

    def check_suppressions(
        self, page: Page, used: frozenset[int], options: Options
    ) -> Iterator[Violation]:
        for index, item in enumerate(page.suppressions):
            for problem in item.problems:
                yield self.violation(
                    page,
                    f"suppression comment: {problem}",
                    item.line,
                    item.column,
                    end_column=item.end_column,
                )
            if index in used or item.expired():
                continue  # an expired suppression is SP002's to report
            what = ", ".join(item.codes) if item.codes else "any rule"
            yield self.violation(
                page,
                f"`{item.action}` for {what} {_UNUSED}",
                item.line,
                item.column,
                end_column=item.end_column,
            )


class ExpiredSuppression(SuppressionRule):
    """## What it checks
    No suppression comment is past its `until=YYYY-MM-DD` date. On that date the suppression
    still holds; from the next day on it no longer hides anything, and this rule points at it.

    ## Why
    `until=` is a promise to look at a finding again. Once the date has passed, the finding it
    hid is reported once more, and this rule says why it came back: remove the comment, or
    renew it with a new date and a reason.

    ## Example
    `<!-- checker: disable-next-line CT007 reason="quoted from the label" until=2020-06-30 -->`
    checked after 30 June 2020.
    """

    code = "SP002"
    name = "expired-suppression"
    summary = "A suppression comment past its `until` date"
    default_severity = Severity.WARNING
    needs_body = False

    class Options(RuleOptions):
        pass

    def check_suppressions(
        self, page: Page, used: frozenset[int], options: Options
    ) -> Iterator[Violation]:
        for item in page.suppressions:
            if item.until is None or not item.expired():
                continue
            what = ", ".join(item.codes) if item.codes else "any rule"
            yield self.violation(
                page,
                f"`{item.action}` for {what} expired on {item.until.isoformat()} and no longer "
                "suppresses; fix what it hid, or renew it with a new until= date and a reason",
                item.line,
                item.column,
                end_column=item.end_column,
            )


class SuppressionWithoutReason(SuppressionRule):
    """## What it checks
    Every suppression comment gives a reason: `reason="..."`. The rule is off unless the config
    says `require-reason = true`, or a `select`/`extend-select` names it.

    ## Why
    A reviewer who meets `disable-next-line CT007` months later cannot tell a deliberate
    exception from a shortcut. A reason, and ideally an `until=` date, makes the exception
    reviewable.

    ## Example
    `<!-- checker: disable-next-line CT007 -->` with `require-reason = true`; write
    `<!-- checker: disable-next-line CT007 reason="quoted from the label" -->` instead.
    """

    code = "SP003"
    name = "suppression-without-reason"
    summary = "A suppression comment without a reason (with `require-reason = true`)"
    default_severity = Severity.ERROR
    opt_in = True
    enabled_by = "require-reason"
    needs_body = False

    class Options(RuleOptions):
        pass

    def check_suppressions(
        self, page: Page, used: frozenset[int], options: Options
    ) -> Iterator[Violation]:
        for item in page.suppressions:
            if item.reason and item.reason.strip():
                continue
            yield self.violation(
                page,
                f'`{item.action}` gives no reason; add reason="..." saying why the finding '
                "is acceptable here",
                item.line,
                item.column,
                end_column=item.end_column,
            )


def is_unused_report(violation: Violation) -> bool:
    """Whether a finding is SP001's report of a suppression that hid nothing on its page."""
    return violation.code == UnusedSuppression.code and violation.message.endswith(_UNUSED)
