"""textDocument/codeLens -> engine.code_lenses, and the two commands the lenses run.

- ``dockerfile-refactor-ls.buildTarget`` ``[uri, stage]``: shows (``window/showMessage``) and
  returns the ``docker build --target`` command line for the stage, with ``-f`` relative to the
  workspace folder and the Dockerfile's directory as the context.
- ``dockerfile-refactor-ls.showStageUses`` ``[uri, stage index]``: lists the stages that use it
  (``window/showMessage``), reveals the first use with ``window/showDocument`` when the client
  supports it, and returns the locations.
"""

from __future__ import annotations

import logging
import shlex
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..convert import lsp_range
from ..engine.code_lenses import code_lenses, use_spans
from ..engine.model import Dockerfile
from ..wire import range_dict
from ..workspace import uri_to_path
from .requests import whole_document_request

if TYPE_CHECKING:
    from .host import FeatureHost

log = logging.getLogger(__name__)

BUILD_TARGET = "dockerfile-refactor-ls.buildTarget"
SHOW_STAGE_USES = "dockerfile-refactor-ls.showStageUses"


def build_command(ls: FeatureHost, uri: str, target: str) -> str:
    """``docker build`` for the stage, run from the workspace folder with the Dockerfile's
    directory as the context (``-f`` only when the file is not called ``Dockerfile``)."""
    path = uri_to_path(uri)
    parts = ["docker", "build", "--target", target]
    if path is None:
        return " ".join(shlex.quote(p) for p in [*parts, "."])
    root = next((r for r in ls.core.config.roots if r in path.parents), path.parent)
    context = path.parent.relative_to(root)
    if path.name != "Dockerfile":
        parts += ["-f", str(path.relative_to(root))]
    parts.append(str(context))  # "." when the file is in the folder itself
    return " ".join(shlex.quote(p) for p in parts)


def lenses_json(ls: FeatureHost, uri: str, doc: Dockerfile) -> list[dict[str, Any]]:
    """The lenses as plain JSON, the first ``maxItemsComputed`` in document order."""
    out = []
    for lens in code_lenses(doc)[: ls.core.config.max_items_computed]:
        arguments: list[Any] = [uri, lens.target] if lens.kind == "build" else [uri, lens.stage]
        command = {"title": lens.title, "command": BUILD_TARGET if lens.kind == "build" else SHOW_STAGE_USES, "arguments": arguments}
        out.append({"range": range_dict(doc, lens.span), "command": command})
    return out


def register(ls: FeatureHost) -> None:
    whole_document_request(
        ls, lsp.TEXT_DOCUMENT_CODE_LENS, lambda uri, doc: lenses_json(ls, uri, doc), lsp.CodeLensOptions(resolve_provider=False)
    )

    # Arguments arrive as they were sent (any client may send anything): checked here, and a bad
    # call answers null rather than an error with a traceback in the log.
    @ls.command(BUILD_TARGET)
    def on_build_target(*args: Any) -> str | None:
        if len(args) != 2 or not all(isinstance(a, str) for a in args):
            return None
        uri, target = args
        line = build_command(ls, uri, target)
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=line))
        return line

    @ls.command(SHOW_STAGE_USES)
    async def on_show_stage_uses(*args: Any) -> list[lsp.Location] | None:
        if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], int) or isinstance(args[1], bool):
            return None
        uri, index = args
        state = ls.core.documents.get(uri)
        if state is None:
            return None
        doc = state.model
        if not 0 <= index < len(doc.stages):
            return None
        uses = use_spans(doc, doc.stages[index])
        locations = [lsp.Location(uri=uri, range=lsp_range(doc.range(s))) for s in uses]
        stage = doc.stages[index]
        lines = ", ".join(
            f"line {doc.lines.line_of(s.start) + 1} ({doc.lines.line_text(doc.lines.line_of(s.start)).strip()[:40]})"
            for s in uses
        )
        ls.window_show_message(
            lsp.ShowMessageParams(type=lsp.MessageType.Info, message=f"Stage {stage.label} is used on {lines or 'no line'}")
        )
        caps = ls.client_capabilities.window
        if locations and caps is not None and caps.show_document is not None and caps.show_document.support:
            try:
                await ls.window_show_document_async(
                    lsp.ShowDocumentParams(uri=uri, selection=locations[0].range, take_focus=True)
                )
            except Exception as exc:  # the list is shown and returned anyway
                log.info("window/showDocument failed: %s", exc)
        return locations
