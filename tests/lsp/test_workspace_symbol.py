"""End to end with a workspace folder: workspace/symbol finds stages in its Dockerfiles and open
ones; COPY completion lists the build context without what .dockerignore excludes."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .helpers import open_doc

FOLDER = Path(tempfile.mkdtemp(prefix="drls-ws-"))
atexit.register(shutil.rmtree, FOLDER, True)
(FOLDER / "svc").mkdir()
(FOLDER / "Dockerfile").write_text("FROM golang:1.22 AS build\nFROM alpine AS runtime\n")
(FOLDER / "svc" / "api.Dockerfile").write_text("FROM node:20 AS builder\n")
(FOLDER / "svc" / "package.json").write_text("{}")
(FOLDER / "svc" / "secret.env").write_text("x")
(FOLDER / "svc" / ".dockerignore").write_text("*.env\n")


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]),
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    params = lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(uri=FOLDER.as_uri(), name="ws")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_stages_across_the_workspace(client: LanguageClient) -> None:
    result = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="build"))
    assert result is not None
    got = [(s.name, s.container_name) for s in result if isinstance(s, lsp.SymbolInformation)]
    assert got == [("build", "Dockerfile (FROM golang:1.22)"), ("builder", "svc/api.Dockerfile (FROM node:20)")]
    (build,) = [s for s in result if s.name == "build" and isinstance(s, lsp.SymbolInformation)]
    assert build.location.uri == (FOLDER / "Dockerfile").as_uri()
    assert build.location.range.start == lsp.Position(line=0, character=20)


async def test_open_documents_count_as_the_editor_has_them(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine AS buildkit-only-here\n")
    result = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="buildkitonly"))
    assert result is not None
    assert [(s.name, s.location.uri) for s in result if isinstance(s, lsp.SymbolInformation)] == [
        ("buildkit-only-here", uri)
    ]


async def test_copy_completion_lists_the_context_minus_dockerignore(client: LanguageClient) -> None:
    uri = (FOLDER / "svc" / "Dockerfile").as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text="FROM node\nCOPY \n")
        )
    )
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=5))
    )
    assert isinstance(result, lsp.CompletionList)
    files = [i.label for i in result.items if i.kind == lsp.CompletionItemKind.File]
    assert files == ["api.Dockerfile", "package.json"]  # secret.env is ignored, .dockerignore hidden
