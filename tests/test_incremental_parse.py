"""Incremental re-parsing gives exactly what a full parse gives (spans, lines, heredocs, comments)."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_refactor_ls.engine.parser import ParseResult, parse, parse_incremental

from .conftest import corpus_files, read_corpus, requires_corpus


def dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(dump(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    return value


def snapshot(result: ParseResult) -> Any:
    return (
        dump(result.instructions),
        dump(result.comments),
        dump(result.warnings),
        dump(result.errors),
        dump(result.directives),
        result.escape,
    )


def edit(prev: ParseResult, start: int, end: int, new: str) -> ParseResult:
    text = prev.text[:start] + new + prev.text[end:]
    return parse_incremental(prev, text, start, end, start + len(new))


PIECES = st.sampled_from(
    ["RUN a \\\n", "\n", "# c\n", "FROM x AS y\n", "<<EOF", "EOF\n", "\\", "`", " ", "x", "\r\n", "COPY a b\n", "  # in\n", '"', "ENV A=1\n"]
)
BASE = (
    "# escape=\\\nFROM golang:1.22 AS build\nRUN go build \\\n  # comment\n  -o /x .\n\n"
    "RUN <<EOF\necho hi\nEOF\nCOPY . .\nFROM alpine\nCOPY --from=build /x /x\nCMD [\"/x\"]\n"
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30), st.lists(PIECES, max_size=4).map("".join)), max_size=8))
def test_random_edits_match_full_parse(edits: list[tuple[int, int, str]]) -> None:
    result = parse(BASE)
    for pos, length, new in edits:
        start = min(pos, len(result.text))
        end = min(start + length, len(result.text))
        result = edit(result, start, end, new)
        assert snapshot(result) == snapshot(parse(result.text))


@requires_corpus
def test_single_character_edits_on_corpus_files() -> None:
    checked = 0
    for path in corpus_files()[::9]:
        text = read_corpus(path)
        if not text:
            continue
        for frac in (0.3, 0.6, 0.95):
            pos = int(len(text) * frac)
            for new, length in (("x", 0), ("", 1), ("\n", 0), ("\\", 0)):
                prev = parse(text)
                got = edit(prev, pos, min(pos + length, len(text)), new)
                assert snapshot(got) == snapshot(parse(got.text)), (path.name, pos, new)
                checked += 1
    assert checked > 100


def _shell_view(doc: Any) -> Any:
    from dockerfile_refactor_ls.engine.shell import iter_runs

    return [
        (ins.span, [(c.name, c.span, c.word.span, [a.span for a in c.args]) for c in script.commands], script.pipelines, script.append_at)
        for _stage, ins, script in iter_runs(doc)
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10), st.lists(PIECES, max_size=3).map("".join)), max_size=6))
def test_cached_shell_analysis_matches_fresh_after_edits(edits: list[tuple[int, int, str]]) -> None:
    """RUN analyses reused across versions (shifted) equal a fresh analysis of the new text."""
    from dockerfile_refactor_ls.documents import DocumentState
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding

    text = BASE + "RUN apt-get update && apt-get install -y curl | tee /log\nRUN echo a \\\n  && echo b\n"
    state = DocumentState("file:///x", text, 1, PositionEncoding.UTF16)
    _shell_view(state.model)
    for pos, length, new in edits:
        start = min(pos, len(state.text))
        end = min(start + length, len(state.text))
        idx = LineIndex(state.text)
        from dockerfile_refactor_ls.documents import ChangeRange

        state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))
        assert _shell_view(state.model) == _shell_view(Dockerfile(state.text))


def _finding_keys(findings: Any) -> list[str]:
    return sorted(
        repr((f.code, f.span, f.message, int(f.severity), [(x.title, x.edits) for x in f.fixes]))
        for f in findings
    )


RULES_BASE = (
    "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl wget\n"
    "RUN cd /tmp && sudo make install\nCOPY . /src\nENV A=1\n"
    "FROM alpine:3.20\nRUN apk add git && wget http://x/y | sh\nRUN pip install flask\n"
    "SHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -s x | sh\n"
)
RULE_PIECES = st.sampled_from(
    ["RUN apt-get install -y vim\n", "x", " ", "\n", "FROM ubuntu:24.04\n", "SHELL [\"pwsh\", \"-c\"]\n", "&& cd /a ", "sudo ", "\\\n", "COPY a b\n"]
)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 8), st.lists(RULE_PIECES, max_size=3).map("".join)), max_size=6))
def test_findings_kept_across_edits_equal_fresh_findings(edits: list[tuple[int, int, str]]) -> None:
    """Per-RUN findings reused across versions (and shifted) equal those of a fresh analysis."""
    from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
    from dockerfile_refactor_ls.engine.analysis import diagnose
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding

    state = DocumentState("file:///x", RULES_BASE, 1, PositionEncoding.UTF16)
    diagnose(state.model)
    for pos, length, new in edits:
        start = min(pos, len(state.text))
        end = min(start + length, len(state.text))
        idx = LineIndex(state.text)
        state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))
        assert _finding_keys(diagnose(state.model)) == _finding_keys(diagnose(Dockerfile(state.text)))
