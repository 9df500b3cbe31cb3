"""`checker check --show-files` and `--show-settings PAGE`: what a run would check, and how."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from checker.lint.engine import Engine
from checker.lint.pagecheck import choose_template, is_page, page_relpath, read_page
from checker.project.discovery import Discovery
from checker.project.targets import Target


def show_files(found: Discovery, stream: TextIO) -> None:
    for target in sorted(found.targets, key=lambda t: t.display):
        stream.write(f"{target.display}\n")


def show_settings(engine: Engine, page_path: Path, stream: TextIO) -> None:
    """The config, template and rules that checking one page would use."""
    target = Target(page_path, str(page_path))
    config = engine.config_for(target)
    ruleset = engine.ruleset_for(config)
    page = read_page(target, config)
    relpath = page_relpath(page, config.root)
    lines = [
        f"page:          {page_path}",
        f"config file:   {config.path or '(none: the defaults)'}",
        f"project root:  {config.root}",
        f"content root:  {config.content_root}",
        f"rule pack:     {config.pack.root}",
    ]
    site_relpath = page_relpath(page, config.content_root)
    if page.text is not None and not is_page(page, config, engine.template, site_relpath):
        lines.append("template:      (none: not a page, so it is skipped)")
    elif page.text is not None:
        lines.append(f"template:      {choose_template(page, config, engine.template).name}")
    ignored = ruleset.ignored_for(relpath)
    if ignored:
        shown = ", ".join(prefix or "ALL" for prefix in ignored)
        lines.append(f"per-file ignores for this page: {shown}")
    lines.append(f"rules ({len(ruleset.active)}):")
    for active in ruleset.active:
        rule = active.rule
        skipped = any(rule.code.startswith(prefix) for prefix in ignored)
        options = active.options.model_dump(by_alias=True, mode="json", warnings=False)
        text = f"  {rule.code}  {rule.name:<28} {active.severity}"
        if options:
            text += f"  {json.dumps(options, default=str, sort_keys=True)}"
        if skipped:
            text += "  (ignored for this page)"
        lines.append(text)
    stream.write("\n".join(lines) + "\n")
