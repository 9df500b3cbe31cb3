"""A plug-in rule that edits the page it checks, once, as someone saving the page in an editor
while a `--fix` run works on it would: for tests of a fixed page that is not written because
it changed meanwhile.

On a page holding `EDIT ME`, when no file `edited` lies beside the page, it creates that file
and rewrites the page without the marker and with a line of trailing spaces added. Used through
the config key `plugins = ["edit_rule"]`.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.document.page import Page
from checker.rules.base import Rule, Severity, Violation

EDITED = "Added while the page was fixed.   \n"


class Edit(Rule):
    """## What it checks
    Nothing: it rewrites a page holding `EDIT ME` once.

    ## Why
    Tests of a page that changes while it is fixed.

    ## Example
    `EDIT ME`
    """

    code = "ZZ904"
    name = "edit"
    summary = "Rewrite a marked page once"
    default_severity = Severity.WARNING
    needs_body = False

    def check(self, page: Page, options: Rule.Options) -> Iterator[Violation]:
        if page.path is not None and page.text is not None and "EDIT ME" in page.text:
            flag = page.path.parent / "edited"
            if not flag.exists():
                flag.touch()
                page.path.write_text(page.text.replace("EDIT ME\n", "") + EDITED)
        yield from ()


RULES = [Edit]
