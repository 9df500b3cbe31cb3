"""Hostile inputs, made by generators at test time (no large file is kept in the repository).

Each case builds its files in an empty folder and returns the command-line arguments to check
them. Every run also checks `control.md`, an ordinary page with one known finding, so a case
passes only if the rest of the run carried on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FRONT_MATTER = "---\nlayout: minimal-medicine\ntitle: Examplamine\n---\n"
BODY = "\n# Examplamine\n\n### Usage\n\nTaken by mouth.\n"
PAGE = FRONT_MATTER + BODY
# The control page's known finding: trailing whitespace on its line 10.
CONTROL = FRONT_MATTER + "\n# Control\n\n### Usage\n\nTaken by mouth. \n"
CONTROL_FINDING = "control.md:10:16: FT001"
MB = 1_000_000


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def page_with_front_matter(yaml_text: str) -> str:
    return "---\n" + yaml_text + "\n---\n" + BODY


@dataclass(frozen=True)
class Case:
    name: str
    threat: str
    build: Callable[[Path], list[str]]
    # Substrings that must appear in the output (standard output then standard error).
    expect: tuple[str, ...]
    exit_code: int = 1
    # A path (relative to the case folder) removed after discovery and before reading.
    delete_after_discovery: str | None = None
    # Run the checker without root's power to read any file (so that file modes apply).
    unprivileged: bool = False
    notes: str = ""
    extra_args: tuple[str, ...] = field(default=())
    # Substrings that must not appear in the output.
    absent: tuple[str, ...] = ()
    # Whether the control page's finding must be reported (not when the run fixes it, or is
    # refused before any page is checked).
    control: bool = True
    # Whether the control page is part of the run at all (not when a fix run would write it).
    control_page: bool = True
    # The subcommand run (`check` is run with the control page and concise output; any other
    # command with the arguments alone), and what it runs with.
    command: str = "check"
    env: tuple[tuple[str, str], ...] = ()
    # A file (relative to the case folder) given as standard input; such a run has no control
    # page, since `-` stands alone.
    stdin: str | None = None
    # After the run: what went wrong in the folder or the output (a file written that must not
    # be, say), or None.
    verify: Callable[[Path, str], str | None] | None = None
    # A language-server session instead of a command: the documents to open (see
    # `tests/hostile/run.py`); `build` writes the files and returns the server's arguments.
    documents: Callable[[Path], list[Document]] | None = None

    @property
    def with_control(self) -> bool:
        return (
            self.control_page
            and self.command == "check"
            and self.stdin is None
            and self.documents is None
        )

    def passed(self, exit_code: int, output: str, folder: Path | None = None) -> bool:
        return self.problem(exit_code, output, folder) is None

    def problem(self, exit_code: int, output: str, folder: Path | None = None) -> str | None:
        """What is wrong with an outcome, or None when the case passed."""
        if exit_code != self.exit_code:
            return f"exit code {exit_code}, expected {self.exit_code}"
        for expected in self.expect:
            if expected not in output:
                return f"{expected!r} is not in the output"
        for unwanted in self.absent:
            if unwanted in output:
                return f"{unwanted!r} is in the output"
        if self.control and self.with_control and CONTROL_FINDING not in output:
            return "the control page's finding is missing: the run did not carry on"
        if "Traceback" in output:
            return "a traceback"
        if self.verify is not None and folder is not None:
            return self.verify(folder, output)
        return None


@dataclass(frozen=True)
class Document:
    """A document a language-server case opens: its URI (relative to the case folder unless
    it has a scheme), its text, and whether to ask for the fix-all action once it is checked."""

    uri: str
    text: str
    fix_all: bool = False


def _billion_laughs(root: Path) -> list[str]:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    write(root / "page.md", page_with_front_matter("\n".join(lines)))
    return ["page.md"]


def _deep_flow(root: Path) -> list[str]:
    depth = 10_000
    write(root / "page.md", page_with_front_matter("x: " + "[" * depth + "]" * depth))
    return ["page.md"]


def _deep_flow_limit(root: Path) -> list[str]:
    # As deep as the front-matter size limit allows: libyaml's composer crashed on this.
    depth = 31_000
    write(root / "page.md", page_with_front_matter("x: " + "[" * depth + "]" * depth))
    return ["page.md"]


def _deep_block(root: Path) -> list[str]:
    write(root / "page.md", page_with_front_matter("x:\n" + "- " * 10_000 + "deep"))
    return ["page.md"]


def _front_matter_10mb(root: Path) -> list[str]:
    value = "word " * (10 * MB // 5)
    write(root / "page.md", page_with_front_matter(f"title: Examplamine\nsummary: {value}"))
    return ["page.md"]


def _front_matter_over_limit(root: Path) -> list[str]:
    # Within the file-size limit, so the front-matter limit is what stops it.
    value = "word " * 20_000
    write(root / "page.md", page_with_front_matter(f"title: Examplamine\nsummary: {value}"))
    return ["page.md"]


def _python_tag(root: Path) -> list[str]:
    marker = root / "executed"
    tag = f"!!python/object/apply:os.system ['touch {marker}']"
    write(root / "page.md", page_with_front_matter(f"title: {tag}"))
    return ["page.md"]


def _impossible_date(root: Path) -> list[str]:
    write(root / "page.md", page_with_front_matter("title: Examplamine\nreviewed: 2024-02-30"))
    return ["page.md"]


def _page_50mb(root: Path) -> list[str]:
    line = "Taken by mouth with water, twice a day. " * 2 + "\n"
    with (root / "page.md").open("w", encoding="utf-8") as handle:
        handle.write(PAGE)
        handle.write(line * (50 * MB // len(line)))
    return ["page.md"]


def _one_line_5mb(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "word " * (MB))
    return ["page.md"]


def _one_line_under_limit(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "word " * 190_000)
    return ["page.md"]


def _deep_list(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "\n" + "- " * 10_000 + "deep\n")
    return ["page.md"]


def _deep_indented_list(root: Path) -> list[str]:
    # Nesting written with indentation, as editors do, well past the limit.
    lines = "".join("  " * level + "- item\n" for level in range(300))
    write(root / "page.md", PAGE + "\n" + lines)
    return ["page.md"]


def _deep_blockquote(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "\n" + ">" * 10_000 + " deep\n")
    return ["page.md"]


def _unclosed_brackets(root: Path) -> list[str]:
    # markdown-it-py takes time quadratic in a run of unclosed `[`.
    write(root / "page.md", PAGE + "\n" + "[" * 90_000 + "\n")
    return ["page.md"]


def _line_of_spaces(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "\n" + " " * 30_000 + "y\n")
    return ["page.md"]


def _dense_table(root: Path) -> list[str]:
    row = "|x" * 500 + "|\n"
    table = "|a" * 500 + "|\n" + "|-" * 500 + "|\n" + row * 900
    write(root / "page.md", PAGE + "\n" + table)
    return ["page.md"]


def _many_sections(root: Path) -> list[str]:
    # Timed without the time limit: the section index must stay linear in the section count.
    write(root / "checker.toml", "[limits]\nmax-page-seconds = 0\n")
    write(root / "page.md", PAGE + "\n### Usage\n\ntext\n" * 4_000)
    return ["page.md"]


def _many_findings(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "text \n" * 150_000)
    return ["page.md"]


def _nul_bytes(root: Path) -> list[str]:
    write(root / "page.md", PAGE.encode() + b"\x00\x01\x02binary\x00")
    return ["page.md"]


def _invalid_utf8(root: Path) -> list[str]:
    write(root / "page.md", PAGE.encode() + b"caf\xe9 \xff\xfe\n")
    return ["page.md"]


def _utf16_bom(root: Path) -> list[str]:
    write(root / "page.md", PAGE.encode("utf-16"))
    return ["page.md"]


def _cr_only(root: Path) -> list[str]:
    write(root / "page.md", PAGE.replace("\n", "\r"))
    return ["page.md"]


def _symlink_loop(root: Path) -> list[str]:
    tree = root / "tree"
    write(tree / "page.md", PAGE)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "a.md").symlink_to(tree / "b.md")
    (tree / "b.md").symlink_to(tree / "a.md")
    return ["tree"]


def _vanishing(root: Path) -> list[str]:
    write(root / "tree" / "gone.md", PAGE)
    write(root / "tree" / "page.md", PAGE)
    return ["tree"]


def _unreadable(root: Path) -> list[str]:
    path = write(root / "page.md", PAGE)
    path.chmod(0)
    return ["page.md"]


def _fifo(root: Path) -> list[str]:
    os.mkfifo(root / "pipe.md")
    return ["pipe.md"]


def _directory_named_md(root: Path) -> list[str]:
    write(root / "folder.md" / "inner.md", PAGE + "Trailing. \n")
    return ["folder.md"]


def _odd_names(root: Path) -> list[str]:
    for name in ("with space.md", "naïve-ß-日本.md", "new\nline.md"):
        write(root / "odd" / name, PAGE + "Trailing. \n")
    return ["odd"]


def _missing_path(root: Path) -> list[str]:
    return ["no-such-page.md"]


def _title_number(prefix: str, digits: str) -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        write(
            root / "page.md",
            page_with_front_matter(f"layout: minimal-medicine\ntitle: {prefix}{digits}"),
        )
        return ["page.md"]

    return build


def _duplicate_key(root: Path) -> list[str]:
    write(root / "page.md", page_with_front_matter("title: Examplamine\ntitle: Examplamol"))
    return ["page.md"]


def _bidi_controls(root: Path) -> list[str]:
    # Displayed, the reversed run reads "600 mg"; its source says "006".
    body = "\n# Examplamine\n\n### Usage\n\nTake \u202e006\u202c mg daily, with\u00adwater.\n"
    write(root / "page.md", FRONT_MATTER + body)
    return ["page.md"]


# A page whose title no other page of a case shares (the control page's is Examplamine).
TWIN = PAGE.replace("Examplamine", "Twinamine")


def _same_page_twice(root: Path) -> list[str]:
    write(root / "a" / "x.md", TWIN)
    (root / "b").mkdir()
    return ["a/x.md", "a/../a/x.md", "b/../a/x.md"]


def _symlinked_page(root: Path) -> list[str]:
    # A page by its front matter, with a fix to make, behind a link with a Markdown name.
    write(root / "settings.toml", "---\ntitle: Notes\n---\nx = 1   \n")
    (root / "notes.md").symlink_to("settings.toml")
    return ["notes.md"]


def _nested_content_root(root: Path) -> list[str]:
    write(root / "checker.toml", 'content-root = "content"\n')
    write(root / "content" / "checker.toml", 'content-root = "/"\n')
    write(root / "content" / "page.md", TWIN)
    # Same title, outside the project's content root: not part of the site.
    write(root / "drafts" / "copy.md", TWIN)
    return ["content/page.md"]


def _unwritable_output(root: Path) -> list[str]:
    write(root / "page.md", PAGE)
    return ["page.md"]


def _fix_unclosed_brackets(root: Path) -> list[str]:
    write(root / "page.md", PAGE + "[" * 90_000 + "\n")
    return ["page.md"]


def _fix_trailing_spaces(root: Path) -> list[str]:
    write(root / "checker.toml", "[limits]\nmax-page-seconds = 0.5\n")
    write(root / "page.md", PAGE + " \n" * 450_000)
    return ["page.md"]


CASES: tuple[Case, ...] = (
    Case(
        "billion-laughs",
        "front matter with a billion-laughs alias bomb",
        _billion_laughs,
        ("page.md:1:1: FM002", "limits.max-yaml-nodes"),
    ),
    Case(
        "front-matter-deep-flow",
        "front matter: `[` nested 10,000 deep",
        _deep_flow,
        ("page.md:1:1: FM002", "limits.max-nesting"),
    ),
    Case(
        "front-matter-deep-flow-31k",
        "front matter: `[` nested 31,000 deep (the most "
        "that fits the front-matter limit; crashed libyaml's composer)",
        _deep_flow_limit,
        ("page.md:1:1: FM002", "limits.max-nesting"),
    ),
    Case(
        "front-matter-deep-block",
        "front matter: block sequences (`- - - …`) 10,000 deep",
        _deep_block,
        ("page.md:1:1: FM002", "limits.max-nesting"),
    ),
    Case(
        "front-matter-10mb",
        "front matter of 10 MB",
        _front_matter_10mb,
        ("page.md:1:1: IO001", "limits.max-file-size"),
    ),
    Case(
        "front-matter-over-limit",
        "front matter of 100 kB (a page under the file-size limit)",
        _front_matter_over_limit,
        ("page.md:1:1: FM002", "limits.max-front-matter-size"),
    ),
    Case(
        "python-object-tag",
        "front matter with a `!!python/object/apply` tag",
        _python_tag,
        ("page.md:2:", "FM002", "uses a tag the checker does not read"),
    ),
    Case(
        "impossible-date",
        "front matter with a date that does not exist (`2024-02-30`; crashed the run)",
        _impossible_date,
        ("page.md:3:1: FM002", "day is out of range for month"),
    ),
    Case("page-50mb", "a 50 MB page", _page_50mb, ("page.md:1:1: IO001", "limits.max-file-size")),
    Case(
        "one-line-5mb",
        "a 5 MB page on one line",
        _one_line_5mb,
        ("page.md:1:1: IO001", "limits.max-file-size"),
    ),
    Case(
        "one-line-950kb",
        "a 950 kB page on one line (under the file-size limit)",
        _one_line_under_limit,
        ("page.md:11:", "FT002"),
    ),
    Case(
        "list-10000-deep",
        "a list nested 10,000 levels deep (`- - - …`)",
        _deep_list,
        ("page.md:", "IO001", "limits.max-nesting"),
    ),
    Case(
        "list-indented-300-deep",
        "a list nested 300 levels deep by indentation",
        _deep_indented_list,
        ("page.md:", "IO001", "limits.max-nesting"),
    ),
    Case(
        "blockquote-10000-deep",
        "block quotes nested 10,000 levels deep",
        _deep_blockquote,
        ("page.md:", "IO001", "limits.max-nesting"),
    ),
    Case(
        "unclosed-brackets",
        "90,000 unclosed `[` (quadratic in the Markdown parser's inline pass, which now runs only where a rule reads the text)",
        _unclosed_brackets,
        ("page.md:12:1: DS001",),
    ),
    Case(
        "line-of-30000-spaces",
        "a 30 kB page whose last line is 30,000 spaces and a word (CT002's label scan took "
        "the square of the line's length: the page ran out of time)",
        _line_of_spaces,
        ("page.md:6:1: ST001",),
        absent=("IO001",),
    ),
    Case(
        "dense-table",
        "a table of 450,000 cells",
        _dense_table,
        ("page.md:", "IO001", "limits.max-markup-chars"),
    ),
    Case(
        "many-sections",
        "4,000 repeated sections, with the time limit off (`max-page-seconds = 0`)",
        _many_sections,
        ("page.md:12:1: ST004", "page.md:15996:1: ST004"),
        notes="one ST004 for each repeat",
    ),
    Case(
        "many-findings",
        "150,000 lines with trailing whitespace",
        _many_findings,
        ("page.md:", "IO001", "limits.max-"),
        notes="over limits.max-markup-chars, so the body is not parsed; the rules on the raw "
        "text still run and report FT001 on every line, unless limits.max-page-seconds cuts "
        "the page short first",
    ),
    Case("nul-bytes", "NUL bytes", _nul_bytes, ("page.md:11:1: IO001", "NUL byte")),
    Case(
        "invalid-utf8", "invalid UTF-8", _invalid_utf8, ("page.md:11:1: IO001", "not valid UTF-8")
    ),
    Case(
        "utf16-bom", "UTF-16 with a byte-order mark", _utf16_bom, ("page.md:1:1: IO001", "UTF-16")
    ),
    Case("cr-only", "CR-only line endings", _cr_only, ("page.md:1:1: FT007", "CR-only")),
    Case(
        "symlink-loop",
        "a symlink loop in the input tree (a folder linking to itself, and "
        "two files linking to each other)",
        _symlink_loop,
        ("tree/a.md:1:1: IO001", "tree/b.md:1:1: IO001", "symbolic links"),
    ),
    Case(
        "vanished-file",
        "a file deleted between discovery and reading",
        _vanishing,
        ("tree/gone.md:1:1: IO001", "No such file"),
        delete_after_discovery="tree/gone.md",
    ),
    Case(
        "unreadable-file",
        "an unreadable file (mode 000)",
        _unreadable,
        ("page.md:1:1: IO001", "Permission denied"),
        unprivileged=True,
    ),
    Case(
        "fifo",
        "a named pipe called `pipe.md` (reading it would block)",
        _fifo,
        ("pipe.md:1:1: IO001", "not a regular file"),
    ),
    Case(
        "directory-named-md",
        "a directory named `folder.md`",
        _directory_named_md,
        ("folder.md/inner.md:11:10: FT001",),
    ),
    Case(
        "odd-names",
        "page paths with spaces, non-ASCII characters and newlines",
        _odd_names,
        (
            "odd/with space.md:11:10: FT001",
            "odd/naïve-ß-日本.md:11:10: FT001",
            "odd/new\\nline.md:11:10: FT001",
        ),
    ),
    Case(
        "missing-path",
        "a path that does not exist",
        _missing_path,
        ("no-such-page.md: no such file or folder",),
        exit_code=2,
    ),
    Case(
        "title-hex-5000-digits",
        "`title: 0x` and 5,000 hex digits (Python cannot print the number: stopped the run)",
        _title_number("0x", "f" * 5_000),
        ("page.md:3:1: FM002", "4,300 digits"),
    ),
    Case(
        "title-base-60",
        "`title:` a base-60 number of 3,000 parts (`59:59:…`, the same crash)",
        _title_number("", ":".join(["59"] * 3_000)),
        ("page.md:3:1: FM002", "4,300 digits"),
    ),
    Case(
        "title-binary",
        "`title: 0b` and 20,000 binary digits (the same crash)",
        _title_number("0b", "1" * 20_000),
        ("page.md:3:1: FM002", "4,300 digits"),
    ),
    Case(
        "duplicate-key",
        "front matter with `title` twice (YAML keeps the last, silently)",
        _duplicate_key,
        ("page.md:3:1: FM002", "written again (first at line 2)"),
    ),
    Case(
        "bidi-controls",
        "a right-to-left override that displays `006` as `600`, and a soft hyphen",
        _bidi_controls,
        ("soft hyphen", "page.md:10:6: FT007", "bidirectional control (RLO)"),
    ),
    Case(
        "same-page-twice",
        "one page named three ways (`a/x.md`, `a/../a/x.md`, `b/../a/x.md`)",
        _same_page_twice,
        ("a/x.md:",),
        absent=("XP001", "XP002", "a/../a/x.md:", "b/../a/x.md:"),
        notes="checked once: no XP001 against itself",
    ),
    Case(
        "fix-symlinked-page",
        "`--fix --unsafe-fixes` with a page that is a symbolic link to another file",
        _symlinked_page,
        ("notes.md:1:1: not written: the page is a symbolic link",),
        extra_args=("--fix", "--unsafe-fixes"),
        notes="the file it points to is unchanged",
        control=False,
    ),
    Case(
        "nested-content-root",
        'a `checker.toml` inside the content tree with `content-root = "/"`',
        _nested_content_root,
        ("content/page.md:",),
        absent=("drafts/copy.md",),
        notes="the site is the project's content root: no XP001 against drafts/copy.md",
    ),
    Case(
        "unwritable-output-file",
        "`--output-file` in a folder that does not exist",
        _unwritable_output,
        ("checker: error: --output-file", "cannot write it"),
        extra_args=("--output-file", "no-such-folder/report.txt"),
        exit_code=2,
        control=False,
    ),
    Case(
        "fix-unclosed-brackets",
        "`--diff` of a page of 90,000 unclosed `[`",
        _fix_unclosed_brackets,
        ("+++ b/control.md",),
        extra_args=("--diff",),
        notes="the run goes on to the control page's diff",
        control=False,
    ),
    Case(
        "fix-trailing-spaces-450k",
        "`--fix` of 450,000 lines of trailing spaces (`max-page-seconds = 0.5`)",
        _fix_trailing_spaces,
        ("page.md:1:1: IO001", "limits.max-page-seconds"),
        extra_args=("--fix",),
        control=False,
    ),
)

assert len({case.name for case in CASES}) == len(CASES)
