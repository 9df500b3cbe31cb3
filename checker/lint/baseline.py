"""Baselines: accept the findings a site already has, so that a run reports only new ones.

A baseline file lists findings by fingerprint. The fingerprint hashes the rule code, the page's
path, the section the finding lies in, the text of its line (whitespace collapsed) and which
occurrence of that same (code, section, text) it is on the page. It leaves out line numbers,
so editing one part of a page does not disturb the fingerprints of findings elsewhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import UsageError
from checker.lint.results import INTERNAL_ERROR_CODE, FileResult, Report
from checker.rules.base import Violation

VERSION = 1
ABOUT = (
    "Findings accepted by `checker check --write-baseline`; a run with this baseline hides "
    "them and reports only new ones. Rewrite it with --write-baseline, never by hand."
)

LinesFor = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """One accepted finding. `path` is relative to the baseline file's folder."""

    path: str
    code: str
    section: str
    fingerprint: str

    def describe(self) -> str:
        where = f" in section '{self.section}'" if self.section else ""
        return f"{self.path}: {self.code}{where}"


@dataclass
class Baseline:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.absolute().parent

    def key_for(self, display_path: str) -> str:
        """A page's path as the baseline stores it: relative to the baseline's folder."""
        if display_path == "-":
            return display_path
        absolute = Path(display_path).absolute()
        return Path(os.path.relpath(absolute, self.folder)).as_posix()


def normalise(text: str) -> str:
    return " ".join(text.split())


def fingerprint(code: str, path: str, section: str, text: str, occurrence: int) -> str:
    material = "\x1f".join((code, path, section, normalise(text), str(occurrence)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def page_entries(
    violations: Iterable[Violation], key: str, lines: list[str]
) -> Iterator[tuple[Violation, Entry]]:
    """Each baselinable violation of one page with its entry. IE001 is never baselined."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for violation in sorted(violations, key=Violation.sort_key):
        if violation.code == INTERNAL_ERROR_CODE:
            continue
        text = lines[violation.line - 1] if 1 <= violation.line <= len(lines) else ""
        identity = (violation.code, violation.context, normalise(text))
        occurrence = seen[identity]
        seen[identity] += 1
        digest = fingerprint(violation.code, key, violation.context, text, occurrence)
        yield violation, Entry(key, violation.code, violation.context, digest)


def load(path: Path, missing_ok: bool = False) -> Baseline:
    """Read a baseline file; a missing one is empty only when `missing_ok`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return Baseline(path)
        raise UsageError(
            f"{path}: baseline file not found; create it with `checker check --write-baseline {path}`"
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read the baseline file: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}:{error.lineno}: the baseline file is not valid JSON ({error.msg}); "
            "rewrite it with --write-baseline"
        ) from None
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise UsageError(
            f"{path}: not a version-{VERSION} checker baseline; rewrite it with --write-baseline"
        )
    baseline = Baseline(path)
    for number, item in enumerate(raw.get("findings", []), start=1):
        try:
            entry = Entry(
                str(item["path"]), str(item["code"]), str(item["section"]), str(item["fingerprint"])
            )
        except (KeyError, TypeError):
            raise UsageError(
                f"{path}: finding {number} lacks path, code, section or fingerprint; "
                "rewrite the file with --write-baseline"
            ) from None
        baseline.entries[entry.fingerprint] = entry
    return baseline


def dumps(entries: Iterable[Entry]) -> str:
    """JSON with one finding per line, sorted, so that a baseline diffs well in review."""
    rows = [
        json.dumps(
            {"path": e.path, "code": e.code, "section": e.section, "fingerprint": e.fingerprint},
            ensure_ascii=False,
        )
        for e in sorted(entries)
    ]
    head = f'{{\n  "version": {VERSION},\n  "about": {json.dumps(ABOUT)},\n  "findings": ['
    if not rows:
        return head + "]\n}\n"
    return head + "\n    " + ",\n    ".join(rows) + "\n  ]\n}\n"


def save(baseline: Baseline) -> None:
    try:
        baseline.path.write_text(dumps(baseline.entries.values()), encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"{baseline.path}: cannot write the baseline file: {error.strerror}"
        ) from None


@dataclass
class Scope:
    """Which baseline entries this run could have matched: pages checked, with their rules.

    An entry outside the scope (a page not checked, or a rule not run on it) is neither
    reported as no longer needed nor pruned.
    """

    active_codes: dict[str, frozenset[str]] = field(default_factory=dict)

    def covers(self, entry: Entry, folder: Path) -> bool:
        codes = self.active_codes.get(entry.path)
        if codes is not None:
            return entry.code in codes
        # A page that no longer exists cannot hold its findings any more.
        return entry.path != "-" and not (folder / entry.path).exists()


@dataclass
class Outcome:
    report: Report
    hidden: int = 0
    stale: list[Entry] = field(default_factory=list)


def _page_matches(
    result: FileResult, baseline: Baseline, lines_for: LinesFor
) -> tuple[list[Violation], list[Entry]]:
    """A page's violations not in the baseline, and the entries of those that are."""
    key = baseline.key_for(result.display)
    hits: list[Entry] = []
    matched_ids: set[int] = set()
    if result.violations:
        for violation, entry in page_entries(result.violations, key, lines_for(result.display)):
            if entry.fingerprint in baseline.entries:
                hits.append(entry)
                matched_ids.add(id(violation))
    kept = [v for v in result.violations if id(v) not in matched_ids]
    return kept, hits


def apply(report: Report, baseline: Baseline, scope: Scope, lines_for: LinesFor) -> Outcome:
    """Hide the findings in the baseline; list the entries in scope that matched nothing."""
    # A copy of the report, so that whatever else it carries besides the results is kept.
    outcome = Outcome(dataclasses.replace(report, results=[]))
    used: set[str] = set()
    for result in report.results:
        kept, hits = _page_matches(result, baseline, lines_for)
        used.update(entry.fingerprint for entry in hits)
        outcome.hidden += len(hits)
        outcome.report.results.append(dataclasses.replace(result, violations=kept))
    folder = baseline.folder
    outcome.stale = sorted(
        entry
        for digest, entry in baseline.entries.items()
        if digest not in used and scope.covers(entry, folder)
    )
    return outcome


def rewrite(
    report: Report, old: Baseline, scope: Scope, lines_for: LinesFor
) -> tuple[Baseline, int]:
    """A new baseline: this run's findings plus the old entries outside its scope.

    Returns it with the number of old entries pruned because their findings are gone.
    """
    new = Baseline(old.path)
    folder = old.folder
    for digest, entry in old.entries.items():
        if not scope.covers(entry, folder):
            new.entries[digest] = entry
    for result in report.results:
        if not result.violations:
            continue
        key = new.key_for(result.display)
        for _, entry in page_entries(result.violations, key, lines_for(result.display)):
            new.entries[entry.fingerprint] = entry
    pruned = sum(1 for digest in old.entries if digest not in new.entries)
    return new, pruned
