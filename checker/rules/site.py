"""Site-wide rules: what is wrong between pages (duplicates) or with a page's place on the site."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import chain, combinations
from pathlib import PurePosixPath

from pydantic import Field

from checker.rules.base import RuleOptions, Severity, SiteRule, Violation
from checker.rules.summary import PageSummary, similarity


def normalise_title(title: str) -> str:
    """Titles compare case-folded, NFKC, with punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


def _others(group: list[PageSummary], page: PageSummary, limit: int = 3) -> str:
    names = [other.path for other in group if other is not page]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class DuplicateTitle(SiteRule):
    """## What it checks
    No two pages of the site share a title once case, spacing and punctuation are ignored
    ("Clonazepam" and "Clonazepam ." are the same title). Every page of such a group is
    reported, naming the others.

    ## Why
    Two pages with one title split readers and search engines between two versions of the
    same drug page, and usually one of them is a damaged copy.

    ## Example
    `c/clonazepam.md` with `title: Clonazepam` and `c/clonazepam-.md` with
    `title: Clonazepam .`.
    """

    code = "XP001"
    name = "duplicate-title"
    summary = "Two pages have the same title"
    default_severity = Severity.ERROR

    class Options(RuleOptions):
        pass

    def check_site(self, pages: Sequence[PageSummary], options: Options) -> Iterator[Violation]:
        groups: dict[str, list[PageSummary]] = defaultdict(list)
        for page in pages:
            key = normalise_title(page.title)
            if key:
                groups[key].append(page)
        for group in groups.values():
            if len(group) < 2:
                continue
            for page in group:
                yield self.site_violation(
                    page,
                    f"title {page.title!r} is also the title of {_others(group, page)}; "
                    "keep one page per drug and remove or rename the others",
                )


def name_key(relpath: str) -> str:
    """A file name with its digits and punctuation dropped, as damaged names look."""
    return re.sub(r"[\W\d_]+", "", PurePosixPath(relpath).stem.casefold())


class NearDuplicate(SiteRule):
    """## What it checks
    Pages that are copies of each other:

    - by name: file names that are the same once digits and punctuation are dropped, where at
      least one of the two has no digits left (`clonazepam.md` and `clonazepam-.md`, a name
      that lost its digits; but not `vaccine-10-valent.md` and `vaccine-13-valent.md`), and
      both or neither are strength pages (`albendazole-125mg.md` is not a copy of
      `albendazole.md`);
    - by body: pages whose bodies (without the H1, the disclaimer and the note) share most of
      their wording. Each body is cut into overlapping 4-word shingles and fingerprinted with a
      64-hash bottom-k MinHash; two pages are near-duplicates when the estimated Jaccard
      similarity of their shingle sets is at least `threshold` (default 0.6). Bodies with fewer
      than `min-shingles` shingles are not compared.

    Every page of a pair or group is reported, naming the others.

    ## Why
    Generated sites end up with the same drug under two names, one of them damaged. Readers
    find two versions that disagree, and search engines rank neither.

    ## Example
    `c/clonazepam.md` beside `c/clonazepam-.md` (title "Clonazepam .").
    """

    code = "XP002"
    name = "near-duplicate"
    summary = "Pages whose names or bodies are near-identical"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        by_name: bool = True
        by_body: bool = True
        threshold: float = Field(default=0.6, ge=0.0, le=1.0)
        min_shingles: int = Field(default=40, ge=1)
        # A shingle shared by more pages than this is boilerplate and proposes no pairs.
        max_common: int = Field(default=30, ge=2)

    def check_site(self, pages: Sequence[PageSummary], options: Options) -> Iterator[Violation]:
        return self.check_site_for(pages, options, None)

    def check_site_for(
        self, pages: Sequence[PageSummary], options: Options, checked: Collection[int] | None
    ) -> Iterator[Violation]:
        reported: set[tuple[str, str]] = set()
        if options.by_name:
            groups: dict[str, list[PageSummary]] = defaultdict(list)
            for page in pages:
                key = name_key(page.relpath)
                if key:
                    groups[key].append(page)
            for group in groups.values():
                for page, partners in _lost_digit_partners(group):
                    reported.update((page.file, other.file) for other in partners)
                    yield self.site_violation(
                        page,
                        f"file name differs from {_others(partners, page)} only by digits or "
                        "punctuation; merge the pages or restore the lost characters",
                    )
        if options.by_body:
            for first, second, score in similar_bodies(pages, options, checked):
                if (first.file, second.file) in reported:
                    continue
                for page, other in ((first, second), (second, first)):
                    yield self.site_violation(
                        page,
                        f"body is {score:.0%} similar to {other.path} (estimated Jaccard "
                        f"similarity of 4-word shingles, threshold {options.threshold:.0%}); "
                        "merge the pages or make them distinct",
                    )


# A strength in a file name: a number standing as its own part of the name, with or without a
# unit (`albendazole-125mg`, `adapalene-0-1-`), unlike digits that belong to a name (`q10`).
_STRENGTH = re.compile(r"(?:^|-)\d+(?:-\d+)*(?:mg|mcg|g|ml|iu|w|v|mg-ml)?(?=-|$)")


def is_strength_name(relpath: str) -> bool:
    """A page about one strength of a product, named with its dose: it is compared only with
    other strength pages, never with the product's composition page."""
    return bool(_STRENGTH.search(PurePosixPath(relpath).stem.casefold()))


def _lost_digit_partners(
    group: list[PageSummary],
) -> Iterator[tuple[PageSummary, list[PageSummary]]]:
    """Pages of a name group with the pages they may be a damaged copy of.

    Two names pair when at least one of them has no digits left: `coenzyme-q` and
    `coenzyme-q10` pair, but `vaccine-10-valent` and `vaccine-13-valent` name two products. Like
    is compared with like: a strength page (`adapalene-0-1-`) never pairs with a composition
    page (`adapalene`).
    """
    if len(group) < 2:
        return
    bare = [not re.search(r"\d", PurePosixPath(page.relpath).stem) for page in group]
    strength = [is_strength_name(page.relpath) for page in group]
    for position, page in enumerate(group):
        partners = [
            other
            for index, other in enumerate(group)
            if index != position
            and (bare[position] or bare[index])
            and strength[position] == strength[index]
        ]
        if partners:
            yield page, partners


def similar_bodies(
    pages: Sequence[PageSummary],
    options: NearDuplicate.Options,
    checked: Collection[int] | None = None,
) -> Iterator[tuple[PageSummary, PageSummary, float]]:
    """Pairs of pages over the threshold, found through shared sketch hashes (no all-pairs).

    With `checked` (indexes into `pages`), only the pairs that hold a checked page: the same
    pairs, in the same order, as those of all pages that hold one."""
    eligible = [page.shingles >= options.min_shingles for page in pages]
    counts = Counter(
        chain.from_iterable(page.sketch for page, ok in zip(pages, eligible, strict=True) if ok)
    )
    # A hash of one page pairs nothing; one shared by many pages is boilerplate.
    useful = {value for value, count in counts.items() if 1 < count <= options.max_common}
    if checked is not None:
        wanted: set[int] = set()
        for number in checked:
            if eligible[number]:
                wanted.update(pages[number].sketch)
        useful &= wanted
    index: dict[int, list[int]] = defaultdict(list)
    for number, page in enumerate(pages):
        if eligible[number]:
            for value in useful.intersection(page.sketch):
                index[value].append(number)
    shared: Counter[tuple[int, int]] = Counter()
    focus = None if checked is None else set(checked)
    for members in index.values():
        pairs: Iterable[tuple[int, int]] = combinations(members, 2)
        if focus is not None:
            pairs = (pair for pair in pairs if pair[0] in focus or pair[1] in focus)
        shared.update(pairs)
    # A pair over the threshold shares at least about threshold * k of its sketch hashes.
    floor = max(2, int(options.threshold * 64 * 0.5))
    for left, right in sorted(pair for pair, count in shared.items() if count >= floor):
        score = similarity(pages[left].sketch, pages[right].sketch)
        if score >= options.threshold:
            yield pages[left], pages[right], score


def title_slug(title: str) -> str:
    """The site's slug of a title: lower case, ` + ` and spaces as `-`, other signs dropped.

    This is how the site's generator named files: "Amitriptyline + Methylcobalamin" gives
    `amitriptyline-methylcobalamin`, "Ringer's lactate" gives `ringers-lactate`, and
    "Clonazepam ." gives `clonazepam-`.
    """
    text = unicodedata.normalize("NFKC", title).casefold().strip()
    text = re.sub(r"\s+\+\s+", "-", text)
    text = re.sub(r"\s+", "-", text)
    return re.sub(r"[^a-z0-9-]", "", text)


class FilenameSlug(SiteRule):
    """## What it checks
    The file name is the slug of the page's title under the template's `slug` rule. With
    `slug: title` the slug is the title in lower case, with ` + ` and spaces turned into `-`
    and every other sign dropped ("Amitriptyline + Methylcobalamin" lives in
    `amitriptyline-methylcobalamin.md`). Templates with `slug: none` are not checked. Names in
    `ignore-suffixes` (such as `_trunc`) are compared without that suffix.

    The rule is opt-in, since not every site names files after titles: turn it on with
    `extend-select = ["XP003"]`.

    ## Why
    Links and redirects are built from titles; a page whose file name drifted from its title
    is hard to find and easy to duplicate.

    ## Example
    `a/aspirin.md` whose title is `Acetylsalicylic Acid`.
    """

    code = "XP003"
    name = "filename-slug"
    summary = "The file name is not the slug of the title"
    default_severity = Severity.WARNING
    opt_in = True

    class Options(RuleOptions):
        ignore_suffixes: list[str] = ["_trunc"]

    def check_site(self, pages: Sequence[PageSummary], options: Options) -> Iterator[Violation]:
        for page in pages:
            if page.slug != "title" or not page.title:
                continue
            name = PurePosixPath(page.relpath).stem
            stem = name
            for suffix in options.ignore_suffixes:
                stem = stem.removesuffix(suffix)
            expected = title_slug(page.title)
            # A suffixed name was cut short on purpose: it only has to start the slug.
            if stem == expected or (stem != name and expected.startswith(stem)):
                continue
            yield self.site_violation(
                page,
                f"file name {stem!r} is not the slug of the title {page.title!r}; "
                f"rename the file to {expected + '.md'!r} or fix the title",
            )


class TruncatedName(SiteRule):
    """## What it checks
    A title that shows lost characters: it, or one of its ` + ` parts, ends in one of
    `endings` (`-`, ` .`, `(`, `,`, `/`, `&`, `+`), as in "Omega-" (from "Omega-3") or
    "Pyridoxal- + Rosuvastatin"; a part ends in one of `numbered-stems`, names that never
    stand without their number ("Coenzyme Q" from "Coenzyme Q10"); or a part that looks cut
    appears twice, as in "Vitamin B + Vitamin B" (from "Vitamin B12 + Vitamin B6"). A
    repeated part looks cut when it ends in a lone letter or a numbered stem; a complete
    name repeated ("Apremilast + Apremilast + Apremilast", a kit or a dose-step pack) passes.

    ## Why
    Digits and signs were stripped from names somewhere in the pipeline; the page then
    describes the wrong drug, or a drug that does not exist.

    ## Example
    `o/omega-.md` with `title: Omega-`.
    """

    code = "XP004"
    name = "truncated-name"
    summary = "A title that ends in '-', ' .' or another sign of lost characters"
    default_severity = Severity.WARNING

    class Options(RuleOptions):
        endings: list[str] = ["-", " .", "(", ",", "/", "&", "+"]
        numbered_stems: list[str] = []
        repeated_parts: bool = True

    def check_site(self, pages: Sequence[PageSummary], options: Options) -> Iterator[Violation]:
        stems = _stem_pattern(tuple(options.numbered_stems))
        for page in pages:
            problem = truncation(page.title, options.endings, options.repeated_parts, stems)
            if problem:
                yield self.site_violation(
                    page,
                    f"title {page.title!r} looks truncated: {problem}; restore the full name",
                )


@functools.lru_cache(maxsize=8)
def _stem_pattern(stems: tuple[str, ...]) -> re.Pattern[str] | None:
    if not stems:
        return None
    words = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?:^|\s)(?:{words})$", re.IGNORECASE)


# A part that ends in a lone letter ("Vitamin B", "Coenzyme Q") may have lost its digits.
_LONE_LETTER = re.compile(r"(?:^|\s)[A-Za-z]$")


def truncation(
    title: str,
    endings: list[str],
    repeated_parts: bool,
    stems: re.Pattern[str] | None = None,
) -> str | None:
    title = title.strip()
    if not title:
        return None
    parts = re.split(r"\s+\+\s+", title)
    for part in [title, *parts]:
        for ending in endings:
            if part.endswith(ending):
                return f"{part!r} ends in {ending.strip()!r}"
    for part in parts:
        if stems is not None and stems.search(part.strip()):
            return f"{part!r} lacks the number its name takes"
    if repeated_parts:
        seen: set[str] = set()
        for part in parts:
            key = normalise_title(part)
            if key and key in seen and _LONE_LETTER.search(part.strip()):
                return f"{part!r} appears twice"
            seen.add(key)
    return None
