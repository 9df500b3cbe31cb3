"""An example plugin with one custom rule: the one docs/custom-rules.md walks through.

It is tested as a user would use it: named in a config's `plugins` (found relative to the
config's folder), and as an installed package's `checker.rules` entry point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.document.page import Page
from checker.document.prose import prose_blocks
from checker.rules.base import Rule, RuleOptions, Severity, Violation


class Exclamation(Rule):
    """## What it checks
    An exclamation mark in the prose of a page.

    ## Why
    Drug information is read by worried people; a calm tone reads as a trustworthy one.

    ## Example
    `Take it with food!`
    """

    code = "EX001"
    name = "exclamation-mark"
    summary = "An exclamation mark in the prose"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        # Written `allow-in-headings` in a config's [rules.EX001] table.
        allow_in_headings: bool = True

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        for block in prose_blocks(page):
            if block.kind == "heading" and options.allow_in_headings:
                continue
            for match in re.finditer(r"!", block.text):
                line = block.line_at(match.start())
                yield self.violation(
                    page, "an exclamation mark; end the sentence with a period", line
                )


RULES = [Exclamation]
