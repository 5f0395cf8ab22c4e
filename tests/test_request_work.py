"""A request at a position (or for a screenful) costs the same on a small and on a large document.

Issue 18: "hover/definition at a position must not walk the document". Counted, not timed: the
Python lines executed (``sys.settrace`` line events, which also fire for every turn of a loop or a
comprehension, where function calls would miss a walk that calls nothing) by one request once the
model is built with what the server's analysis thread builds beside it (navigation indexes,
completion's per-model facts), at N and 4N stages. The stages are independent (each ``FROM`` an image, copying from the one before), so what
is under the cursor is the same at both sizes; only the document grows. A request that walks every
instruction, stage or reference makes 4N cost about 4x N.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from dockerfile_refactor_ls.engine import (
    completion,
    formatting,
    hover,
    inlay_hints,
    navigation,
    on_type,
    selection,
    semantic_tokens,
    signatures,
)
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Position, Span

N = 1500
# The same work at both sizes, give or take a bisection step (log 4N - log N) and noise.
SLACK = 1.15
ABSOLUTE = 200


def stages(n: int) -> str:
    parts = ["ARG BASE=alpine:3.19\n", "FROM ${BASE} AS s0\n"]
    for i in range(1, n):
        parts.append(f"# stage {i}\nFROM alpine:3.19 AS s{i}\nARG A{i}=x\nCOPY --from=s{i - 1} /a{i} /b\nRUN echo $A{i} \\\n  && true\n")
    return "".join(parts)


def _prepared(n: int) -> Dockerfile:
    doc = Dockerfile(stages(n))
    _ = doc.lines
    navigation.variable_index(doc)
    navigation.stage_refs(doc)
    completion.document_facts(doc)
    return doc


def _requests(doc: Dockerfile) -> dict[str, Callable[[], object]]:
    lines = doc.text.split("\n")
    mid = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("FROM "))
    copy = mid + 2
    run = mid + 3
    assert lines[copy].startswith("COPY --from=") and lines[run].startswith("RUN echo $A")

    def at(line: int, character: int) -> int:
        return doc.lines.offset(Position(line, character))

    stage_ref = at(copy, len("COPY --from=s"))
    variable = at(run, len("RUN echo $A"))
    screen = Span(at(mid - 30, 0), at(mid + 30, 0))
    last = len(doc.text)
    return {
        "hover keyword": lambda: hover.hover(doc, at(mid, 1)),
        "hover stage": lambda: hover.hover(doc, stage_ref),
        "hover variable": lambda: hover.hover(doc, variable),
        "definition stage": lambda: navigation.definition(doc, stage_ref),
        "definition variable": lambda: navigation.definition(doc, variable),
        "references stage": lambda: navigation.references(doc, stage_ref),
        "references variable": lambda: navigation.references(doc, variable),
        "highlights stage": lambda: navigation.highlights(doc, stage_ref),
        "completion keyword": lambda: completion.complete(doc, last),
        "completion variable": lambda: completion.complete(doc, at(run, len("RUN echo $"))),
        "completion continuation": lambda: completion.complete(doc, at(run + 1, 2)),
        "signature help": lambda: signatures.signature_help(doc, at(copy, len("COPY "))),
        "selection range": lambda: selection.selection_range(doc, stage_ref),
        "selection range comment": lambda: selection.selection_range(doc, at(mid - 1, 3)),
        "on-type newline": lambda: on_type.on_type_formatting(doc, at(run + 1, 0), "\n"),
        "inlay hints screen": lambda: inlay_hints.inlay_hints(doc, screen),
        "semantic tokens screen": lambda: semantic_tokens.semantic_tokens(doc, screen),
        "range formatting screen": lambda: formatting.format_range(doc, screen),
    }


def _lines(fn: Callable[[], object]) -> int:
    """Python lines executed by ``fn()``."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        fn()
    finally:
        sys.settrace(previous)
    return count


@pytest.fixture(scope="module")
def work() -> dict[str, tuple[int, int]]:
    small, large = _prepared(N), _prepared(4 * N)
    small_requests, large_requests = _requests(small), _requests(large)
    return {name: (_lines(small_requests[name]), _lines(large_requests[name])) for name in small_requests}


@pytest.mark.parametrize("name", list(_requests(Dockerfile(stages(200)))))
def test_a_request_does_not_walk_the_document(work: dict[str, tuple[int, int]], name: str) -> None:
    small, large = work[name]
    assert small > 0
    assert large <= SLACK * small + ABSOLUTE, f"{name}: {small} lines run at {N:,} stages, {large} at {4 * N:,}"


def test_stage_completion_is_cut_nearest_first_and_marked_incomplete() -> None:
    doc = _prepared(2 * completion.MAX_STAGE_ITEMS + 10)
    last_copy = doc.text.rindex("COPY --from=") + len("COPY --from=")
    items = completion.complete(doc, last_copy)
    assert isinstance(items, completion.PartialList)
    assert len(items) == completion.MAX_STAGE_ITEMS
    stages_before = 2 * completion.MAX_STAGE_ITEMS + 10 - 1
    # The nearest stages, in document order (their sort texts keep the editor's order).
    assert [i.label for i in items] == [f"s{k}" for k in range(stages_before - completion.MAX_STAGE_ITEMS, stages_before)]
    # What is typed narrows the candidates (letters in order, as a fuzzy filter would keep them).
    typed = doc.text[:last_copy] + "s7" + doc.text[last_copy:]
    doc = Dockerfile(typed)
    narrowed = completion.complete(doc, last_copy + 2)
    labels = [i.label for i in narrowed]
    assert labels and all(label.startswith("s") and "7" in label for label in labels)
    assert "s7" in labels and "s1777" in labels
    # A small document gets every stage, unfiltered (the editor filters), and a complete list.
    small = Dockerfile(stages(20))
    items = completion.complete(small, small.text.rindex("COPY --from=") + len("COPY --from="))
    assert not isinstance(items, completion.PartialList) and len(items) == 19
