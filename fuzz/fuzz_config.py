"""Fuzz target: any config and rule pack, loaded as `checker check` loads them, then used.

The input is a project: the text before a line `=====` is its `checker.toml`, the text after
it (if any) replaces the rule pack's `drug-v2` template. The target loads the config, builds
its rules and pack, and checks a page with them. Refusing the project with a usage or config
error (exit code 2, naming the file and key) is the expected answer to a bad one; anything
else that escapes, an internal-error finding, or an input over 10 s or 2 GB is a finding.

    pip install -e '.[fuzz]'
    python fuzz/fuzz_config.py      # ten minutes, from fuzz/seeds/config/, into fuzz/config-corpus/
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris
from launch import FUZZ, arguments  # fuzz/launch.py: the script's folder is on the path

with atheris.instrument_imports(include=["checker"]):
    from checker.errors import UsageError
    from checker.lint.engine import Engine
    from checker.lint.resolver import Overrides
    from checker.lint.results import INTERNAL_ERROR_CODE
    from checker.project.config import ConfigFinder
    from checker.project.pack import bundled_pack_dir, load_pack
    from checker.project.targets import Target

SEPARATOR = b"\n=====\n"
PROJECT = Path(tempfile.mkdtemp(prefix="fuzz-config-"))
PACK = PROJECT / "pack"
shutil.copytree(bundled_pack_dir(), PACK)
TEMPLATE = PACK / "templates" / "drug-v2.yaml"
ORIGINAL_TEMPLATE = TEMPLATE.read_bytes()
PAGE = (Path(__file__).parent / "seeds" / "drug-v2.md").read_bytes()


def test_one_input(data: bytes) -> None:
    config, _, template = data.partition(SEPARATOR)
    (PROJECT / "checker.toml").write_bytes(config)
    TEMPLATE.write_bytes(template or ORIGINAL_TEMPLATE)
    load_pack.cache_clear()  # the pack's files changed under the same path
    try:
        engine = Engine(Overrides(), ConfigFinder())
        result = engine.check_target(Target(PROJECT / "page.md", "page.md", PAGE))
    except UsageError:
        return  # refused with a message naming the file and key: exit code 2
    for violation in result.violations:
        if violation.code == INTERNAL_ERROR_CODE:
            raise AssertionError(violation.message)


def main() -> None:
    argv = arguments(sys.argv, "config-corpus", FUZZ / "seeds" / "config")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
