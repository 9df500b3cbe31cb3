"""Output formats. Each format is one module with a `render(report, context)` function,
registered here by name and imported only when used."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checker import DEFAULT_DOCS_URL
from checker.document.text import split_lines

if TYPE_CHECKING:
    from checker.lint.results import Report

FORMATS: dict[str, str] = {
    "concise": "checker.formatters.concise",
    "full": "checker.formatters.full",
    "grouped": "checker.formatters.grouped",
    "json": "checker.formatters.json",
    "json-lines": "checker.formatters.json_lines",
    "github": "checker.formatters.github",
    "sarif": "checker.formatters.sarif",
    "junit": "checker.formatters.junit",
    "gitlab": "checker.formatters.gitlab",
    "html": "checker.formatters.html",
}


@dataclass
class RenderContext:
    """What a formatter may need besides the report."""

    color: bool = False
    # Text of pages that did not come from disk (stdin), by display path.
    sources: dict[str, str] = field(default_factory=dict)
    # The rendered docs/rules.md: the config's `docs-url`.
    docs_url: str = DEFAULT_DOCS_URL

    def source_lines(self, path: str) -> list[str]:
        if path in self.sources:
            return split_lines(self.sources[path])
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return split_lines(text)

    def rule_url(self, code: str, name: str) -> str:
        return f"{self.docs_url}#{code.lower()}-{name}"


Renderer = Callable[["Report", RenderContext], str]


def names() -> list[str]:
    return sorted(FORMATS)


def get(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    renderer: Renderer = module.render
    return renderer


def auto_format() -> str:
    return (
        "github"
        if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS
        else "concise"
    )
