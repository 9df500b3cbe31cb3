"""Structure rules: the page's outline against its template."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.document.page import Page
from checker.document.sections import Section
from checker.document.text import normalise_name, plural
from checker.project.outline import section_marker
from checker.project.pack import SectionSpec, Template
from checker.rules.base import (
    Applicability,
    Edit,
    Fix,
    FixAvailability,
    FixSafety,
    Rule,
    RuleOptions,
    Severity,
    Violation,
)
from checker.rules.disclaimer import says_disclaimer
from checker.rules.edits import line_end, line_start, replace_lines


def _written_as(template: Template, name: str) -> str:
    return section_marker(template.sections.form, name)


def _missing_subsections(
    page: Page, section: Section, specs: list[SectionSpec], level: int, start: int, end: int
) -> Iterator[tuple[SectionSpec, int]]:
    """(spec, parent heading level) of each required sub-section absent between two lines."""
    headings = [h for h in page.outline.headings if start < h.line <= end]
    for spec in specs:
        wanted = spec.level or level + 1
        keys = set(spec.all_keys())
        found = [h for h in headings if h.level == wanted and normalise_name(h.label) in keys]
        if not found:
            if spec.required:
                yield spec, wanted
            continue
        if spec.sections:
            heading = found[0]
            following = [
                h.line - 1 for h in headings if h.line > heading.line and h.level <= wanted
            ]
            stop = min([end, *following])
            yield from _missing_subsections(
                page, section, spec.sections, wanted, heading.line, stop
            )


def _anchor_line(page: Page) -> int:
    """Where to report something missing from the body: the H1, else the body's first line."""
    if page.outline.h1s:
        return page.outline.h1s[0].line
    return page.first_content_line


class _TemplateRule(Rule):
    def applies(self, page: Page) -> bool:
        return super().applies(page) and page.template is not None


class MissingSection(_TemplateRule):
    """## What it checks
    Every section that the page's template marks as required is present, in any of the forms
    the checker recognises (heading, bold label, or bold label in a list item); and every
    required sub-section of a section (`### Standard Dosage` under `## Dosage`) stands under
    its heading, reported at the section's line.

    ## Why
    Readers and reviewers rely on the same outline on every page; a missing "Side Effects"
    section on a drug page is a safety gap, not a style issue.

    ## Example
    A `drug-v2` page with `### Usage` and `### Dosage` but no `### Side Effects`.
    """

    code = "ST001"
    name = "missing-section"
    summary = "A required section is absent"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        ignore_sections: list[str] = []

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        template = page.template
        assert template is not None
        # A section written once per ingredient, in a list under each ingredient's label, is
        # there; the per-ingredient structure is ST005's finding.
        present = {section.key for section in page.sections} | page.outline.listed_keys
        skipped = {name.casefold() for name in options.ignore_sections}
        for spec in template.sections.items:
            if spec.required and spec.key not in present and spec.key not in skipped:
                yield self.violation(
                    page,
                    f"required section {spec.name!r} is missing; add it as "
                    f"`{_written_as(template, spec.name)}`",
                    _anchor_line(page),
                )
        yield from self._subsections(page, template)

    def _subsections(self, page: Page, template: Template) -> Iterator[Violation]:
        seen: set[str] = set()
        for section in page.sections:
            spec = section.spec
            # Sub-sections are headings under a section's heading; a bold label of the same
            # name elsewhere (content, under a loose template) holds none.
            if spec is None or not spec.sections or spec.key in seen:
                continue
            if section.marker.form != "heading" and template.sections.form.style.endswith(
                "heading"
            ):
                continue
            seen.add(spec.key)
            level = section.marker.level or template.sections.form.level
            missing = _missing_subsections(
                page, section, spec.sections, level, section.line, section.end_line
            )
            for sub, sub_level in missing:
                yield self.violation(
                    page,
                    f"section {spec.name!r} has no required sub-section {sub.name!r}; add "
                    f"`{'#' * sub_level} {sub.name}` inside it",
                    section.line,
                )


class SectionOrder(_TemplateRule):
    """## What it checks
    Known sections appear in the order the template lists them (unless the template says
    `ordered: false`).

    ## Why
    A fixed order lets readers find dosage or precautions at a glance on any page.

    ## Example
    `### Dosage` before `### Usage` under `drug-v2`, which lists Usage first.
    """

    code = "ST002"
    name = "section-order"
    summary = "Sections are out of the template's order"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        template = page.template
        assert template is not None
        if not template.sections.ordered:
            return
        order = {spec.key: index for index, spec in enumerate(template.sections.items)}
        seen: set[str] = set()
        furthest: Section | None = None
        for section in page.sections:
            key = section.key
            if key is None or key in seen:
                continue
            seen.add(key)
            if furthest is not None and order[key] < order[furthest.key or ""]:
                yield self.violation(
                    page,
                    f"section {section.spec.name if section.spec else key!r} should come before "
                    f"{furthest.spec.name if furthest.spec else furthest.title!r} "
                    f"(line {furthest.line}); move it up",
                    section.line,
                )
            elif furthest is None or order[key] > order[furthest.key or ""]:
                furthest = section


class EmptySection(_TemplateRule):
    """## What it checks
    Every section has some content: text after its label, or blocks before the next section.

    ## Why
    An empty section usually means a generation step failed; publishing a heading with
    nothing under it looks broken and hides the gap.

    ## Example
    `### Precautions` immediately followed by `### FAQs`.
    """

    code = "ST003"
    name = "empty-section"
    summary = "A section has no content"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        for section in page.sections:
            # Unknown headings often group known sections (one group per ingredient);
            # ST005 reports them, and "empty" would mislead.
            if section.spec is not None and not section.has_content:
                yield self.violation(
                    page,
                    f"section {section.title!r} is empty; write its content or remove it",
                    section.line,
                )


class DuplicateSection(_TemplateRule):
    """## What it checks
    Each of the template's sections appears at most once. When the page repeats several of them
    (often one set per ingredient of a combination product, under a heading or a label for each
    ingredient), that is one finding, at the first repeated section, naming the sets. Sets
    written as lists, each right under an ingredient's label alone on its paragraph, repeat the
    sections too when two lists name the same ones. A section split per ingredient and labelled
    so (`### Usage (Cetrimide)` and `### Usage (Permethrin)`) is one section in parts, not a
    repeat, and labels inside a section's own list are its content.

    ## Why
    Repeated sections split the information a reader needs across the page and break the
    outline.

    ## Example
    Two `### Usage` headings, one for each ingredient; or `**Alphamol:**` and `**Betamol:**`,
    each followed by a list of `* **Usage:** …` and `* **Side Effects:** …`.
    """

    code = "ST004"
    name = "duplicate-section"
    summary = "A section appears more than once"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        first: dict[str, Section] = {}
        repeats: list[Section] = []
        for section in page.sections:
            if section.key is None:
                continue
            earlier = first.get(section.key)
            if earlier is None:
                first[section.key] = section
            elif not _split_apart(earlier, section):
                repeats.append(section)
        if len({section.key for section in repeats}) >= 2:
            yield self.violation(page, _repeated_sets(page, first, repeats), repeats[0].line)
            return
        for section in repeats:
            yield self.violation(
                page,
                f"section {section.title!r} appears again (first at line "
                f"{first[section.key or ''].line}); merge the two",
                section.line,
            )
        if not repeats:
            yield from self._repeated_lists(page)

    def _repeated_lists(self, page: Page) -> Iterator[Violation]:
        """Sets written as lists, one under each ingredient's label (`**Estradiol:**` and
        `* **Usage:** …`), that name the same sections."""
        groups = [section for section in page.sections if section.role == "listed-group"]
        seen: set[str] = set()
        for group in groups:
            again = group.listed & seen
            seen |= group.listed
            if not again:
                continue
            template = page.template
            assert template is not None
            names = [spec.name for spec in template.sections.items if spec.key in again]
            sets = ", ".join(f"{g.title!r} (line {g.line})" for g in groups)
            yield self.violation(
                page,
                f"the template's sections are repeated ({', '.join(names)} appear again in "
                f"the list under {group.title!r}, line {group.line}; one set for each of "
                f"{sets}); write one set of sections for the whole page, with each ingredient "
                "inside them",
                group.line,
            )
            return


def _split_apart(earlier: Section, later: Section) -> bool:
    """Two parts of one section, each labelled with what it covers (`Usage (Cetrimide)`)."""
    return bool(earlier.qualifier and later.qualifier) and (
        normalise_name(earlier.qualifier) != normalise_name(later.qualifier)
    )


def _repeated_sets(page: Page, first: dict[str, Section], repeats: list[Section]) -> str:
    names = []
    for section in repeats:
        name = section.spec.name if section.spec else section.title
        if name not in names:
            names.append(name)
    openers = [s for s in page.sections if s.role == "group"]
    sets = (
        "one set for each of " + ", ".join(f"{s.title!r} (line {s.line})" for s in openers)
        if len(openers) >= 2
        else f"the first from line {min(first[s.key or ''].line for s in repeats)}"
    )
    return (
        f"the template's sections are repeated ({', '.join(names)} appear again from line "
        f"{repeats[0].line}; {sets}); write one set of sections for the whole page, with "
        "each ingredient inside them"
    )


class UnknownSection(_TemplateRule):
    """## What it checks
    Under a closed template, every section-level heading names one of the template's sections
    (or an alias of one, perhaps split per ingredient: `Usage (Cetrimide)`). Under a template
    whose sections are bold labels, a label stands for a section of its own when it stands
    where sections stand: alone on its paragraph before the first section, or holding a list
    of the template's labels (one ingredient's own set, `**Estradiol:**` then `* **Usage:** …`),
    or after the template's last section (`**In summary:** …`). A heading or label that opens
    one set of sections the page repeats per ingredient is left to ST004, which reports the
    repetition once, and a label whose paragraph says what the disclaimer says
    (`**Important Note:** This is not medical advice…`) is the disclaimer under another name,
    left to DS001.

    ## Why
    Sections outside the template are missed by readers who expect the fixed outline, and
    usually mean the generator drifted.

    ## Example
    `### Alprazolam` between `### FAQs` and the disclaimer, or `**In summary:** …` after the
    FAQs of a `drug-v1` page.
    """

    code = "ST005"
    name = "unknown-section"
    summary = "A section the template does not know (closed templates only)"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        allowed: list[str] = []

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        template = page.template
        assert template is not None
        if not template.sections.closed:
            return
        allowed = {name.casefold() for name in options.allowed}
        names = ", ".join(spec.name for spec in template.sections.items)
        for section in page.sections:
            if section.spec is not None or section.role == "group":
                continue
            if section.title.casefold() in allowed or _misnamed_disclaimer(template, section):
                continue
            if section.role == "listed-group":
                advice = (
                    "it holds its own set of the template's sections as a list; write one set "
                    "of sections for the whole page, with each ingredient inside them"
                )
            else:
                advice = "rename it, fold it into a known section, or add it to the template"
            yield self.violation(
                page,
                f"section {section.title!r} is not in template {template.name} ({names}); "
                + advice,
                section.line,
            )


def _misnamed_disclaimer(template: Template, section: Section) -> bool:
    """`**Important Note:** This is not medical advice; consult…`: the disclaimer under another
    label, which DS001 reports; it is not a section."""
    spec = template.disclaimer
    return (
        spec is not None
        and bool(section.marker.value)
        and says_disclaimer(spec, section.marker.value)
    )


class H1(Rule):
    """## What it checks
    The page has exactly one level-1 heading. A template can say `h1: optional` (at most one)
    or `h1: forbidden` (none, for layouts that print the title themselves).

    ## Why
    The H1 is the page's visible title; with none, the page has no heading, and with several,
    readers and search engines cannot tell what the page is about.

    ## Example
    A page whose body starts with `### Generic Name` and has no `# Title`.
    """

    code = "ST006"
    name = "h1"
    summary = "There is no H1, or more than one"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        h1s = page.outline.h1s
        wanted = page.template.h1 if page.template is not None else "required"
        if wanted == "forbidden":
            for h1 in h1s:
                yield self.violation(
                    page,
                    f"the H1 {h1.text!r} is not wanted: the site's layout prints the title; "
                    "remove it or make it a lower-level heading",
                    h1.line,
                )
            return
        if not h1s and wanted == "required":
            yield self.violation(
                page,
                "the page has no H1; add `# Title` (the front-matter title) at the top of the body",
                page.first_content_line,
            )
        for extra in h1s[1:]:
            yield self.violation(
                page,
                f"a second H1 {extra.text!r} (the first is at line {h1s[0].line}); "
                "make it a lower-level heading",
                extra.line,
            )


class Preamble(_TemplateRule):
    """## What it checks
    Nothing but the H1 stands before the first section. On a page without an H1, nothing
    stands before the first section.

    ## Why
    Text between the title and the first section is usually leftover generator commentary
    ("Here is the information you requested…") and is not part of any section readers expect.

    ## Example
    `# Omega-` followed by a paragraph asking for the full name of the medicine.
    """

    code = "ST007"
    name = "preamble"
    summary = "Prose stands between the H1 and the first section"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        pass

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        blocks = page.outline.preamble
        where = "between the H1 and" if page.outline.h1s else "before"
        if blocks:
            first, last = blocks[0][0], blocks[-1][1]
            yield self.violation(
                page,
                f"{plural(last - first + 1, 'line')} of text "
                f"{'stands' if last == first else 'stand'} {where} the first section; "
                "move them into a section or remove them",
                first,
                end_line=last,
            )


def _form_label(section: Section) -> str:
    marker = section.marker
    if marker.form == "heading":
        return f"a level-{marker.level} heading"
    if marker.form == "list-label":
        return "a bold label in a list item"
    if marker.form == "plain-label":
        return "a label without bold opening a paragraph"
    return "a bold label opening a paragraph"


def _form_ok(section: Section, template: Template) -> bool:
    form = template.sections.form
    marker = section.marker
    if form.style == "heading":
        return marker.form == "heading" and marker.level == form.level
    if form.style == "bold-heading":
        return marker.form == "heading" and marker.level == form.level and marker.bold
    if form.style == "list-label":
        return marker.form == "list-label"
    return marker.form == "label"


class SectionStyle(_TemplateRule):
    """## What it checks
    Every known section is written in the form its template expects: a heading of the
    template's level (`## Name`, or `## **Name**` for `bold-heading`), a bold label opening a
    paragraph, or a bold label opening a list item.

    A heading that holds its section's value (`### Generic Name: Clonazepam`) is in the
    template's form and passes; with the option `value-in-heading` it is reported too, and the
    fix moves the value under the heading. The fix that bolds a label written without bold
    (`Usage: …`) is unsafe: the paragraph may be a sentence that opens with a section's name.

    ## Why
    The site's styles and table of contents depend on the form. A `**Usage:**` label where
    headings are expected drops the section from the page's navigation.

    ## Example
    `* **Generic Name:** Clonazepam` or `### Usage` on a `drug-v1` page, which expects
    `**Usage:** …`.
    """

    code = "ST008"
    name = "section-style"
    summary = "A section is written in a different form from the one its template expects"
    default_severity = Severity.WARNING
    # Labels in list items are often sub-points of another section, so they are never rewritten.
    fix = FixAvailability.SOMETIMES
    fix_safety = FixSafety.MIXED

    class Options(RuleOptions):
        # `### Generic Name: X` is still a heading of the template's level: another matter.
        value_in_heading: bool = False

    def check(self, page: Page, options: Options) -> Iterator[Violation]:
        template = page.template
        assert template is not None
        for section in page.sections:
            spec: SectionSpec | None = section.spec
            # Inside one ingredient's own set, the form is not what to fix (ST004).
            if spec is None or section.group_line is not None:
                continue
            if _form_ok(section, template):
                if (
                    options.value_in_heading
                    and section.marker.value
                    and section.marker.form == "heading"
                ):
                    yield self.violation(
                        page,
                        f"section heading {section.title!r} holds the section's value; write "
                        f"`{_written_as(template, spec.name)}` and the value under it",
                        section.line,
                        fix=_value_out_of_heading(page, section),
                    )
                continue
            yield self.violation(
                page,
                f"section {section.title!r} is written as {_form_label(section)}; "
                f"template {template.name} expects `{_written_as(template, spec.name)}`",
                section.line,
                fix=section_form_fix(page, section, template),
            )


# `**Usage:** text`, `**Usage**: text` or `**Usage** text`, on the paragraph's first line.
_LABEL_LINE = re.compile(
    r"^\*\*(?P<label>[^*\n]+?)[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:?)[ \t]*(?P<rest>.*)$"
)
# Text that would start a new kind of block once it stands on a line of its own.
_BLOCK_START = re.compile(r"^(?:[-+*>#=|`~<]|\d+[.)])")
_PLAIN_HEADING = re.compile(r"^[^*_`\[\]<>\\]+$")
_ATX = re.compile(r"^(?P<indent> {0,3})(?P<hashes>#{1,6})(?=[ \t]|$)")


def section_form_fix(page: Page, section: Section, template: Template) -> Fix | None:
    """Rewrite a section's marker into the template's form, when that can be done exactly."""
    form = template.sections.form
    marker = section.marker
    if form.style in ("bold-heading", "list-label"):
        return None
    if marker.form == "plain-label" and form.style == "label":
        start = line_start(page, marker.line)
        found = page.lines[marker.line - 1].find(marker.label + ":")
        if found < 0:
            return None
        edit = Edit(start + found, start + found + len(marker.label) + 1, f"**{marker.label}:**")
        # Bolding makes a section of what may be a sentence that opens with a section's name.
        return Fix(f"Write {marker.label!r} as a bold label", (edit,), Applicability.UNSAFE)
    if marker.form == "label" and form.style == "heading":
        return _label_to_heading(page, section, form.level)
    if marker.form == "heading" and form.style == "heading":
        match = _ATX.match(page.lines[marker.line - 1])
        if match is None:
            return None
        start = line_start(page, marker.line) + match.start("hashes")
        edit = Edit(start, start + len(match.group("hashes")), "#" * form.level)
        return Fix(f"Make {marker.label!r} a level-{form.level} heading", (edit,))
    if marker.form == "heading" and form.style == "label":
        return _heading_to_label(page, section)
    return None


_ATX_TEXT = re.compile(r"^(?P<open> {0,3}#{1,6}[ \t]+)(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")


def _value_out_of_heading(page: Page, section: Section) -> Fix | None:
    """`### Generic Name: Biotin` becomes `### Generic Name` with `Biotin` as a paragraph."""
    marker = section.marker
    match = _ATX_TEXT.match(page.lines[marker.line - 1])
    if match is None or ":" not in match.group("text") or section.spec is None:
        return None
    name, value = (part.strip() for part in match.group("text").split(":", 1))
    if (
        normalise_name(name) not in section.spec.all_keys()
        or not value
        or _BLOCK_START.match(value)
    ):
        return None
    edit = replace_lines(page, marker.line, marker.line, f"{match.group('open')}{name}\n\n{value}")
    return Fix(f"Move the value of {name!r} under its heading", (edit,))


def _label_to_heading(page: Page, section: Section, level: int) -> Fix | None:
    marker = section.marker
    match = _LABEL_LINE.match(page.lines[marker.line - 1])
    if match is None:
        return None
    label, rest = match.group("label").strip(), match.group("rest").strip()
    if normalise_name(label) != normalise_name(marker.label) or _BLOCK_START.match(rest):
        return None
    heading = "#" * level + " " + label
    if rest:
        edit = replace_lines(page, marker.line, marker.line, heading + "\n\n" + rest)
    elif marker.end_line > marker.line:
        # The paragraph's other lines become a paragraph of their own under the heading.
        following = line_start(page, marker.line + 1)
        edit = Edit(line_start(page, marker.line), following, heading + "\n\n")
    else:
        edit = replace_lines(page, marker.line, marker.line, heading)
    return Fix(f"Write {label!r} as a heading", (edit,))


def _heading_to_label(page: Page, section: Section) -> Fix | None:
    marker = section.marker
    tokens = page.tokens or []
    inline = tokens[marker.token_index + 1]
    name = inline.content.strip().rstrip(":").strip()
    if not name or not _PLAIN_HEADING.match(name) or marker.line != marker.end_line:
        return None
    label = f"**{name}:**"
    following = tokens[marker.token_index + 3] if marker.token_index + 3 < len(tokens) else None
    if (
        following is not None
        and following.type == "paragraph_open"
        and following.level == 0
        and following.map is not None
    ):
        # Join the label and the paragraph under it: `**Usage:** text`.
        first = page.body_start_line + following.map[0]
        edit = Edit(line_start(page, marker.line), line_start(page, first), label + " ")
    else:
        edit = Edit(line_start(page, marker.line), line_end(page, marker.line), label)
    return Fix(f"Write {name!r} as a bold label", (edit,))
