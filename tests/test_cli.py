"""The command line, end to end, in a subprocess."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_checker


def test_seed_page_has_no_template_findings(seed: Path) -> None:
    result = run_checker("check", str(seed), "--template", "drug-v1")
    codes = {line.split()[1] for line in result.stdout.splitlines()}
    assert not {c for c in codes if c[:2] in ("FM", "ST", "DS")}, result.stdout
    assert "FT002" in codes  # the seed has no final newline
    assert result.returncode == 0
