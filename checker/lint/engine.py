"""Run the rules over pages and return data: violations, sorted and suppressed. Never prints."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import os
import stat
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.document.guard import PageTimeout, time_limit
from checker.document.page import InputProblem, Page
from checker.lint.pool import Work
from checker.lint.resolver import Overrides, RuleSet, build_ruleset
from checker.project.config import Config, ConfigFinder
from checker.project.pack import Template
from checker.rules.base import Severity, Violation
from checker.rules.summary import PageSummary, summarise

INTERNAL_ERROR_CODE = "IE001"
INTERNAL_ERROR_NAME = "internal-error"
TIME_LIMIT_KEY = "limits.max-page-seconds"


@dataclass(frozen=True, slots=True)
class Target:
    """A page to check: a file on disk, or text from stdin shown under a chosen name."""

    path: Path | None
    display: str
    data: bytes | None = None


@dataclass
class FileResult:
    display: str
    template: str | None
    violations: list[Violation]
    # What site-wide rules need of the page, made while it is parsed (only when they run).
    summary: PageSummary | None = None


@dataclass
class Report:
    results: list[FileResult] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [v for result in self.results for v in result.violations]

    @property
    def files_checked(self) -> int:
        return len(self.results)

    @property
    def internal_errors(self) -> int:
        return sum(1 for v in self.violations if v.code == INTERNAL_ERROR_CODE)

    def count(self, severity: Severity) -> int:
        return sum(1 for v in self.violations if v.severity is severity)


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _resolve(path: Path) -> str:
    # Resolving a path costs a system call per component; pages share a few folders, so
    # resolve each folder once. A symlinked file itself still resolves to its target.
    if path.name in ("", ".", "..") or path.is_symlink():
        return str(path.resolve())
    # String operations: pathlib's are several times slower, on every page of a run.
    # Not abspath: it would fold `link/..` before the link is resolved.
    folder, name = os.path.split(os.path.join(os.getcwd(), path))  # noqa: PTH109, PTH118
    return os.path.join(_resolved_folder(folder), name)  # noqa: PTH118


def relative_to(path: Path, root: Path) -> str:
    """`path`, resolved, relative to the (resolved) `root`; as given when outside it."""
    try:
        resolved = _resolve(path)
    except (OSError, RuntimeError):  # a symlink loop
        return path.as_posix()
    prefix = str(root)
    if not prefix.endswith(os.sep):
        prefix += os.sep
    if resolved.startswith(prefix):
        return resolved[len(prefix) :].replace(os.sep, "/")
    if resolved + os.sep == prefix:
        return "."
    return path.as_posix()


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


def choose_template(
    page: Page, config: Config, override: str | None, relpath: str | None = None
) -> Template:
    pack = config.pack
    if override:
        return pack.template(override)
    if relpath is None:
        relpath = page_relpath(page, config.root)
    for pattern, name in config.values.templates.items():
        if fnmatch.fnmatch(relpath, pattern):
            return pack.template(name)
    data = page.front_matter.data if page.front_matter else None
    return pack.match(relpath, data)


def _internal_error(page: Page, code: str, error: BaseException) -> Violation:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    origin = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return Violation(
        code=INTERNAL_ERROR_CODE,
        name=INTERNAL_ERROR_NAME,
        path=page.display_path,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        message=(
            f"rule {code} crashed on this page ({type(error).__name__}: {error}{origin}); "
            "the other rules still ran. Report this with the page attached"
            if code != "reading"
            else f"reading the page crashed ({type(error).__name__}: {error}{origin}), so it "
            "was not checked; the rest of the run went on. Report this with the page attached"
        ),
        severity=Severity.ERROR,
    )


def run_rules(
    page: Page, ruleset: RuleSet, template: Template | None, relpath: str | None = None
) -> list[Violation]:
    """Every active rule over one page, with severities set and suppressions applied."""
    skipped = set(template.ignore) if template else set()
    if relpath is None:
        relpath = page_relpath(page, ruleset.config.root)
    ignored = ruleset.ignored_for(relpath)
    found: list[Violation] = []
    deferred = []
    for active in ruleset.active:
        rule = active.rule
        code = rule.code
        if code in skipped or any(code.startswith(prefix) for prefix in ignored):
            continue
        if rule.after_suppressions:
            deferred.append(active)
            continue
        if not rule.applies(page):
            continue
        if rule.needs_inline:
            page.parse_all_inline()
        try:
            for violation in rule.check(page, active.options):
                found.append(
                    violation
                    if violation.severity is active.severity
                    else dataclasses.replace(violation, severity=active.severity)
                )
        except Exception as error:  # a broken rule must never stop the run
            found.append(_internal_error(page, code, error))
    kept, page.suppressions_used = apply_suppressions(page, found)
    for active in deferred:
        if not active.rule.applies(page):
            continue
        if active.rule.needs_inline:
            page.parse_all_inline()
        try:
            for violation in active.rule.check(page, active.options):
                kept.append(dataclasses.replace(violation, severity=active.severity))
        except Exception as error:
            kept.append(_internal_error(page, active.rule.code, error))
    kept.sort(key=Violation.sort_key)
    return kept


def apply_suppressions(page: Page, found: list[Violation]) -> tuple[list[Violation], set[int]]:
    """Drop suppressed violations; return the rest and the ids of suppressions that were used."""
    if not page.suppressions:
        return found, set()
    kept: list[Violation] = []
    used: set[int] = set()
    for violation in found:
        suppressing = [
            index
            for index, item in enumerate(page.suppressions)
            if violation.code != INTERNAL_ERROR_CODE and item.covers(violation.code, violation.line)
        ]
        if suppressing:
            used.update(suppressing)
        else:
            kept.append(violation)
    return kept, used


def check_page(page: Page, ruleset: RuleSet, template_override: str | None) -> FileResult:
    template = None
    relpath = page_relpath(page, ruleset.config.root)
    if page.text is not None:
        template = choose_template(page, ruleset.config, template_override, relpath)
        page.attach_template(template)
    violations = run_rules(page, ruleset, template, relpath)
    summary = None
    if ruleset.has_site_rules and page.text is not None:
        summary = summarise(page, ruleset.config.content_root)
    return FileResult(page.display_path, template.name if template else None, violations, summary)


class Engine:
    """Checks targets, finding each one's config (and so its rules and pack) as it goes.

    `jobs` is how many processes may check pages at once (checker.lint.pool); with `use_cache`,
    results are read from and written to the result cache (checker.lint.cache), in `cache_dir` or
    in `.checker_cache` at each config's root.
    """

    def __init__(
        self,
        overrides: Overrides,
        finder: ConfigFinder,
        *,
        jobs: int = 1,
        use_cache: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        self.overrides = overrides
        self.finder = finder
        # Called with (pages done, pages to check) as the page pass goes; for a progress line.
        self.progress: Callable[[int, int], None] | None = None
        self.jobs = jobs
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self._rulesets: dict[int, RuleSet] = {}
        self._configs: dict[Path, Config] = {}

    def ruleset_for(self, config: Config) -> RuleSet:
        key = id(config)
        ruleset = self._rulesets.get(key)
        if ruleset is None:
            ruleset = build_ruleset(config, self.overrides)
            if self.overrides.template:
                config.pack.template(self.overrides.template)
            self._rulesets[key] = ruleset
        return ruleset

    def config_for(self, target: Target) -> Config:
        if target.path is not None:
            config = self._configs.get(target.path)
            if config is None:
                config = self._configs[target.path] = self.finder.for_path(target.path)
            return config
        return self.finder.for_path(Path.cwd() / target.display)

    def check_target(self, target: Target) -> FileResult:
        config = self.config_for(target)
        ruleset = self.ruleset_for(config)
        limits = config.values.limits.to_limits()
        try:
            with time_limit(limits.max_page_seconds):
                try:
                    page = read_page(target, config)
                except Exception as error:  # a page that breaks the parser must not stop the run
                    page = Page(target.path, target.display, b"", limits, InputProblem(1, ""))
                    return FileResult(
                        target.display, None, [_internal_error(page, "reading", error)]
                    )
                return check_page(page, ruleset, self.overrides.template)
        except PageTimeout:
            problem = InputProblem(
                1,
                f"checking the page took over {limits.max_page_seconds:g} s "
                f"({TIME_LIMIT_KEY}), so it was skipped; it is too large or too deeply "
                "structured: split or simplify it, or raise the limit",
            )
            page = Page(target.path, target.display, b"", limits, problem)
            return check_page(page, ruleset, self.overrides.template)

    def check_work(self, work: Work) -> FileResult:
        """Check one planned page and store its result when it has a cache key."""
        result = self.check_target(work.target)
        # A page cut short by the time limit may pass on a quieter machine: never cache it.
        timed_out = any(TIME_LIMIT_KEY in v.message for v in result.violations)
        if work.key is not None and work.cache_folder is not None and not timed_out:
            from checker.lint.cache import ResultCache

            ResultCache(work.cache_folder).put(work.key, result)
        return result

    def prepare_for_pool(self) -> None:
        """Build what every worker would otherwise build again (forked workers inherit it)."""
        import checker.document.front_matter
        import checker.document.markdown  # noqa: F401

        for ruleset in self._rulesets.values():
            for template in ruleset.config.pack.templates:
                _ = template.schema_model

    def check(self, targets: Iterable[Target]) -> Report:
        from checker.lint.cache import Planner
        from checker.lint.pool import check_work

        targets = list(targets)
        planner = Planner(self) if self.use_cache else None
        results: list[FileResult | None] = []
        pending: list[Work] = []
        slots: list[int] = []
        for target in targets:
            # Every config is loaded here, before any worker starts: a config error stops
            # the run in this process with its own message.
            self.ruleset_for(self.config_for(target))
            planned = planner.plan(target) if planner else Work(target)
            if isinstance(planned, FileResult):
                results.append(planned)
                continue
            slots.append(len(results))
            results.append(None)
            pending.append(planned)
        for slot, result in zip(slots, check_work(self, pending, self.jobs), strict=True):
            results[slot] = result
        report = Report([result for result in results if result is not None])
        self.run_site_rules(targets, report)
        return report

    def run_site_rules(self, targets: list[Target], report: Report) -> None:
        """The second phase: site rules over the summaries of each config's site."""
        from checker.lint.sitepass import SitePass, site_rules
        from checker.rules.summary import summarise_target

        passes: dict[int, SitePass] = {}
        for target, result in zip(targets, report.results, strict=True):
            config = self.config_for(target)
            ruleset = self.ruleset_for(config)
            # A page the first pass could not read or gave up on is not read again here.
            if site_rules(ruleset) and not any(
                v.code in ("IO001", INTERNAL_ERROR_CODE) for v in result.violations
            ):
                summary = result.summary
                if summary is None:
                    try:
                        summary = summarise_target(target, config, self.overrides.template)
                    except Exception:  # the page pass already reported what broke this page
                        continue
                passes.setdefault(id(config), SitePass(ruleset)).add(summary, result)
        planner = None
        if self.use_cache:
            from checker.lint.cache import Planner

            planner = Planner(self)
        for site in passes.values():
            site.run(planner)
