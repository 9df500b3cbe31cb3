"""What a run returns: each page's findings (and what fixing did to it), and the report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from checker.rules.base import Severity, Violation
from checker.rules.summary import PageSummary

INTERNAL_ERROR_CODE = "IE001"
INTERNAL_ERROR_NAME = "internal-error"


def _staging() -> str:
    # Imported here: a check that fixes nothing never loads the writer.
    from checker.fixing.writer import STAGING_PREFIX  # noqa: PLC0415

    return f"{STAGING_PREFIX}{os.getpid()}-"


@dataclass(frozen=True, slots=True)
class FixRequest:
    """How a run fixes pages: which fixes it applies, and whether it writes the pages."""

    unsafe: bool = False
    # False for --diff: the fixes are shown, never written.
    write: bool = True
    # With --diff, each changed page's unified diff is kept in its PageFix.
    diff: bool = False
    # How the temporary files of fixed pages begin (see `checker.fixing.writer.stage`): the
    # run's own (its process's id; a pool's workers get the request made in it), so that a
    # stopped run removes what it left and nothing else.
    staging: str = field(default_factory=_staging)


@dataclass
class Staged:
    """A fixed page written to a temporary file beside the page, not yet renamed over it."""

    temporary: str
    # The digest of the bytes the page was fixed from: it is replaced only if it holds them.
    replaces: str
    # The digest of the fixed bytes, and the day their findings hold for (see
    # `checker.lint.cache.day_of`) when the run keeps results: the cache keys the written
    # page by them, without reading it again.
    digest: str
    day: str | None = None


@dataclass
class PageFix:
    """What fixing did to one page. Plain data, so that it crosses process boundaries."""

    # Findings fixed: in the written page, or with --diff in the page that would be written.
    fixed: int = 0
    changed: bool = False
    written: bool = False
    # Why the page was left alone (it cannot be read, or its YAML is broken).
    skipped: str | None = None
    # Fixes rejected, fixes that did not settle, a page not written: one line each.
    problems: list[str] = field(default_factory=list)
    # The diff (--diff), or the fixed text of a page read from standard input.
    output: str | None = None
    # The fixed page, staged beside the page for the run to rename over it (with the other
    # pages of its batch).
    staged: Staged | None = None
    # The page could not be written, and its findings are of the text it held then: perhaps
    # not the text the run read first, so the result cache must not keep them as that text's.
    refused: bool = False


@dataclass
class FileResult:
    display: str
    template: str | None
    violations: list[Violation]
    # What site-wide rules need of the page, made while it is parsed (only when they run).
    summary: PageSummary | None = None
    # Set when the run fixed pages.
    fix: PageFix | None = None
    # A Markdown file without front matter that no template claims (a README): not checked.
    not_a_page: bool = False


@dataclass
class Report:
    results: list[FileResult] = field(default_factory=list)
    # Pages of the site that the run does not check and could not summarise (unreadable,
    # broken, or too slow): the site-wide rules ran without them.
    left_out: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [v for result in self.results for v in result.violations]

    @property
    def files_checked(self) -> int:
        return sum(1 for result in self.results if not result.not_a_page)

    @property
    def not_pages(self) -> list[str]:
        """Markdown files skipped because they are not pages."""
        return [result.display for result in self.results if result.not_a_page]

    @property
    def files_with_findings(self) -> int:
        return sum(1 for result in self.results if result.violations)

    @property
    def internal_errors(self) -> int:
        return sum(1 for v in self.violations if v.code == INTERNAL_ERROR_CODE)

    def count(self, severity: Severity) -> int:
        return sum(1 for v in self.violations if v.severity is severity)

    @property
    def fixes(self) -> list[PageFix]:
        return [result.fix for result in self.results if result.fix is not None]
