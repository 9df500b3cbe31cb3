"""The config is validated once, then rebuilt from its compiled form.

A rebuilt config equals the validated one; any change to the file is validated again, with
the same errors; a corrupt, truncated or foreign entry is never trusted.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from checker.errors import ConfigError
from checker.project import compiled
from checker.project.config import FileConfig, load_config_file
from checker.project.pack import PackFile, Template, bundled_pack_dir, load_pack
from tests.conftest import run_checker

CONFIG = """\
select = ["FM", "ST001"]
ignore = ["FT003"]
per-file-ignores = { "a/*.md" = ["DS"] }
rules = { ST001 = { severity = "warning" } }
[limits]
max-nesting = 30
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("CHECKER_CACHE_HOME", str(folder))
    return folder / compiled.FOLDER


@pytest.fixture
def pack_root(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), root)
    load_pack.cache_clear()
    yield root
    load_pack.cache_clear()


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated although a compiled form was there")

    for model in (PackFile, Template, FileConfig):
        monkeypatch.setattr(model, "model_validate", refuse)


def _load(root: Path):  # type: ignore[no-untyped-def]
    load_pack.cache_clear()
    return load_pack(root)


def test_a_config_is_rebuilt_equal_and_revalidated_when_it_changes(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checker.toml"
    path.write_text(CONFIG)
    validated = load_config_file(path)
    assert validated is not None
    assert len(list(home.glob("config-*.json"))) == 1
    with monkeypatch.context() as patched:
        _no_validation(patched)
        rebuilt = load_config_file(path)
    assert rebuilt == validated
    assert rebuilt is not None and rebuilt.values.limits.max_nesting == 30
    assert rebuilt.values.model_dump_json() == validated.values.model_dump_json()
    path.write_text(CONFIG.replace("max-nesting = 30", "max-nesting = 0"))
    with pytest.raises(ConfigError, match=r"limits\.max-nesting"):
        load_config_file(path)
    (entry,) = home.glob("config-*.json")
    entry.write_text(entry.read_text()[:20])
    path.write_text(CONFIG)
    assert load_config_file(path) == validated


def test_an_empty_cache_home_turns_compiling_off(
    tmp_path: Path, pack_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKER_CACHE_HOME", "")
    assert compiled.cache_folder() is None
    _load(pack_root)
    assert not list(tmp_path.rglob("pack-*.json"))


def test_an_unwritable_cache_home_changes_nothing(tmp_path: Path, seed: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    env_home = {"CHECKER_CACHE_HOME": str(blocked)}
    plain = run_checker("check", str(seed), "--no-cache", env={**os.environ, **env_home})
    again = run_checker("check", str(seed), "--no-cache")
    assert plain.returncode == again.returncode
    assert plain.stdout == again.stdout
    assert plain.stderr == again.stderr
    assert "violation" in plain.stderr + plain.stdout
    assert blocked.read_text().startswith("a file")


def test_rule_options_are_validated_once_then_rebuilt_equal(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.lint.resolver import Overrides, build_ruleset
    from checker.project.config import default_config
    from checker.rules.base import RuleOptions

    config = default_config(tmp_path)
    validated = build_ruleset(config, Overrides())
    entries = sorted(home.glob("options-*.json"))
    # The pack gives phrase lists and patterns to the content rules: those are validated.
    assert entries
    with monkeypatch.context() as patched:

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("validated although a compiled form was there")

        for active in validated.active:
            patched.setattr(type(active.options), "model_validate", refuse)
        rebuilt = build_ruleset(default_config(tmp_path), Overrides())
    assert [(a.rule.code, a.options, a.severity) for a in rebuilt.active] == [
        (a.rule.code, a.options, a.severity) for a in validated.active
    ]
    assert [repr(a.options) for a in rebuilt.active] == [repr(a.options) for a in validated.active]
    assert all(isinstance(a.options, RuleOptions) for a in rebuilt.active)
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-3] + b"xx}")  # damaged: never trusted
    again = build_ruleset(default_config(tmp_path), Overrides())
    assert [a.options for a in again.active] == [a.options for a in validated.active]
