"""Stable fingerprints: the same finding keeps its fingerprint when lines above it move.

A fingerprint hashes the file, the rule, the section the finding lies in and its message, plus
a counter that tells apart identical findings in the same section.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.rules.base import Violation


def fingerprints(violations: list[Violation]) -> list[str]:
    """One fingerprint per violation, in order."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out = []
    for violation in violations:
        key = (violation.path, violation.code, violation.context, violation.message)
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        out.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return out
