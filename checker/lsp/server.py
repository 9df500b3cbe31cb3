"""The language server behind `checker server`: diagnostics and quick fixes in the editor.

It checks Markdown documents on open, on save and, after a pause in typing, on change. Each
document is checked with the config and rule pack found from its own folder, as `checker check`
would find them, and with the text the editor holds, saved or not. Site-wide rules run too:
the document is compared with the pages under its content root, read through the result
cache, so a title another page already has is reported as you type it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from checker import DEFAULT_DOCS_URL, __version__
from checker.document.positions import LineIndex
from checker.errors import UsageError
from checker.lint.engine import Engine, fix_text
from checker.lint.resolver import Overrides
from checker.lint.results import FileResult
from checker.project.config import CONFIG_FILES, ConfigFinder
from checker.project.pack import PACK_FILE
from checker.project.targets import Target
from checker.rules.base import Severity, Violation
from checker.rules.inputs import UnreadableFile

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
CONFIG_NAMES = frozenset({*CONFIG_FILES, PACK_FILE})
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class Checked:
    """The last check of one document: its fixable findings and their diagnostics."""

    version: int | None
    fixes: list[tuple[types.Diagnostic, Violation]] = field(default_factory=list)
    index: LineIndex = field(default_factory=lambda: LineIndex(""))


class CheckerServer(LanguageServer):
    def __init__(self, debounce: float) -> None:
        super().__init__("checker", __version__)
        self.debounce = debounce
        self.finder = ConfigFinder()
        self.engine = Engine(Overrides(), self.finder, use_cache=True)
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, int] = {}

    def reload_config(self) -> None:
        self.finder = ConfigFinder()
        self.engine = Engine(Overrides(), self.finder, use_cache=True)

    # -- positions ------------------------------------------------------------------------

    def _position(self, index: LineIndex, line: int, column: int) -> types.Position:
        """An LSP position from a 0-based line and code-point column."""
        prefix = index.line_text(line)[:column]
        units = self.workspace.position_codec.client_num_units(prefix)
        return types.Position(line=line, character=units)

    def _range(self, index: LineIndex, violation: Violation) -> types.Range:
        # Violations are 1-based with an inclusive end; LSP ranges are 0-based, end exclusive.
        return types.Range(
            start=self._position(index, violation.line - 1, violation.column - 1),
            end=self._position(index, violation.end_line - 1, violation.end_column),
        )

    def _offset_range(self, index: LineIndex, start: int, end: int) -> types.Range:
        return types.Range(
            start=self._position(index, *index.position(start)),
            end=self._position(index, *index.position(end)),
        )

    # -- checking -------------------------------------------------------------------------

    def diagnostic(
        self, index: LineIndex, violation: Violation, docs_url: str = DEFAULT_DOCS_URL
    ) -> types.Diagnostic:
        anchor = f"{violation.code.lower()}-{violation.name}"
        return types.Diagnostic(
            range=self._range(index, violation),
            message=violation.message,
            severity=SEVERITIES[violation.severity],
            code=violation.code,
            code_description=types.CodeDescription(href=f"{docs_url}#{anchor}"),
            source="checker",
            data={"name": violation.name, "fixable": violation.fix is not None},
        )

    def check_document(self, document: TextDocument) -> None:
        path = document_path(document)
        display = path.name if path is not None else document.uri
        text = document.source
        # A lone surrogate cannot be UTF-8: kept as is, the page reader reports it as IO001.
        target = Target(path, display, text.encode("utf-8", "surrogatepass"))
        try:
            # The whole run, site pass included: the document is compared with the pages under
            # its content root (their summaries come from the cache) for duplicates.
            result = self.engine.check([target]).results[0]
            docs_url = self.engine.config_for(target).values.docs_url
        except UsageError as error:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"checker: {error}",
                )
            )
            return
        except Exception as error:  # every document gets an answer, whatever it holds
            result = FileResult(display, None, [cannot_check(display, error)])
        normalised = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        index = LineIndex(normalised)
        checked = Checked(document.version, index=index)
        diagnostics = []
        for violation in result.violations:
            diagnostic = self.diagnostic(index, violation, docs_url)
            diagnostics.append(diagnostic)
            if violation.fix is not None:
                checked.fixes.append((diagnostic, violation))
        self.checked[document.uri] = checked
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, version=document.version, diagnostics=diagnostics
            )
        )

    def clear(self, uri: str) -> None:
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    # -- code actions ---------------------------------------------------------------------

    def code_actions(self, uri: str, wanted: types.Range) -> list[types.CodeAction]:
        checked = self.checked.get(uri)
        if checked is None:
            return []
        actions = []
        for diagnostic, violation in checked.fixes:
            if not _overlaps(diagnostic.range, wanted):
                continue
            assert violation.fix is not None
            edits = [
                types.TextEdit(
                    range=self._offset_range(checked.index, edit.start, edit.end),
                    new_text=edit.replacement,
                )
                for edit in violation.fix.edits
            ]
            actions.append(
                types.CodeAction(
                    title=f"{violation.fix.title} ({violation.code})",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=violation.fix.is_safe,
                    edit=types.WorkspaceEdit(
                        document_changes=[
                            types.TextDocumentEdit(
                                text_document=types.OptionalVersionedTextDocumentIdentifier(
                                    uri=uri, version=checked.version
                                ),
                                edits=edits,
                            )
                        ]
                    ),
                )
            )
        return actions

    def fix_all_action(self, document: TextDocument) -> types.CodeAction | None:
        """Every safe fix at once, as `checker check --fix` would make them, for the buffer."""
        checked = self.checked.get(document.uri)
        if checked is None or not any(v.fix and v.fix.is_safe for _, v in checked.fixes):
            return None

        try:
            fixed = fix_text(document.source, document_path(document))
        except Exception:  # the diagnostics already say what is wrong with this document
            return None
        if fixed == document.source:
            return None
        edit = types.TextEdit(range=_whole_document(document), new_text=fixed)
        return types.CodeAction(
            title="Fix all safe checker findings",
            kind=types.CodeActionKind.SourceFixAll,
            edit=types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=document.uri, version=checked.version
                        ),
                        edits=[edit],
                    )
                ]
            ),
        )


def _whole_document(document: TextDocument) -> types.Range:
    lines = document.lines
    return types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(lines), character=0),
    )


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges share a position; touching counts, so a cursor at an edge matches."""
    return not (_before(a.end, b.start) or _before(b.end, a.start))


def document_path(document: TextDocument) -> Path | None:
    """The file a document is saved in; None when it is not a file, or its URI names no
    path the system can open (a NUL byte): then it is checked with the default config."""
    if urlparse(document.uri).scheme != "file":
        return None
    try:
        path = document.path
    except Exception:  # a URI that does not decode to a path
        return None
    return Path(path) if "\x00" not in path else None


def cannot_check(display: str, error: Exception) -> Violation:
    return Violation(
        path=display,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        code="IO001",
        name=UnreadableFile.name,
        severity=Severity.ERROR,
        message=f"cannot check this document ({type(error).__name__}: {error}); save it as "
        "a UTF-8 Markdown file in the project, or report this with the document attached",
    )


def is_markdown(document: TextDocument) -> bool:
    return document.language_id == "markdown" or document.uri.lower().endswith(MARKDOWN_SUFFIXES)


def build_server(debounce: float = 0.3) -> CheckerServer:
    server = CheckerServer(debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CheckerServer, params: types.DidOpenTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        if is_markdown(document):
            ls.check_document(document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CheckerServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        # Debounce: only the last change of a burst gets checked.
        ticket = ls.pending.get(uri, 0) + 1
        ls.pending[uri] = ticket
        await asyncio.sleep(ls.debounce)
        if ls.pending.get(uri) != ticket:
            return
        document = ls.workspace.get_text_document(uri)
        if is_markdown(document):
            ls.check_document(document)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CheckerServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if Path(urlparse(uri).path).name in CONFIG_NAMES:
            ls.reload_config()
            for document in list(ls.workspace.text_documents.values()):
                if is_markdown(document):
                    ls.check_document(document)
            return
        document = ls.workspace.get_text_document(uri)
        if is_markdown(document):
            ls.check_document(document)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CheckerServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.pending.pop(params.text_document.uri, None)
        ls.clear(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    def code_action(ls: CheckerServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only = params.context.only
        actions: list[types.CodeAction] = []
        if only is None or any(kind.startswith(types.CodeActionKind.QuickFix) for kind in only):
            actions.extend(ls.code_actions(uri, params.range))
        if only is None or any(types.CodeActionKind.SourceFixAll.startswith(kind) for kind in only):
            fix_all = ls.fix_all_action(ls.workspace.get_text_document(uri))
            if fix_all is not None:
                actions.append(fix_all)
        return actions

    return server


def serve(debounce: float) -> None:
    build_server(debounce).start_io()
