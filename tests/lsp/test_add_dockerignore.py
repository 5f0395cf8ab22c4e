"""addDockerignore end to end: a client that can create files gets CreateFile + the text; one that
cannot gets the action disabled with the reason."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .helpers import rng

TEXT = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n"
KIND = "refactor.rewrite.addDockerignore"


def _folder(tmp_path: Path) -> str:
    (tmp_path / ".git").mkdir()
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "Dockerfile").write_text(TEXT)
    return (tmp_path / "Dockerfile").as_uri()


async def _actions(client: LanguageClient, uri: str, only: list[str] | None) -> list[lsp.CodeAction]:
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=TEXT))
    )
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=rng(4, 0, 4, 0),
            context=lsp.CodeActionContext(diagnostics=[], only=only, trigger_kind=lsp.CodeActionTriggerKind.Invoked),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def test_action_creates_the_file(client: LanguageClient, tmp_path: Path) -> None:
    uri = _folder(tmp_path)
    (action,) = await _actions(client, uri, [KIND])
    assert action.title == "Create .dockerignore" and action.disabled is None
    assert action.edit is not None and action.edit.document_changes is not None
    create, insert = action.edit.document_changes
    new_uri = (tmp_path / ".dockerignore").as_uri()
    assert isinstance(create, lsp.CreateFile) and create.uri == new_uri
    assert create.options is not None and not create.options.overwrite
    assert isinstance(insert, lsp.TextDocumentEdit) and insert.text_document.uri == new_uri
    (edit,) = insert.edits
    assert isinstance(edit, lsp.TextEdit)
    assert ".git\n" in edit.new_text and "node_modules\n" in edit.new_text
    # The diagnostic on COPY . . carries it as a quick fix too.
    quick = [a for a in await _actions(client, uri, None) if a.kind == lsp.CodeActionKind.QuickFix]
    assert any(a.title == "Create .dockerignore" for a in quick)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def no_create_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    caps = client_capabilities("visual-studio-code")
    assert caps.workspace is not None and caps.workspace.workspace_edit is not None
    caps.workspace.workspace_edit.resource_operations = [lsp.ResourceOperationKind.Rename]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


async def test_clients_that_cannot_create_files_get_the_reason(no_create_client: LanguageClient, tmp_path: Path) -> None:
    uri = _folder(tmp_path)
    (action,) = await _actions(no_create_client, uri, [KIND])
    assert action.edit is None and action.disabled is not None
    assert "create" in action.disabled.reason
    assert not any(a.title == "Create .dockerignore" for a in await _actions(no_create_client, uri, None))
