"""nameStages and crossPlatformBuilder through the server: the StageReferencedByIndex quick fix, the
refactoring asked for by kind, and the disabled reason where it does not apply."""

from __future__ import annotations

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import open_doc, rng

TEXT = (
    "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n"
    "FROM alpine:3.20\nCOPY --from=0 /app /app\n"
)


async def _actions(client: LanguageClient, uri: str, line: int, only: list[str] | None) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=rng(line, 0, line, 30),
            context=lsp.CodeActionContext(diagnostics=[], only=only, trigger_kind=lsp.CodeActionTriggerKind.Invoked),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


def _edits(action: lsp.CodeAction) -> list[lsp.TextEdit]:
    assert action.edit is not None
    if action.edit.changes:
        return [e for edits in action.edit.changes.values() for e in edits]
    assert action.edit.document_changes
    return [e for c in action.edit.document_changes if isinstance(c, lsp.TextDocumentEdit) for e in c.edits]  # type: ignore[misc]


async def test_quick_fix_refactoring_and_reason(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, TEXT)
    quick = [a for a in await _actions(client, uri, 3, None) if a.kind == lsp.CodeActionKind.QuickFix]
    fix = next(a for a in quick if a.title.startswith("Name the stages"))
    if fix.edit is None:  # the light bulb sends titles; the edit comes when the action is picked
        fix = await client.code_action_resolve_async(fix)
    assert {e.new_text for e in _edits(fix)} == {" AS runtime", "build"}
    (cross,) = await _actions(client, uri, 0, ["refactor.rewrite.crossPlatformBuilder"])
    assert cross.disabled is None
    assert "--platform=$BUILDPLATFORM " in {e.new_text for e in _edits(cross)}
    # Where it does not apply, asked for by kind, it comes back disabled with the reason.
    uri, _ = await open_doc(client, "FROM golang:1.22\nRUN CGO_ENABLED=0 go build -o /app .\n")
    (action,) = await _actions(client, uri, 0, ["refactor.rewrite.crossPlatformBuilder"])
    assert action.edit is None and action.disabled is not None
    assert "the image that ships" in action.disabled.reason
