"""Security: YAML only through the safe loader, no code from content, no runaway regexes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.document.guard import PageTimeout, time_limit
from checker.document.page import Page
from checker.project.patterns import UnsafePattern, check_pattern
from tests.conftest import ROOT

UNSAFE_YAML = re.compile(
    r"yaml\.(unsafe_load|full_load|full_load_all|unsafe_load_all)\s*\("
    r"|yaml\.load(_all)?\((?![^)]*Loader=(yaml\.)?C?SafeLoader\))"
    r"|Loader\s*=\s*yaml\.(Loader|FullLoader|UnsafeLoader)"
    r"|yaml\.(CLoader|CFullLoader|CUnsafeLoader|Loader|FullLoader|UnsafeLoader)\b"
)
SAFE_IMPORT = re.compile(r"from yaml import (C?SafeLoader)( as SafeLoader)?$")


def test_yaml_is_only_loaded_with_the_safe_loader() -> None:
    sources = sorted((ROOT / "checker").rglob("*.py"))
    assert sources
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if UNSAFE_YAML.search(line)
    ]
    assert offenders == []
    # Wherever a module names `SafeLoader`, it is yaml's own safe loader.
    for path in sources:
        text = path.read_text()
        imports = [
            line.strip() for line in text.splitlines() if "import" in line and "Loader" in line
        ]
        assert all(SAFE_IMPORT.match(line.split("  #")[0].strip()) for line in imports), imports
    assert (
        "CSafeLoader as SafeLoader"
        in (ROOT / "checker" / "document" / "front_matter.py").read_text()
    )


def test_a_python_object_tag_is_refused_as_fm002_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    for tag in (
        "!!python/object/apply:os.system",
        "!!python/name:os.system",
        "!!python/object:os.Foo",
    ):
        text = f"---\ntitle: {tag} ['touch {marker}']\n---\n\n# T\n"
        page = Page(None, "page.md", text.encode())
        assert page.front_matter is None
        assert page.front_matter_problem is not None
        assert page.front_matter_problem.code == "FM002"
        assert page.front_matter_problem.line == 2
        message = page.front_matter_problem.message
        assert "uses a tag the checker does not read" in message and "python/" in message
    assert not marker.exists()


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a*b?)*c",
        r"(\w+\s?)+x",
        r"([^.]{0,80})+",
        r"((ab)*c)+",
        r"(?: [a-z ]+)*",  # the separator is a character the inner repeat can start with
        r"(?:,[^;]*)+",
        r"(?:a(?:a|b)+)+",
    ],
)
def test_nested_repeats_are_refused(pattern: str) -> None:
    with pytest.raises(UnsafePattern, match="nests a repeat inside a repeat"):
        check_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(not|n't|never)\b[^.]{0,80}\b(medical|professional)\s+advice",
        r"(?:ab){2,5}",
        r"(?:x[^.]{0,80})?",
        r"^[A-Z][a-z]+(?: [A-Z]\w)*$",
        r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*$",
        r"^\d+(?:,\d{3})*(?:\.\d+)?$",
        r"(?:; [a-z]+(?:-[a-z]+)*)+",
    ],
)
def test_ordinary_patterns_pass(pattern: str) -> None:
    assert check_pattern(pattern).pattern == pattern


def test_an_invalid_pattern_is_reported_not_raised_raw() -> None:
    with pytest.raises(UnsafePattern, match="invalid regular expression"):
        check_pattern("(unclosed")


def test_the_time_limit_stops_a_catastrophic_regex() -> None:
    # The guard of last resort, for a slow pattern the static check does not catch.
    slow = re.compile(r"(a|aa)+$")
    with pytest.raises(PageTimeout), time_limit(0.3):
        slow.search("a" * 60 + "b")


def test_the_time_limit_leaves_no_timer_behind() -> None:
    import signal

    with time_limit(5):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
