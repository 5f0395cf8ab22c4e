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

from dockerfile_refactor_ls.documents import DocumentState, EditedModel
from dockerfile_refactor_ls.engine.completion import complete, document_facts
from dockerfile_refactor_ls.engine.hover import hover
from dockerfile_refactor_ls.engine.inlay_hints import inlay_hints
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.navigation import definition
from dockerfile_refactor_ls.engine.parser import ParseResult, parse, parse_incremental
from dockerfile_refactor_ls.engine.semantic_tokens import semantic_tokens
from dockerfile_refactor_ls.engine.signatures import signature_help
from dockerfile_refactor_ls.engine.text import PositionEncoding, Span
from dockerfile_refactor_ls.head import (
    EDIT_HEAD_AFTER_CHARS,
    HEAD_REQUESTS,
    Head,
    answerable_before,
    build_edit_head,
)
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


# -- the head of a version just edited (parse_incremental's prefix and the edited version's model) --


def _edit(
    text: str, at: int, typed: str, prefix_after: int = EDIT_HEAD_AFTER_CHARS
) -> tuple[str, list[Head], Dockerfile]:
    """Type ``typed`` at ``at`` as the analysis thread sees it: the edited version's model (its
    document facts built), an incremental re-parse that hands over its prefix, the edit head from
    that, and the new version's model with the stages before the edit reused."""
    prev = parse(text)
    base = Dockerfile(text, parsed=prev)
    document_facts(base)  # as the analysis thread does for a long file: keyword case then known
    edited = EditedModel(base)
    del base  # let go once taken, as the analysis thread does
    new_text = text[:at] + typed + text[at:]
    prefixes: list[ParseResult] = []
    full = parse_incremental(
        prev, new_text, at, at, at + len(typed), on_prefix=prefixes.append, prefix_after=prefix_after
    )
    heads = []
    for prefix in prefixes:
        head = build_edit_head("file:///tmp/head/Dockerfile", prefix, *edited.take(prefix), 2, PositionEncoding.UTF16)
        if head is not None:
            heads.append(head)
    whole = Dockerfile(new_text, parsed=full, reuse=edited.take(full)[0])
    return new_text, heads, whole


def _edited_heads(text: str, most: int = 3) -> list[tuple[str, Head]]:
    """For a few single-character edits through ``text``: the new text and its edit head. The new
    version's model with reused stages is checked against a fresh one on the way."""
    out = []
    for cut in _cuts(text, most):
        new_text, heads, whole = _edit(text, cut - 1, "x")  # typing at the end of a line
        assert _model_view(whole) == _model_view(Dockerfile(new_text))
        out += [(new_text, head) for head in heads]
    return out


def _edit_head_differences(text: str) -> tuple[list[tuple[str, int, int]], int]:
    out = []
    served = 0
    for new_text, head in _edited_heads(text):
        whole = Dockerfile(new_text)
        assert _model_view(head.model) == _model_view(Dockerfile(head.text))
        for offset in _offsets(new_text, head.answerable_end, 7):
            for method, answer in ANSWERS.items():
                ranged = method.endswith(("inlayHint", "semanticTokens/range"))
                if not head.serves(method, offset, offset + 2_000 if ranged else offset):
                    continue
                served += 1
                if answer(head.model, offset) != answer(whole, offset):
                    out.append((method, len(head.text), offset))
    return out, served


def _model_view(doc: Dockerfile) -> Any:
    """What a model holds, by value (stages by index)."""

    def decl(d: Any) -> Any:
        return (
            d.name,
            d.name_span,
            d.value,
            d.value_span,
            d.kind,
            d.instruction.span,
            d.stage.index if d.stage else None,
        )

    return (
        [i.span for i in doc.preamble],
        [decl(d) for d in doc.global_args + doc.preamble_envs],
        [
            (
                st.index,
                st.name,
                st.name_span,
                st.as_span,
                st.image,
                st.error,
                st.span,
                st.platform.span if st.platform else None,
                st.base_stage.index if st.base_stage else None,
                [
                    (c.instruction.span, c.flag.span, c.stage.index if c.stage else None)
                    for c in st.copies_from
                ],
                [decl(d) for d in st.args + st.envs],
                [i.span for i in st.instructions],
            )
            for st in doc.stages
        ],
        [doc.stage_at(st.from_instruction.span.start) is st for st in doc.stages],
        sorted((k, v.index) for k, v in doc._by_key.items()),
    )


@requires_corpus
@pytest.mark.parametrize("group", _groups(), ids=lambda g: g[0].name)
def test_edit_head_answers_are_whole_file_answers(group: list[Path]) -> None:
    text = "".join(read_corpus(p).rstrip("\n") + "\n" for p in group)
    bad, _served = _edit_head_differences(text)
    assert not bad, bad[:10]


def test_edit_head_on_a_chain_of_stages() -> None:
    stage = (
        "FROM s{p} AS s{k}\nARG A{k}=x\nCOPY --from=s{p} /a /b\nRUN echo $A{k} && apt-get install -y curl\n"
    )
    text = "ARG BASE=alpine\nFROM ${BASE} AS s0\n" + "".join(stage.format(k=k, p=k - 1) for k in range(1, 60))
    heads = _edited_heads(text)
    assert heads and all(h.model.reused_stages > 10 and h.whole_keyword_case for _t, h in heads)
    _text, _heads, whole = _edit(text, text.index("echo $A50") + 9, "x")
    assert whole.reused_stages == 50
    bad, served = _edit_head_differences(text)
    assert not bad, bad[:10]
    assert served > 500


def test_edit_head_keyword_completions_take_the_whole_files_case() -> None:
    """Lower-case keywords first, upper-case after (most of them): an edit among the first is
    completed in upper case, as the whole file's keywords are."""
    low = "from alpine AS l{k}\nrun echo {k}\n"
    up = "FROM alpine AS u{k}\nRUN echo {k}\nENV A{k}=1\n"
    text = "".join(low.format(k=k) for k in range(30)) + "".join(up.format(k=k) for k in range(40))
    at = text.index("echo 10") + 7
    new_text, (head,), _whole = _edit(text, at, "\n")  # a new, empty line in stage l10
    offset = at + 1  # the start of the new line: nothing typed
    assert head.serves("textDocument/completion", offset, offset)
    ours = complete(head.model, offset, rules=all_rules())
    assert ours == complete(Dockerfile(new_text), offset, rules=all_rules())
    labels = [getattr(i, "label", None) for i in ours]
    assert "RUN" in labels and "run" not in labels, labels[:5]
