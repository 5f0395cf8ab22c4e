"""End to end over stdio: the editor features of issue 17 as a client sees them."""

from __future__ import annotations

import asyncio

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import change_doc, open_doc, rng


def _doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def _pos(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


async def test_capabilities_are_advertised(client: LanguageClient) -> None:
    caps = client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert caps.signature_help_provider is not None
    assert " " in (caps.signature_help_provider.trigger_characters or [])
    assert caps.document_link_provider is not None
    assert caps.document_on_type_formatting_provider is not None
    assert caps.document_on_type_formatting_provider.first_trigger_character == "\n"
    assert caps.inlay_hint_provider is not None
    assert caps.code_lens_provider is not None
    assert caps.selection_range_provider
    assert isinstance(caps.diagnostic_provider, lsp.DiagnosticOptions)
    assert caps.diagnostic_provider.inter_file_dependencies is False
    commands = caps.execute_command_provider.commands
    assert {"dockerfile-refactor-ls.buildTarget", "dockerfile-refactor-ls.showStageUses"} <= set(commands)


async def test_signature_help_follows_the_cursor(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nCOPY --chown=app src \nHEALTHCHECK --interval=\n")
    help_ = await client.text_document_signature_help_async(
        lsp.SignatureHelpParams(text_document=_doc(uri), position=_pos(1, len("COPY --chown=app src ")))
    )
    assert help_ is not None
    sig = help_.signatures[help_.active_signature or 0]
    assert sig.label == "COPY [OPTIONS] <src>... <dest>"
    assert help_.active_parameter is not None and sig.parameters is not None
    label = sig.parameters[help_.active_parameter].label
    # VS Code supports label offsets: the parameter is a range of the label.
    assert isinstance(label, (list, tuple)) and sig.label[label[0] : label[1]] == "<dest>"
    flag = await client.text_document_signature_help_async(
        lsp.SignatureHelpParams(text_document=_doc(uri), position=_pos(2, len("HEALTHCHECK --interval=")))
    )
    assert flag is not None and flag.signatures[0].label == "HEALTHCHECK --interval=<duration> ..."
    none = await client.text_document_signature_help_async(
        lsp.SignatureHelpParams(text_document=_doc(uri), position=_pos(0, 2))
    )
    assert none is None


async def test_document_links(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "# syntax=docker/dockerfile:1\nFROM node:20 AS build\nFROM ghcr.io/acme/app:1\n")
    links = await client.text_document_document_link_async(lsp.DocumentLinkParams(text_document=_doc(uri)))
    assert links is not None
    got = [(link.range, link.target) for link in links]
    assert (rng(0, 2, 0, 8), "https://docs.docker.com/reference/dockerfile/#syntax") in got
    assert (rng(1, 5, 1, 9), "https://hub.docker.com/_/node") in got
    assert (rng(2, 5, 2, 21), "https://github.com/acme/app/pkgs/container/app") in got


async def test_on_type_formatting_indents_a_continuation(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nRUN apk add \\\n\n")
    edits = await client.text_document_on_type_formatting_async(
        lsp.DocumentOnTypeFormattingParams(
            text_document=_doc(uri),
            position=_pos(2, 0),
            ch="\n",
            options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits is not None and [(e.range, e.new_text) for e in edits] == [(rng(2, 0, 2, 0), "  ")]


async def test_inlay_hints(client: LanguageClient) -> None:
    text = "ARG GO=1.22\nFROM golang:${GO} AS build\nFROM alpine\nCOPY --from=build /a /a\nCMD [\"/a\"]\n"
    uri, _ = await open_doc(client, text)
    hints = await client.text_document_inlay_hint_async(
        lsp.InlayHintParams(text_document=_doc(uri), range=rng(0, 0, 5, 0))
    )
    assert hints is not None
    got = [(h.position.line, h.position.character, h.label) for h in hints]
    assert got == [(1, 17, "= golang:1.22"), (2, 11, "stage 1"), (4, 3, "as root")]


async def test_code_lenses_and_their_commands(client: LanguageClient) -> None:
    text = "FROM golang AS build\nFROM alpine\nCOPY --from=build /a /a\n"
    uri, _ = await open_doc(client, text)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=_doc(uri)))
    assert lenses is not None
    titles = [(lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses]
    assert titles == [(0, "build --target build"), (0, "1 stage copies from this")]
    build = lenses[0].command
    assert build is not None
    line = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=build.command, arguments=build.arguments)
    )
    assert line == "docker build --target build ."
    assert any(m.message == "docker build --target build ." for m in client.messages)
    uses = lenses[1].command
    assert uses is not None
    locations = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=uses.command, arguments=uses.arguments)
    )
    assert [loc["range"] for loc in locations] == [
        {"start": {"line": 2, "character": 12}, "end": {"line": 2, "character": 17}}
    ]


async def test_selection_range(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nCOPY --chown=app:app src /dst\n")
    result = await client.text_document_selection_range_async(
        lsp.SelectionRangeParams(text_document=_doc(uri), positions=[_pos(1, 14)])
    )
    assert result is not None
    ranges = []
    node: lsp.SelectionRange | None = result[0]
    while node is not None:
        ranges.append(node.range)
        node = node.parent
    assert ranges[:4] == [rng(1, 13, 1, 16), rng(1, 13, 1, 20), rng(1, 5, 1, 20), rng(1, 0, 1, 29)]


async def test_pull_diagnostics_after_a_settings_change(client: LanguageClient) -> None:
    """A new settings generation makes the server compute again, and it answers ``unchanged`` only
    when the items are the same."""
    uri, _ = await open_doc(client, "FROM alpine:3.20\nMAINTAINER me\n")
    first = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=_doc(uri)))
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport)
    assert "MaintainerDeprecated" in [d.code for d in first.items]
    # Ignoring a rule with no finding in this file: a new generation, the same items.
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dockerfileRefactor": {"rules": {"ignore": ["DL3008"]}}})
    )
    same = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=_doc(uri), previous_result_id=first.result_id)
    )
    assert isinstance(same, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert same.result_id != first.result_id
    # Ignoring the rule that fired: a full report without it, under a new id.
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(
            settings={"dockerfileRefactor": {"rules": {"ignore": ["DL3008", "MaintainerDeprecated"]}}}
        )
    )
    changed = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=_doc(uri), previous_result_id=same.result_id)
    )
    assert isinstance(changed, lsp.RelatedFullDocumentDiagnosticReport)
    assert "MaintainerDeprecated" not in [d.code for d in changed.items]
    assert changed.result_id not in (first.result_id, same.result_id)


async def test_pull_diagnostics_with_result_ids(client: LanguageClient) -> None:
    uri, pushed = await open_doc(client, "FROM alpine:3.20\nMAINTAINER me\n")
    assert any(d.code == "MaintainerDeprecated" for d in pushed)
    report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=_doc(uri)))
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    assert [d.code for d in report.items] == [d.code for d in pushed]
    assert report.result_id
    # The pushed list is cleared once the client pulls, so nothing shows twice.
    await asyncio.sleep(0.2)
    assert not client.diagnostics.get(uri)
    same = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=_doc(uri), previous_result_id=report.result_id)
    )
    # Unchanged, whether or not the secrets detector (a new settings generation) arrived meanwhile.
    assert isinstance(same, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert same.result_id.split(".")[3] == report.result_id.split(".")[3]
    # An edit: no push any more, a new report on the next pull.
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=rng(1, 0, 1, 13), text="LABEL a=b")],
        )
    )
    changed = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=_doc(uri), previous_result_id=report.result_id)
    )
    assert isinstance(changed, lsp.RelatedFullDocumentDiagnosticReport)
    assert changed.result_id != report.result_id
    assert "MaintainerDeprecated" not in [d.code for d in changed.items]
    assert not client.diagnostics.get(uri)


async def test_push_goes_on_for_documents_never_pulled(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine:3.20\n")
    diags = await change_doc(
        client,
        uri,
        2,
        [lsp.TextDocumentContentChangePartial(range=rng(1, 0, 1, 0), text="MAINTAINER me\n")],
    )
    assert any(d.code == "MaintainerDeprecated" for d in diags)


async def test_completion_on_a_continuation_line(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nCOPY \\\n  \n")
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=_doc(uri), position=_pos(2, 2))
    )
    assert isinstance(result, lsp.CompletionList)
    labels = [i.label for i in result.items]
    assert "--from" in labels and "RUN" not in labels


async def test_heredoc_delimiters_highlight_and_rename(client: LanguageClient) -> None:
    uri, _ = await open_doc(client, "FROM alpine\nRUN <<EOF\necho hi\nEOF\n")
    marks = await client.text_document_document_highlight_async(
        lsp.DocumentHighlightParams(text_document=_doc(uri), position=_pos(3, 1))
    )
    assert marks is not None and [m.range for m in marks] == [rng(1, 6, 1, 9), rng(3, 0, 3, 3)]
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=_doc(uri), position=_pos(1, 7), new_name="SCRIPT")
    )
    assert edit is not None
    changes = edit.document_changes or []
    assert changes and isinstance(changes[0], lsp.TextDocumentEdit)
    assert [(e.range, e.new_text) for e in changes[0].edits] == [
        (rng(1, 6, 1, 9), "SCRIPT"),
        (rng(3, 0, 3, 3), "SCRIPT"),
    ]


async def test_no_user_finding_leaves_the_as_fix_alone(client: LanguageClient) -> None:
    uri, diags = await open_doc(client, "FROM golang:1.22 as build\nRUN go build\nFROM debian:12 as final\nCMD [\"x\"]\n")
    no_user = next(d for d in diags if d.code == "NoUserInFinalStage")
    assert no_user.range == rng(2, 5, 2, 14)  # the base image only
    casing = [d for d in diags if d.code == "FromAsCasing" and d.range.start.line == 2]
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_doc(uri),
            range=rng(2, 16, 2, 16),
            context=lsp.CodeActionContext(diagnostics=casing, only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    titles = [a.title for a in actions or [] if isinstance(a, lsp.CodeAction)]
    assert titles == ["Write 'AS'"]
    (fix,) = [a for a in actions or [] if isinstance(a, lsp.CodeAction)]
    assert fix.is_preferred
