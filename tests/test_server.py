"""`checker server` driven by a real LSP client over stdio, in a subprocess."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from checker import DEFAULT_DOCS_URL
from tests.conftest import ROOT

PLUGINS = Path(__file__).parent / "plugins"
CLEAN = (Path(__file__).parent / "fixtures" / "integrations" / "clean-page.md").read_text("utf-8")
DOSAGE = "### Dosage\n\nOne tablet a day, as your doctor prescribes.\n\n"
SERVER_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(ROOT), str(PLUGINS), os.environ.get("PYTHONPATH", "")]),
}


@pytest_lsp.fixture(
    config=ClientServerConfig(
        # Started in a temporary folder of its own: a page under no config is checked with the
        # default one, whose cache lies in the server's working folder (the editor's
        # workspace), not in the project.
        server_command=[
            sys.executable,
            "-c",
            "import os, runpy, sys, tempfile; here = tempfile.TemporaryDirectory(); "
            "os.chdir(here.name); sys.argv[0] = 'checker'; "
            "runpy.run_module('checker', run_name='__main__')",
            "server",
            "--debounce",
            "0.5",
        ],
        server_env=SERVER_ENV,
    )
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "checker.toml").write_text('plugins = ["asap_rule"]\n', encoding="utf-8")
    return tmp_path


async def published(client: LanguageClient) -> types.PublishDiagnosticsParams:
    """The next diagnostics the server publishes; fails instead of hanging if none come."""
    params: types.PublishDiagnosticsParams = await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60
    )
    return params


async def open_page(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    await published(client)
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio
async def test_missing_section_is_reported_then_cleared(client: LanguageClient, site: Path) -> None:
    page = site / "page.md"
    broken = CLEAN.replace(DOSAGE, "")
    uri = await open_page(client, page, broken)

    diagnostics = client.diagnostics[uri]
    (missing,) = [d for d in diagnostics if d.code == "ST001"]
    assert "'Dosage' is missing" in missing.message
    h1 = broken.splitlines().index("# Examplamine")
    assert missing.range == types.Range(
        start=types.Position(line=h1, character=0),
        end=types.Position(line=h1, character=len("# Examplamine")),
    )
    assert missing.severity == types.DiagnosticSeverity.Error
    assert missing.source == "checker"
    assert missing.code_description is not None
    assert missing.code_description.href == f"{DEFAULT_DOCS_URL}#st001-missing-section"

    change(client, uri, 2, CLEAN)
    await published(client)
    assert list(client.diagnostics[uri]) == []

    # Saving checks again too (the editor may have changed the file behind our back).
    client.diagnostics.pop(uri)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await published(client)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio
async def test_quick_fix_from_a_rule_fix(client: LanguageClient, site: Path) -> None:
    # The pill is outside the Basic Multilingual Plane: two UTF-16 code units, one code point.
    text = CLEAN.replace("Mild headache", "\U0001f48a Call ASAP if you get a headache")
    uri = await open_page(client, site / "page.md", text)
    (asap,) = [d for d in client.diagnostics[uri] if d.code == "ZZ901"]
    line = text.splitlines().index("\U0001f48a Call ASAP if you get a headache and nausea.")
    assert asap.range.start == types.Position(line=line, character=len("xx Call "))
    assert asap.range.end == types.Position(line=line, character=len("xx Call ASAP"))
    assert asap.severity == types.DiagnosticSeverity.Warning

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=asap.range.start, end=asap.range.start),
            context=types.CodeActionContext(diagnostics=[asap]),
        )
    )
    assert actions is not None
    (action,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert isinstance(action, types.CodeAction)
    assert action.title == "Spell out 'as soon as possible' (ZZ901)"
    assert action.edit is not None and action.edit.document_changes is not None
    (document_edit,) = action.edit.document_changes
    assert isinstance(document_edit, types.TextDocumentEdit)
    (edit,) = document_edit.edits
    assert edit.range == asap.range
    assert edit.new_text == "as soon as possible"

    fixed = text.replace("ASAP", "as soon as possible")
    change(client, uri, 2, fixed)
    await published(client)
    assert list(client.diagnostics[uri]) == []

    # The plug-in rule comes from the site's checker.toml, found from the page's folder:
    # the same page elsewhere, with no config above it, gets no ZZ901.
    elsewhere = site.parent / f"{site.name}-no-config"
    elsewhere.mkdir()
    other = await open_page(client, elsewhere / "page.md", text)
    assert not [d for d in client.diagnostics[other] if d.code == "ZZ901"]

    nothing = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=asap.range,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not nothing


@pytest.mark.asyncio
async def test_a_burst_of_edits_is_checked_once(client: LanguageClient, site: Path) -> None:
    uri = await open_page(client, site / "page.md", CLEAN)
    assert list(client.diagnostics[uri]) == []
    for version in range(2, 7):
        change(client, uri, version, CLEAN.replace(DOSAGE, "") + "ASAP\n" * version)
    # The first diagnostics after the burst are those of its last edit.
    params = await published(client)
    assert params.version == 6
    assert len([d for d in params.diagnostics if d.code == "ZZ901"]) == 6


@pytest.mark.asyncio
async def test_fix_all_source_action(client: LanguageClient, tmp_path: Path) -> None:
    # Trailing spaces (FT001) and a run of blank lines (FT003) both have safe fixes.
    messy = CLEAN.replace("### Dosage\n", "### Dosage   \n\n\n", 1)
    assert messy != CLEAN
    uri = await open_page(client, tmp_path / "page.md", messy)
    codes = {d.code for d in client.diagnostics[uri]}
    assert {"FT001", "FT003"} <= codes

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(
                diagnostics=[], only=[types.CodeActionKind.SourceFixAll]
            ),
        )
    )
    assert actions is not None
    (action,) = actions
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.SourceFixAll
    assert action.edit is not None and action.edit.document_changes is not None
    (document_edit,) = action.edit.document_changes
    assert isinstance(document_edit, types.TextDocumentEdit)
    (edit,) = document_edit.edits
    assert edit.range.start == types.Position(line=0, character=0)
    assert edit.new_text == CLEAN

    change(client, uri, 2, edit.new_text)
    await published(client)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio
async def test_diagnostics_link_to_the_configured_docs_url(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "checker.toml").write_text(
        'docs-url = "https://docs.example.org/rules"\n', encoding="utf-8"
    )
    uri = await open_page(client, tmp_path / "page.md", CLEAN.replace(DOSAGE, ""))
    (missing,) = [d for d in client.diagnostics[uri] if d.code == "ST001"]
    assert missing.code_description is not None
    assert missing.code_description.href == "https://docs.example.org/rules#st001-missing-section"
