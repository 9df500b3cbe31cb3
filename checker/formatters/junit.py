"""JUnit XML with one test case per checked file; a file with findings is a failed case."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report


# Characters XML 1.0 cannot hold at all, even escaped; a message quoting page text may have them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report: Report, context: RenderContext) -> str:
    failed = sum(1 for result in report.results if result.violations)
    attributes = {"name": "checker", "tests": str(report.files_checked), "failures": str(failed)}
    suites = ET.Element("testsuites", attributes)
    suite = ET.SubElement(suites, "testsuite", {**attributes, "errors": "0", "skipped": "0"})
    for result in report.results:
        if result.not_a_page:
            continue  # a README or notes: not a page, not checked
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": "checker",
                "name": xml_text(result.display),
                "file": xml_text(result.display),
            },
        )
        if not result.violations:
            continue
        count = len(result.violations)
        failure = ET.SubElement(
            case,
            "failure",
            {
                "message": f"{count} violation{'s' if count != 1 else ''}",
                "type": ",".join(sorted({v.code for v in result.violations})),
            },
        )
        failure.text = xml_text(
            "".join(
                f"{v.path}:{v.line}:{v.column}: {v.code} [{v.severity}] {v.message}\n"
                for v in result.violations
            )
        )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
