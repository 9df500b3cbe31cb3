"""What a heading or a bold label names: one of the template's sections, perhaps qualified, or
one of the ingredients the page's title lists.

Combination pages write a section in many ways besides its plain name: split per ingredient
(`Usage (Cetrimide)`, `Biotin Usage`, `Usage of Biotin`, `Alprazolam: Usage`,
`Alprazolam (Generic Name)`), or with its value in the heading (`Generic Name: Biotin + Zinc`).
The ingredients come from the title (`Biotin + Finasteride`), so the words that qualify a
section are recognised as the page's own names, not guessed from a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.document.text import collapse_spaces, normalise_name

if TYPE_CHECKING:
    from checker.project.pack import SectionSpec

_PARENS = re.compile(r"\s*\([^()]*\)")
_TRAILING_PARENS = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]*)\)\s*:?\s*$")
# The ingredients of a combination's title: `A + B`, `A, B and C`, `A/B`, `A with B`.
INGREDIENT_SPLIT = re.compile(r"\s*(?:\+|,|&|/|\band\b|\bwith\b)\s*", re.IGNORECASE)
# A strength in a title (`125mg`, `5 ml`, `0.1%`); a digit inside a word (`B12`) is a name.
_STRENGTH = re.compile(r"(?<![\w.])\d[\d.,]*\s*(?:%|[a-zµ]+\b)?", re.IGNORECASE)
# `2. Folic Acid`, `II. Prostaglandin`, `a) Calcium`: a list number before a label.
_NUMBERING = re.compile(r"^\s*(?:\d+|[ivx]+)[.)]\s+", re.IGNORECASE)
# Words that join a section's name to an ingredient: `Usage of X`, `Dosage for X`, `Usage - X`.
_JOINER = re.compile(r"^(?:of|for|in|with|-|\u2013|\u2014|:)\s+", re.IGNORECASE)
# A label longer than this is a sentence in bold, not a name.
MAX_NAME_WORDS = 12


def ingredients(title: str) -> frozenset[str]:
    """The normalised names a page's title lists: `Ambroxol + Cefadroxil 500mg` gives
    {"ambroxol", "cefadroxil"}."""
    names = set()
    for piece in INGREDIENT_SPLIT.split(_PARENS.sub(" ", title)):
        key = normalise_name(_STRENGTH.sub(" ", piece))
        if len(key) >= 3:
            names.add(key)
    return frozenset(names)


def names_ingredient(text: str, names: frozenset[str]) -> bool:
    """Whether `text` is one of the page's ingredients (`Paracetamol (Acetaminophen)`, `2.
    Folic Acid`), or the start of one (`Clomiphene` for `Clomiphene Citrate`)."""
    if not names:
        return False
    key = normalise_name(_NUMBERING.sub("", _PARENS.sub(" ", text)))
    if not key:
        return False
    return any(
        key == name or key.startswith(name + " ") or name.startswith(key + " ") for name in names
    )


@dataclass(frozen=True, slots=True)
class Named:
    """A template section named by a heading or a label, and how."""

    spec: SectionSpec
    # What narrows the section: an ingredient (`Biotin` in `Biotin Usage`) or a note in
    # brackets (`Hypothetical` in `Usage (Hypothetical)`); empty for the plain name.
    qualifier: str = ""
    # The section's value written in its heading (`Biotin + Zinc` in `Generic Name: Biotin + Zinc`).
    value: str = ""


def name_section(
    text: str, lookup: dict[str, SectionSpec], names: frozenset[str], heading: bool = False
) -> Named | None:
    """The template section that a heading's or a label's text names, if any."""
    spec = lookup.get(normalise_name(text))
    if spec is not None:
        brackets = _TRAILING_PARENS.match(text)
        return Named(spec, brackets.group("inner").strip() if brackets else "")
    if heading and ":" in text:
        head, tail = (part.strip() for part in text.split(":", 1))
        spec = lookup.get(normalise_name(head))
        if spec is not None and tail:
            return Named(spec, value=tail)
        spec = lookup.get(normalise_name(tail))
        if spec is not None and names_ingredient(head, names):
            return Named(spec, head)
    if len(text.split()) > MAX_NAME_WORDS:
        return None
    brackets = _TRAILING_PARENS.match(text)
    if brackets and names_ingredient(brackets.group("outer"), names):
        spec = lookup.get(normalise_name(brackets.group("inner")))
        if spec is not None:
            return Named(spec, brackets.group("outer").strip())
    return _around_ingredient(text, lookup, names)


def _around_ingredient(
    text: str, lookup: dict[str, SectionSpec], names: frozenset[str]
) -> Named | None:
    """`Biotin Usage`, `Usage of Biotin`, `Usage - Biotin`: a section's name beside an ingredient."""
    if not names:
        return None
    words = collapse_spaces(_PARENS.sub(" ", text)).strip(" :").split()
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        spec = lookup.get(normalise_name(tail))
        if spec is not None and names_ingredient(head, names):
            return Named(spec, head)
        spec = lookup.get(normalise_name(head))
        if spec is not None:
            rest = _JOINER.sub("", tail)
            if names_ingredient(rest, names):
                return Named(spec, rest)
    return None
