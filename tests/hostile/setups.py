"""Hostile setups: what surrounds the pages rather than the pages themselves (the cache folder,
the config's patterns, links, the output stream, the language server). Each is a `Case` run
and measured as the hostile pages are; a setup that needs an earlier run (a cache to tamper
with) makes it, unmeasured, while it builds."""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.fix_pages import V2_SECTIONS, v2_page
from tests.hostile.cases import PAGE, Case, Document, page_with_front_matter, write
from tests.hostile.run import ROOT, checker

# A page with a fixable finding (trailing whitespace on its `Used for pain.` line).
FIXABLE = v2_page(V2_SECTIONS.replace("Used for pain.", "Used for pain. "))
# 150,000 lines with trailing whitespace: seconds of work for the rules on the raw text.
SLOW = PAGE + "text \n" * 150_000
QUICK_LIMIT = "[limits]\nmax-page-seconds = 0.2\n"


BEFORE = ".before"


def _unchanged(*names: str) -> Callable[[Path, str], str | None]:
    """A check that the named files hold what `build` kept of them (in `.before/`)."""

    def verify(folder: Path, output: str) -> str | None:
        for name in names:
            path = folder / name
            if not path.is_file() or path.read_bytes() != (folder / BEFORE / name).read_bytes():
                return f"{name} changed"
        return None

    return verify


def _keep(folder: Path, name: str, data: str) -> None:
    write(folder / name, data)
    write(folder / BEFORE / name, data)


# -- the cache folder is the checker's own ---------------------------------------------------


def _project_as_cache(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    _keep(folder, ".gitignore", "build/\n")
    _keep(folder, "notes.txt", "keep me\n")
    return ["page.md", "--cache-dir", "."]


def _no_tag(folder: Path, output: str) -> str | None:
    if (folder / "CACHEDIR.TAG").exists():
        return "CACHEDIR.TAG was written into the project"
    return _unchanged(".gitignore", "notes.txt")(folder, output)


def _clean_project(folder: Path) -> list[str]:
    _project_as_cache(folder)
    return ["--cache-dir", "."]


def _symlinked_cache(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    _keep(folder, "outside/data.txt", "elsewhere\n")
    (folder / ".checker_cache").symlink_to(folder / "outside", target_is_directory=True)
    return ["page.md"]


def _outside_untouched(folder: Path, output: str) -> str | None:
    found = sorted(p.name for p in (folder / "outside").iterdir())
    if found != ["data.txt"]:
        return f"the linked folder now holds {found}"
    return _unchanged("outside/data.txt")(folder, output)


def _clean_symlinked_cache(folder: Path) -> list[str]:
    _symlinked_cache(folder)
    return []


def _foreign_cache(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    tag = "Signature: 8a477f597d28d172789f06886806bc55\n# made by another tool\n"
    _keep(folder, "other-cache/CACHEDIR.TAG", tag)
    _keep(folder, "other-cache/blob", "another tool's data\n")
    return ["page.md", "--cache-dir", "other-cache"]


def _clean_with_foreign_file(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    checker("check", "page.md", cwd=folder)  # makes .checker_cache
    _keep(folder, ".checker_cache/mine.txt", "not the checker's\n")
    return []


def _foreign_file_kept(folder: Path, output: str) -> str | None:
    if list((folder / ".checker_cache").glob("index-*.json")):
        return "the checker's index was not removed"
    return _unchanged(".checker_cache/mine.txt")(folder, output)


def _planted_link(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    checker("check", "page.md", "control.md", "--cache-dir", "cache", cwd=folder)
    (index,) = (folder / "cache").glob("index-*.json")
    _keep(folder, "victim.txt", "precious\n")
    index.unlink()
    index.symlink_to(folder / "victim.txt")
    write(folder / "page.md", PAGE + "\nChanged.\n")
    return ["page.md", "--cache-dir", "cache"]


def _link_replaced(folder: Path, output: str) -> str | None:
    (index,) = (folder / "cache").glob("index-*.json")
    if index.is_symlink():
        return "the planted link is still the index"
    return _unchanged("victim.txt")(folder, output)


class _Payload:
    """Unpickling this touches a file: a forged cache entry that would run code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (self.marker,))  # type: ignore[return-value]


def _forged_index(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE)
    checker("check", "page.md", "control.md", cwd=folder)
    (index,) = (folder / ".checker_cache").glob("index-*.json")
    index.write_bytes(pickle.dumps(_Payload(str(folder / "executed"))))
    return ["page.md"]


def _forged_clean_entry(folder: Path) -> list[str]:
    # The entry of each page rewritten to claim "no findings", for bytes that are not the page's.
    write(folder / "page.md", PAGE)
    checker("check", "page.md", "control.md", cwd=folder)
    (index,) = (folder / ".checker_cache").glob("index-*.json")
    state = json.loads(index.read_bytes())
    for entry in state["entries"].values():
        entry[1], entry[2] = None, "0" * 32
        entry[5] = {"display": entry[0], "template": None, "violations": []}
    index.write_text(json.dumps(state))
    return ["page.md"]


def _nothing_executed(folder: Path, output: str) -> str | None:
    return "the forged entry ran code" if (folder / "executed").exists() else None


def _yml_template(folder: Path) -> list[str]:
    template = folder / "shared-templates" / "drug-v2.yml"
    write(template, (ROOT / "rules" / "templates" / "drug-v2.yaml").read_text())
    write(
        folder / "pack" / "pack.yaml",
        "name: test\ndefault-template: drug-v2\ntemplates:\n  - ../shared-templates/drug-v2.yml\n",
    )
    write(folder / "checker.toml", 'pack = "pack"\n')
    write(folder / "page.md", v2_page(V2_SECTIONS))
    checker("check", "page.md", "control.md", cwd=folder)
    text = template.read_text()
    template.write_text(text.replace("  items:\n", "  items:\n    - name: Storage Conditions\n", 1))
    return ["page.md"]


# -- every step under the time limit ---------------------------------------------------------


def _timed_out_then_cached(folder: Path) -> list[str]:
    write(folder / "checker.toml", QUICK_LIMIT)
    write(folder / "page.md", SLOW)
    checker("check", "page.md", "control.md", cwd=folder)
    return ["page.md"]


def _slow_site_page(folder: Path) -> list[str]:
    write(folder / "checker.toml", QUICK_LIMIT)
    write(folder / "slow.md", SLOW.replace("Examplamine", "Slowamine"))
    write(folder / "page.md", PAGE.replace("Examplamine", "Quickamine"))
    checker("check", "page.md", "control.md", cwd=folder)
    return ["page.md"]


def _fix_only_slow(folder: Path) -> list[str]:
    write(folder / "checker.toml", "[limits]\nmax-page-seconds = 0.5\n")
    write(folder / "page.md", PAGE + " \n" * 450_000)
    return ["page.md"]


def _server_slow_fix(folder: Path) -> list[Document]:
    # Checking is quick (prose that long is read raw). Fixing the unused reference's title
    # changes the page's link references, so the fixer renders every block outside its edits
    # to prove their HTML unchanged, and parsing a run of unclosed `[` is quadratic: seconds
    # without the limit, which it stops at.
    unused = '[unused]: /url "a title   \nthat goes on"'
    text = FIXABLE.replace("### FAQs", "[" * 90_000 + f"\n\n{unused}\n\n### FAQs")
    return [Document("page.md", text, fix_all=True)]


def _server_slow_check(folder: Path) -> list[Document]:
    write(folder / "checker.toml", QUICK_LIMIT)
    return [Document("page.md", SLOW)]


# -- one regex policy ------------------------------------------------------------------------


def _config_patterns(folder: Path) -> list[str]:
    write(
        folder / "checker.toml",
        "[rules.dose-notation]\n"
        'extend = [{pattern = "(a+)+$", use = "x"}, {pattern = "(a|aa)+$", use = "y"}]\n'
        "[rules.refusal]\n"
        'patterns = ["(a|a)*$", "\\\\s*\\\\s*\\\\s*\\\\s*\\\\s*z"]\n',
    )
    write(folder / "page.md", PAGE + "\n" + "a" * 30_000 + "!\n\n" + " " * 30_000 + "y\n")
    return ["page.md", "--select", "CT005,CT002,FT001"]


def _config_lookbehind(folder: Path) -> list[str]:
    write(
        folder / "checker.toml",
        '[rules.dose-notation]\nextend = [{pattern = "(?<!x)mg", use = "x"}]\n',
    )
    write(folder / "page.md", PAGE)
    return ["page.md"]


def _pack_pattern(folder: Path) -> list[str]:
    shutil.copytree(ROOT / "rules", folder / "pack")
    template = folder / "pack" / "templates" / "drug-v2.yaml"
    text = template.read_text()
    assert "    title:\n" in text
    template.write_text(text.replace("    title:\n", "    title:\n      pattern: '(a|aa)+$'\n", 1))
    write(folder / "checker.toml", 'pack = "pack"\n')
    write(
        folder / "page.md",
        page_with_front_matter("layout: minimal-medicine\ntitle: " + "a" * 30_000 + "!"),
    )
    return ["page.md"]


def _config_not_utf8(folder: Path) -> list[str]:
    write(folder / "checker.toml", b'select = ["FT"]\n# caf\xe9\n')
    write(folder / "page.md", PAGE)
    return ["page.md"]


def _pack_impossible_date(folder: Path) -> list[str]:
    shutil.copytree(ROOT / "rules", folder / "pack")
    pack = folder / "pack" / "pack.yaml"
    pack.write_text(pack.read_text() + "\nreviewed: 2024-02-30\n")
    write(folder / "checker.toml", 'pack = "pack"\n')
    write(folder / "page.md", PAGE)
    return ["page.md"]


def _pack_underscore_key(folder: Path) -> list[str]:
    shutil.copytree(ROOT / "rules", folder / "pack")
    template = folder / "pack" / "templates" / "drug-v2.yaml"
    text = template.read_text()
    fields = "  fields:\n"
    assert fields in text
    template.write_text(text.replace(fields, fields + "    _draft:\n      type: boolean\n", 1))
    write(folder / "checker.toml", 'pack = "pack"\n')
    write(folder / "page.md", PAGE)
    return ["page.md"]


# -- writes are confined; reports are honest -------------------------------------------------


def _outside_content_root(folder: Path) -> list[str]:
    write(folder / "checker.toml", 'content-root = "content"\n')
    write(folder / "content" / "page.md", v2_page(V2_SECTIONS))
    _keep(folder, "drafts/page.md", FIXABLE)
    return ["drafts/page.md"]


def _read_only(folder: Path) -> list[str]:
    _keep(folder, "page.md", FIXABLE)
    (folder / "page.md").chmod(0o444)
    return ["page.md"]


# -- safe fixes leave code alone; lines are lines --------------------------------------------

CODE = "\n```\ncode   \nno\u00a0break\n```\n"


def _code_block(folder: Path) -> list[str]:
    write(folder / "page.md", v2_page(V2_SECTIONS + CODE))
    return ["page.md"]


def _code_kept(folder: Path, output: str) -> str | None:
    if CODE not in (folder / "page.md").read_text():
        return "the code block changed"
    return None


def _quoted_heading(folder: Path) -> list[str]:
    write(folder / "page.md", v2_page(V2_SECTIONS + "\n> A quote.\n>\n> ## Inside\n>\n> More.\n"))
    return ["page.md", "--select", "FT004"]


# Form feed, file separator, NEL and LINE SEPARATOR: line breaks to str.splitlines, not in a page.
ODD_BREAKS = v2_page(
    V2_SECTIONS.replace("Used for pain.", "Used\x0cfor\x1cpain\x85and\u2028fever. ").replace(
        "Nausea.", "Nausea. "
    )
)


def _stdin_diff(folder: Path) -> list[str]:
    write(folder / "page.md", ODD_BREAKS)
    return ["-", "--stdin-filename", "page.md", "--diff"]


def _diff_applies(folder: Path, output: str) -> str | None:
    """Apply the printed diff to the page and compare with the page with its fixes made."""
    lines = ODD_BREAKS.split("\n")
    # FT001 twice, and FT007 replaces the line separator with a space.
    expected = (
        ODD_BREAKS.replace("fever. \n", "fever.\n")
        .replace("Nausea. \n", "Nausea.\n")
        .replace("\u2028", " ")
    )
    result: list[str] = []
    at = 0
    hunks = output.split("\n@@ ")[1:]
    if not hunks:
        return "no hunk in the diff"
    for hunk in hunks:
        header, _, body = hunk.partition("\n")
        old = header.split()[0].lstrip("-").split(",")
        start, count = int(old[0]) - 1, int(old[1]) if len(old) > 1 else 1
        result += lines[at:start]
        at = start
        seen = 0
        for row in body.split("\n"):
            if seen == count and not row.startswith("+"):
                break
            if row.startswith(("-", " ")):
                if lines[at] != row[1:]:
                    return f"line {at + 1} of the diff does not match the page"
                at += 1
                seen += 1
                if row.startswith(" "):
                    result.append(row[1:])
            elif row.startswith("+"):
                result.append(row[1:])
    result += lines[at:]
    return None if "\n".join(result) == expected else "the diff does not make the fixed page"


def _stdin_baseline(folder: Path) -> list[str]:
    write(folder / "page.md", ODD_BREAKS)
    page = (folder / "page.md").read_bytes()
    checker(
        "check",
        "-",
        "--stdin-filename",
        "page.md",
        "--write-baseline",
        "baseline.json",
        cwd=folder,
        stdin=page,
    )
    return ["-", "--stdin-filename", "page.md", "--baseline", "baseline.json"]


# -- output never crashes; the language server answers every document -------------------------


def _ascii_stdout(folder: Path) -> list[str]:
    write(folder / "page.md", PAGE.replace("# Examplamine", "# Exämplamine"))
    return ["page.md"]


def _server_surrogate(folder: Path) -> list[Document]:
    return [Document("page.md", PAGE + "Dose \ud800 here.\n")]


def _server_nul_uri(folder: Path) -> list[Document]:
    return [Document("pa%00ge.md", PAGE.replace("mouth.", "mouth. "))]


SETUPS: tuple[Case, ...] = (
    Case(
        "cache-dir-is-the-project",
        "`--cache-dir .`: the project folder as the cache (wrote CACHEDIR.TAG and overwrote "
        "`.gitignore` with `*`)",
        _project_as_cache,
        ("checker did not make",),
        exit_code=2,
        control=False,
        verify=_no_tag,
        notes="nothing in the project is written",
    ),
    Case(
        "clean-the-project",
        "`checker clean --cache-dir .` (deleted every file of the project, then crashed on "
        "`rmdir('.')`)",
        _clean_project,
        ("not a checker cache", "nothing was removed"),
        exit_code=2,
        command="clean",
        verify=_unchanged(".gitignore", "notes.txt"),
    ),
    Case(
        "cache-folder-symlink",
        "a committed `.checker_cache` that is a symbolic link to a folder outside (the cache "
        "was written there)",
        _symlinked_cache,
        ("the cache folder is a symbolic link",),
        exit_code=2,
        control=False,
        verify=_outside_untouched,
        notes="the folder it points to is untouched",
    ),
    Case(
        "clean-symlinked-cache",
        "`checker clean` with `.checker_cache` a symbolic link (a traceback)",
        _clean_symlinked_cache,
        ("is a symbolic link, not a checker cache; nothing was removed",),
        exit_code=2,
        command="clean",
        verify=_outside_untouched,
    ),
    Case(
        "another-tools-cache",
        "`--cache-dir` naming another tool's cache (a CACHEDIR.TAG not the checker's)",
        _foreign_cache,
        ("checker did not make",),
        exit_code=2,
        control=False,
        verify=_unchanged("other-cache/CACHEDIR.TAG", "other-cache/blob"),
    ),
    Case(
        "clean-keeps-foreign-files",
        "`checker clean` of a cache folder that also holds a file the checker did not make",
        _clean_with_foreign_file,
        ("left 1",),
        exit_code=0,
        command="clean",
        verify=_foreign_file_kept,
        notes="the checker's own files are removed, the other file and so the folder stay",
    ),
    Case(
        "cache-planted-link",
        "the cache's index replaced by a symbolic link to another file",
        _planted_link,
        ("page.md:",),
        verify=_link_replaced,
        notes="the index is written anew; the linked file is untouched",
    ),
    Case(
        "cache-forged-pickle",
        "the cache's index replaced by a pickle that runs code when loaded (entries were "
        "unpickled before their key was compared)",
        _forged_index,
        ("page.md:",),
        verify=_nothing_executed,
        notes="the index is data (JSON checked against its types): ignored, rebuilt, never run",
    ),
    Case(
        "cache-forged-clean-entry",
        "every entry of the cache's index rewritten to say the page has no findings",
        _forged_clean_entry,
        ("page.md:6:1: ST001",),
        notes="the entries' digests are not the pages': checked again",
    ),
    Case(
        "cache-template-outside-pack",
        "a `*.yml` template outside the pack folder, changed after a cached run (the cache "
        "passed the page)",
        _yml_template,
        ("page.md:", "Storage Conditions"),
        notes="every file the pack loader read is in the cache key",
    ),
    Case(
        "time-limit-cached",
        "a page that ran out of time (`max-page-seconds = 0.2`), checked again unchanged",
        _timed_out_then_cached,
        ("page.md:1:1: IO001", "limits.max-page-seconds"),
        notes="the finding comes from the cache: the page costs no time until it or the limit "
        "changes",
    ),
    Case(
        "slow-site-page",
        "a one-page run beside a page too slow to summarise for the site rules "
        "(`max-page-seconds = 0.2`), the second run",
        _slow_site_page,
        ("page.md:",),
        absent=("slow.md",),
        notes="the slow page is remembered as left out of the site: the run does not wait "
        "for it again",
    ),
    Case(
        "fix-only-time-limit",
        "`--fix-only` of 450,000 lines of trailing spaces (`max-page-seconds = 0.5`; fixing "
        "had no time limit)",
        _fix_only_slow,
        ("page.md:1:1: not fixed: fixing took over 0.5 s",),
        extra_args=("--fix-only",),
        control=False,
    ),
    Case(
        "server-fix-all-time-limit",
        "the language server's fix-all on a page of 90,000 unclosed `[`, a trailing space and "
        "a link reference whose title has one (fixing took seconds, with no time limit)",
        lambda folder: ["--debounce", "0"],
        ("page.md:", "FT001", "page.md: fix-all actions offered: 0"),
        exit_code=0,
        command="server",
        documents=_server_slow_fix,
        notes="fixing stops at the limit, in the server's thread, and no fix is offered",
    ),
    Case(
        "server-slow-page",
        "the language server on a page that takes seconds to check (`max-page-seconds = 0.2`)",
        lambda folder: ["--debounce", "0"],
        ("page.md:1:1: IO001", "limits.max-page-seconds"),
        # The server keeps no result of an open document: its finding says nothing of a cache.
        absent=("cache",),
        exit_code=0,
        command="server",
        documents=_server_slow_check,
    ),
    Case(
        "config-backtracking-patterns",
        "CT005 `extend` and CT002 `patterns` in the config set to `(a+)+$`, `(a|aa)+$`, "
        "`(a|a)*$`, `\\s*\\s*\\s*\\s*\\s*z`, on 30,000 `a`s and 30,000 spaces (`re` took "
        "seconds on 30 characters)",
        _config_patterns,
        ("control.md",),
        absent=("page.md:1:1: IO001", "IE001"),
        notes="matched on RE2, in linear time",
    ),
    Case(
        "config-lookbehind-pattern",
        "a lookbehind in a config pattern (linear-time matching cannot run it)",
        _config_lookbehind,
        ("checker.toml: rules.CT005.extend.0.pattern", "lookbehind"),
        exit_code=2,
        control=False,
    ),
    Case(
        "pack-backtracking-pattern",
        "a template field `pattern: '(a|aa)+$'` in the rule pack, on a title of 30,000 `a`s",
        _pack_pattern,
        ("page.md:3:1: FM003",),
        notes="matched on RE2, in linear time",
    ),
    Case(
        "config-not-utf8",
        "a `checker.toml` that is not UTF-8 (a traceback; found by the config fuzz target)",
        _config_not_utf8,
        ("checker.toml: the config file is not UTF-8",),
        exit_code=2,
        control=False,
    ),
    Case(
        "pack-impossible-date",
        "a rule-pack value PyYAML cannot build (`2024-02-30`; a traceback)",
        _pack_impossible_date,
        ("pack.yaml", "cannot be read"),
        exit_code=2,
        control=False,
    ),
    Case(
        "pack-underscore-key",
        "a template's front-matter key `_draft` (pydantic refuses the name: FM003 crashed on "
        "every page; found by the config fuzz target)",
        _pack_underscore_key,
        ("page.md:1:1: FM003", "required key `_draft` is missing"),
        absent=("IE001",),
    ),
    Case(
        "fix-outside-content-root",
        "`--fix` of a page outside the content root (it was written, and counted as fixed)",
        _outside_content_root,
        ("not written: the file lies outside the content root", "(0 fixed, 3 remaining"),
        extra_args=("--fix",),
        verify=_unchanged("drafts/page.md"),
        control=False,
        control_page=False,
    ),
    Case(
        "fix-read-only-page",
        "`--fix` of a read-only page (reported as fixed, exit 0)",
        _read_only,
        ("not written", "Found 1 violation in 1 file checked (0 fixed, 1 remaining"),
        extra_args=("--fix",),
        verify=_unchanged("page.md"),
        control=False,
        control_page=False,
    ),
    Case(
        "fix-code-block",
        "`--fix` of trailing spaces and a no-break space inside a fenced code block (the "
        "safe fix changed the code)",
        _code_block,
        ("page.md:",),
        extra_args=("--fix",),
        verify=_code_kept,
        control=False,
        notes="whitespace fixes inside code are unsafe: the code block is left as it is",
    ),
    Case(
        "heading-in-block-quote",
        "a heading inside a block quote, between `>` lines (FT004: no blank line around it)",
        _quoted_heading,
        ("All checks passed",),
        absent=("page.md",),
        exit_code=0,
        control=False,
        notes="no finding: the `>` lines count as blank",
    ),
    Case(
        "stdin-odd-line-breaks-diff",
        "`--diff` of a page from standard input with form feed, `\\x1c`, `\\x85` and U+2028 "
        "(a malformed patch: `splitlines` split lines the page does not)",
        _stdin_diff,
        ("--- a/page.md", "+++ b/page.md"),
        stdin="page.md",
        verify=_diff_applies,
        notes="the patch applies and makes the fixed page",
    ),
    Case(
        "stdin-odd-line-breaks-baseline",
        "the same page from standard input, checked against a baseline of its own findings "
        "(the baselined finding came back)",
        _stdin_baseline,
        ("hidden by the baseline",),
        absent=("page.md:",),
        exit_code=0,
        stdin="page.md",
    ),
    Case(
        "ascii-stdout",
        "a standard output that can only encode ASCII, and a finding that quotes `Exämplamine` "
        "(UnicodeEncodeError)",
        _ascii_stdout,
        ("Ex?mplamine",),
        env=(("PYTHONIOENCODING", "ascii"),),
    ),
    Case(
        "server-lone-surrogate",
        'the language server and a document holding a lone surrogate ("Error in server", no '
        "diagnostics)",
        lambda folder: ["--debounce", "0"],
        ("page.md:11:1: IO001", "not valid UTF-8"),
        exit_code=0,
        command="server",
        documents=_server_surrogate,
    ),
    Case(
        "server-nul-in-uri",
        'the language server and a document whose URI holds `%00` ("Error in server")',
        lambda folder: ["--debounce", "0"],
        ("pa%00ge.md:", "FT001"),
        exit_code=0,
        command="server",
        documents=_server_nul_uri,
    ),
)

assert len({case.name for case in SETUPS}) == len(SETUPS)
