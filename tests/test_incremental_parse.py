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


def _reused_equals_fresh(text: str, edits: list[tuple[int, int, str]], view: Any) -> None:
    """Apply ``edits`` to a document one at a time (incremental re-parses reusing instructions):
    after each, ``view`` of its model equals ``view`` of a fresh model of the same text."""
    from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding

    state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
    view(state.model)
    for pos, length, new in edits:
        start = min(pos, len(state.text))
        end = min(start + length, len(state.text))
        idx = LineIndex(state.text)
        state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))
        assert view(state.model) == view(Dockerfile(state.text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10), st.lists(PIECES, max_size=3).map("".join)), max_size=6))
def test_cached_shell_analysis_matches_fresh_after_edits(edits: list[tuple[int, int, str]]) -> None:
    """RUN analyses reused across versions (shifted) equal a fresh analysis of the new text."""
    text = BASE + "RUN apt-get update && apt-get install -y curl | tee /log\nRUN echo a \\\n  && echo b\n"
    _reused_equals_fresh(text, edits, _shell_view)


def _segments_view(doc: Any) -> list[Any]:
    from dockerfile_refactor_ls.engine.ecosystems import run_script as segments

    out = []
    for ins in doc.instructions:
        rs = segments(doc, ins)
        if rs is None:
            out.append(None)
            continue
        words = [(rs.doc_offset(w.start), rs.doc_offset_after(w)) for seg in rs.segments for c in seg.pipeline for w in c.words] if not rs.json else []
        out.append((ins.span, [rs.segment_span(seg) for seg in rs.segments], words))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10), st.lists(PIECES, max_size=3).map("".join)), max_size=6))
def test_cached_run_segments_match_fresh_after_edits(edits: list[tuple[int, int, str]]) -> None:
    """The command segments cacheMounts and crossPlatformBuilder read (kept on the instruction and
    moved with it) equal a fresh reading of the new text."""
    text = BASE + "RUN apt-get update && apt-get install -y curl > /log\nRUN pip install a; go build -o x .\n"
    _reused_equals_fresh(text, edits, _segments_view)


# An unsaved buffer has no folder, so whole-file rules that read the build context
# (MissingDockerignore) see the same nothing as a fresh analysis of the text: a file:///x URI
# made the result depend on what the machine's root folder holds.
UNSAVED_URI = "untitled:Untitled-1"


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
    # Stage-local rules (kept per stage): a chain that inherits configuration, repeated CMDs,
    # relative WORKDIR and COPY, consecutive RUNs, curl and wget in one stage.
    "FROM base AS child\nRUN apt-get install curl\nWORKDIR app\nCOPY a b\nCMD echo a\nCMD echo b\n"
    "RUN wget x\nRUN curl y\nENV PIP_NO_CACHE_DIR=1\nRUN pip install z\nRUN yum install q\n"
)
RULE_PIECES = st.sampled_from(
    [
        "RUN apt-get install -y vim\n", "x", " ", "\n", "FROM ubuntu:24.04\n", "SHELL [\"pwsh\", \"-c\"]\n",
        "&& cd /a ", "sudo ", "\\\n", "COPY a b\n", "RUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/x\n",
        "FROM base AS c2\n", "ENTRYPOINT x\n", "RUN a | b\n", "WORKDIR /w\n", "ARG V=1\n", "ONBUILD RUN dnf install z\n",
        "# a comment line\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 700), st.integers(0, 8), st.lists(RULE_PIECES, max_size=3).map("".join)), max_size=6))
def test_findings_kept_across_edits_equal_fresh_findings(edits: list[tuple[int, int, str]]) -> None:
    """Per-RUN and per-stage findings reused across versions (and shifted) equal those of a fresh analysis."""
    from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding
    from dockerfile_refactor_ls.rules.analysis import diagnose

    state = DocumentState(UNSAVED_URI, RULES_BASE, 1, PositionEncoding.UTF16)
    diagnose(state.model, kept=state.kept)
    for pos, length, new in edits:
        start = min(pos, len(state.text))
        if new.endswith("\n") and length % 2 == 0:
            # Whole lines go in where users put them, between lines: an edit that touches no
            # instruction but moves the ones after it.
            start = state.text.rfind("\n", 0, start) + 1
            length = 0
        end = min(start + length, len(state.text))
        idx = LineIndex(state.text)
        state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))
        assert _finding_keys(diagnose(state.model, kept=state.kept)) == _finding_keys(diagnose(Dockerfile(state.text)))


@requires_corpus
def test_findings_kept_across_edits_on_corpus_files() -> None:
    """Kept per-RUN and per-stage findings equal fresh ones on real files, edited in several places."""
    from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding
    from dockerfile_refactor_ls.rules.analysis import diagnose

    checked = 0
    for path in corpus_files()[3::11]:
        text = read_corpus(path)
        if not text:
            continue
        state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
        diagnose(state.model, kept=state.kept)
        for frac, new, length in ((0.5, "x", 0), (0.2, "", 1), (0.8, "\nRUN apt-get install y\n", 0), (0.4, "\\", 0)):
            pos = int(len(state.text) * frac)
            idx = LineIndex(state.text)
            state.apply_change(new, ChangeRange(idx.position(pos), idx.position(min(pos + length, len(state.text)))))
            assert _finding_keys(diagnose(state.model, kept=state.kept)) == _finding_keys(diagnose(Dockerfile(state.text))), path.name
            checked += 1
    assert checked > 100


def test_stage_findings_move_when_a_line_is_added_between_instructions() -> None:
    """A comment or blank line between two instructions re-creates neither, but moves the later
    one: the stage's kept findings must follow it."""
    from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding
    from dockerfile_refactor_ls.rules.analysis import diagnose

    for inserted in ("# c\n", "\n", "  \n"):
        state = DocumentState(UNSAVED_URI, RULES_BASE, 1, PositionEncoding.UTF16)
        diagnose(state.model, kept=state.kept)
        for anchor in ("CMD echo b", "RUN wget x", "RUN yum install q"):
            pos = state.text.index(anchor)
            idx = LineIndex(state.text)
            state.apply_change(inserted, ChangeRange(idx.position(pos), idx.position(pos)))
            got = _finding_keys(diagnose(state.model, kept=state.kept))
            assert got == _finding_keys(diagnose(Dockerfile(state.text))), (inserted, anchor)


def test_moved_flags_keep_their_name_and_value_spans() -> None:
    """A flag stores its name's and value's spans relative to its own, so moving it moves them too
    (also where a line continuation splits the flag)."""
    text = "FROM alpine\nRUN --mount=type=cache,target=/root/.cache echo\nCOPY --chown=app:\\\napp --link a b\n"
    result = edit(parse(text), 0, 0, "ARG V=1\n# moved\n")
    spans = [
        (result.text[f.span.start : f.span.end], result.text[f.name_span.start : f.name_span.end],
         None if f.value_span is None else result.text[f.value_span.start : f.value_span.end])
        for ins in result.instructions
        for f in ins.flags
    ]
    assert spans == [
        ("--mount=type=cache,target=/root/.cache", "--mount", "type=cache,target=/root/.cache"),
        ("--chown=app:\\\napp", "--chown", "app:\\\napp"),
        ("--link", "--link", None),
    ]


def _edit_with_prefix(
    prev: ParseResult, start: int, end: int, new: str, prefix_after: int = 0
) -> tuple[ParseResult, list[ParseResult]]:
    text = prev.text[:start] + new + prev.text[end:]
    old_instructions = list(prev.instructions)
    prefixes: list[ParseResult] = []

    def check_now(prefix: ParseResult) -> None:
        # Compared when it is handed over: the moves after it must not be needed to make it right.
        assert snapshot(prefix) == snapshot(parse(prefix.text))
        assert all(a is b for a, b in zip(prefix.instructions[: prefix.kept], old_instructions, strict=False))
        prefixes.append(prefix)

    got = parse_incremental(prev, text, start, end, start + len(new), on_prefix=check_now, prefix_after=prefix_after)
    return got, prefixes


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 400), st.integers(0, 30), st.lists(PIECES, max_size=4).map("".join), st.integers(0, 600)
        ),
        max_size=8,
    )
)
def test_prefix_parses_handed_over_mid_edit_match_full_parse(edits: list[tuple[int, int, str, int]]) -> None:
    """The parse up to the stage after the edited one (or on past ``prefix_after`` characters
    after the edit), given before the rest is moved, is the parse of that text; and the whole
    result is still the full parse's."""
    result = parse(BASE + BASE.replace("# escape=\\\n", "") * 2)
    for pos, length, new, prefix_after in edits:
        start = min(pos, len(result.text))
        end = min(start + length, len(result.text))
        result, _prefixes = _edit_with_prefix(result, start, end, new, prefix_after)
        assert snapshot(result) == snapshot(parse(result.text))


def test_a_prefix_parse_ends_where_the_stage_after_the_edited_one_ends() -> None:
    stage = "FROM a AS s{k}\n# note\nRUN echo {k} \\\n  && true\n\n"
    text = "".join(stage.format(k=k) for k in range(6))
    at = text.index("echo 2") + 4
    result, prefixes = _edit_with_prefix(parse(text), at, at, "x")
    assert len(prefixes) == 1
    assert prefixes[0].text == result.text[: result.text.index("FROM a AS s4")]
    assert 0 < prefixes[0].kept < len(prefixes[0].instructions)
    # Reaching on past the screenful below the edit: to the end of the stage that holds it, or
    # to the last stage's start when the file ends sooner.
    at = text.index("echo 1") + 4
    reach = text.index("FROM a AS s3") + 1 - at
    _result, prefixes = _edit_with_prefix(parse(text), at, at, "x", prefix_after=reach)
    assert prefixes[0].text == _result.text[: _result.text.index("FROM a AS s4")]
    _result, prefixes = _edit_with_prefix(parse(text), at, at, "x", prefix_after=len(text))
    assert prefixes[0].text == _result.text[: _result.text.index("FROM a AS s5")]


@requires_corpus
def test_prefix_parses_on_corpus_joins() -> None:
    files = corpus_files()
    handed = 0
    for k in range(0, len(files), 7):
        text = "".join(read_corpus(p).rstrip("\n") + "\n" for p in files[k : k + 4])
        for frac in (0.2, 0.5):
            pos = int(len(text) * frac)
            for new, length in (("x", 0), ("", 1), ("\n", 0)):
                got, prefixes = _edit_with_prefix(parse(text), pos, min(pos + length, len(text)), new)
                assert snapshot(got) == snapshot(parse(got.text))
                handed += len(prefixes)
    assert handed > 100


def _formatting_views(text: str, model: Any) -> tuple[list[Any], list[Any]]:
    """The whole-document formatting edits of ``model`` under two option sets asked in turn (each
    kept on the instructions replaces the other's) and those of one range; and the same, each from
    a fresh model of ``text``."""
    from dockerfile_refactor_ls.engine.formatting import FormatOptions, format_document, format_range
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.text import Span

    tabs = FormatOptions(tab_size=2, insert_spaces=False, trim_trailing_whitespace=False, insert_final_newline=True)
    middle = Span(len(text) // 3, len(text) // 2)
    asks = [
        lambda doc: format_document(doc),
        lambda doc: format_document(doc, tabs),
        lambda doc: format_document(doc),
        lambda doc: format_range(doc, middle, tabs),
    ]
    return [ask(model) for ask in asks], [ask(Dockerfile(text)) for ask in asks]


def _edit_state(state: Any, pos: int, length: int, new: str) -> None:
    from dockerfile_refactor_ls.documents import ChangeRange
    from dockerfile_refactor_ls.engine.text import LineIndex

    start = min(pos, len(state.text))
    end = min(start + length, len(state.text))
    idx = LineIndex(state.text)
    state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))


FORMAT_PIECES = st.sampled_from(
    ["RUN  a \\\n", "\n", "  # c\n", "from x as y\n", "<<EOF", "EOF\n", "\\", "`", " ", "\t", "x", "\r\n",
     "copy  a   b \n", "    ", '"', "ENV A=1 \\\n   B=2\n", "# escape=`\n", "onbuild  run x\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10), st.lists(FORMAT_PIECES, max_size=3).map("".join)), max_size=6))
def test_kept_formatting_edits_match_fresh_after_edits(edits: list[tuple[int, int, str]]) -> None:
    """Formatting edits kept on reused instructions (moved with them) equal a fresh formatting of
    the new text, whatever options were asked for before."""
    from dockerfile_refactor_ls.documents import DocumentState
    from dockerfile_refactor_ls.engine.text import PositionEncoding

    text = BASE + "run  echo a \\\n      && echo b   \nENV  A=1 \\\n  B=2\nlabel a=b  \n"
    state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
    _formatting_views(state.text, state.model)
    for pos, length, new in edits:
        _edit_state(state, pos, length, new)
        kept, fresh = _formatting_views(state.text, state.model)
        assert kept == fresh


@requires_corpus
def test_kept_formatting_edits_on_corpus_files() -> None:
    """The same on real files, edited in several places."""
    from dockerfile_refactor_ls.documents import DocumentState
    from dockerfile_refactor_ls.engine.text import PositionEncoding

    checked = with_edits = 0
    for path in corpus_files()[1::7]:
        text = read_corpus(path)
        if not text:
            continue
        state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
        _formatting_views(state.text, state.model)
        for frac, new, length in ((0.5, "  x ", 0), (0.2, "", 1), (0.8, "\nrun  apt-get install y  \n", 0), (0.4, "\\", 0)):
            _edit_state(state, int(len(state.text) * frac), length, new)
            kept, fresh = _formatting_views(state.text, state.model)
            assert kept == fresh, path.name
            checked += 1
            with_edits += any(kept)
    assert checked > 300 and with_edits > 100, (checked, with_edits)
