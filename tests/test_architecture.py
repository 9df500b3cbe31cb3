"""The package's shape as docs/architecture.md describes it, and as the import contracts hold it."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

PACKAGE = ROOT / "checker"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c["layers"] for c in contracts if c["type"] == "layers")


def test_few_modules_stay_at_the_top_of_the_package() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_every_subpackage_is_a_layer_and_is_described() -> None:
    subpackages = sorted(
        path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()
    )
    layers = _layers()
    for name in subpackages:
        assert f"checker.{name}" in layers, f"checker.{name} is in no layer of the contract"
        assert f"`checker/{name}/`" in DOC, f"docs/architecture.md does not describe {name}/"
        docstring = (PACKAGE / name / "__init__.py").read_text(encoding="utf-8")
        assert docstring.startswith('"""'), f"checker/{name}/__init__.py has no docstring"


def test_every_module_the_doc_names_exists() -> None:
    named = set(re.findall(r"`((?:checker/)?[a-z_]+/[a-z_]+\.py)`", DOC))
    assert named, "the architecture doc names no module"
    for path in named:
        full = ROOT / path if path.startswith("checker/") else PACKAGE / path
        assert full.is_file(), f"docs/architecture.md names {path}, which does not exist"
