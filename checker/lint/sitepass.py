"""The second phase of a run: site-wide rules over the summaries of every page of the site."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from checker.document.guard import PageTimeout, time_limit
from checker.lint.pagecheck import choose_template, read_page
from checker.lint.reporting import (
    Reporting,
    internal_error,
    release_used,
    site_suppression,
    with_severity,
)
from checker.lint.resolver import RuleSet
from checker.lint.results import FileResult
from checker.project import compiled
from checker.project.config import Config, ConfigFinder, site_root
from checker.project.discovery import discover
from checker.project.targets import Target, display_path, relative_to, resolved
from checker.rules.base import SiteRule, Violation
from checker.rules.summary import PageSummary, SummarySuppression, summarise

# Makes the summaries of the rest of the site, in order, leaving out pages that cannot be
# read (the engine's: from the result cache, and in the pool).
Summaries = Callable[[list[Target]], list[PageSummary]]


class SiteMemory(Protocol):
    """Where a run keeps the site rules' findings between runs (the result cache)."""

    def recall_site(self, key: str) -> dict[str, list[Violation]] | None: ...

    def keep_site(self, key: str, findings: dict[str, list[Violation]]) -> None: ...


def site_key(pages: list[PageSummary], checked: int) -> str | None:
    """What the site rules' findings follow from, besides the run's fingerprint: every
    summary they see, in order, and how many of them come from the run's own pages. None
    when a summary cannot be kept as UTF-8 (a file name's stray bytes): nothing is kept then."""
    import msgspec  # noqa: PLC0415 (only a run with the cache keys its site pass)

    try:
        encoded = msgspec.json.encode(pages)
    except (msgspec.EncodeError, UnicodeEncodeError):
        return None
    return compiled.digest(encoded, str(checked).encode())


def summarise_target(target: Target, config: Config, template: str | None = None) -> PageSummary:
    """Read, parse and summarise one page (the per-page results may come from a cache)."""
    page = read_page(target, config)
    if page.text is not None:
        page.attach_template(choose_template(page, config, template))
    return summarise(page, config.content_root)


def guarded_summary(
    target: Target, config: Config, template: str | None = None
) -> PageSummary | None:
    """`summarise_target` under the page time limit; None for a page that breaks or is slow.

    Such a page is left out of the site rather than the run: a page of the run reports what
    broke it in the page pass, and one slow page elsewhere must not slow down every run."""
    seconds = config.values.limits.to_limits().max_page_seconds
    try:
        with time_limit(seconds):
            return summarise_target(target, config, template)
    except (Exception, PageTimeout):
        return None


def summarise_file(path: Path, config: Config) -> PageSummary:
    """Read, parse and summarise one page that the run does not otherwise check."""
    return summarise_target(Target(path, display_path(path)), config)


def summary_result(target: Target, config: Config) -> FileResult:
    """A page of the site that the run does not check, as a result with only its summary.

    Under the config's time limit (one guard for the whole step); a page that cannot be read
    or summarised in time has no summary, and is left out of the site.
    """
    seconds = config.values.limits.to_limits().max_page_seconds
    try:
        with time_limit(seconds):
            if target.data is None and target.path is not None:
                summary: PageSummary | None = summarise_file(target.path, config)
            else:
                summary = summarise_target(target, config)
    except (Exception, PageTimeout):  # the page is left out of the site, not the run
        summary = None
    return FileResult(target.display, summary.template if summary else None, [], summary)


def site_pages(
    config: Config, known: Iterable[str], summaries: Summaries | None = None
) -> list[PageSummary]:
    """Summaries of the pages under the config's content root that are not in `known`.

    This is the one place that finds the rest of the site; `summaries` (the engine's) takes
    them from the result cache and makes the others in the pool. A config found in no file
    (defaults) has no project root, and then the site is only the pages of the run.
    """
    if config.path is None and config.values.content_root is None:
        return []
    root = site_root(config)
    if root is None or not root.is_dir():
        return []
    seen = set(known)
    found = discover([str(root)], ConfigFinder(config.path))
    rest = []
    for target in found.targets:
        assert target.path is not None
        if resolved(target.path) not in seen:
            rest.append(target)
    if summaries is not None:
        return summaries(rest)
    made = [summary_result(target, config).summary for target in rest]
    return [summary for summary in made if summary is not None]


@dataclass
class SitePass:
    """The pages of one run that share a config (and so a content root and site rules)."""

    ruleset: RuleSet
    targets: list[PageSummary] = field(default_factory=list)
    results: dict[str, FileResult] = field(default_factory=dict)
    # Pages of the run that the page pass could not read or gave up on: not part of the site.
    left_out: set[str] = field(default_factory=set)

    def add(self, summary: PageSummary, result: FileResult) -> None:
        self.targets.append(summary)
        self.results[summary.file] = result

    def run(self, summaries: Summaries | None = None, memory: SiteMemory | None = None) -> None:
        """Run the site rules; findings go to the checked pages' results, sorted.

        The summaries of the rest of the site come from `summaries` when given. With `memory`,
        a site pass over the very summaries of the last one takes its findings from there
        (site rules are pure functions of the summaries, the options and the checked pages)."""
        config = self.ruleset.config
        reporting = Reporting(self.ruleset)
        known = {*self.results, *self.left_out}
        pages = [*self.targets, *site_pages(config, known, summaries)]
        by_path = {summary.path: summary for summary in self.targets}
        touched: set[str] = set()
        used: dict[str, list[SummarySuppression]] = {}
        # The checked pages come first: the rest of the site only stands beside them.
        checked = None if len(pages) == len(self.targets) else range(len(self.targets))
        key = site_key(pages, len(self.targets)) if memory is not None else None
        recalled = memory.recall_site(key) if memory is not None and key is not None else None
        made: dict[str, list[Violation]] | None = {}
        for active in self.ruleset.site_rules:
            rule = active.rule
            assert isinstance(rule, SiteRule)
            if recalled is not None and rule.code in recalled:
                found: list[Violation] = recalled[rule.code]
            else:
                try:
                    found = list(rule.check_site_for(pages, active.options, checked))
                except Exception as error:  # a broken rule must never stop the run
                    first = self.targets[0]
                    crash = internal_error(first.path, f"site:{rule.code}", error)
                    self.results[first.file].violations.append(crash)
                    touched.add(first.file)
                    made = None  # a pass with a crash is not kept
                    continue
            if made is not None:
                made[rule.code] = found
            for violation in found:
                summary = by_path.get(violation.path)
                if summary is None:
                    continue  # a page of the site that this run does not check
                template = config.pack.by_name.get(summary.template or "")
                relpath = relative_to(Path(summary.file), config.root)
                if reporting.skipped(violation.code, relpath, template):
                    continue
                suppression = site_suppression(summary.suppressions, violation)
                if suppression is not None:
                    used.setdefault(summary.file, []).append(suppression)
                    continue
                self.results[summary.file].violations.append(with_severity(violation, active))
                touched.add(summary.file)
        if memory is not None and key is not None and made is not None and recalled is None:
            memory.keep_site(key, made)
        for file, items in used.items():
            release_used(self.results[file], items)
        for file in touched:
            self.results[file].violations.sort(key=Violation.sort_key)
