"""The pack and config are validated once, then rebuilt from their compiled form.

A rebuilt pack or config equals the validated one; any change to the files is validated
again, with the same errors; a corrupt, truncated or foreign entry is never trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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


def test_a_pack_is_rebuilt_equal_without_validating(
    home: Path, pack_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated = _load(pack_root)
    assert len(list(home.glob("pack-*.json"))) == 1
    _no_validation(monkeypatch)
    rebuilt = _load(pack_root)
    assert rebuilt.templates == validated.templates
    assert rebuilt.default == validated.default
    assert rebuilt.rule_options == validated.rule_options
    for mine, theirs in zip(rebuilt.templates, validated.templates, strict=True):
        assert type(mine.sections.items[0]) is type(theirs.sections.items[0])
        assert mine.section_lookup.keys() == theirs.section_lookup.keys()
        assert mine.schema_model.model_json_schema() == theirs.schema_model.model_json_schema()


def test_a_changed_template_is_validated_again_with_the_same_error(
    home: Path, pack_root: Path
) -> None:
    _load(pack_root)
    template = pack_root / "templates" / "drug-v2.yaml"
    template.write_text(template.read_text() + "\nunknown-key: 1\n")
    with pytest.raises(ConfigError) as first:
        _load(pack_root)
    shutil.rmtree(home)
    with pytest.raises(ConfigError) as uncompiled:
        _load(pack_root)
    assert str(first.value) == str(uncompiled.value)
    assert "unknown-key" in str(first.value)
    assert not home.exists() or not list(home.glob("pack-*.json"))  # invalid packs are not kept


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "not json at all",  # corrupt
        lambda text: '{"key": "someone else"}\n{}',  # foreign
        lambda text: text.replace('"sha256"', '"sha1"'),  # a header of another layout
        lambda text: text.replace('"templates"', '"templatez"'),  # wrong shape
        lambda text: text.replace('"drug-v2"', '"drug-v9"'),  # a default that names nothing
    ],
)
def test_a_damaged_pack_entry_is_ignored_and_rewritten(
    home: Path, pack_root: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    validated = _load(pack_root)
    (entry,) = home.glob("pack-*.json")
    good = entry.read_text()
    entry.write_text(damage(good))  # type: ignore[operator]
    assert _load(pack_root).templates == validated.templates
    assert entry.read_text() == good
    _no_validation(monkeypatch)
    assert _load(pack_root).templates == validated.templates


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


def test_a_one_page_check_reads_no_pack_file_once_compiled(tmp_path: Path, seed: Path) -> None:
    script = f"""
import json
import checker.project.pack
reads = []
original = checker.project.pack._read_yaml
def counting(path):
    reads.append(str(path))
    return original(path)
checker.project.pack._read_yaml = counting
from checker.cli import main
code = main(["check", {str(seed)!r}, "--no-cache", "-q"])
print(json.dumps({{"reads": reads, "code": code}}))
"""
    env = {**os.environ, "CHECKER_CACHE_HOME": str(tmp_path / "home")}
    runs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", script],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        runs.append(json.loads(result.stdout.splitlines()[-1]))
    assert runs[0]["reads"]  # the first run validates the pack...
    assert runs[1]["reads"] == []  # ...the second rebuilds it from the compiled form
    assert runs[0]["code"] == runs[1]["code"]
