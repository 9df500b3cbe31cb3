"""Rule options come from the rule pack and the config: lists are extended and reduced in
place (`extend-KEY`, `remove-KEY`) without copying the pack's list."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_checker

PAGE = (
    "---\nlayout: minimal-medicine\ntitle: Aspirin\n---\n\n# Aspirin\n\n"
    "### Usage\n\nTODO write this. WIP as well.\n"
)


def _site(tmp_path: Path, config: str) -> Path:
    (tmp_path / "checker.toml").write_text(config, encoding="utf-8")
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


def _ct004(tmp_path: Path, config: str) -> list[str]:
    site = _site(tmp_path, config)
    result = run_checker("check", "page.md", "--select", "CT004", "--no-cache", cwd=site)
    assert result.returncode in (0, 1), result.stderr
    return [line.split("placeholder ")[1].split(":")[0] for line in result.stdout.splitlines()]


def test_the_pack_supplies_the_phrase_lists(tmp_path: Path) -> None:
    assert _ct004(tmp_path, "") == ["'TODO'"]


def test_extend_adds_to_the_packs_list(tmp_path: Path) -> None:
    assert _ct004(tmp_path, '[rules.CT004]\nextend-markers = ["WIP"]\n') == ["'TODO'", "'WIP'"]


def test_remove_takes_from_the_packs_list(tmp_path: Path) -> None:
    config = '[rules.placeholder]\nremove-markers = ["TODO"]\nextend-markers = ["WIP"]\n'
    assert _ct004(tmp_path, config) == ["'WIP'"]


def test_a_replaced_list_is_replaced(tmp_path: Path) -> None:
    assert _ct004(tmp_path, '[rules.CT004]\nmarkers = ["WIP"]\n') == ["'WIP'"]


def test_extending_what_is_not_a_list_option_is_a_config_error(tmp_path: Path) -> None:
    for key, named in (("extend-nothing", "'nothing'"), ("remove-min-words", "'min-words'")):
        rule = "CT003" if "min-words" in key else "CT004"
        site = _site(tmp_path, f"[rules.{rule}]\n{key} = [1]\n")
        result = run_checker("check", "page.md", "--no-cache", cwd=site)
        assert result.returncode == 2, result.stderr
        assert f"rules.{rule}.{key}" in result.stderr
        assert f"{named} is not a list option of {rule}" in result.stderr
        assert "Traceback" not in result.stderr
