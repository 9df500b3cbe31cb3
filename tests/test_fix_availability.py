"""Meta test: each rule's declared fix availability agrees with what its violations carry."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.base import FixAvailability
from checker.rules.registry import BUILTIN_RULES
from tests.fix_pages import DEFECT_PAGES

ROOT = Path(__file__).resolve().parent.parent


def _targets(corpus: Path | None, seed: Path | None) -> list[Target]:
    targets = [Target(None, f"{name}.md", text.encode()) for name, text in DEFECT_PAGES.items()]
    # The project's own pages: the examples that pass and the rules' fixture pages.
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        targets.extend(Target(path, path.name) for path in sorted(folder.rglob("*.md")))
    if seed is not None:
        targets.append(Target(seed, seed.name))
    if corpus is not None:
        pages = sorted(corpus.rglob("*.md"))
        targets.extend(Target(path, path.name) for path in pages[::40])
    return targets


def _fix_counts(targets: list[Target]) -> dict[str, list[bool]]:
    engine = Engine(Overrides(select=("ALL",)), ConfigFinder())
    seen: dict[str, list[bool]] = defaultdict(list)
    for target in targets:
        for violation in engine.check_target(target).violations:
            seen[violation.code].append(violation.fix is not None)
    return seen


def _assert_agree(seen: dict[str, list[bool]]) -> None:
    for rule in BUILTIN_RULES:
        carried = seen.get(rule.code, [])
        if rule.fix is FixAvailability.NEVER:
            assert not any(carried), f"{rule.code} declares no fix but offered one"
        elif rule.fix is FixAvailability.ALWAYS:
            assert carried, f"{rule.code} declares a fix but never fired on the sample pages"
            assert all(carried), f"{rule.code} declares a fix always but some findings had none"
        else:
            assert any(carried), f"{rule.code} declares a fix sometimes but never offered one"


def test_declared_fix_availability_matches_the_project_pages() -> None:
    _assert_agree(_fix_counts(_targets(None, None)))


def test_declared_fix_availability_matches_real_pages(corpus: Path, seed: Path) -> None:
    seen = _fix_counts(_targets(corpus, seed))
    _assert_agree(seen)
    # The sample really contains findings with and without fixes.
    assert any(all(v) for v in seen.values()) and any(not any(v) for v in seen.values())
