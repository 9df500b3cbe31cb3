"""A site report in one self-contained HTML file: totals, bar charts in inline SVG, the worst
pages and a table of every finding that sorts and filters in the browser.

Nothing is fetched from the network: the styles, the script and the data are all inline.
"""

from __future__ import annotations

import datetime
import html
import json
import posixpath
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker import __version__
from checker.document.text import plural
from checker.rules.base import Severity

if TYPE_CHECKING:
    from checker.formatters import RenderContext
    from checker.lint.results import Report

WORST_PAGES = 15
NO_TEMPLATE = "(no template)"
# The charts' coordinate system; the SVG scales to the width of the screen.
CHART_WIDTH = 400
ROW_HEIGHT = 34


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    href: str | None = None


def _number(value: int) -> str:
    return f"{value:,}"


def bar_chart(title: str, bars: list[Bar], chart_id: str) -> str:
    """Horizontal bars, each with its label above it and its count at its end."""
    if not bars:
        return f'<section class="chart" id="{chart_id}"><h2>{html.escape(title)}</h2><p>No findings.</p></section>'
    top = max(bar.count for bar in bars) or 1
    height = ROW_HEIGHT * len(bars) + 4
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT
        width = max(2.0, (CHART_WIDTH - 70) * bar.count / top)
        label = html.escape(bar.label)
        text = f'<text x="0" y="{y + 12}" class="label">{label}</text>'
        if bar.href:
            text = f'<a href="{html.escape(bar.href)}">{text}</a>'
        rows.append(
            f'<g class="bar" data-label="{label}" data-count="{bar.count}">{text}'
            f'<rect x="0" y="{y + 17}" width="{width:.1f}" height="12" rx="2"/>'
            f'<text x="{width + 6:.1f}" y="{y + 27}" class="count">{_number(bar.count)}</text></g>'
        )
    return (
        f'<section class="chart" id="{chart_id}"><h2>{html.escape(title)}</h2>'
        f'<svg viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{html.escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg></section>'
    )


def _folders(paths: list[str]) -> dict[str, str]:
    """Each page's folder, relative to the folder that holds all the pages."""
    parents = [posixpath.dirname(path) for path in paths]
    try:
        common = posixpath.commonpath(parents) if parents else ""
    except ValueError:  # absolute and relative paths mixed
        common = ""
    folders = {}
    for path, parent in zip(paths, parents, strict=True):
        folders[path] = posixpath.relpath(parent, common) if common else (parent or ".")
    return folders


def _totals(report: Report) -> str:
    pages_with = sum(1 for result in report.results if result.violations)
    items = [
        ("files", "Pages checked", report.files_checked),
        ("pages-with-findings", "Pages with findings", pages_with),
        ("findings", "Findings", len(report.violations)),
        ("error", "Errors", report.count(Severity.ERROR)),
        ("warning", "Warnings", report.count(Severity.WARNING)),
        ("info", "Info", report.count(Severity.INFO)),
    ]
    cards = "".join(
        f'<div class="total {key}"><span class="value" data-total="{key}">{_number(value)}</span>'
        f'<span class="name">{name}</span></div>'
        for key, name, value in items
    )
    return f'<section class="totals" aria-label="Totals">{cards}</section>'


def _worst_pages(report: Report) -> str:
    ranked = sorted(
        (r for r in report.results if r.violations),
        key=lambda r: (
            -sum(1 for v in r.violations if v.severity is Severity.ERROR),
            -len(r.violations),
            r.display,
        ),
    )[:WORST_PAGES]
    if not ranked:
        return '<section id="worst"><h2>Worst pages</h2><p>No findings.</p></section>'
    rows = []
    for result in ranked:
        counts = Counter(v.severity for v in result.violations)
        rows.append(
            f"<tr><td class=path>{html.escape(result.display)}</td>"
            f"<td class=num>{counts[Severity.ERROR]}</td><td class=num>{counts[Severity.WARNING]}</td>"
            f"<td class=num>{counts[Severity.INFO]}</td><td class=num>{len(result.violations)}</td></tr>"
        )
    return (
        '<section id="worst"><h2>Worst pages</h2><p class="note">Most errors first, then most '
        'findings.</p><div class="scroll"><table><thead><tr><th>Page</th><th>Errors</th>'
        "<th>Warnings</th><th>Info</th><th>Total</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


def _data(report: Report, context: RenderContext) -> dict[str, object]:
    """The findings as compact arrays: paths, rules and messages are stored once each."""
    paths = [result.display for result in report.results]
    folders = _folders(paths)
    path_index = {path: index for index, path in enumerate(paths)}
    rules: dict[str, int] = {}
    rule_rows: list[list[str]] = []
    messages: dict[str, int] = {}
    rows = []
    for result in report.results:
        for v in result.violations:
            if v.code not in rules:
                rules[v.code] = len(rule_rows)
                rule_rows.append([v.code, v.name, context.rule_url(v.code, v.name)])
            message = messages.setdefault(v.message, len(messages))
            rows.append(
                [
                    path_index[result.display],
                    v.line,
                    v.column,
                    rules[v.code],
                    int(v.severity),
                    message,
                ]
            )
    return {
        "paths": paths,
        "folders": [folders[path] for path in paths],
        "rules": rule_rows,
        "messages": list(messages),
        "rows": rows,
    }


def _script_json(data: object) -> str:
    # `<` never appears raw, so the data cannot close its <script> element.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render(report: Report, context: RenderContext) -> str:
    violations = report.violations
    by_rule = Counter((v.code, v.name) for v in violations)
    rule_bars = [
        Bar(f"{code} {name}", count, context.rule_url(code, name))
        for (code, name), count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_template: Counter[str] = Counter()
    pages_per_template: Counter[str] = Counter()
    for result in report.results:
        if result.not_a_page:
            continue
        template = result.template or NO_TEMPLATE
        pages_per_template[template] += 1
        by_template[template] += len(result.violations)
    template_bars = [
        Bar(f"{name} ({plural(pages_per_template[name], 'page', _number)})", count)
        for name, count in sorted(by_template.items(), key=lambda item: (-item[1], item[0]))
    ]
    generated = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(
        (
            _totals(report),
            '<div class="charts">',
            bar_chart("Findings per rule", rule_bars, "per-rule"),
            bar_chart("Findings per template", template_bars, "per-template"),
            "</div>",
            _worst_pages(report),
        )
    )
    return (
        PAGE.replace("@GENERATED@", html.escape(f"checker {__version__}, {generated}"))
        .replace("@BODY@", body)
        .replace("@DATA@", _script_json(_data(report, context)))
        .replace("@STYLE@", STYLE)
        .replace("@SCRIPT@", SCRIPT)
    )


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>checker report</title>
<style>@STYLE@</style>
</head>
<body>
<header><h1>checker report</h1><p class="note">Generated by @GENERATED@.</p></header>
<main>
@BODY@
<section id="findings">
<h2>Findings</h2>
<form class="filters" id="filters" onsubmit="return false">
<label>Rule <select id="filter-rule"><option value="">All rules</option></select></label>
<label>Severity <select id="filter-severity"><option value="">All severities</option>
<option value="3">error</option><option value="2">warning</option><option value="1">info</option></select></label>
<label>Folder <select id="filter-folder"><option value="">All folders</option></select></label>
<label>Search <input id="filter-text" type="search" placeholder="page or message"></label>
</form>
<p id="shown" class="note" aria-live="polite"></p>
<div class="scroll"><table id="findings-table">
<thead><tr>
<th><button type="button" data-sort="path">Page</button></th>
<th><button type="button" data-sort="line">Line</button></th>
<th><button type="button" data-sort="rule">Rule</button></th>
<th><button type="button" data-sort="severity">Severity</button></th>
<th><button type="button" data-sort="message">Message</button></th>
</tr></thead>
<tbody></tbody>
</table></div>
<nav class="pager"><button type="button" id="prev">Previous</button>
<span id="page-of"></span><button type="button" id="next">Next</button></nav>
</section>
</main>
<script type="application/json" id="report-data">@DATA@</script>
<script>@SCRIPT@</script>
</body>
</html>
"""

STYLE = """
:root { --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0969da;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: #fff; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.6rem; margin: 20px 0 0; }
h2 { font-size: 1.15rem; margin: 28px 0 10px; }
.note { color: var(--muted); margin: 4px 0 10px; font-size: 0.9rem; }
a { color: var(--accent); }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
  margin-top: 16px; }
.total { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.total .value { display: block; font-size: 1.6rem; font-weight: 600; }
.total .name { color: var(--muted); font-size: 0.9rem; }
.total.error .value { color: var(--error); } .total.warning .value { color: var(--warning); }
.total.info .value { color: var(--info); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 24px; }
.chart svg { width: 100%; max-width: 640px; height: auto; display: block; }
.chart .label { font-size: 12px; fill: var(--fg); }
.chart a .label { fill: var(--accent); }
.chart .count { font-size: 11px; fill: var(--muted); }
.chart rect { fill: #4c8dd6; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer;
  color: var(--fg); }
th button[aria-sort="ascending"]::after { content: " \\25B2"; }
th button[aria-sort="descending"]::after { content: " \\25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.path { word-break: break-all; }
td.message { min-width: 16em; }
.sev-3 { color: var(--error); font-weight: 600; } .sev-2 { color: var(--warning); }
.sev-1 { color: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; margin-bottom: 6px; }
.filters label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
.filters select, .filters input { font: inherit; color: var(--fg); padding: 4px 6px; min-width: 10em;
  max-width: 100%; }
.pager { display: flex; gap: 12px; align-items: center; margin: 12px 0 40px; }
.pager button { font: inherit; padding: 4px 12px; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  .totals { grid-template-columns: repeat(2, 1fr); }
  .filters label { flex: 1 1 45%; }
  .filters select, .filters input { min-width: 0; width: 100%; }
  #findings-table thead { display: none; }
  #findings-table tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
  #findings-table td { display: block; border: 0; padding: 1px 0; }
  #findings-table td.message { min-width: 0; }
  #findings-table td.num { text-align: left; }
  .chart .label { font-size: 14px; } .chart .count { font-size: 13px; }
  #findings-table td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
"""

SCRIPT = r"""
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const SEVERITY = {1: "info", 2: "warning", 3: "error"};
  const PAGE_SIZE = 100;
  const rows = data.rows;
  const state = {rule: "", severity: "", folder: "", text: "", sort: "path", descending: false, page: 0};
  const $ = (id) => document.getElementById(id);
  const collator = new Intl.Collator(undefined, {numeric: true});

  function fill(select, values) {
    for (const [value, label] of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      select.appendChild(option);
    }
  }
  const ruleCounts = new Map();
  for (const row of rows) ruleCounts.set(row[3], (ruleCounts.get(row[3]) || 0) + 1);
  fill($("filter-rule"), data.rules.map((rule, index) => [String(index), rule[0] + " " + rule[1] +
    " (" + (ruleCounts.get(index) || 0).toLocaleString("en-US") + ")"])
    .sort((a, b) => collator.compare(a[1], b[1])));
  fill($("filter-folder"), [...new Set(data.folders)].sort(collator.compare).map((f) => [f, f]));

  const keys = {
    path: (r) => data.paths[r[0]], line: (r) => r[1], rule: (r) => data.rules[r[3]][0],
    severity: (r) => r[4], message: (r) => data.messages[r[5]],
  };
  function compare(a, b) {
    const key = keys[state.sort];
    let result = 0;
    const x = key(a), y = key(b);
    result = typeof x === "number" ? x - y : collator.compare(x, y);
    if (result === 0) result = collator.compare(data.paths[a[0]], data.paths[b[0]]) || a[1] - b[1] || a[2] - b[2];
    return state.descending ? -result : result;
  }
  function matches(r) {
    if (state.rule !== "" && String(r[3]) !== state.rule) return false;
    if (state.severity !== "" && String(r[4]) !== state.severity) return false;
    if (state.folder !== "" && data.folders[r[0]] !== state.folder) return false;
    if (state.text) {
      const text = (data.paths[r[0]] + " " + data.messages[r[5]]).toLowerCase();
      if (!text.includes(state.text)) return false;
    }
    return true;
  }
  function cell(tr, text, className, label) {
    const td = document.createElement("td");
    if (className) td.className = className;
    if (label) td.dataset.label = label;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  let view = [];
  function draw() {
    const body = document.querySelector("#findings-table tbody");
    const pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE_SIZE;
    const fragment = document.createDocumentFragment();
    for (const r of view.slice(start, start + PAGE_SIZE)) {
      const tr = document.createElement("tr");
      const rule = data.rules[r[3]];
      tr.dataset.rule = rule[0];
      tr.dataset.severity = SEVERITY[r[4]];
      tr.dataset.folder = data.folders[r[0]];
      cell(tr, data.paths[r[0]], "path", "Page");
      cell(tr, String(r[1]) + ":" + String(r[2]), "num", "Line");
      const link = document.createElement("a");
      link.href = rule[2];
      link.textContent = rule[0];
      link.title = rule[1];
      cell(tr, link, "rule", "Rule");
      cell(tr, SEVERITY[r[4]], "sev-" + r[4], "Severity");
      cell(tr, data.messages[r[5]], "message", "");
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    const total = rows.length.toLocaleString("en-US");
    $("shown").textContent = view.length.toLocaleString("en-US") + " of " + total + " findings shown";
    $("shown").dataset.count = String(view.length);
    $("page-of").textContent = "Page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }
  function update() {
    view = rows.filter(matches).sort(compare);
    draw();
  }
  $("filter-rule").addEventListener("change", (e) => { state.rule = e.target.value; state.page = 0; update(); });
  $("filter-severity").addEventListener("change", (e) => { state.severity = e.target.value; state.page = 0; update(); });
  $("filter-folder").addEventListener("change", (e) => { state.folder = e.target.value; state.page = 0; update(); });
  $("filter-text").addEventListener("input", (e) => { state.text = e.target.value.trim().toLowerCase(); state.page = 0; update(); });
  $("prev").addEventListener("click", () => { state.page -= 1; draw(); });
  $("next").addEventListener("click", () => { state.page += 1; draw(); });
  for (const button of document.querySelectorAll("th button[data-sort]")) {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      state.descending = state.sort === key ? !state.descending : key === "severity";
      state.sort = key;
      for (const other of document.querySelectorAll("th button[data-sort]")) other.removeAttribute("aria-sort");
      button.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
      update();
    });
  }
  update();
})();
"""
