"""A plug-in rule that offers a fix, for tests of fix output and editor code actions.

Used through the config key `plugins = ["asap_rule"]` with this folder on PYTHONPATH.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.document.page import Page
from checker.rules.base import Edit, Fix, FixAvailability, Rule, Severity, Violation

_ASAP = re.compile(r"\bASAP\b")


class Asap(Rule):
    """## What it checks
    The abbreviation "ASAP".

    ## Why
    Patient-facing pages spell it out.

    ## Example
    `Take it ASAP.`
    """

    code = "ZZ901"
    name = "asap"
    summary = "Spell out ASAP"
    default_severity = Severity.WARNING
    fix = FixAvailability.ALWAYS
    needs_body = False

    def check(self, page: Page, options: Rule.Options) -> Iterator[Violation]:
        assert page.text is not None
        for match in _ASAP.finditer(page.text):
            line = page.line_of_offset(match.start())
            column = match.start() - page.line_offset(line) + 1
            yield self.violation(
                page,
                "write 'as soon as possible' instead of 'ASAP'",
                line,
                column,
                end_column=column + len(match.group()) - 1,
                fix=Fix(
                    "Spell out 'as soon as possible'",
                    (Edit(match.start(), match.end(), "as soon as possible"),),
                ),
            )


RULES = [Asap]
