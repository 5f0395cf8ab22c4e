"""Per-model indexes (variables, stage references, completion's document facts) built once, by one
thread at a time, and never waited for long by a thread that must stay responsive.

The indexes are built lazily, in steps that fill other per-instruction caches on the way, so two
threads must never build them at once (a hover that met a half-built index failed an assertion).
Each model carries one re-entrant lock for them. The language server's analysis thread takes it
before it hands a big document's model to the event loop and builds the indexes under it, so the
loop can answer what needs no index (a keyword's hover, keyword completion, symbols) at once. A
thread that marked itself with :func:`waiting_at_most` (the loop, for the length of one request)
waits that long for the lock and then gets :class:`IndexPending`, which the server answers
ServerCancelled (the client asks again); every other thread (the CLI, the rules, code actions in
the request thread) simply waits.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .model import Dockerfile

T = TypeVar("T")

_limits = threading.local()


class IndexPending(Exception):
    """The index a request needs is being built by another thread (the analysis thread)."""


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """In this thread, within the block, wait at most ``seconds`` for an index another thread builds."""
    previous = getattr(_limits, "seconds", None)
    _limits.seconds = seconds
    try:
        yield
    finally:
        _limits.seconds = previous


def built_once(cache: weakref.WeakKeyDictionary[Dockerfile, T], doc: Dockerfile, build: Callable[[Dockerfile], T]) -> T:
    """``cache[doc]``, built by ``build(doc)`` under the model's index lock if it is not there yet."""
    found = cache.get(doc)
    if found is not None:
        return found
    limit: float | None = getattr(_limits, "seconds", None)
    lock = doc.index_lock
    if not lock.acquire(timeout=-1 if limit is None else limit):
        raise IndexPending("the document's indexes are still being built")
    try:
        found = cache.get(doc)
        if found is None:
            found = build(doc)
            cache[doc] = found
        return found
    finally:
        lock.release()
