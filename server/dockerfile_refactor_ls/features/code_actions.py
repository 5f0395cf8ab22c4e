"""textDocument/codeAction: quick fixes of findings, the refactorings, and source.fixAll."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams

from .._pygls_compat import converter
from ..documents import DocumentState
from ..engine.findings import Edit, fix_all_edits
from ..engine.text import Position, Span
from ..refactors.add_dockerignore import NO_CLIENT_SUPPORT
from ..refactors.base import NewFile, NotApplicable, RefactorResult
from ..refactors.registry import all_refactorings, plan, plan_or_reason, refactoring_named, resolving
from ..wire import SOURCE, RawResult, text_edit_dict

if TYPE_CHECKING:
    from .host import FeatureHost

FIX_ALL_KIND = lsp.CodeActionKind.SourceFixAll
_AUTOMATIC = 2  # CodeActionTriggerKind.Automatic: the editor asked on its own (cursor move, save)


def _explicit(only: list[str] | None, context: dict[str, Any]) -> bool:
    """The user asked for these kinds (VS Code's Refactor menu, a key binding): not a light-bulb
    poll and not an automatic request such as code actions on save."""
    return bool(only) and context.get("triggerKind") != _AUTOMATIC


def _wanted(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


def _workspace_edit(
    ls: FeatureHost, state: DocumentState, edits: list[Edit], new_files: list[NewFile] | None = None
) -> dict[str, Any]:
    doc = state.model
    text_edits = [text_edit_dict(doc, e) for e in sorted(edits, key=lambda e: (e.span.start, e.span.end))]
    if new_files:
        # Only sent to clients with resource operations (see _unsupported): a CreateFile that fails
        # when the file appeared meanwhile, then the text inserted into the new, empty file.
        changes: list[dict[str, Any]] = []
        for nf in new_files:
            uri = Path(nf.path).as_uri()
            changes.append({"kind": "create", "uri": uri, "options": {"overwrite": False, "ignoreIfExists": False}})
            start = {"line": 0, "character": 0}
            changes.append(
                {
                    "textDocument": {"uri": uri, "version": None},
                    "edits": [{"range": {"start": start, "end": start}, "newText": nf.text}],
                }
            )
        if text_edits:
            changes.append({"textDocument": {"uri": state.uri, "version": state.version}, "edits": text_edits})
        return {"documentChanges": changes}
    if ls.versioned_edits:
        return {"documentChanges": [{"textDocument": {"uri": state.uri, "version": state.version}, "edits": text_edits}]}
    return {"changes": {state.uri: text_edits}}


def _unsupported(ls: FeatureHost, result: RefactorResult) -> NotApplicable | None:
    """Why the client cannot apply ``result`` (it creates files and the client cannot), or None."""
    if result.new_files and not ls.create_files:
        return NotApplicable(NO_CLIENT_SUPPORT)
    return None


def _span_of(doc: Any, rng: Any) -> Span:
    """The document span of a raw LSP range (clamped; a malformed range means the whole line 0)."""
    try:
        a = doc.lines.offset(Position(int(rng["start"]["line"]), int(rng["start"]["character"])))
        b = doc.lines.offset(Position(int(rng["end"]["line"]), int(rng["end"]["character"])))
    except (KeyError, TypeError, ValueError) as exc:
        raise JsonRpcInvalidParams(f"bad range: {rng!r}") from exc
    return Span(min(a, b), max(a, b))


def _edits_for(
    ls: FeatureHost, state: DocumentState, recipe: dict[str, Any]
) -> tuple[list[Edit], list[NewFile]] | None:
    """Recompute an action's edits (and the files it creates) from the small recipe in its ``data``."""
    doc = state.model
    if "fix" in recipe:
        f_index, x_index = recipe["fix"]
        findings = ls.core.findings(state)
        if 0 <= f_index < len(findings) and 0 <= x_index < len(findings[f_index].fixes):
            edits: list[Edit] = findings[f_index].fixes[x_index].edits
            return edits, []
        return None
    if "refactor" in recipe:
        ref = refactoring_named(str(recipe["refactor"]))
        bounds = recipe.get("span")
        span = Span(bounds[0], bounds[1]) if bounds else None
        result = plan(ref, doc, span) if ref is not None else None
        if result is None or _unsupported(ls, result) is not None:
            return None
        return result.edits, result.new_files
    if recipe.get("fixAll"):
        return fix_all_edits(ls.core.findings(state), doc), []
    return None


def register(ls: FeatureHost) -> None:
    kinds = [lsp.CodeActionKind.QuickFix, FIX_ALL_KIND, lsp.CodeActionKind.RefactorRewrite, lsp.CodeActionKind.RefactorExtract]
    kinds += [lsp.CodeActionKind(r.kind) if r.kind in lsp.CodeActionKind._value2member_map_ else r.kind for r in all_refactorings()]  # type: ignore[misc]

    def action(
        state: DocumentState,
        title: str,
        kind: str,
        recipe: dict[str, Any],
        edits: list[Edit] | None = None,
        diagnostics: list[Any] | None = None,
        preferred: bool = False,
        eager: bool = True,
        new_files: list[NewFile] | None = None,
    ) -> dict[str, Any]:
        """A code action whose edit is computed now, or on codeAction/resolve if the client can."""
        out: dict[str, Any] = {"title": title, "kind": kind, "data": {"uri": state.uri, "version": state.version, **recipe}}
        if diagnostics:
            out["diagnostics"] = diagnostics
        if preferred:
            out["isPreferred"] = True
        if eager:
            if edits is None:
                edits, new_files = _edits_for(ls, state, recipe) or ([], [])
            out["edit"] = _workspace_edit(ls, state, edits, new_files)
        return out

    @ls.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=kinds, resolve_provider=True))
    def on_code_action(params: Any) -> Any:
        # Raw JSON (see DockerfileProtocol.RAW_METHODS).
        if not isinstance(params, dict):
            raise JsonRpcInvalidParams("codeAction params must be an object")
        uri = (params.get("textDocument") or {}).get("uri")
        state = ls.core.documents.get(uri) if isinstance(uri, str) else None
        if state is None:
            return None
        doc = state.model
        span = _span_of(doc, params.get("range"))
        context = params.get("context") or {}
        only = [str(k) for k in context.get("only") or []] or None
        diagnostics_sent = context.get("diagnostics") or []
        # Editors ask again on every cursor move; within one version the same request gets the
        # same answer.
        key = (
            state.version,
            ls.core.settings_generation,
            span.start,
            span.end,
            tuple(only or ()),
            len(diagnostics_sent),
            ls.resolve_code_action_edits,
            context.get("triggerKind"),
        )
        cached = state.cache.get("code-actions")
        if isinstance(cached, tuple) and cached[0] == key:
            return cast(RawResult, cached[1])
        # Every refactoring is tried on the whole file: on a big one in the request thread.
        return ls.off_loop(
            state,
            lambda version: _compute(version, version.model, span, only, context),
            lambda result: state.cache.__setitem__("code-actions", (key, result)),
            findings=True,
        )

    def _compute(state: DocumentState, doc: Any, span: Span, only: list[str] | None, context: dict[str, Any]) -> RawResult:
        findings = ls.core.findings(state)
        actions: list[dict[str, Any]] = []
        offered_refactors: set[str] = set()
        # A light-bulb request (no kind asked for) may list hundreds of fixes: when the client can
        # resolve, send titles now and each edit when it is picked. A request for specific kinds
        # (fixAll on save, a refactoring bound to a key) is about to be applied, often by code that
        # does not resolve, so it gets its edits straight away.
        lazy = ls.resolve_code_action_edits and not only

        def act(*args: Any, **kw: Any) -> dict[str, Any]:
            kw["eager"] = not lazy
            return action(*args, **kw)

        if _wanted(lsp.CodeActionKind.QuickFix, only):
            # The client's diagnostics by (code, line), to attach each fix to the one it resolves.
            sent: dict[tuple[object, int], list[Any]] = {}
            for d in context.get("diagnostics") or []:
                try:
                    if d.get("source") == SOURCE:
                        sent.setdefault((d.get("code"), int(d["range"]["start"]["line"])), []).append(d)
                except (AttributeError, KeyError, TypeError, ValueError):
                    continue  # a malformed diagnostic in the context is not ours to fix
            for f_index, f in enumerate(findings):
                if not (f.span.start <= span.end and span.start <= f.span.end):
                    continue
                if not f.fixes and not f.refactorable:
                    continue
                diags = sent.get((f.code, doc.lines.position(f.span.start).line), [])
                for x_index, fx in enumerate(f.fixes):
                    actions.append(
                        act(
                            state,
                            fx.title,
                            lsp.CodeActionKind.QuickFix,
                            {"fix": [f_index, x_index]},
                            fx.edits,
                            diags,
                            fx.preferred,
                        )
                    )
                for ref in resolving(f.code) if f.refactorable else ():
                    kind = ref.kind
                    if kind in offered_refactors:
                        continue
                    result = plan(ref, doc, None)
                    if result is None or _unsupported(ls, result) is not None:
                        continue
                    offered_refactors.add(kind)
                    actions.append(
                        act(
                            state,
                            result.title,
                            lsp.CodeActionKind.QuickFix,
                            {"refactor": ref.name},
                            result.edits,
                            diags,
                            new_files=result.new_files,
                        )
                    )

        # A refactoring asked for explicitly that does not apply comes back disabled with the
        # reason (VS Code greys it out in the Refactor menu and shows the reason); never in the
        # light bulb, and only to clients that can show it.
        explain = ls.disabled_code_actions and _explicit(only, context)
        for ref in all_refactorings():
            if ref.kind in offered_refactors or not _wanted(ref.kind, only):
                continue
            outcome = plan_or_reason(ref, doc, span)
            if isinstance(outcome, RefactorResult):
                outcome = _unsupported(ls, outcome) or outcome
            if isinstance(outcome, NotApplicable):
                if explain:
                    actions.append({"title": ref.title, "kind": ref.kind, "disabled": {"reason": outcome.reason}})
                continue
            recipe = {"refactor": ref.name, "span": [span.start, span.end]}
            actions.append(act(state, outcome.title, ref.kind, recipe, outcome.edits, new_files=outcome.new_files))

        # source.fixAll only when asked for by kind (e.g. on save), never in the light bulb.
        if only and _wanted(FIX_ALL_KIND, only):
            edits = fix_all_edits(findings, doc)
            if edits:
                actions.append(act(state, "Fix all auto-fixable problems", FIX_ALL_KIND, {"fixAll": True}, edits))
        return RawResult(actions)

    @ls.feature(lsp.CODE_ACTION_RESOLVE)
    def on_resolve(params: lsp.CodeAction) -> lsp.CodeAction:
        data = params.data if isinstance(params.data, dict) else {}
        state = ls.core.documents.get(str(data.get("uri", "")))
        if state is None or state.version != data.get("version") or params.edit is not None:
            return params  # the document moved on: an edit for an older version would corrupt it
        changes = _edits_for(ls, state, data)
        if changes is not None:
            edit = _workspace_edit(ls, state, *changes)
            params.edit = converter(ls.protocol).structure(edit, lsp.WorkspaceEdit)
        return params
