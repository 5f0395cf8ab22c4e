"""Requests about a long file's first lines can be answered from the model of those lines alone
(``DocumentState.head``) while the whole file is still being parsed: for each request kind served
that way, the answer from the head equals the answer from the whole file at every position before
the head's last stage. Checked on joins of four corpus files cut at several places.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockerfile_refactor_ls.documents import DocumentState
from dockerfile_refactor_ls.engine.completion import complete
from dockerfile_refactor_ls.engine.hover import hover
from dockerfile_refactor_ls.engine.inlay_hints import inlay_hints
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.navigation import definition
from dockerfile_refactor_ls.engine.semantic_tokens import semantic_tokens
from dockerfile_refactor_ls.engine.signatures import signature_help
from dockerfile_refactor_ls.engine.text import PositionEncoding, Span
from dockerfile_refactor_ls.head import HEAD_REQUESTS, Head, answerable_before
from dockerfile_refactor_ls.rules.registry import all_rules

from .conftest import corpus_files, read_corpus, requires_corpus

# What each request kind served from the head computes, by engine function: (doc, offset).
ANSWERS: dict[str, Callable[[Dockerfile, int], Any]] = {
    "textDocument/hover": hover,
    "textDocument/completion": lambda doc, offset: complete(doc, offset, rules=all_rules()),
    "textDocument/signatureHelp": signature_help,
    "textDocument/definition": definition,
    # Range requests: a screenful from the offset.
    "textDocument/inlayHint": lambda doc, offset: inlay_hints(doc, Span(offset, offset + 2_000)),
    "textDocument/semanticTokens/range": lambda doc, offset: semantic_tokens(doc, Span(offset, offset + 2_000)),
}


def test_every_request_kind_served_from_the_head_is_checked_here() -> None:
    assert set(ANSWERS) == set(HEAD_REQUESTS)


def _offsets(text: str, end: int, step: int = 13) -> list[int]:
    return list(range(0, end, step))


def _groups(size: int = 4) -> list[list[Path]]:
    files = corpus_files()
    return [files[k : k + size] for k in range(0, len(files), size)]


def _cuts(text: str, most: int = 3) -> list[int]:
    line_ends = [k + 1 for k, ch in enumerate(text) if ch == "\n"][:-1]
    step = max(1, len(line_ends) // most)
    return line_ends[step - 1 :: step][:most]


def _differences(text: str) -> tuple[list[tuple[str, int, int]], int]:
    whole = Dockerfile(text)
    out = []
    served = 0
    for cut in _cuts(text):
        model = Dockerfile(text[:cut])
        end = answerable_before(model)
        if end is None:
            continue
        state = DocumentState("file:///tmp/head/Dockerfile", text[:cut], 1, PositionEncoding.UTF16)
        state._model = model
        head = Head(state, end, model.lines.line_of(end))
        for offset in _offsets(text, end):
            for method, answer in ANSWERS.items():
                ranged = method.endswith(("inlayHint", "semanticTokens/range"))
                if not head.serves(method, offset, offset + 2_000 if ranged else offset):
                    continue
                served += 1
                if answer(model, offset) != answer(whole, offset):
                    out.append((method, cut, offset))
    return out, served


@requires_corpus
@pytest.mark.parametrize("group", _groups(), ids=lambda g: g[0].name)
def test_head_answers_are_whole_file_answers(group: list[Path]) -> None:
    text = "".join(read_corpus(p).rstrip("\n") + "\n" for p in group)
    bad, _served = _differences(text)
    assert not bad, bad[:10]


def test_head_answers_on_a_chain_of_stages() -> None:
    stage = "FROM s{p} AS s{k}\nARG A{k}=x\nCOPY --from=s{p} /a /b\nRUN echo $A{k} && apt-get install -y curl\n"
    text = "ARG BASE=alpine\nFROM ${BASE} AS s0\n" + "".join(stage.format(k=k, p=k - 1) for k in range(1, 60))
    bad, served = _differences(text)
    assert not bad, bad[:10]
    assert served > 1_000
