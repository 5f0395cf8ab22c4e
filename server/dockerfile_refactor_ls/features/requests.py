"""How an editor-intelligence request about one document is registered and answered.

Every such handler did the same before its engine call: look the document up (an unknown one is
answered ``null``), map ``params.position`` to an offset, and turn an internal error into a logged
``null`` rather than an error reply with a traceback. :func:`document_request`,
:func:`position_request` and :func:`position_answer` do that once; a feature module keeps only its
engine call and its conversion to LSP types.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ..convert import engine_position
from ..documents import DocumentState
from ..engine.index_lock import IndexPending
from ..engine.model import Dockerfile
from .host import AskAgain

if TYPE_CHECKING:
    from .host import FeatureHost

log = logging.getLogger(__name__)

R = TypeVar("R")
A = TypeVar("A")


class DocumentParams(Protocol):
    @property
    def text_document(self) -> lsp.TextDocumentIdentifier: ...


class PositionParams(DocumentParams, Protocol):
    @property
    def position(self) -> lsp.Position: ...


D = TypeVar("D", bound=DocumentParams)
P = TypeVar("P", bound=PositionParams)


def index_pending_cancels(fn: Callable[..., R]) -> Callable[..., R | AskAgain]:
    """Answer ServerCancelled (the client asks again) when the handler needs an index the analysis
    thread is still building for this version (engine/index_lock.py)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> R | AskAgain:
        try:
            return fn(*args, **kwargs)
        except IndexPending as exc:
            return AskAgain(f"{exc}; ask again")

    return wrapper


def guarded(fn: Callable[..., R | None]) -> Callable[..., R | None]:
    """Turn any exception except a deliberate JSON-RPC error into a logged ``None`` (and an index
    still being built into ServerCancelled: :func:`index_pending_cancels`)."""

    answer = index_pending_cancels(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> R | None:
        try:
            return cast(R | None, answer(*args, **kwargs))
        except JsonRpcException:
            raise
        except Exception:
            log.exception("%s failed", fn.__name__)
            return None

    return wrapper


def document_request(
    ls: FeatureHost, method: str, options: Any = None
) -> Callable[[Callable[[D, DocumentState], R | None]], Callable[[D], R | None]]:
    """Register the decorated ``handler(params, state)`` for ``method`` (with ``options``): it runs
    on the open document ``params.text_document`` names; an unknown document or an internal error
    (:func:`guarded`) answers ``null``."""

    def register(handler: Callable[[D, DocumentState], R | None]) -> Callable[[D], R | None]:
        @guarded
        @functools.wraps(handler)
        def on_request(params: D) -> R | None:
            state = ls.core.documents.get(params.text_document.uri)
            return None if state is None else handler(params, state)

        ls.feature(method, options)(on_request)
        return on_request

    return register


def whole_document_request(ls: FeatureHost, method: str, build: Callable[[str, Dockerfile], Any], options: Any = None) -> None:
    """Register ``method``, a request whose result covers the whole document (outline, folding,
    links, lenses, semantic tokens): ``build(uri, model)`` makes its plain-JSON result once per
    version, in the analysis thread for a big document (:meth:`FeatureHost.whole_document_result`)."""
    ls.whole_document_results[method] = build

    @document_request(ls, method, options)
    def on_whole_document(params: DocumentParams, state: DocumentState) -> Any:
        return ls.whole_document_result(state, method)

    # What guarded's log line names when it fails ("on_foldingRange failed").
    on_whole_document.__name__ = f"on_{method.rsplit('/', 1)[-1]}"


def position_request(
    ls: FeatureHost, method: str, options: Any = None
) -> Callable[[Callable[[P, DocumentState, int], R | None]], Callable[[P], R | None]]:
    """:func:`document_request` for a request about ``params.position``: the handler gets its
    offset too, ``handler(params, state, offset)``."""

    def register(handler: Callable[[P, DocumentState, int], R | None]) -> Callable[[P], R | None]:
        @functools.wraps(handler)
        def with_offset(params: P, state: DocumentState) -> R | None:
            return handler(params, state, state.model.lines.offset(engine_position(params.position)))

        return document_request(ls, method, options)(with_offset)

    return register


def position_answer(
    ls: FeatureHost, method: str, answer: Callable[[Dockerfile, int], A | None], options: Any = None
) -> Callable[[Callable[[P, Dockerfile, A], R | None]], Callable[[P], R | None]]:
    """:func:`position_request` for a request whose engine answer depends on the position alone:
    ``answer(doc, offset)``; None (nothing there) answers ``null``, anything else goes to the
    decorated ``convert(params, doc, answer)``, which makes it LSP."""

    def register(convert: Callable[[P, Dockerfile, A], R | None]) -> Callable[[P], R | None]:
        @functools.wraps(convert)
        def answered(params: P, state: DocumentState, offset: int) -> R | None:
            doc = state.model
            found = answer(doc, offset)
            return None if found is None else convert(params, doc, found)

        return position_request(ls, method, options)(answered)

    return register
