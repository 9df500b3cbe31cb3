"""The language server answers every document, whatever its text or URI (a real LSP client)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.hostile.cases import PAGE
from tests.test_server import client, published  # noqa: F401  (the client fixture)


async def _open(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:  # noqa: F811
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    params = await published(client)
    assert params.uri == uri
    return list(params.diagnostics)


@pytest.mark.asyncio
async def test_a_document_with_a_lone_surrogate_gets_io001(
    client: LanguageClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    uri = (tmp_path / "page.md").as_uri()
    diagnostics = await _open(client, uri, PAGE + "Dose \ud800 here.\n")
    assert [d.code for d in diagnostics] == ["IO001"]
    assert "UTF-8" in diagnostics[0].message


@pytest.mark.asyncio
async def test_a_uri_with_a_nul_byte_still_gets_diagnostics(
    client: LanguageClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    uri = (tmp_path / "page.md").as_uri().replace("page.md", "pa%00ge.md")
    diagnostics = await _open(client, uri, PAGE.replace("mouth.", "mouth. "))
    assert "FT001" in [d.code for d in diagnostics]


@pytest.mark.asyncio
async def test_fix_all_stops_at_the_time_limit(
    client: LanguageClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    # A plug-in rule that never returns on this page: checking and fixing it must both stop
    # at the time limit, in the server's thread.
    (tmp_path / "checker.toml").write_text(
        'plugins = ["stall_rule"]\n[limits]\nmax-page-seconds = 0.2\n'
    )
    uri = (tmp_path / "page.md").as_uri()
    diagnostics = await _open(client, uri, PAGE + "STALL HERE\n")
    assert [d.code for d in diagnostics] == ["IO001"]
    assert "limits.max-page-seconds" in diagnostics[0].message
    # The server keeps no result of an open document: its message promises nothing of a cache.
    assert "cache" not in diagnostics[0].message
    actions = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                context=types.CodeActionContext(
                    diagnostics=[], only=[types.CodeActionKind.SourceFixAll]
                ),
            )
        ),
        timeout=60,
    )
    # Answered, with no fix: fixing stopped at the limit in the server's thread.
    assert actions is not None and list(actions) == []
