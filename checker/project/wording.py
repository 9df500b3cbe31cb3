"""The wording of a disclaimer or closing note, learned from its texts on a site's pages.

A template describes it in one of the two ways the disclaimer rules read
(checker.rules.disclaimer):

- `match: exact`, a canonical wording and the word similarity nearly every text reaches: right
  when the texts are copies of one wording, with small slips;
- `match: statements`, what nearly every text says, whatever its words: right when each page
  words it afresh ("does not constitute medical advice", "should not be considered medical
  advice").

A statement is learned as a cue: two words that stand in one sentence, in that order, a few
words apart (`not … advice`), the pattern `\\bnot\\b[^.!?]{0,80}\\badvice\\b`. The cue that the
most texts share opens a statement; on the texts that do not make it, the cues that share one
of its words and are common (`consult … doctor` beside `consult … healthcare`) are the other
ways of saying it. The sentences a statement was found in are then set aside, and the next
statement is looked for in the rest.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from checker.document.text import WORD, collapse_spaces, similarity, words
from checker.project.patterns import makes_statement

# The words of a cue: plain ASCII words, so that `\b` means the same to the pattern engine
# (RE2's `\b` is a boundary between ASCII word characters and the rest).
_CUE_WORD = re.compile(r"[a-z](?:[a-z'-]*[a-z])?")
_SENTENCE_END = re.compile(r"[.!?]")
# Characters allowed between the two words of a cue, in the learned cue and in its pattern.
GAP = 80
# Words too common to say anything on their own: a cue needs two others.
_FILLER_WORDS = (
    "a an the this that these those it its is are was were be been being am do does did has "
    "have had of to in on at by for from with as into about over under than then so such and "
    "or but nor if any all each every some other your you yours their they them our we us he "
    "she his her my i me may can will would should could must might shall also always please "
    "before after here there which who whom whose what when where how only very just more "
    "most"
)
_FILLER = frozenset(_FILLER_WORDS.split())
_DENIALS = frozenset(["not", "never", "cannot"])
DENIAL = "(?:\\b(?:not|never|cannot)|n['\u2019]t)\\b"
STEM_LETTERS = 5
# The word similarity a copy of one wording needs (as a closing note's default).
EXACT_SIMILARITY = 0.9
# A statement is kept when this many statements at most have been found, each made by the
# texts' agreed share; another way of saying it is kept when at least this share of the texts
# (and 3 texts) say it so.
MAX_STATEMENTS = 4
MAX_WAYS = 8
WAY_SHARE = 0.002
SAMPLE = 2000
# A statement opens only on a cue that at least this share of the texts make.
SEED_SHARE = 0.5


@dataclass(frozen=True)
class Wording:
    """The canonical wording of texts, the similarity a text needs, and how many reach it."""

    text: str
    share: float  # of the texts written exactly so (spaces aside)
    similarity: float
    accepted: float  # share of the texts at least `similarity` similar to it


def canonical_wording(texts: Sequence[str], agree: float) -> Wording:
    """The most common wording when it is on half the texts; otherwise the one closest, on
    average, to the others (among the 40 most common, against a sample).

    The similarity needed is EXACT_SIMILARITY, so that slips pass and rewordings do not; or
    less, when `agree` of the texts need less to pass.
    """
    normalised = Counter(collapse_spaces(text) for text in texts)
    canonical, count = normalised.most_common(1)[0]
    if count / len(texts) < 0.5:
        sample = [words(text) for text in texts[:: max(1, len(texts) // 300)]]
        candidates = [text for text, _ in normalised.most_common(40)]
        canonical = max(
            candidates,
            key=lambda text: sum(similarity(words(text), other) for other in sample),
        )
        count = normalised[canonical]
    target = words(canonical)
    scores = []
    for text, times in normalised.items():
        scores.extend([similarity(words(text), target)] * times)
    scores.sort()
    cut = scores[int((1 - agree) * len(scores))]
    needed = min(EXACT_SIMILARITY, max(0.0, math.floor(cut * 100) / 100))
    accepted = sum(1 for score in scores if score >= needed) / len(scores)
    return Wording(canonical, count / len(texts), needed, accepted)


@dataclass(frozen=True)
class Cue:
    first: str
    second: str

    @property
    def pattern(self) -> str:
        return f"{_word_pattern(self.first)}[^.!?]{{0,{GAP}}}{_word_pattern(self.second)}"

    @property
    def gloss(self) -> str:
        """The pattern in words, for a comment beside it."""
        return f"{self.first} \u2026 {self.second}"


def _word_pattern(word: str) -> str:
    """A cue word as the pattern matches it: a denial as any denial (`not`, `never`,
    `doesn't`), a word of five letters or more in any of its forms (`consult` as `consulting`),
    a shorter one as it is."""
    if word in _DENIALS:
        return DENIAL
    if len(word) >= STEM_LETTERS:
        return rf"\b{re.escape(word)}\w*"
    return rf"\b{re.escape(word)}\b"


@dataclass(frozen=True)
class Statement:
    name: str
    cues: tuple[Cue, ...]
    share: float  # of the texts that make it

    @property
    def patterns(self) -> list[str]:
        return [cue.pattern for cue in self.cues]


@dataclass
class _Text:
    # Cue -> the sentences (by index) of this text that hold it.
    cues: dict[Cue, set[int]]
    # Cue -> the words from its first word to its second, as written, and the word after.
    spans: dict[Cue, tuple[str, str]]


def _cue_word(token: str) -> str:
    """A word as cues count it: casefolded, and every denial (`never`, `doesn't`) as `not`, as
    the pattern of a denial matches them all."""
    word = token.casefold()
    return "not" if word in _DENIALS or word.endswith(("n't", "n\u2019t")) else word


def _read(text: str) -> _Text:
    found = _Text(defaultdict(set), {})
    for index, sentence in enumerate(_SENTENCE_END.split(text)):
        tokens = [
            (_cue_word(match.group()), match.start(), match.end())
            for match in WORD.finditer(sentence)
        ]
        for i, (first, _, end) in enumerate(tokens):
            if first in _FILLER or not _CUE_WORD.fullmatch(first):
                continue
            for j in range(i + 1, len(tokens)):
                second, start, stop = tokens[j]
                if start - end > GAP:
                    break
                if second in _FILLER or not _CUE_WORD.fullmatch(second):
                    continue
                cue = Cue(first, second)
                found.cues[cue].add(index)
                after = tokens[j + 1][0] if j + 1 < len(tokens) else ""
                found.spans.setdefault(cue, (collapse_spaces(sentence[tokens[i][1] : stop]), after))
    return found


def _open_cues(text: _Text, claimed: set[int]) -> set[Cue]:
    return {cue for cue, sentences in text.cues.items() if sentences - claimed}


def _name(cue: Cue, texts: Sequence[_Text]) -> str:
    """The words of the cue as most texts write them, with the word that nearly always follows
    (`consult with a healthcare professional`)."""
    spans = Counter(text.spans[cue][0].casefold() for text in texts if cue in text.spans)
    span = spans.most_common(1)[0][0]
    after = Counter(text.spans[cue][1] for text in texts if cue in text.spans)
    word, times = after.most_common(1)[0]
    if word and times >= 0.8 * sum(after.values()) and _CUE_WORD.fullmatch(word):
        span = f"{span} {word}"
    return span


def _weight(cue: Cue, texts: Sequence[_Text]) -> tuple[bool, float]:
    """Of two cues that equally many texts make, the one that holds more of what is said: one
    that opens with a denial (a statement that denies loses its sense without it: `not …
    advice`, never `medical advice`), then the one whose words stand further apart."""
    spread = statistics.median(len(text.spans[cue][0]) for text in texts if cue in text.spans)
    return cue.first in _DENIALS, spread


def infer_statements(texts: Sequence[str], agree: float) -> list[Statement]:
    """What at least `agree` of the texts say, each with the ways they say it.

    Learned from at most SAMPLE texts, spread evenly over them: enough to see every way of
    saying a thing that is common, at a bounded cost.
    """
    read = [_read(text) for text in texts[:: max(1, len(texts) // SAMPLE)]]
    total = len(read)
    claimed: list[set[int]] = [set() for _ in read]
    statements: list[Statement] = []
    while len(statements) < MAX_STATEMENTS:
        open_cues = [_open_cues(text, taken) for text, taken in zip(read, claimed, strict=True)]
        made: Counter[Cue] = Counter(cue for cues in open_cues for cue in cues)
        if not made:
            break
        most = made.most_common(1)[0][1]
        if most < SEED_SHARE * total:
            break
        near = [cue for cue, count in made.items() if count >= 0.98 * most]
        seed = max(near, key=lambda cue: (*_weight(cue, read), made[cue], cue.first, cue.second))
        ways = [seed]
        said = {index for index, cues in enumerate(open_cues) if seed in cues}
        seed_words = {seed.first, seed.second}
        denies = seed.first in _DENIALS
        while len(ways) < MAX_WAYS:
            others: Counter[Cue] = Counter(
                cue
                for index, cues in enumerate(open_cues)
                if index not in said
                for cue in cues
                if (cue.first in seed_words or cue.second in seed_words)
                # A statement that denies is said only by cues that deny.
                and (cue.first in _DENIALS) >= denies
            )
            if not others:
                break
            # Of ways that say it on as many texts, the one more texts use anywhere.
            way = max(others, key=lambda cue: (others[cue], made[cue], cue.first, cue.second))
            count = others[way]
            if count < max(3, WAY_SHARE * total):
                break
            ways.append(way)
            said |= {index for index, cues in enumerate(open_cues) if way in cues}
        if len(said) < agree * total:
            break
        statements.append(Statement(_name(seed, read), tuple(ways), len(said) / total))
        for text, taken in zip(read, claimed, strict=True):
            for way in ways:
                taken.update(text.cues.get(way, ()))
    return statements


def share_making(statements: Sequence[Statement], texts: Sequence[str]) -> float:
    """The share of texts that make every statement, matched as the disclaimer rules match."""
    making = sum(1 for text in texts if all(makes_statement(s.patterns, text) for s in statements))
    return making / max(len(texts), 1)
