"""The document model: exact spans for keywords, flags, images, stage names, variables, heredocs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_refactor_ls.documents import ChangeRange, DocumentState
from dockerfile_refactor_ls.engine.model import Dockerfile, is_image_reference
from dockerfile_refactor_ls.engine.text import LineIndex, Position, PositionEncoding


def _at(doc: Dockerfile, span: object) -> str:
    return doc.text[span.start : span.end]  # type: ignore[attr-defined]


def test_spans_of_from_parts() -> None:
    doc = Dockerfile("FROM --platform=$BUILDPLATFORM registry:5000/team/golang:1.22-alpine@sha256:" + "a" * 64 + " AS build\n")
    stage = doc.stages[0]
    assert stage.image is not None
    assert _at(doc, stage.image.name_span) == "registry:5000/team/golang"
    assert _at(doc, stage.image.tag_span) == "1.22-alpine"
    assert _at(doc, stage.image.digest_span) == "sha256:" + "a" * 64
    assert stage.image.registry == "registry:5000"
    assert stage.image.repository == "team/golang"
    assert stage.platform is not None and _at(doc, stage.platform.value_span) == "$BUILDPLATFORM"
    assert _at(doc, stage.name_span) == "build"
    assert _at(doc, stage.as_span) == "AS"


def test_flags_and_keyword_spans_across_continuations() -> None:
    text = "FROM a\ncopy \\\n  # a comment inside\n  --from=a \\\n  --chown=1:1 x y\n"
    doc = Dockerfile(text)
    ins = doc.stages[0].instructions[0]
    assert _at(doc, ins.keyword_span) == "copy"
    frm, chown = ins.flags
    assert (_at(doc, frm.name_span), _at(doc, frm.value_span)) == ("--from", "a")
    assert _at(doc, chown.value_span) == "1:1"
    assert [_at(doc, t.span) for t in ins.args] == ["x", "y"]
    assert ins.start_line == 2 and ins.end_line == 5
    assert len(ins.comment_spans) == 1 and _at(doc, ins.comment_spans[0]) == "# a comment inside"


def test_stage_graph_and_copy_from() -> None:
    doc = Dockerfile("FROM golang AS build\nFROM build AS test\nFROM scratch\nCOPY --from=Build /a /a\nCOPY --from=0 /b /b\n")
    build, test, final = doc.stages
    assert test.base_stage is build
    assert [cf.stage for cf in final.copies_from] == [build, build]
    assert final.root_image() is not None and final.root_image().is_scratch  # type: ignore[union-attr]
    assert test.root_image() is build.image


def test_arg_scoping_and_references() -> None:
    text = 'ARG V=1\nFROM img:${V}\nARG V\nENV P=/x:$PATH Q="${V:-none}" R=\'$NOT\'\nRUN echo \\$ESCAPED $SHELLVAR\n'
    doc = Dockerfile(text)
    assert [d.name for d in doc.global_args] == ["V"]
    assert [d.name for d in doc.stages[0].args] == ["V"]
    names = [(r.name, _at(doc, r.span), r.by_buildkit) for r in doc.var_refs]
    assert names == [
        ("V", "${V}", True),
        ("PATH", "$PATH", True),
        ("V", "${V:-none}", True),
        ("SHELLVAR", "$SHELLVAR", False),
    ]


def test_heredoc_spans() -> None:
    text = "FROM a\nRUN <<EOF bash\necho $HOME\nEOF\nCOPY <<-'X' /etc/x\n\tliteral $NOPE\n\tX\n"
    doc = Dockerfile(text)
    run, copy = doc.stages[0].instructions
    (h,) = run.heredocs
    assert (h.name, _at(doc, h.marker), _at(doc, h.body)) == ("EOF", "<<EOF", "echo $HOME\n")
    assert h.terminator is not None and _at(doc, h.terminator) == "EOF"
    (h2,) = copy.heredocs
    assert h2.chomp and not h2.expand and h2.content == "\tliteral $NOPE\n"
    assert [r.name for r in doc.var_refs] == ["HOME"]


def test_parser_directives_and_bom() -> None:
    doc = Dockerfile("\ufeff# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  hi\n")
    assert [(d.name, d.value) for d in doc.parsed.directives] == [("syntax", "docker/dockerfile:1"), ("escape", "`")]
    assert doc.escape == "`"
    assert doc.stages[0].instructions[0].args[0].value == "echo   hi"


def test_image_reference_grammar() -> None:
    assert is_image_reference("nginx")
    assert is_image_reference("ghcr.io/org/app:1.2.3")
    assert is_image_reference("localhost:5000/x@sha256:" + "0" * 64)
    assert not is_image_reference("Builder")
    assert not is_image_reference("my_stage__")
    assert not is_image_reference("a b")


def test_line_index_handles_lsp_line_breaks_and_encodings() -> None:
    text = "a\r\nb\rc\u2028d\né😀x"
    idx = LineIndex(text)
    assert idx.line_count == 4  # \r\n, \r, \n break lines; U+2028 does not
    assert idx.position(text.index("x")) == Position(3, 3)
    assert LineIndex(text, PositionEncoding.UTF8).position(text.index("x")) == Position(3, 6)
    assert LineIndex(text, PositionEncoding.UTF32).position(text.index("x")) == Position(3, 2)
    assert idx.offset(Position(3, 3)) == text.index("x")
    assert idx.offset(Position(0, 99)) == 1  # clamped to the end of the line's content
    assert idx.offset(Position(99, 0)) == len(text)


def _reference_offset(text: str, line: int, character: int) -> int:
    """An independent model of an editor: LSP line breaks, UTF-16 columns, clamped positions."""
    import re

    pieces = re.split(r"(\r\n|\r|\n)", text)
    contents, breaks = pieces[0::2], pieces[1::2]
    if line >= len(contents):
        return len(text)
    start = sum(len(c) for c in contents[:line]) + sum(len(b) for b in breaks[:line])
    units = 0
    for i, ch in enumerate(contents[line]):
        if units >= character:
            return start + i
        units += len(ch.encode("utf-16-le")) // 2
    return start + len(contents[line])


_ALPHABET = st.sampled_from(["a", "\n", "\r\n", "\r", "😀", "é", "\t", "\\", "<<EOF", "\u2028", " "])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_ALPHABET, max_size=20).map("".join),
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.lists(_ALPHABET, max_size=5).map("".join)),
        max_size=15,
    ),
)
def test_incremental_edits_match_a_reference_editor(initial: str, edits: list[tuple[int, int, int, int, str]]) -> None:
    """Applying LSP edits through the store gives the text an editor would have."""
    state = DocumentState("file:///x", initial, 1, PositionEncoding.UTF16)
    client = initial
    for l1, c1, l2, c2, new in edits:
        a = _reference_offset(client, l1, c1)
        b = _reference_offset(client, l2, c2)
        a, b = min(a, b), max(a, b)
        client = client[:a] + new + client[b:]
        state.apply_change(new, ChangeRange(Position(l1, c1), Position(l2, c2)))
        assert state.text == client


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", " ", "\n", "\r\n", "\r", "é", "𝄞", "\t"]), max_size=40).map("".join),
    st.integers(-3, 70),
    st.integers(0, 20),
)
def test_range_json_equals_range(text: str, start: int, length: int) -> None:
    """The fast JSON conversion used for diagnostics agrees with ``LineIndex.range``."""
    from dockerfile_refactor_ls.engine.text import Span

    for encoding in PositionEncoding:
        idx = LineIndex(text, encoding)
        span = Span(start, start + length)
        r = idx.range(span)
        assert idx.range_json(span) == {
            "start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character},
        }


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bc", " ", "\n", "\n", "\r\n", "\r", "é", "𝄞", "\t"]), max_size=60).map("".join),
    st.lists(st.tuples(st.integers(-3, 90), st.integers(0, 25)), max_size=30),
    st.booleans(),
)
def test_sorted_ranges_equal_range(text: str, spans: list[tuple[int, int]], in_order: bool) -> None:
    """The forward walk semantic tokens use agrees with ``LineIndex.range``, for spans in
    document order (what it is for) and in any order (looked up)."""
    from dockerfile_refactor_ls.engine.text import Span

    found = [Span(a, a + n) for a, n in (sorted(spans) if in_order else spans)]
    for encoding in PositionEncoding:
        idx = LineIndex(text, encoding)
        expected = [(r.start.line, r.start.character, r.end.line, r.end.character) for r in map(idx.range, found)]
        assert list(idx.sorted_ranges(found)) == expected
