"""textDocument/codeAction: quick fixes of findings, the refactorings, and source.fixAll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import SOURCE, span_of, text_edit
from ..documents import DocumentState
from ..engine.findings import Edit, fix_all_edits
from ..refactors.registry import all_refactorings, plan

if TYPE_CHECKING:
    from ..server import DockerfileLanguageServer

FIX_ALL_KIND = lsp.CodeActionKind.SourceFixAll


def _wanted(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


def _workspace_edit(ls: DockerfileLanguageServer, state: DocumentState, edits: list[Edit]) -> lsp.WorkspaceEdit:
    doc = state.model
    text_edits = [text_edit(doc, e) for e in sorted(edits, key=lambda e: (e.span.start, e.span.end))]
    if ls.versioned_edits:
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=state.uri, version=state.version),
                    edits=list(text_edits),
                )
            ]
        )
    return lsp.WorkspaceEdit(changes={state.uri: list(text_edits)})


def register(ls: DockerfileLanguageServer) -> None:
    kinds = [lsp.CodeActionKind.QuickFix, FIX_ALL_KIND, lsp.CodeActionKind.RefactorRewrite]
    kinds += [lsp.CodeActionKind(r.kind) if r.kind in lsp.CodeActionKind._value2member_map_ else r.kind for r in all_refactorings()]  # type: ignore[misc]

    @ls.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=kinds, resolve_provider=False))
    def on_code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        state = ls.documents.get(params.text_document.uri)
        if state is None:
            return None
        doc = state.model
        span = span_of(doc, params.range)
        only = [str(k) for k in params.context.only] if params.context.only else None
        findings = ls.findings(state)
        actions: list[lsp.CodeAction] = []
        offered_refactors: set[str] = set()

        if _wanted(lsp.CodeActionKind.QuickFix, only):
            for f in findings:
                if not (f.span.start <= span.end and span.start <= f.span.end):
                    continue
                diag_range = doc.range(f.span)
                diags = [
                    d
                    for d in params.context.diagnostics
                    if d.source == SOURCE and d.code == f.code and d.range.start.line == diag_range.start.line
                ]
                for fx in f.fixes:
                    actions.append(
                        lsp.CodeAction(
                            title=fx.title,
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=diags or None,
                            is_preferred=fx.preferred or None,
                            edit=_workspace_edit(ls, state, fx.edits),
                        )
                    )
                for kind in f.refactors:
                    ref = next((r for r in all_refactorings() if r.kind == kind), None)
                    if ref is None or kind in offered_refactors:
                        continue
                    result = plan(ref, doc, None)
                    if result is None:
                        continue
                    offered_refactors.add(kind)
                    actions.append(
                        lsp.CodeAction(
                            title=result.title,
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=diags or None,
                            edit=_workspace_edit(ls, state, result.edits),
                        )
                    )

        for ref in all_refactorings():
            if ref.kind in offered_refactors or not _wanted(ref.kind, only):
                continue
            result = plan(ref, doc, span)
            if result is None:
                continue
            actions.append(
                lsp.CodeAction(title=result.title, kind=ref.kind, edit=_workspace_edit(ls, state, result.edits))
            )

        # source.fixAll only when asked for by kind (e.g. on save), never in the light bulb.
        if only and _wanted(FIX_ALL_KIND, only):
            edits = fix_all_edits(findings)
            if edits:
                actions.append(
                    lsp.CodeAction(
                        title="Fix all auto-fixable problems",
                        kind=FIX_ALL_KIND,
                        edit=_workspace_edit(ls, state, edits),
                    )
                )
        return actions
