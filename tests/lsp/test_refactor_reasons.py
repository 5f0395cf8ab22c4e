"""A refactoring asked for by kind that does not apply comes back disabled, with the reason."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .helpers import open_doc, rng

NGINX = "FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n"


async def _actions(
    client: LanguageClient, uri: str, only: list[str] | None, trigger: lsp.CodeActionTriggerKind | None
) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=rng(1, 0, 1, 0),
            context=lsp.CodeActionContext(diagnostics=[], only=only, trigger_kind=trigger),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def test_refactor_menu_shows_why_an_action_is_not_offered(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, NGINX)
    actions = await _actions(client, uri, [lsp.CodeActionKind.Refactor], lsp.CodeActionTriggerKind.Invoked)
    by_kind = {a.kind: a for a in actions}
    non_root = by_kind["refactor.rewrite.nonRootUser"]
    assert non_root.disabled is not None and non_root.edit is None
    assert "nginx" in non_root.disabled.reason and "root" in non_root.disabled.reason
    assert non_root.title == "Add non-root user"
    cache = by_kind["refactor.rewrite.cacheDependencies"]
    assert cache.disabled is not None and "COPY . <dir>" in cache.disabled.reason
    # Asking for exactly one kind gets that one only.
    only_one = await _actions(client, uri, ["refactor.rewrite.nonRootUser"], lsp.CodeActionTriggerKind.Invoked)
    assert [a.kind for a in only_one] == ["refactor.rewrite.nonRootUser"]


async def test_light_bulb_and_automatic_requests_get_no_disabled_actions(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, NGINX)
    for only, trigger in (
        (None, lsp.CodeActionTriggerKind.Invoked),
        (None, lsp.CodeActionTriggerKind.Automatic),
        ([lsp.CodeActionKind.Refactor], lsp.CodeActionTriggerKind.Automatic),
    ):
        actions = await _actions(client, uri, only, trigger)
        assert all(a.disabled is None for a in actions), (only, trigger)


async def test_an_applicable_action_is_not_disabled(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n")
    actions = await _actions(client, uri, ["refactor.rewrite.nonRootUser"], lsp.CodeActionTriggerKind.Invoked)
    (action,) = actions
    assert action.disabled is None and action.edit is not None


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def plain_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    # Neovim's capabilities: code action literals, but no disabledSupport.
    params = lsp.InitializeParams(capabilities=client_capabilities("neovim"))
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_clients_without_disabled_support_get_nothing_instead(plain_client: LanguageClient) -> None:
    uri, _ = await open_doc(plain_client, NGINX)
    actions = await _actions(plain_client, uri, [lsp.CodeActionKind.Refactor], lsp.CodeActionTriggerKind.Invoked)
    assert not any(a.kind == "refactor.rewrite.nonRootUser" for a in actions)
    assert all(a.disabled is None for a in actions)
