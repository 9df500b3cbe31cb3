"""The one place that decides whether a finding is reported, for the page and the site pass.

A finding is dropped when its rule is skipped for the page (the template's `ignore` list or
the config's per-file ignores) or when an inline suppression covers its line; the rule's
effective severity is set here; a rule that crashes becomes an IE001 finding, which nothing
suppresses. The bookkeeping of which suppressions hid something, which SP001 reports on,
is kept here as well, across both passes. (Selection, which rules run at all, is made once
per config by `checker.lint.resolver`; the baseline is applied to the finished report by
`checker.lint.baseline`.)
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from checker.document.suppressions import Suppression
from checker.lint.resolver import ActiveRule, RuleSet
from checker.lint.results import INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, FileResult
from checker.project.pack import Template
from checker.rules.base import Severity, Violation
from checker.rules.summary import SummarySuppression
from checker.rules.suppression import is_unused_report


def internal_error(path: str, what: str, error: BaseException) -> Violation:
    """The IE001 finding for a crash: `what` is a rule code, "reading", "checking", "fixing"
    or "site:CODE"."""
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    origin = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    cause = f"{type(error).__name__}: {error}{origin}"
    if what in ("reading", "checking", "fixing"):
        message = (
            f"{what} the page crashed ({cause}), so it was not checked; the rest of the run "
            "went on. Report this with the page attached"
        )
    elif what.startswith("site:"):
        message = (
            f"site rule {what[5:]} crashed ({type(error).__name__}: {error}); the other rules "
            "still ran. Report this with the pages attached"
        )
    else:
        message = (
            f"rule {what} crashed on this page ({cause}); the other rules still ran. Report "
            "this with the page attached"
        )
    return Violation(
        INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, path, 1, 1, 1, 1, message, Severity.ERROR
    )


# How the IE001 finding of a page that a worker process could not check begins.
WORKER_LOST = "the page was not checked: the worker process"


def worker_lost(path: str, why: str, cached: bool = False) -> Violation:
    """The IE001 finding of a page whose worker process ended (or failed) on it, even with
    the page checked alone; `why` is the pool's account, beginning "the worker process".
    `cached`: the result cache will keep it (for the day, as a page that ran out of time)."""
    message = (
        f"the page was not checked: {why} when it was checked alone; the rest of the run went "
        "on. If the system ran out of memory, run with fewer --jobs; otherwise report this with "
        "the page attached"
    )
    if cached:
        message += (
            " (the cache keeps this finding for the rest of the day, unless the page changes; "
            "`--no-cache` checks the page again)"
        )
    return Violation(
        INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, path, 1, 1, 1, 1, message, Severity.ERROR
    )


def is_worker_lost(violations: Iterable[Violation]) -> bool:
    """Whether a page's findings say its worker process could not check it: like running out
    of time, that depends on the machine (its memory) as much as on the page."""
    return any(
        v.code == INTERNAL_ERROR_CODE and v.message.startswith(WORKER_LOST) for v in violations
    )


# On a page that CT002 calls a refusal, these rules only restate it: the page is not a drug
# page, so its missing sections, its preamble (the refusal itself) and its missing disclaimer are
# not what to fix, and DS001's fix would stamp a disclaimer on a refusal. They stay silent there.
REFUSAL_CODE = "CT002"
RESTATES_REFUSAL = frozenset(
    {"ST001", "ST002", "ST003", "ST004", "ST005", "ST007", "ST008", "DS001", "DS002", "DS003"}
)


def without_restatements(found: list[Violation]) -> list[Violation]:
    """Drop the findings that only restate a refusal finding on the same page."""
    if not any(violation.code == REFUSAL_CODE for violation in found):
        return found
    return [violation for violation in found if violation.code not in RESTATES_REFUSAL]


def with_severity(violation: Violation, active: ActiveRule) -> Violation:
    if violation.severity is active.severity:
        return violation
    return dataclasses.replace(violation, severity=active.severity)


class Reporting:
    """Which rules' findings a page of one config reports."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset

    def skipped(self, code: str, relpath: str, template: Template | None) -> bool:
        """The template's `ignore` list and the config's per-file ignores."""
        if template is not None and code in template.ignore:
            return True
        return any(code.startswith(prefix) for prefix in self.ruleset.ignored_for(relpath))

    def page_rules(self, relpath: str, template: Template | None) -> list[ActiveRule]:
        """The active rules whose findings this page reports."""
        return [
            active
            for active in self.ruleset.active
            if not self.skipped(active.rule.code, relpath, template)
        ]

    def codes_for(self, relpath: str, template: Template | None) -> frozenset[str]:
        return frozenset(active.rule.code for active in self.page_rules(relpath, template))


def suppress(
    found: Iterable[Violation], suppressions: Sequence[Suppression]
) -> tuple[list[Violation], set[int]]:
    """Drop suppressed findings; return the rest and the indexes of suppressions used."""
    found = list(found)
    if not suppressions:
        return found, set()
    kept: list[Violation] = []
    used: set[int] = set()
    for violation in found:
        suppressing = [
            index
            for index, item in enumerate(suppressions)
            if violation.code != INTERNAL_ERROR_CODE and item.covers(violation.code, violation.line)
        ]
        if suppressing:
            used.update(suppressing)
        else:
            kept.append(violation)
    return kept, used


def site_suppression(
    suppressions: Sequence[SummarySuppression], violation: Violation
) -> SummarySuppression | None:
    """The first suppression of a page's summary that covers a site finding, if any."""
    code, line = violation.code, violation.line
    for item in suppressions:
        if item.first <= line <= item.last and (
            not item.codes or any(code.startswith(prefix) for prefix in item.codes)
        ):
            return item
    return None


def release_used(result: FileResult, used: Iterable[SummarySuppression]) -> None:
    """Withdraw SP001's "suppresses nothing" for suppressions that hid a site finding."""
    places = {(item.line, item.column) for item in used}
    if places:
        result.violations = [
            v
            for v in result.violations
            if not (is_unused_report(v) and (v.line, v.column) in places)
        ]
