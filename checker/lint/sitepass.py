"""The second phase of a run: site-wide rules over the summaries of every page of the site."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from checker.lint import pool
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
from checker.project.config import Config, ConfigFinder, load_config_file
from checker.project.discovery import discover
from checker.project.targets import Target, display_path, relative_to
from checker.rules.base import SiteRule, Violation
from checker.rules.summary import PageSummary, SummarySuppression, summarise

# Where the rest of the site's summaries may come from without reading the page (a cache).
Lookup = Callable[[Target], PageSummary | None]


def summarise_target(target: Target, config: Config, template: str | None = None) -> PageSummary:
    """Read, parse and summarise one page (the per-page results may come from a cache)."""
    page = read_page(target, config)
    if page.text is not None:
        page.attach_template(choose_template(page, config, template))
    return summarise(page, config.content_root)


def summarise_file(path: Path, config: Config) -> PageSummary:
    """Read, parse and summarise one page that the run does not otherwise check."""
    return summarise_target(Target(path, display_path(path)), config)


def site_pages(
    config: Config, known: Iterable[str], cached: Lookup | None = None, jobs: int = 1
) -> list[PageSummary]:
    """Summaries of the pages under the config's content root that are not in `known`.

    This is the one place that reads the rest of the site, so that a per-page cache can serve
    these summaries without re-reading unchanged files; the pages it must read are summarised
    in `jobs` processes when there are enough. A config found in no file (defaults) has no
    project root, and then the site is only the pages of the run.
    """
    if config.path is None and config.values.content_root is None:
        return []
    root = config.content_root
    if not root.is_dir():
        return []
    seen = set(known)
    found = discover([str(root)], ConfigFinder(config.path))
    # In discovery order, whether a summary came from the cache or was made now.
    slots: list[PageSummary | None] = []
    todo: list[tuple[int, Path]] = []
    for target in found.targets:
        assert target.path is not None
        if target.path.resolve().as_posix() in seen:
            continue
        hit = cached(target) if cached is not None else None
        if hit is None:
            todo.append((len(slots), target.path))
        slots.append(hit)
    made = _summarise_all([path for _, path in todo], config, jobs)
    for (slot, _), summary in zip(todo, made, strict=True):
        slots[slot] = summary
    return [summary for summary in slots if summary is not None]


def _summarise_or_skip(path: Path, config: Config) -> PageSummary | None:
    try:
        return summarise_file(path, config)
    except Exception:  # a page that cannot be read is left out of the site, not the run
        return None


def _summarise_all(paths: list[Path], config: Config, jobs: int) -> list[PageSummary | None]:
    if config.path is None or not pool.use_pool(jobs, len(paths)):
        return [_summarise_or_skip(path, config) for path in paths]
    return pool.run_batches(paths, jobs, _summarise_batch, _start_summariser, (config.path,))


# The config a pool worker summarises with, loaded once per worker by `_start_summariser`.
_summariser: dict[str, Config] = {}


def _start_summariser(config_path: Path) -> None:
    # Ctrl-C is the parent's to handle: it ends the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    config = load_config_file(config_path)
    assert config is not None  # the parent loaded this very file
    _summariser["config"] = config


def _summarise_batch(paths: Sequence[Path]) -> list[PageSummary | None]:
    config = _summariser["config"]
    return [_summarise_or_skip(path, config) for path in paths]


@dataclass
class SitePass:
    """The pages of one run that share a config (and so a content root and site rules)."""

    ruleset: RuleSet
    targets: list[PageSummary] = field(default_factory=list)
    results: dict[str, FileResult] = field(default_factory=dict)

    def add(self, summary: PageSummary, result: FileResult) -> None:
        self.targets.append(summary)
        self.results[summary.file] = result

    def run(self, lookup: Lookup | None = None, jobs: int = 1) -> None:
        """Run the site rules; findings go to the checked pages' results, sorted.

        The rest of the site comes from `lookup` (the result cache) where it has it, and is
        otherwise summarised in `jobs` processes."""
        config = self.ruleset.config
        reporting = Reporting(self.ruleset)
        pages = [*self.targets, *site_pages(config, self.results, lookup, jobs)]
        by_path = {summary.path: summary for summary in self.targets}
        touched: set[str] = set()
        used: dict[str, list[SummarySuppression]] = {}
        for active in self.ruleset.site_rules:
            rule = active.rule
            assert isinstance(rule, SiteRule)
            try:
                found: list[Violation] = list(rule.check_site(pages, active.options))
            except Exception as error:  # a broken rule must never stop the run
                first = self.targets[0]
                crash = internal_error(first.path, f"site:{rule.code}", error)
                self.results[first.file].violations.append(crash)
                touched.add(first.file)
                continue
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
        for file, items in used.items():
            release_used(self.results[file], items)
        for file in touched:
            self.results[file].violations.sort(key=Violation.sort_key)
