"""A rule that raises on one page becomes an IE001 finding that names the rule and the page;
the exit code is 2, and every other page and rule still runs. The failing rule is a real
plug-in module, loaded through the config key `plugins`."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from tests.conftest import run_checker
from tests.test_cli import CLEAN_V2, RULES, findings

PLUGIN = '''
"""A plug-in rule that fails on purpose on pages titled "Boom"."""

from checker.rules.base import Rule, RuleOptions, Severity


class Fragile(Rule):
    """## What it checks
    Nothing; it raises on pages titled "Boom".

    ## Why
    To test that one broken rule cannot stop a run.

    ## Example
    `title: Boom`.
    """

    code = "ZZ902"
    name = "fragile"
    summary = "Raises on pages titled Boom"
    default_severity = Severity.INFO

    class Options(RuleOptions):
        pass

    def check(self, page, options):
        if page.data.get("title") == "Boom":
            raise RuntimeError("deliberate failure")
        yield self.violation(page, "fragile rule ran here", 1)


RULES = [Fragile]
'''


def test_a_crashing_rule_becomes_ie001(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    # A plug-in is found relative to the config's folder.
    (site / "fragile_rule.py").write_text(textwrap.dedent(PLUGIN))
    (site / "checker.toml").write_text('plugins = ["fragile_rule"]\n')
    boom = CLEAN_V2.read_text().replace("title: Paracetamol", "title: Boom")
    (site / "boom.md").write_text(boom.replace("# Paracetamol", "# Boom") + "\n\n")
    shutil.copyfile(RULES / "DS001.md", site / "other.md")
    shutil.copyfile(CLEAN_V2, site / "good.md")

    result = run_checker("check", ".", cwd=site)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    found = findings(result.stdout)
    crashes = [line for line in result.stdout.splitlines() if " IE001 " in line]
    assert len(crashes) == 1
    assert crashes[0].startswith("boom.md:1:1: IE001 [error] ")
    assert "rule ZZ902 crashed" in crashes[0]
    assert "deliberate failure" in crashes[0]
    # Every other rule still ran on the page the plug-in crashed on (it ends in blank lines) ...
    assert ("boom.md", 40, "FT002") in found
    # ... and the plug-in and the built-in rules ran on the other pages.
    assert ("other.md", 1, "ZZ902") in found
    assert ("good.md", 1, "ZZ902") in found
    assert ("other.md", 34, "DS001") in found
    assert "internal error" in result.stderr
    # --exit-zero does not hide an internal error.
    assert run_checker("check", ".", "--exit-zero", cwd=site).returncode == 2


def test_an_unknown_plugin_module_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "checker.toml").write_text('plugins = ["no_such_plugin_module"]\n')
    shutil.copyfile(CLEAN_V2, tmp_path / "page.md")
    result = run_checker("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "plugins" in result.stderr and "no_such_plugin_module" in result.stderr
    assert "Traceback" not in result.stderr
