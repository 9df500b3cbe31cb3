"""The vocabulary every rule speaks: severities, violations, fixes and the Rule base class."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_snake

if TYPE_CHECKING:
    from checker.document.page import Page
    from checker.rules.summary import PageSummary


class Severity(enum.IntEnum):
    """How serious a finding is. Only errors make `checker check` exit 1."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]


class FixAvailability(enum.Enum):
    """Whether a rule can offer a fix for what it finds."""

    NEVER = "never"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


class FixSafety(enum.Enum):
    """Whether the fixes a rule offers are safe (`--fix`) or unsafe (`--unsafe-fixes` too)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    # Some of its fixes are safe and others unsafe, depending on the finding.
    MIXED = "safe or unsafe"


class Applicability(enum.Enum):
    """Safe fixes are applied by `--fix`; unsafe ones need `--unsafe-fixes` as well."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` of the page's normalised text with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A titled set of non-overlapping edits with a safety level."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    # The line ending the file should be written with ("\n" or "\r\n"), for fixes that change
    # line endings, which the LF-normalised text cannot show as edits.
    newline: str | None = None

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding. Lines and columns are 1-based; `end_*` point at the last character."""

    code: str
    name: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    severity: Severity
    fix: Fix | None = None
    # The section the finding lies in, used for line-shift-proof fingerprints.
    context: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def _kebab(name: str) -> str:
    return to_snake(name).replace("_", "-")


class RuleOptions(BaseModel):
    """Base for every rule's options. Keys are written in kebab-case in config files."""

    # Built on first validation: most runs configure a few rules, and building the validators
    # of every rule's options at import would slow the start of every run.
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True, defer_build=True
    )


@dataclass(slots=True)
class RuleContext:
    """What the engine hands a rule besides the page: its options and effective severity."""

    options: Any
    severity: Severity
    extra: dict[str, Any] = field(default_factory=dict)


class Rule:
    """Base class for a per-page rule.

    Subclasses set `code`, `name`, `summary`, `default_severity`, `fix` and `Options`,
    and implement `check` as a pure generator over a parsed page.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.WARNING
    fix: ClassVar[FixAvailability] = FixAvailability.NEVER
    # Meaningful when `fix` is not NEVER; a meta test checks it against the fixes offered.
    fix_safety: ClassVar[FixSafety] = FixSafety.SAFE
    scope: ClassVar[str] = "page"
    # Most rules read the Markdown body; rules that only need raw text or input state say so.
    needs_body: ClassVar[bool] = True
    # Off unless a config or the command line selects it (noisy, or an assumption about the
    # site that not every site makes).
    opt_in: ClassVar[bool] = False
    # A config switch (a key of the config file) that turns an opt-in rule on.
    enabled_by: ClassVar[str | None] = None
    # Runs whatever is selected, unless an ignore names it (as Ruff reports a syntax error
    # whatever the selection): a page the checker could not read or check in full must never
    # pass because other rules were selected.
    always_reported: ClassVar[bool] = False
    # Tokens come from the block parser alone: inline tokens have no children until asked for.
    # A rule that walks `token.children` (or `page.tree`) sets this; one that reads a few
    # inline tokens calls `page.inline(token)` instead, which is cheaper.
    needs_inline: ClassVar[bool] = False

    class Options(RuleOptions):
        pass

    def applies(self, page: Page) -> bool:
        """Whether the page is in a state this rule can say anything about."""
        return page.text is not None and (not self.needs_body or page.tokens is not None)

    def check(self, page: Page, options: Any) -> Iterator[Violation]:
        raise NotImplementedError

    def violation(
        self,
        page: Page,
        message: str,
        line: int,
        column: int = 1,
        end_line: int | None = None,
        end_column: int | None = None,
        fix: Fix | None = None,
    ) -> Violation:
        """Build a violation at a 1-based position; the engine sets the effective severity."""
        last_line = max(1, page.line_count)
        line = min(max(1, line), last_line)
        end_line = line if end_line is None else min(max(line, end_line), last_line)
        if end_column is None:
            end_column = max(column, page.line_length(end_line))
        return Violation(
            code=self.code,
            name=self.name,
            path=page.display_path,
            line=line,
            column=max(1, column),
            end_line=end_line,
            end_column=max(1, end_column),
            message=message,
            severity=self.default_severity,
            fix=fix,
            context=page.section_key_at(line),
        )

    @classmethod
    def docs_anchor(cls) -> str:
        return f"{cls.code.lower()}-{cls.name}"


class SuppressionRule(Rule):
    """Base class for a rule about the suppression comments themselves.

    It runs once the other rules' findings have been suppressed, and implements
    `check_suppressions`, which is also told which of `page.suppressions` hid a finding.
    """

    def check(self, page: Page, options: Any) -> Iterator[Violation]:
        return iter(())

    def check_suppressions(
        self, page: Page, used: frozenset[int], options: Any
    ) -> Iterator[Violation]:
        raise NotImplementedError


class SiteRule(Rule):
    """Base class for a rule over the whole site, run after the per-page pass.

    It sees only page summaries (`checker.rules.summary.PageSummary`), never parsed pages, and
    implements `check_site`, a pure generator over every summary of the site. The engine keeps
    the findings for the pages being checked and drops the rest.
    """

    scope: ClassVar[str] = "site"

    def applies(self, page: Page) -> bool:
        return False

    def check(self, page: Page, options: Any) -> Iterator[Violation]:
        return iter(())

    def check_site(self, pages: Sequence[PageSummary], options: Any) -> Iterator[Violation]:
        raise NotImplementedError

    def check_site_for(
        self, pages: Sequence[PageSummary], options: Any, checked: Collection[int] | None
    ) -> Iterator[Violation]:
        """`check_site`, told which pages (indexes into `pages`) the run checks: their findings
        are the ones kept, and a rule may skip work that finds only others' (None: all)."""
        return self.check_site(pages, options)

    def site_violation(self, page: PageSummary, message: str, line: int | None = None) -> Violation:
        where = page.title_line if line is None else line
        return Violation(
            code=self.code,
            name=self.name,
            path=page.path,
            line=where,
            column=1,
            end_line=where,
            end_column=1,
            message=message,
            severity=self.default_severity,
        )
