"""Site-wide rules (XP001-XP004): a fixture site, one-page runs, and the second engine phase."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from checker.lint.engine import Engine
from checker.lint.resolver import Overrides
from checker.lint.results import Report
from checker.lint.sitepass import site_pages, summarise_file
from checker.project.config import ConfigFinder
from checker.project.targets import Target
from checker.rules.base import SiteRule
from checker.rules.registry import rule_by_code
from checker.rules.summary import PageSummary
from tests.conftest import run_checker
from tests.rule_fixtures import FIXTURES, check_only, compare, expected_codes, site_targets

SITE = FIXTURES / "site"
CONFIG = SITE / "checker.toml"
CODES = ["XP001", "XP002", "XP003", "XP004"]


@pytest.fixture(scope="module")
def site_report() -> Report:
    return check_only("XP", site_targets(SITE / "pages"), CONFIG)


@pytest.mark.parametrize(
    "page", site_targets(SITE / "pages"), ids=lambda page: page.relative_to(SITE).as_posix()
)
def test_fixture_site_findings_are_exactly_the_expected_ones(
    site_report: Report, page: Path
) -> None:
    """Each page's findings, positions included, are those of its `.findings` file."""
    found = [v for v in site_report.violations if Path(v.path) == page]
    expected, actual = compare(page, found)
    assert actual == expected


@pytest.mark.parametrize("code", CODES)
def test_every_site_rule_has_a_case_on_the_fixture_site(code: str) -> None:
    marked = [page for page in site_targets(SITE / "pages") if code in expected_codes(page)]
    assert marked, f"the fixture site expects no finding of {code}"
    rule = rule_by_code(code)
    assert rule is not None and issubclass(rule, SiteRule) and rule.scope == "site"


def test_one_page_run_compares_against_the_rest_of_the_site() -> None:
    page = SITE / "pages" / "c" / "clonazepam-.md"
    for code in ("XP001", "XP002"):
        report = check_only(code, [page], CONFIG)
        assert [(Path(v.path).name, v.line) for v in report.violations] == [
            ("clonazepam-.md", 3)
        ], code
        assert "clonazepam.md" in report.violations[0].message


def test_site_rules_only_report_on_the_pages_being_checked() -> None:
    page = SITE / "pages" / "o" / "omega--vitamin-e.md"
    report = check_only("XP", [page], CONFIG)
    assert {Path(v.path).name for v in report.violations} == {"omega--vitamin-e.md"}


def test_without_a_config_file_the_site_is_the_pages_of_the_run(tmp_path: Path) -> None:
    for name in ("clonazepam.md", "clonazepam-.md"):
        (tmp_path / name).write_bytes((SITE / "pages" / "c" / name).read_bytes())
    alone = check_only("XP001", [tmp_path / "clonazepam-.md"], None)
    both = check_only("XP001", sorted(tmp_path.glob("*.md")), None)
    assert not alone.violations
    assert len(both.violations) == 2


def test_suppression_comment_hides_a_site_finding(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (tmp_path / "checker.toml").write_text('content-root = "pages"\n', encoding="utf-8")
    body = "\n# Same\n\n### Generic Name\nSame\n"
    (pages / "a.md").write_text(
        "---\nlayout: minimal-medicine\ntitle: Same\n---\n" + body, encoding="utf-8"
    )
    (pages / "b.md").write_text(
        "<!-- checker: disable-file XP001 -->\n---\nlayout: minimal-medicine\ntitle: Same\n---\n"
        + body,
        encoding="utf-8",
    )
    report = check_only("XP001", [pages / "a.md", pages / "b.md"], tmp_path / "checker.toml")
    assert [Path(v.path).name for v in report.violations] == ["a.md"]


def _same_title_site(tmp_path: Path, comment: str) -> tuple[Path, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    config = tmp_path / "checker.toml"
    config.write_text('content-root = "pages"\n', encoding="utf-8")
    body = "\n# Same\n\n### Generic Name\nSame\n"
    head = "---\nlayout: minimal-medicine\ntitle: Same\n---\n"
    (pages / "a.md").write_text(head + body, encoding="utf-8")
    (pages / "b.md").write_text(head + comment + "\n" + body, encoding="utf-8")
    return pages / "b.md", config


def test_a_suppression_that_hides_only_a_site_finding_is_not_unused(tmp_path: Path) -> None:
    page, config = _same_title_site(tmp_path, "<!-- checker: disable-file XP001 -->")
    report = Engine(Overrides(select=("XP001", "SP001")), ConfigFinder(config)).check(
        [Target(page, "b.md")]
    )
    assert report.violations == []
    # Without the page of the same title, the comment hides nothing, and SP001 says so.
    (page.parent / "a.md").unlink()
    report = Engine(Overrides(select=("XP001", "SP001")), ConfigFinder(config)).check(
        [Target(page, "b.md")]
    )
    assert [(v.code, v.line, v.column) for v in report.violations] == [("SP001", 5, 1)]


def test_an_expired_suppression_no_longer_hides_a_site_finding(tmp_path: Path) -> None:
    comment = '<!-- checker: disable-file XP001 reason="r" until=2001-01-01 -->'
    page, config = _same_title_site(tmp_path, comment)
    report = Engine(Overrides(select=("XP001", "SP002")), ConfigFinder(config)).check(
        [Target(page, "b.md")]
    )
    assert sorted((v.code, v.line) for v in report.violations) == [("SP002", 5), ("XP001", 3)]


def test_page_summaries_are_plain_picklable_data() -> None:
    config = ConfigFinder(CONFIG).for_path(SITE)
    summary = summarise_file(SITE / "pages" / "c" / "clonazepam-.md", config)
    assert summary.relpath == "c/clonazepam-.md"
    assert summary.title == "Clonazepam ."
    assert summary.title_line == 3
    assert pickle.loads(pickle.dumps(summary)) == summary
    others = site_pages(config, {summary.file})
    assert all(isinstance(other, PageSummary) for other in others)
    assert summary.file not in {other.file for other in others}
    assert len(others) == len(site_targets(SITE / "pages")) - 1


@pytest.mark.corpus
@pytest.mark.slow  # a site pass over a corpus folder
def test_changed_corpus_page_is_compared_with_its_site(corpus: Path, tmp_path: Path) -> None:
    """A pre-commit style run over one real page still finds its duplicates on the site."""
    config = tmp_path / "checker.toml"
    config.write_text(f"content-root = {str(corpus / 'c')!r}\n", encoding="utf-8")
    page = corpus / "c" / "clonazepam-.md"
    result = run_checker(
        "check", str(page), "--config", str(config), "--select", "XP001,XP002", "-q"
    )
    lines = result.stdout.splitlines()
    assert {line.split()[1] for line in lines} == {"XP001", "XP002"}, result.stdout
    assert all(line.startswith(str(page)) or "clonazepam-.md" in line for line in lines)
    assert all("c/clonazepam.md" in line for line in lines)
    assert result.returncode == 1  # XP001 is an error


@pytest.mark.corpus
def test_site_pass_runs_after_the_page_pass_in_one_report(corpus: Path) -> None:
    pages = [corpus / "o" / "omega.md", corpus / "o" / "omega-.md"]
    engine = Engine(Overrides(select=("CT002", "XP004")), ConfigFinder())
    report = engine.check([Target(p, p.name) for p in pages])
    by_file = {result.display: [v.code for v in result.violations] for result in report.results}
    assert by_file == {"omega.md": ["XP004", "CT002"], "omega-.md": ["XP004"]}


def test_one_page_run_takes_the_rest_of_the_site_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.rules.summary

    pages = site_targets(SITE / "pages")
    cache = tmp_path / "cache"

    def engine() -> Engine:
        return Engine(
            Overrides(select=("XP001", "XP002")),
            ConfigFinder(CONFIG),
            use_cache=True,
            cache_dir=cache,
        )

    from checker.project.targets import display_path

    # A full run fills the cache, with pages named as discovery names them.
    engine().check([Target(page, display_path(page)) for page in pages])
    read_again: list[Path] = []
    real = checker.lint.sitepass.summarise_file

    def counting(path: Path, config: object) -> PageSummary:
        read_again.append(path)
        return real(path, config)  # type: ignore[arg-type]

    monkeypatch.setattr(checker.lint.sitepass, "summarise_file", counting)
    page = SITE / "pages" / "c" / "clonazepam-.md"
    report = engine().check([Target(page, display_path(page))])
    assert read_again == []
    assert {v.code for v in report.violations} == {"XP001", "XP002"}

    # Without the cache, the rest of the site is read and summarised again.
    Engine(Overrides(select=("XP001", "XP002")), ConfigFinder(CONFIG)).check(
        [Target(page, page.name)]
    )
    assert len(read_again) == len(pages) - 1


def test_near_duplicates_of_the_checked_pages_are_those_a_whole_site_run_finds() -> None:
    """A one-page run compares only the pairs that hold its page; they must be the very pairs
    (and scores, in the same order) that comparing every page with every other gives."""
    from checker.rules.site import NearDuplicate, similar_bodies
    from checker.rules.summary import sketch

    words = [f"w{n}" for n in range(400)]

    def summary(number: int, shift: int, length: int) -> PageSummary:
        count, hashes = sketch(words[shift : shift + length])
        name = f"page-{number}.md"
        return PageSummary(name, f"/site/{name}", name, name, 1, None, "none", count, hashes)

    # Overlapping windows of one text: many pairs are near-duplicates, at many scores.
    pages = [summary(n, (n * 7) % 120, 200 + n % 5) for n in range(40)]
    options = NearDuplicate.Options(threshold=0.3)
    everything = list(similar_bodies(pages, options))
    assert len(everything) > 40
    for checked in ([0], [3, 17], [39], list(range(0, 40, 9))):
        expected = [
            (a, b, score)
            for a, b, score in everything
            if pages.index(a) in checked or pages.index(b) in checked
        ]
        assert expected
        assert list(similar_bodies(pages, options, checked)) == expected


@pytest.mark.parametrize(
    ("settings", "flagged"),
    [
        ("", ["coenzyme-q.md"]),  # the shipped pack's stems
        (
            '[rules.XP004]\nextend-numbered-stems = ["Serogroup"]\n',
            ["coenzyme-q.md", "serogroup.md"],
        ),
        ("[rules.XP004]\nnumbered-stems = []\n", []),
    ],
    ids=["pack", "extended", "none"],
)
def test_numbered_stems_come_from_the_pack_and_a_config_changes_them(
    tmp_path: Path, settings: str, flagged: list[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    config = tmp_path / "checker.toml"
    config.write_text('content-root = "pages"\n' + settings, encoding="utf-8")
    for name, title in [
        ("coenzyme-q.md", "Zinc + Coenzyme Q"),
        ("serogroup.md", "Vaccine Serogroup"),
    ]:
        body = f"---\nlayout: minimal-medicine\ntitle: {title}\n---\n\n# {title}\n"
        (pages / name).write_text(body, encoding="utf-8")
    report = check_only("XP004", sorted(pages.iterdir()), config)
    assert sorted(Path(v.path).name for v in report.violations) == flagged
