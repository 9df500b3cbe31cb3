"""One page for the page pass: what the engine plans, the pool carries and the cache keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.project.targets import Target

if TYPE_CHECKING:
    from checker.lint.cache import Slot
    from checker.lint.results import FileResult


@dataclass(frozen=True, slots=True)
class Work:
    """One page for the page pass, and where its result goes in the result cache."""

    target: Target
    # The bytes the planner read from the target's file (the cache entry describes them).
    data: bytes | None = None
    slot: Slot | None = None
    # A page of the site that the run does not check: only its summary is made.
    summary_only: bool = False
    # For a fix run, the page's findings from the cache: fixing starts from them instead of
    # checking the page first (its bytes are those the entry describes).
    initial: FileResult | None = None
