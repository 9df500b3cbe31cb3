"""Rule documentation, generated from the rule classes (their docstrings and Options)."""

from __future__ import annotations

import inspect
import json
from typing import Any

from checker.rules.base import Rule


def options_table(rule: type[Rule]) -> list[dict[str, Any]]:
    rows = []
    for name, info in rule.Options.model_fields.items():
        annotation = info.annotation
        type_name = getattr(annotation, "__name__", None) or str(annotation)
        rows.append(
            {
                "name": info.alias or name,
                "type": str(type_name).replace("typing.", ""),
                "default": info.get_default(call_default_factory=True),
            }
        )
    return rows


def rule_info(rule: type[Rule]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": str(rule.default_severity),
        "fix": rule.fix.value,
        "scope": rule.scope,
        "options": options_table(rule),
        "docs": inspect.cleandoc(rule.__doc__ or ""),
        "anchor": rule.docs_anchor(),
    }


def rule_markdown(rule: type[Rule], heading: str = "#") -> str:
    info = rule_info(rule)
    lines = [
        f"{heading} {info['code']} {info['name']}",
        "",
        f"{info['summary']}.",
        "",
        f"- Default severity: {info['severity']}",
        f"- Fix: {info['fix']}",
        f"- Scope: {info['scope']}",
        "",
    ]
    # The docstring's `##` sections sit one level below the rule's own heading.
    docs = info["docs"].replace("\n## ", f"\n{heading}# ")
    if docs.startswith("## "):
        docs = f"{heading}# " + docs.removeprefix("## ")
    lines += [docs, ""]
    lines.append(f"{heading}# Options")
    lines.append("")
    if info["options"]:
        lines.append("| Option | Type | Default |")
        lines.append("|---|---|---|")
        for row in info["options"]:
            lines.append(f"| `{row['name']}` | {row['type']} | `{json.dumps(row['default'])}` |")
    else:
        lines.append("None.")
    lines.append("")
    return "\n".join(lines)


def all_rules_markdown(rules: tuple[type[Rule], ...]) -> str:
    out = [
        "# Rules",
        "",
        "Generated from the rule classes by `checker rule --all --output-format markdown`; "
        "do not edit by hand.",
        "",
        "| Code | Name | Summary | Severity | Fix |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        out.append(
            f"| [{rule.code}](#{rule.docs_anchor()}) | {rule.name} | {rule.summary} "
            f"| {rule.default_severity} | {rule.fix.value} |"
        )
    out.append("")
    for rule in rules:
        out.append(rule_markdown(rule, "##"))
    return "\n".join(out)
