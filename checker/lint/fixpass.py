"""The page pass in fix mode: fix one page through the fixer, then write it or show its diff.

It runs where a plain check runs (in this process or a pool worker), under the same time
limit, and returns the same FileResult, with a PageFix saying what was done. A page that was
not written keeps the findings of its original text.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from checker.document.digest import digest
from checker.document.guard import PageTimeout, time_limit
from checker.fixing import writer
from checker.fixing.diff import unified_diff
from checker.fixing.fixer import FixOutcome, fix_page
from checker.fixing.writer import Replacement, replace_files
from checker.lint.pagecheck import check_page, check_target, read_page
from checker.lint.reporting import REFUSAL_CODE, RESTATES_REFUSAL
from checker.lint.resolver import RuleSet
from checker.lint.results import FileResult, FixRequest, PageFix, Staged
from checker.project.targets import Target, inside
from checker.rules.base import FixAvailability, FixSafety, Rule
from checker.rules.registry import BUILTIN_RULES


@functools.cache
def _probe_codes(codes: frozenset[tuple[str, bool, bool]]) -> frozenset[str]:
    probe = {code for code, fixes, builtin in codes if fixes or not builtin}
    if probe & RESTATES_REFUSAL:
        # Their findings are dropped on a refusal page; the probe must drop them too.
        probe.add(REFUSAL_CODE)
    return frozenset(probe)


def probe_codes(ruleset: RuleSet, unsafe: bool) -> frozenset[str]:
    """The rules a page's first check in fix mode runs: those that can offer a fix this run
    may apply (with `unsafe`, unsafe fixes too).

    A page whose probe finds nothing to fix gets the full check of its text; one that is
    fixed is checked in full after each pass, so the findings of the rules left out (unsafe
    fixes on offer included) are all reported. Rules that are not built in always run, in
    case a plugin offers fixes without declaring them.
    """
    builtin = set(BUILTIN_RULES)
    return _probe_codes(
        frozenset(
            (
                active.rule.code,
                _can_fix(type(active.rule), unsafe),
                type(active.rule) in builtin,
            )
            for active in ruleset.active
        )
    )


def _can_fix(rule: type[Rule], unsafe: bool) -> bool:
    if rule.fix is FixAvailability.NEVER:
        return False
    return unsafe or rule.fix_safety is not FixSafety.UNSAFE


def _problems(outcome: FixOutcome[FileResult]) -> list[str]:
    problems = []
    for rejected in outcome.rejected:
        violation = rejected.violation
        problems.append(
            f"{violation.path}:{violation.line}:{violation.column}: {violation.code} "
            f"fix rejected: {rejected.reason}; fix it by hand"
        )
    if not outcome.converged:
        problems.append(
            f"{outcome.display}:1:1: fixes did not settle after repeated passes; "
            "the last result is kept; report the page"
        )
    return problems


def _unwritable(display: str, target: Target, ruleset: RuleSet) -> str | None:
    """Why the fixed page must not be written at all, or None."""
    assert target.path is not None
    if target.path.is_symlink():
        return (
            f"{display}:1:1: not written: the page is a symbolic link, and fixes are "
            "never written through one; fix the file it points to"
        )
    for root in ruleset.config.write_roots:
        if not inside(target.path, root):
            return (
                f"{display}:1:1: not written: the file lies outside the content root "
                f"{root}; set `content-root` in the project's config or run from the site's folder"
            )
    return None


def write_pending(
    results: list[FileResult],
    targets: Sequence[Target],
    settings: Callable[[Target], tuple[RuleSet, str | None]],
) -> list[FileResult]:
    """Write the fixed pages a batch staged, all together (see
    `checker.fixing.writer.replace_files`): one wait for the disk per batch, not per page.

    `targets` are the results' pages and `settings` gives a page's rule set and template. A
    page that cannot be written after all (it changed meanwhile, it is read-only) reports the
    findings of the text it still holds, and why it was not written.
    """
    waiting: list[tuple[int, Target, PageFix, Replacement]] = []
    for index, (result, target) in enumerate(zip(results, targets, strict=True)):
        fix = result.fix
        if fix is not None and fix.staged is not None:
            assert target.path is not None
            staged = fix.staged
            replacement = Replacement(target.path, Path(staged.temporary), staged.replaces)
            waiting.append((index, target, fix, replacement))
    if not waiting:
        return results
    errors = replace_files([replacement for *_, replacement in waiting])
    written = list(results)
    for (index, target, fix, _), error in zip(waiting, errors, strict=True):
        if error is not None:
            ruleset, template = settings(target)
            written[index] = _not_written(
                Target(target.path, target.display), ruleset, template, fix, error
            )
    return written


def _not_written(
    target: Target, ruleset: RuleSet, template: str | None, fix: PageFix, error: Exception
) -> FileResult:
    """The findings of the text the page still holds, and why the fixed text was not written."""
    held = check_target(target, ruleset, template)
    problem = f"{target.display}:1:1: not written: {error}"
    held.fix = PageFix(skipped=fix.skipped, problems=[*fix.problems, problem], refused=True)
    return held


def _staged(target: Target, data: bytes, original: bytes, prefix: str, cached: bool) -> Staged:
    """Stage a fixed page's bytes beside it (see `checker.fixing.writer.stage`)."""
    assert target.path is not None
    temporary = writer.stage(target.path, data, prefix)
    day = None
    if cached:
        # Imported here: only a run that keeps results needs the day of the written page.
        from checker.lint import cache  # noqa: PLC0415

        day = cache.day_of(data)
    return Staged(os.fsdecode(temporary), digest(original), digest(data), day)


def _not_fixed(
    source: Target, ruleset: RuleSet, template: str | None, why: str, cached: bool
) -> FileResult:
    """The page checked as it is, with the reason it was not fixed; `cached` as for
    `check_target`."""
    result = check_target(source, ruleset, template, cached)
    result.fix = PageFix(problems=[f"{source.display}:1:1: not fixed: {why}"])
    return result


def fix_target(
    target: Target,
    ruleset: RuleSet,
    template: str | None,
    request: FixRequest,
    data: bytes | None = None,
    initial: FileResult | None = None,
    cached: bool = False,
) -> FileResult:
    """Fix one page; stage it to be written, or keep its diff or fixed text, as the request
    says.

    A target that carries its text (standard input, an editor's buffer) is never written;
    `data` is the bytes already read from a file target's path, if any, and `initial` the
    findings on exactly those bytes, when the cache has them. A page to write is staged in a
    temporary file beside it (its PageFix says where), for `write_pending` to rename over the
    page with the other pages of its batch; with `cached`, the run keeps the result.
    """
    limits = ruleset.config.values.limits.to_limits()
    source = Target(target.path, target.display, data) if data is not None else target
    try:
        with time_limit(limits.max_page_seconds):
            page = read_page(source, ruleset.config)
            probe = probe_codes(ruleset, request.unsafe)
            outcome = fix_page(
                page,
                lambda p: check_page(p, ruleset, template),
                request.unsafe,
                initial=initial,
                probe=lambda p: check_page(p, ruleset, template, only=probe),
            )
    except PageTimeout:
        why = (
            f"fixing took over {limits.max_page_seconds:g} s (limits.max-page-seconds); fix the "
            "page by hand or raise the limit"
        )
        return _not_fixed(source, ruleset, template, why, cached)
    except Exception as error:  # a fixer that breaks on one page must not stop the run
        why = (
            f"fixing crashed ({type(error).__name__}: {error}); the findings shown are those of "
            "the page as it is. Report this with the page attached"
        )
        return _not_fixed(source, ruleset, template, why, cached)
    fix = PageFix(skipped=outcome.skipped, problems=_problems(outcome))
    result = outcome.result
    write = False
    if outcome.changed:
        if request.diff:
            fix.output = unified_diff(outcome.display, outcome.original, outcome.text)
        elif target.data is not None or target.path is None:
            # A page read from standard input goes back to standard output, never to a file.
            fix.output = outcome.text
        elif request.write:
            problem = _unwritable(outcome.display, target, ruleset)
            if problem is None:
                write = True
            else:
                fix.problems.append(problem)
                # The page keeps the findings of the text it still holds.
                result = outcome.initial
                if outcome.initial_is_probe:
                    result = check_page(page, ruleset, template)
    result.fix = fix
    if result is not outcome.result or not outcome.changed:
        return result
    fix.changed, fix.fixed, fix.written = True, outcome.fixed, write
    if not write:
        return result
    try:
        fix.staged = _staged(target, outcome.final, outcome.original, request.staging, cached)
    except OSError as error:
        return _not_written(target, ruleset, template, fix, error)
    return result
