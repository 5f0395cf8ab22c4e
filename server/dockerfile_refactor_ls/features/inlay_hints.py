"""textDocument/inlayHint -> engine.inlay_hints, with the base-image knowledge of engine.users
telling which user an image runs as when no USER says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..convert import lsp_position, span_of
from ..documents import DocumentState
from ..engine.inlay_hints import inlay_hints
from ..engine.model import Dockerfile, Stage
from .requests import document_request

if TYPE_CHECKING:
    from .host import FeatureHost

_KINDS = {"value": lsp.InlayHintKind.Type, "stage": None, "user": None}


def image_user(doc: Dockerfile, stage: Stage) -> str | None:
    """The user the stage's base image runs as, when the image table can tell."""
    from ..engine import users
    from ..engine.images import is_windows, root_image

    if is_windows(doc, stage):
        return None
    image = root_image(doc, stage)
    if image is None:
        return None
    if image.repository == "scratch":
        return "root"
    if users.non_root_by_default(image):
        shipped = users.shipped_user(image)
        return shipped.user.split(":")[0] if shipped else "a non-root user"
    return "root"


def register(ls: FeatureHost) -> None:
    @document_request(ls, lsp.TEXT_DOCUMENT_INLAY_HINT, lsp.InlayHintOptions(resolve_provider=False))
    def on_inlay_hint(params: lsp.InlayHintParams, state: DocumentState) -> list[lsp.InlayHint]:
        doc = state.model
        hints = inlay_hints(doc, span_of(doc, params.range), image_user)
        return [
            lsp.InlayHint(
                position=lsp_position(doc.lines.position(h.offset)),
                label=h.label,
                kind=_KINDS.get(h.kind),
                tooltip=h.tooltip,
                padding_left=True,
            )
            for h in hints
        ]
