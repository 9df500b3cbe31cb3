"""The config reference is generated and current, its examples work in both files, and every
config error names the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.project.configdocs import EXAMPLE_CHECKER_TOML, EXAMPLE_PYPROJECT, config_keys
from tests.conftest import ROOT, run_checker

CONFIG_MD = ROOT / "docs" / "config.md"
REGENERATE = "checker config --output-format markdown > docs/config.md"


def test_docs_config_md_is_up_to_date() -> None:
    result = run_checker("config", "--output-format", "markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CONFIG_MD.read_text(encoding="utf-8"), f"run `{REGENERATE}`"


def test_every_key_is_documented() -> None:
    text = CONFIG_MD.read_text(encoding="utf-8")
    for key in config_keys():
        assert key.description, f"{key.name} has no description"
        assert f"| `{key.name}` |" in text


def test_checker_config_explains_one_key() -> None:
    result = run_checker("config", "per-file-ignores")
    assert result.stdout.startswith("per-file-ignores (table of list of string, default: {})")
    unknown = run_checker("config", "colour")
    assert unknown.returncode == 2 and "the keys are: select" in unknown.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [("checker.toml", EXAMPLE_CHECKER_TOML), ("pyproject.toml", EXAMPLE_PYPROJECT)],
)
def test_the_documented_examples_work(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "content" / "a").mkdir(parents=True)
    shutil.copyfile(
        ROOT / "content" / "a" / "aspirin.md", tmp_path / "content" / "a" / "aspirin.md"
    )
    result = run_checker("check", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 file checked" in result.stderr
    settings = run_checker("check", "--show-settings", "content/a/aspirin.md", cwd=tmp_path)
    assert f"config file:   {tmp_path / name}" in settings.stdout
    assert "  XP003  filename-slug" in settings.stdout  # extend-select took effect
    assert "  FT003 " not in settings.stdout  # and so did ignore


def test_tool_checker_in_checker_toml_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text("[tool.checker]\nignore = ['FT']\n")
    result = run_checker("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path / 'checker.toml'}: tool.checker: checker.toml holds the settings" in (
        result.stderr
    )
    assert "remove the `[tool.checker]` header" in result.stderr


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("checker.toml", "colour = true\n", "colour"),
        ("checker.toml", 'select = ["QQ"]\n', "select"),
        ("checker.toml", '[rules.FT003]\nseverity = "loud"\n', "rules.FT003.severity"),
        ("checker.toml", '[rules.FT003]\nmaximum = "two"\n', "rules.FT003.maximum"),
        ("checker.toml", "[rules.no-such-rule]\n", "rules.no-such-rule"),
        ("checker.toml", 'plugins = ["no_such_module_here"]\n', "plugins"),
        ("checker.toml", 'content-root = "missing"\n', "content-root"),
        ("checker.toml", 'docs-url = "rules.md"\n', "docs-url"),
        ("checker.toml", "[limits]\nmax-nesting = 0\n", "limits.max-nesting"),
        ("checker.toml", "select = [\n", "invalid TOML"),
        ("checker.toml", 'pack = "no-such-pack"\n', "pack"),
        ("checker.toml", 'baseline = "no-such-baseline.json"\n', "baseline"),
        ("checker.toml", '[templates]\n"*.md" = "drug-v9"\n', "templates.*.md"),
        ("checker.toml", 'output-format = "xml"\n', "output-format"),
        ("checker.toml", "[rules.CT005]\nextend-notations = 3\n", "rules.CT005.extend-notations"),
        (
            "checker.toml",
            '[rules.CT005]\nextend = [{pattern = "(?<!x)mg", use = "x"}]\n',
            "rules.CT005.extend.0.pattern",
        ),
        ("checker.toml", '[per-file-ignores]\n"*.md" = ["QQ"]\n', "per-file-ignores.*.md"),
        ("pyproject.toml", "[tool.checker]\ncolour = true\n", "tool.checker.colour"),
        ("pyproject.toml", '[tool.checker]\npack = "no-such-pack"\n', "pack"),
        (
            "pyproject.toml",
            '[tool.checker]\n[tool.checker.templates]\n"*.md" = "drug-v9"\n',
            "templates.*.md",
        ),
    ],
)
def test_every_config_error_names_the_file_and_key(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    config = tmp_path / name
    config.write_text(text)
    shutil.copyfile(ROOT / "content" / "a" / "aspirin.md", tmp_path / "aspirin.md")
    result = run_checker("check", "aspirin.md", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{config}: {key}" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_line_mistakes_name_the_flag_not_a_file(tmp_path: Path) -> None:
    shutil.copyfile(ROOT / "content" / "a" / "aspirin.md", tmp_path / "aspirin.md")
    for flags, message in (
        (["--template", "drug-v9"], "checker: error: --template: unknown template 'drug-v9'"),
        (["--output-format", "xml"], "checker: error: --output-format: unknown output format"),
    ):
        result = run_checker("check", "aspirin.md", "--no-cache", *flags, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith(message), result.stderr


@pytest.fixture
def site_below_a_config(tmp_path: Path) -> Path:
    """A site (a git repository with no config of its own) inside a folder whose config
    chooses a rule pack of another shape: what a trial in a scratch folder runs into."""
    (tmp_path / "checker.toml").write_text('pack = "rules"\n')
    shutil.copytree(ROOT / "tests" / "fixtures" / "other-site" / "pack", tmp_path / "rules")
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    shutil.copyfile(ROOT / "content" / "a" / "aspirin.md", site / "aspirin.md")
    return site


@pytest.mark.parametrize(
    "command",
    [
        ["check", "aspirin.md", "--no-cache", "--template", "drug-v2"],
        ["schema", "drug-v2"],
        ["template", "drug-v2"],
    ],
)
def test_an_unknown_template_names_the_config_that_chose_the_pack(
    site_below_a_config: Path, command: list[str]
) -> None:
    config = site_below_a_config.parent / "checker.toml"
    result = run_checker(*command, cwd=site_below_a_config)
    assert result.returncode == 2, result.stdout
    assert (
        f"unknown template 'drug-v2'; the rule pack {config.parent / 'rules'} of {config} has: "
        "leaflet, medicine" in result.stderr
    ), result.stderr


@pytest.mark.parametrize(
    ("pack_yaml", "where"),
    [
        (
            "name: x\ndefault-template: nope\ntemplates: [templates/medicine.yaml]\n",
            "default-template",
        ),
        (
            "name: x\ndefault-template: medicine\ntemplates: [templates/medicine.yaml]\n"
            "rules:\n  ZZ001: {}\n",
            "rules.ZZ001",
        ),
        (
            "name: x\ndefault-template: medicine\ntemplates: [templates/medicine.yaml]\n"
            "rules:\n  CT002: {max-sections: many}\n",
            "rules.CT002.max-sections",
        ),
    ],
    ids=["pack-key", "unknown-rule", "rule-option"],
)
def test_a_pack_error_names_the_config_that_chose_the_pack(
    site_below_a_config: Path, pack_yaml: str, where: str
) -> None:
    config = site_below_a_config.parent / "checker.toml"
    pack = config.parent / "rules" / "pack.yaml"
    pack.write_text(pack_yaml)
    result = run_checker("check", "aspirin.md", "--no-cache", cwd=site_below_a_config)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"checker: error: {pack}: {where}: "), result.stderr
    assert result.stderr.rstrip().endswith(f"(the rule pack of {config})"), result.stderr


def test_without_a_config_an_unknown_template_says_the_pack_is_the_bundled_one(
    tmp_path: Path,
) -> None:
    result = run_checker("schema", "drug-v3", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "checker: error: unknown template 'drug-v3'; the bundled rule pack (no checker.toml or "
        "[tool.checker] was found) has: drug-v1, drug-v2\n"
    )


def test_the_readme_configuration_example_works(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "checker.toml").write_text(example)
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "tools").mkdir()
    shutil.copyfile(
        ROOT / "tests" / "plugins" / "example_rules.py", tmp_path / "tools" / "house_rules.py"
    )
    (tmp_path / "content" / "a").mkdir(parents=True)
    shutil.copyfile(
        ROOT / "content" / "a" / "aspirin.md", tmp_path / "content" / "a" / "aspirin.md"
    )
    result = run_checker("check", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    settings = run_checker("check", "--show-settings", "content/a/aspirin.md", cwd=tmp_path).stdout
    assert "  EX001  exclamation-mark" in settings  # the plugin, found beside the config
    assert "  XP003  filename-slug" in settings and "  FT003 " not in settings
