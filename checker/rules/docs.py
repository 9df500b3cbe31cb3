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


# A rule's options as the rule pack sets them, by option name (kebab-case).
PackOptions = dict[str, Any]


def pack_values(rule: type[Rule], pack_rules: dict[str, dict[str, Any]]) -> PackOptions:
    """The options a rule pack's `rules:` table sets for one rule, by code or by name."""
    values: PackOptions = {}
    for key in (rule.code, rule.name):
        values.update({k.replace("_", "-"): v for k, v in pack_rules.get(key, {}).items()})
    return values


def options_table(rule: type[Rule], pack: PackOptions | None = None) -> list[dict[str, Any]]:
    """Each option with its type and default: the rule pack's value where it sets one."""
    pack = pack or {}
    rows = []
    for name, info in rule.Options.model_fields.items():
        annotation = info.annotation
        type_name = getattr(annotation, "__name__", None) or str(annotation)
        option = info.alias or name
        rows.append(
            {
                "name": option,
                "type": str(type_name).replace("typing.", ""),
                "default": pack.get(option, info.get_default(call_default_factory=True)),
                "from": "pack" if option in pack else "rule",
            }
        )
    return rows


def rule_info(
    rule: type[Rule], pack: PackOptions | None = None, docs_url: str = DEFAULT_DOCS_URL
) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": str(rule.default_severity),
        "fix": rule.fix.value,
        "fix_safety": rule.fix_safety.value if rule.fix is not FixAvailability.NEVER else None,
        "default": "off" if rule.opt_in else "on",
        "scope": rule.scope,
        "options": options_table(rule, pack),
        "docs": inspect.cleandoc(rule.__doc__ or ""),
        "anchor": rule.docs_anchor(),
        "url": rule_url(rule, docs_url),
    }


def rule_markdown(rule: type[Rule], heading: str = "#", pack: PackOptions | None = None) -> str:
    info = rule_info(rule, pack)
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
            where = " (from the rule pack)" if row["from"] == "pack" else ""
            default = json.dumps(row["default"], ensure_ascii=False)
            lines.append(f"| `{row['name']}` | {row['type']} | `{default}`{where} |")
        if any(row["from"] == "pack" for row in info["options"]):
            lines.append("")
            lines.append(
                "Defaults marked *from the rule pack* are this site's data in its rule pack's "
                "`rules:` table; a project's config can replace them, or change a list without "
                "copying it with `extend-OPTION` and `remove-OPTION`."
            )
    else:
        lines.append("None.")
    lines.append("")
    return "\n".join(lines)


def all_rules_markdown(
    rules: tuple[type[Rule], ...], pack_rules: dict[str, dict[str, Any]] | None = None
) -> str:
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
        out.append(rule_markdown(rule, "##", pack_values(rule, pack_rules or {})))
    return "\n".join(out)
