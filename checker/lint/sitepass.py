"""The engine's second phase: site-wide rules over the summaries of every page of the site."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checker.rules.base import Severity, SiteRule, Violation
from checker.rules.summary import PageSummary, site_pages

if TYPE_CHECKING:
    from checker.lint.cache import Planner
    from checker.lint.engine import FileResult, Target
    from checker.lint.resolver import ActiveRule, RuleSet


def site_rules(ruleset: RuleSet) -> list[ActiveRule]:
    return [active for active in ruleset.active if isinstance(active.rule, SiteRule)]


@dataclass
class SitePass:
    """The pages of one run that share a config (and so a content root and site rules)."""

    ruleset: RuleSet
    targets: list[PageSummary] = field(default_factory=list)
    results: dict[str, FileResult] = field(default_factory=dict)

    def add(self, summary: PageSummary, result: FileResult) -> None:
        self.targets.append(summary)
        self.results[summary.file] = result

    def run(self, planner: Planner | None = None) -> None:
        """Run the site rules; findings go to the checked pages' results, sorted.

        The rest of the site comes from the result cache where `planner` has it."""
        lookup = None
        if planner is not None:
            lookup = functools.partial(_cached_summary, planner)
        others = site_pages(self.ruleset.config, self.results, lookup)
        pages = [*self.targets, *others]
        touched: set[str] = set()
        for active in site_rules(self.ruleset):
            rule = active.rule
            assert isinstance(rule, SiteRule)
            try:
                found = list(rule.check_site(pages, active.options))
            except Exception as error:  # a broken rule must never stop the run
                from checker.lint.engine import INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME

                first = self.targets[0]
                self.results[first.file].violations.append(
                    Violation(
                        INTERNAL_ERROR_CODE,
                        INTERNAL_ERROR_NAME,
                        first.path,
                        1,
                        1,
                        1,
                        1,
                        f"site rule {rule.code} crashed ({type(error).__name__}: {error}); "
                        "the other rules still ran. Report this with the pages attached",
                        Severity.ERROR,
                    )
                )
                touched.add(first.file)
                continue
            by_path = {summary.path: summary for summary in self.targets}
            for violation in found:
                summary = by_path.get(violation.path)
                if summary is None or summary.suppressed(violation.code, violation.line):
                    continue
                result = self.results[summary.file]
                if self._skipped(summary, violation.code):
                    continue
                result.violations.append(dataclasses.replace(violation, severity=active.severity))
                touched.add(summary.file)
        for file in touched:
            self.results[file].violations.sort(key=Violation.sort_key)

    def _skipped(self, summary: PageSummary, code: str) -> bool:
        """Per-file ignores and the template's `ignore` list, as in the per-page pass."""
        from pathlib import Path

        from checker.lint.engine import relative_to

        config = self.ruleset.config
        if summary.template and code in config.pack.by_name[summary.template].ignore:
            return True
        ignored = self.ruleset.ignored_for(relative_to(Path(summary.file), config.root))
        return any(code.startswith(prefix) for prefix in ignored)


def _cached_summary(planner: Planner, target: Target) -> PageSummary | None:
    planned = planner.plan(target)
    summary = getattr(planned, "summary", None)
    return summary if isinstance(summary, PageSummary) else None
