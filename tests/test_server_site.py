"""The language server runs the site-wide rules: the open document against its content root."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.test_server import CLEAN, client, published  # noqa: F401 (client is a fixture)


@pytest.mark.asyncio
async def test_a_taken_title_is_reported_in_the_editor(
    client: LanguageClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "checker.toml").write_text('content-root = "content"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "examplamine.md").write_text(CLEAN, encoding="utf-8")
    copy = tmp_path / "content" / "examplamine-copy.md"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=copy.as_uri(), language_id="markdown", version=1, text=CLEAN
            )
        )
    )
    diagnostics = (await published(client)).diagnostics
    taken = [d for d in diagnostics if d.code == "XP001"]
    assert len(taken) == 1, diagnostics
    assert "examplamine.md" in taken[0].message
