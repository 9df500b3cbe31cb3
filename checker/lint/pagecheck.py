"""The page pass: read one page, choose its template, run its rules, and summarise it."""

from __future__ import annotations

import fnmatch
import stat
from collections.abc import Iterator
from pathlib import Path

from checker.document.guard import PageTimeout, time_limit
from checker.document.page import InputProblem, Page
from checker.lint.reporting import (
    Reporting,
    internal_error,
    suppress,
    with_severity,
    without_restatements,
)
from checker.lint.resolver import ActiveRule, RuleSet
from checker.lint.results import FileResult
from checker.project.config import Config
from checker.project.pack import Template
from checker.project.targets import Target, relative_to
from checker.rules.base import SuppressionRule, Violation
from checker.rules.summary import summarise

TIME_LIMIT_KEY = "limits.max-page-seconds"


def read_page(target: Target, config: Config) -> Page:
    limits = config.values.limits.to_limits()
    if target.data is not None:
        return Page(target.path, target.display, target.data, limits)
    assert target.path is not None
    try:
        status = target.path.stat()
        size = status.st_size
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO or a device could block forever or never end.
            problem = InputProblem(
                1,
                "not a regular file (a pipe, socket or device), so it is not read; "
                "remove it, or check standard input with `-`",
            )
            return Page(target.path, target.display, b"", limits, problem)
        if size > limits.max_file_bytes:
            problem = InputProblem(
                1,
                f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
                "(limits.max-file-size); split the page or raise the limit",
            )
            return Page(target.path, target.display, b"", limits, problem)
        data = target.path.read_bytes()
    except OSError as error:
        problem = InputProblem(1, f"cannot read the file: {error.strerror or error}")
        return Page(target.path, target.display, b"", limits, problem)
    return Page(target.path, target.display, data, limits)


def page_relpath(page: Page, root: Path) -> str:
    """The page's path relative to a config root, as globs in configs and packs match it."""
    return relative_to(page.path, root) if page.path is not None else page.display_path


def choose_template(page: Page, config: Config, override: str | None) -> Template:
    """The template named by `override` (which the caller has checked the pack has), else by
    the config's map, else by the pack.

    Globs in both match the page's path relative to the content root, so they mean the same
    whichever folder the checker runs from.
    """
    if override:
        return config.template(override, "")
    relpath = page_relpath(page, config.content_root)
    for pattern, name in config.values.templates.items():
        if fnmatch.fnmatch(relpath, pattern):
            return config.template(name, f"{config.label}: templates.{pattern}")
    data = page.front_matter.data if page.front_matter else None
    return config.pack.match(relpath, data)


def is_page(page: Page, config: Config, override: str | None, relpath: str) -> bool:
    """Whether a Markdown file is a page at all, rather than a README or notes beside them.

    A file is a page when it opens with front matter (or is empty), when a template claims
    it (`--template`, the config's `templates`, a template's `applies-to`), or when the pack
    says every Markdown file is a page.
    """
    if override or page.front_matter is not None or page.text is None:
        return True
    if not page.text.strip() or page.text.lstrip("\ufeff").startswith("---"):
        return True  # empty, or front matter that is broken or never closed: a broken page
    pack = config.pack
    if pack.every_md_is_a_page:
        return True
    if any(fnmatch.fnmatch(relpath, pattern) for pattern in config.values.templates):
        return True
    return any(template.applies_to.matches(relpath, None) for template in pack.templates)


def _findings(page: Page, active: ActiveRule, used: frozenset[int] | None) -> Iterator[Violation]:
    rule = active.rule
    if not rule.applies(page):
        return
    if rule.needs_inline:
        page.parse_all_inline()
    try:
        if used is None:
            found = rule.check(page, active.options)
        else:
            assert isinstance(rule, SuppressionRule)
            found = rule.check_suppressions(page, used, active.options)
        for violation in found:
            yield with_severity(violation, active)
    except Exception as error:  # a broken rule must never stop the run
        yield internal_error(page.display_path, rule.code, error)


def run_rules(
    page: Page,
    ruleset: RuleSet,
    template: Template | None,
    relpath: str | None = None,
    only: frozenset[str] | None = None,
) -> list[Violation]:
    """Every rule the page reports, with severities set and suppressions applied.

    With `only`, just the rules of those codes run (the fix probe); their findings are the
    ones a full run reports for them.
    """
    if relpath is None:
        relpath = page_relpath(page, ruleset.config.root)
    rules = Reporting(ruleset).page_rules(relpath, template)
    if only is not None:
        rules = [active for active in rules if active.rule.code in only]
    found: list[Violation] = []
    for active in rules:
        if not isinstance(active.rule, SuppressionRule):
            found.extend(_findings(page, active, None))
    kept, used = suppress(found, page.suppressions)
    kept = without_restatements(kept)
    # Rules about suppressions run last: they are told which suppressions hid a finding.
    for active in rules:
        if isinstance(active.rule, SuppressionRule):
            kept.extend(_findings(page, active, frozenset(used)))
    kept.sort(key=Violation.sort_key)
    return kept


def check_page(
    page: Page,
    ruleset: RuleSet,
    template_override: str | None,
    only: frozenset[str] | None = None,
) -> FileResult:
    """Check one parsed page; with `only`, run just those rules and make no site summary."""
    template = None
    relpath = page_relpath(page, ruleset.config.root)
    if page.text is not None:
        # Globs for templates match the path relative to the content root.
        site_relpath = page_relpath(page, ruleset.config.content_root)
        if not is_page(page, ruleset.config, template_override, site_relpath):
            return FileResult(page.display_path, None, [], not_a_page=True)
        template = choose_template(page, ruleset.config, template_override)
        page.attach_template(template)
    violations = run_rules(page, ruleset, template, relpath, only)
    summary = None
    if ruleset.has_site_rules and page.text is not None and only is None:
        summary = summarise(page, ruleset.config.content_root)
    return FileResult(page.display_path, template.name if template else None, violations, summary)


def timed_out(seconds: float, cached: bool = False) -> InputProblem:
    """The finding of a page cut short by the time limit; `cached` when the result cache will
    keep it (a page read from disk by a run with the cache, not an editor's buffer)."""
    message = (
        f"checking the page took over {seconds:g} s ({TIME_LIMIT_KEY}), so it was skipped; it "
        "is too large or too deeply structured: split or simplify it, or raise the limit"
    )
    if cached:
        message += (
            " (the cache keeps this finding for the rest of the day, unless the page or the "
            "limit changes; `--no-cache` checks the page again)"
        )
    return InputProblem(1, message)


def is_timed_out(result: FileResult) -> bool:
    return any(v.code == "IO001" and TIME_LIMIT_KEY in v.message for v in result.violations)


def check_target(
    target: Target, ruleset: RuleSet, template_override: str | None, cached: bool = False
) -> FileResult:
    """Read, check and summarise one page under the config's time limit, in any thread;
    nothing it does stops a run: a step that raises becomes an IE001 finding on the page.
    `cached`: the result cache will keep the result (see `timed_out`)."""
    limits = ruleset.config.values.limits.to_limits()
    try:
        with time_limit(limits.max_page_seconds):
            try:
                page = read_page(target, ruleset.config)
            except Exception as error:  # a page that breaks the parser must not stop the run
                return FileResult(
                    target.display, None, [internal_error(target.display, "reading", error)]
                )
            try:
                return check_page(page, ruleset, template_override)
            except Exception as error:  # summarising (or choosing a template) broke
                return FileResult(
                    target.display, None, [internal_error(target.display, "checking", error)]
                )
    except PageTimeout:
        problem = timed_out(limits.max_page_seconds, cached)
        page = Page(target.path, target.display, b"", limits, problem)
        return check_page(page, ruleset, template_override)
