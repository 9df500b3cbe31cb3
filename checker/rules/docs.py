"""Rule documentation, generated from the rule classes (their docstrings and Options)."""

from __future__ import annotations

import inspect
import json
from typing import Any

from checker import DEFAULT_DOCS_URL
from checker.rules.base import FixAvailability, FixSafety, Rule


def rule_url(rule: type[Rule], docs_url: str = DEFAULT_DOCS_URL) -> str:
    return f"{docs_url}#{rule.docs_anchor()}"


def fix_text(rule: type[Rule]) -> str:
    """`safe fix`, `unsafe fix` or `no fix`, with how often one is offered."""
    if rule.fix is FixAvailability.NEVER:
        return "no fix"
    text = {
        FixSafety.SAFE: "safe fix (applied by `--fix`)",
        FixSafety.UNSAFE: "unsafe fix (applied by `--fix --unsafe-fixes`)",
        FixSafety.MIXED: "safe fix, or unsafe fix for some findings (`--unsafe-fixes`)",
    }[rule.fix_safety]
    if rule.fix is FixAvailability.SOMETIMES:
        text += ", for some findings"
    return text


def fix_column(rule: type[Rule]) -> str:
    """The short form for tables: `safe`, `unsafe`, `mixed`, `-`; `?` when only sometimes."""
    if rule.fix is FixAvailability.NEVER:
        return "-"
    short = {FixSafety.SAFE: "safe", FixSafety.UNSAFE: "unsafe", FixSafety.MIXED: "mixed"}
    return short[rule.fix_safety] + ("?" if rule.fix is FixAvailability.SOMETIMES else "")


def default_text(rule: type[Rule]) -> str:
    if not rule.opt_in:
        return "on"
    if rule.enabled_by:
        return f"off (on with `{rule.enabled_by} = true`)"
    return "off (select it to run it)"


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
        "fix_safety": rule.fix_safety.value if rule.fix is not FixAvailability.NEVER else None,
        "default": "off" if rule.opt_in else "on",
        "scope": rule.scope,
        "options": options_table(rule),
        "docs": inspect.cleandoc(rule.__doc__ or ""),
        "anchor": rule.docs_anchor(),
        "url": rule_url(rule),
    }


def rule_markdown(rule: type[Rule], heading: str = "#") -> str:
    info = rule_info(rule)
    lines = [
        f"{heading} {info['code']} {info['name']}",
        "",
        f"{info['summary']}.",
        "",
        f"- Default severity: {info['severity']}",
        f"- Fix: {fix_text(rule)}",
        f"- Default: {default_text(rule)}",
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
        "Fix: `safe` fixes are applied by `--fix`, `unsafe` ones by `--fix --unsafe-fixes`, "
        "`mixed` rules offer both; `?` means only some findings have a fix. Default: whether "
        "the rule runs without being selected.",
        "",
        "| Code | Name | Summary | Severity | Fix | Default |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        out.append(
            f"| [{rule.code}](#{rule.docs_anchor()}) | {rule.name} | {rule.summary} "
            f"| {rule.default_severity} | {fix_column(rule)} | {'off' if rule.opt_in else 'on'} |"
        )
    out.append("")
    for rule in rules:
        out.append(rule_markdown(rule, "##"))
    return "\n".join(out)
