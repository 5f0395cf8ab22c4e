"""End to end over stdio: initialize, diagnostics with exact ranges, completion."""

from __future__ import annotations

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import change_doc, open_doc, rng


async def test_initialize_advertises_features(client: LanguageClient) -> None:
    caps = client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert caps is not None
    sync = caps.text_document_sync
    assert isinstance(sync, lsp.TextDocumentSyncOptions)
    assert sync.change == lsp.TextDocumentSyncKind.Incremental
    assert caps.completion_provider is not None
    assert "-" in (caps.completion_provider.trigger_characters or [])
    assert caps.code_action_provider is not None


async def test_diagnostics_have_exact_ranges_codes_and_links(client: LanguageClient) -> None:
    text = (
        "FROM golang:1.22 as Builder\n"  # FromAsCasing at 'as', StageNameCasing at 'Builder'
        "FROM alpine:3.20 AS builder\n"  # DuplicateStageName at the second 'builder'
        "COPY --from=nowhere_X /a /b\n"  # UnknownCopyFromStage: not an image reference either
        "FROOM x\n"  # syntax-error: unknown instruction
    )
    _uri, diags = await open_doc(client, text)
    by_code = {d.code: d for d in diags}
    assert by_code["FromAsCasing"].range == rng(0, 17, 0, 19)
    assert by_code["StageNameCasing"].range == rng(0, 20, 0, 27)
    assert by_code["DuplicateStageName"].range == rng(1, 20, 1, 27)
    assert by_code["UnknownCopyFromStage"].range == rng(2, 12, 2, 21)
    assert by_code["syntax-error"].range == rng(3, 0, 3, 5)
    assert by_code["syntax-error"].severity == lsp.DiagnosticSeverity.Error
    for d in diags:
        assert d.source == "dockerfile-refactor-ls"
        assert d.code_description is not None and d.code_description.href.endswith(f"/{d.code}.md")


async def test_ranges_count_utf16_code_units(client: LanguageClient) -> None:
    # The emoji is two UTF-16 code units: the stage name starts at column 22, not 21.
    _uri, diags = await open_doc(client, "FROM alpine AS a😀b\nFROM x AS Upper\n")
    casing = [d for d in diags if d.code == "StageNameCasing"]
    assert casing and casing[0].range == rng(1, 10, 1, 15)
    syntax = [d for d in diags if d.code == "syntax-error"]
    assert syntax and syntax[0].range.start.line == 0


async def test_incremental_changes_update_diagnostics(client: LanguageClient) -> None:
    _uri, diags = await open_doc(client, "FROM alpine:3.20\r\nMAINTAINER me\r\n")
    uri = _uri
    assert "MaintainerDeprecated" in [d.code for d in diags]
    # Replace "MAINTAINER me" with "LABEL a=b" (CRLF document, incremental edit).
    diags = await change_doc(
        client, uri, 2, [lsp.TextDocumentContentChangePartial(range=rng(1, 0, 1, 13), text="LABEL a=b")]
    )
    assert "MaintainerDeprecated" not in [d.code for d in diags]
    # Type an unknown instruction on a new line.
    diags = await change_doc(
        client, uri, 3, [lsp.TextDocumentContentChangePartial(range=rng(2, 0, 2, 0), text="FRO")]
    )
    assert [(d.code, d.range) for d in diags if d.code == "syntax-error"] == [("syntax-error", rng(2, 0, 2, 3))]


async def test_garbage_gets_diagnostics_not_a_crash(client: LanguageClient) -> None:
    garbage = "\x00\x01\ufffd<<<EOF\n\\\n`\n" + "\udcff" * 3 + "FROM\n" + "RUN <<EOF\n"
    uri, diags = await open_doc(client, garbage)
    assert any(d.code == "syntax-error" for d in diags)
    # The server still answers.
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=0))
    )
    assert result is not None


async def _complete(client: LanguageClient, uri: str, line: int, character: int) -> list[str]:
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=line, character=character)
        )
    )
    assert isinstance(result, lsp.CompletionList)
    return [i.label for i in result.items]


async def test_completion_of_stage_names_only_offers_earlier_stages(client: LanguageClient) -> None:
    text = (
        "FROM golang:1.22 AS builder\n"
        "FROM node:20 AS web\n"
        "FROM alpine:3.20\n"
        "COPY --from= /a /b\n"
        "FROM alpine AS later\n"
    )
    uri, _ = await open_doc(client, text)
    labels = await _complete(client, uri, 3, len("COPY --from="))
    assert labels[:2] == ["builder", "web"]
    assert "later" not in labels


async def test_completion_after_from_offers_earlier_stages(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM golang:1.22 AS builder\nFROM \nFROM alpine AS late\n")
    labels = await _complete(client, uri, 1, 5)
    assert "builder" in labels and "late" not in labels


async def test_completion_of_keywords_flags_and_variables(client: LanguageClient) -> None:
    text = "ARG VERSION=1\nFROM alpine:${VERSION}\nENV APP_HOME=/app\nWORKDIR $\nCOPY --\nRU\n"
    uri, _ = await open_doc(client, text)
    assert "APP_HOME" in await _complete(client, uri, 3, 9)
    flags = await _complete(client, uri, 4, 7)
    assert {"--from", "--chown", "--chmod", "--link"} <= set(flags)
    assert "RUN" in await _complete(client, uri, 5, 2)
    assert "VERSION" in await _complete(client, uri, 1, len("FROM alpine:${"))


async def test_quick_fix_is_offered_for_a_diagnostic(client: LanguageClient) -> None:
    uri, diags = await open_doc(client, "FROM golang:1.22 as build\n")
    diag = next(d for d in diags if d.code == "FromAsCasing")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions
    fix = next(a for a in actions if isinstance(a, lsp.CodeAction) and a.title == "Write 'AS'")
    # VS Code resolves edits lazily: the list carries titles, codeAction/resolve the edit.
    assert fix.edit is None
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is not None and resolved.edit.document_changes
    (change,) = resolved.edit.document_changes
    assert isinstance(change, lsp.TextDocumentEdit)
    assert [(e.range, e.new_text) for e in change.edits] == [(rng(0, 17, 0, 19), "AS")]
    # Asked for by kind, the same fix comes with its edit (it is about to be applied).
    eager = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    assert any(isinstance(a, lsp.CodeAction) and a.title == "Write 'AS'" and a.edit for a in eager or [])


async def test_resolve_for_an_outdated_version_adds_no_edit(client: LanguageClient) -> None:
    uri, diags = await open_doc(client, "FROM golang:1.22 as build\n")
    diag = next(d for d in diags if d.code == "FromAsCasing")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag]),
        )
    )
    fix = next(a for a in actions or [] if isinstance(a, lsp.CodeAction) and a.title == "Write 'AS'")
    await change_doc(client, uri, 2, [lsp.TextDocumentContentChangePartial(range=rng(0, 0, 0, 0), text="# moved\n")])
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is None
