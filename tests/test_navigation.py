"""Definition, references, highlight and rename (engine.navigation, features/navigation)."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from dockerfile_refactor_ls.engine import folding, hover, semantic_tokens, symbols
from dockerfile_refactor_ls.engine import navigation as nav
from dockerfile_refactor_ls.engine.findings import apply_edits
from dockerfile_refactor_ls.engine.model import Dockerfile, VarDecl, VarRef
from dockerfile_refactor_ls.engine.text import Span

from .conftest import corpus_files, read_corpus, requires_corpus


def at(text: str, needle: str, k: int = 0, nth: int = 0) -> int:
    """Offset of the ``nth`` occurrence of ``needle`` plus ``k``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos + k


def texts(doc: Dockerfile, spans: list[Span]) -> list[str]:
    return [doc.text[s.start : s.end] for s in spans]


def lines(doc: Dockerfile, spans: list[Span]) -> list[int]:
    return [doc.lines.line_of(s.start) for s in spans]


MULTI = """\
ARG VERSION=1.22
FROM golang:${VERSION} AS Build
ARG VERSION
ENV GOFLAGS=-mod=vendor
RUN go build -ldflags "-X main.v=$VERSION" ./... && echo '$VERSION'
FROM build AS test
RUN --mount=type=cache,from=BUILD,target=/c go test $GOFLAGS
FROM alpine
COPY --from=build /out /app
COPY --from=0 /out /app2
RUN <<EOF
echo $VERSION
EOF
"""


# -- definition -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needle", "k", "nth"),
    [
        ("build AS test", 2, 0),  # FROM <stage>
        ("from=BUILD", 6, 0),  # RUN --mount=...,from=<stage>
        ("--from=build", 9, 0),  # COPY --from=<stage>
        ("--from=0", 7, 0),  # by index
        ("Build", 0, 0),  # the definition itself
    ],
)
def test_definition_of_stage_references(needle: str, k: int, nth: int) -> None:
    doc = Dockerfile(MULTI)
    spans = nav.definition(doc, at(MULTI, needle, k, nth))
    assert texts(doc, spans) == ["Build"]
    assert lines(doc, spans) == [1]


def test_definition_of_variables_follows_buildkit_scoping() -> None:
    doc = Dockerfile(MULTI)
    # In FROM: the global ARG.
    assert lines(doc, nav.definition(doc, at(MULTI, "${VERSION}", 3))) == [0]
    # In the stage, after ``ARG VERSION``: the stage's re-declaration...
    assert lines(doc, nav.definition(doc, at(MULTI, "v=$VERSION", 4))) == [2]
    # ...whose own definition is the global ARG it takes its value from.
    assert lines(doc, nav.definition(doc, at(MULTI, "ARG VERSION\n", 5))) == [0]
    # ENV inherited through FROM <stage>.
    assert lines(doc, nav.definition(doc, at(MULTI, "$GOFLAGS", 2))) == [3]
    # Not declared in the last stage: the global ARG is not visible there, nothing to go to.
    assert nav.definition(doc, at(MULTI, "echo $VERSION", 6)) == []


def test_env_wins_over_arg_and_same_instruction_is_not_visible() -> None:
    text = "FROM a\nARG X=1\nENV X=2\nARG X=3\nRUN echo $X\nENV A=1 B=$A\n"
    doc = Dockerfile(text)
    assert lines(doc, nav.definition(doc, at(text, "$X", 1))) == [2]
    # ``B=$A`` reads A from before the instruction: nothing declares it.
    assert nav.definition(doc, at(text, "$A", 1)) == []


def test_nested_default_reference_is_found() -> None:
    text = "ARG A=1\nARG B=2\nFROM x:${A:-$B}\n"
    doc = Dockerfile(text)
    assert lines(doc, nav.definition(doc, at(text, "$B", 1))) == [1]
    assert lines(doc, nav.definition(doc, at(text, "{A", 1))) == [0]


def test_onbuild_uses_resolve_to_nothing() -> None:
    text = "FROM a\nARG X=1\nONBUILD RUN echo $X\n"
    doc = Dockerfile(text)
    assert nav.definition(doc, at(text, "$X", 1)) == []


def test_nothing_at_keywords_images_and_out_of_range() -> None:
    doc = Dockerfile(MULTI)
    assert nav.definition(doc, at(MULTI, "FROM")) == []
    assert nav.definition(doc, at(MULTI, "alpine")) == []
    assert nav.definition(doc, len(MULTI) + 100) == []
    assert nav.definition(doc, -5) == []
    assert nav.references(doc, 10**9) == []
    assert nav.prepare_rename(doc, 10**9) is None


# -- references and highlight -------------------------------------------------------------------


def test_stage_references_are_case_insensitive_and_include_index_references() -> None:
    doc = Dockerfile(MULTI)
    refs = nav.references(doc, at(MULTI, "Build"))
    assert texts(doc, refs) == ["Build", "build", "BUILD", "build", "0"]
    without = nav.references(doc, at(MULTI, "Build"), include_declaration=False)
    assert texts(doc, without) == ["build", "BUILD", "build", "0"]


def test_variable_references_cover_the_symbol_in_scope() -> None:
    doc = Dockerfile(MULTI)
    refs = nav.references(doc, at(MULTI, "VERSION=1.22"))
    # global ARG, its use in FROM, the stage ARG, the use in RUN; not the single-quoted text and
    # not the last stage's heredoc (out of scope there).
    assert lines(doc, refs) == [0, 1, 2, 4]
    assert texts(doc, refs) == ["VERSION"] * 4


def test_highlight_marks_declarations_as_writes() -> None:
    doc = Dockerfile(MULTI)
    marks = nav.highlights(doc, at(MULTI, "$GOFLAGS", 1))
    assert [(doc.lines.line_of(s.start), w) for s, w in marks] == [(3, True), (6, False)]


def test_unresolved_uses_highlight_each_other_in_the_same_stage() -> None:
    text = "FROM a\nRUN echo $HOME && cd $HOME\nFROM b\nRUN echo $HOME\n"
    doc = Dockerfile(text)
    assert lines(doc, nav.references(doc, at(text, "$HOME", 1))) == [1, 1]


# -- rename --------------------------------------------------------------------------------------


def test_rename_stage_everywhere_but_index_references() -> None:
    doc = Dockerfile(MULTI)
    assert nav.prepare_rename(doc, at(MULTI, "from=BUILD", 6)) == (Span(at(MULTI, "BUILD"), at(MULTI, "BUILD") + 5), "BUILD")
    out = apply_edits(MULTI, nav.rename(doc, at(MULTI, "from=BUILD", 6), "compile"))
    assert "AS compile" in out
    assert "FROM compile AS test" in out
    assert "from=compile,target" in out
    assert "COPY --from=compile /out" in out
    assert "COPY --from=0 /out" in out
    new = Dockerfile(out)
    assert texts(new, nav.references(new, at(out, "compile"))) == ["compile"] * 4 + ["0"]


@pytest.mark.parametrize(
    ("new_name", "message"),
    [
        ("Compile", "not a valid stage name"),
        ("1st", "not a valid stage name"),
        ("a b", "not a valid stage name"),
        ("scratch", "reserved"),
        ("test", "already called"),
        ("alpine", "image name"),
    ],
)
def test_rename_stage_refuses_bad_names(new_name: str, message: str) -> None:
    doc = Dockerfile(MULTI)
    with pytest.raises(nav.RenameError, match=message):
        nav.rename(doc, at(MULTI, "Build"), new_name)


def test_rename_variable_in_run_and_heredoc_bodies() -> None:
    text = "FROM a\nARG NAME=x\nRUN echo \"$NAME\" ${NAME:-y} '$NAME'\nRUN <<EOF\necho $NAME\nEOF\n"
    doc = Dockerfile(text)
    out = apply_edits(text, nav.rename(doc, at(text, "$NAME", 1), "WHO"))
    assert out == "FROM a\nARG WHO=x\nRUN echo \"$WHO\" ${WHO:-y} '$NAME'\nRUN <<EOF\necho $WHO\nEOF\n"


def test_rename_global_arg_renames_its_redeclarations() -> None:
    doc = Dockerfile(MULTI)
    out = apply_edits(MULTI, nav.rename(doc, at(MULTI, "VERSION=1.22"), "GO_VERSION"))
    assert out.count("GO_VERSION") == 4
    assert "'$VERSION'" in out  # single-quoted: not a use
    assert "echo $VERSION\nEOF" in out  # another stage, where the global ARG is not visible


def test_rename_env_leaves_the_arg_it_reads() -> None:
    text = "FROM a\nARG V=1\nENV V=$V\nRUN echo $V\n"
    doc = Dockerfile(text)
    out = apply_edits(text, nav.rename(doc, at(text, "V=$V"), "APP_V"))
    assert out == "FROM a\nARG V=1\nENV APP_V=$V\nRUN echo $APP_V\n"


@pytest.mark.parametrize(
    ("new_name", "message"),
    [
        ("1X", "not a valid variable name"),
        ("A-B", "not a valid variable name"),
        ("TARGETARCH", "BuildKit sets"),
        ("OTHER", "already declared"),
        ("HOME", "would change which declaration"),
    ],
)
def test_rename_variable_refuses_clashes(new_name: str, message: str) -> None:
    text = "FROM a\nARG V=1\nARG OTHER=2\nRUN echo $V $HOME\n"
    doc = Dockerfile(text)
    with pytest.raises(nav.RenameError, match=message):
        nav.rename(doc, at(text, "$V", 1), new_name)


def test_prepare_rename_is_none_where_nothing_can_be_renamed() -> None:
    text = "FROM alpine AS base\nARG TARGETARCH\nRUN echo $HOME $TARGETARCH\nFROM base\nCOPY --from=0 / /\n"
    doc = Dockerfile(text)
    assert nav.prepare_rename(doc, at(text, "alpine", 2)) is None  # an image
    assert nav.prepare_rename(doc, at(text, "RUN")) is None  # a keyword
    assert nav.prepare_rename(doc, at(text, "$HOME", 2)) is None  # not declared here
    assert nav.prepare_rename(doc, at(text, "$TARGETARCH", 2)) is None  # set by BuildKit
    assert nav.prepare_rename(doc, at(text, "=0", 1)) is None  # reference by index
    assert nav.prepare_rename(doc, at(text, "base\nCOPY")) == (Span(at(text, "base\nCOPY"), at(text, "base\nCOPY") + 4), "base")
    with pytest.raises(nav.RenameError):
        nav.rename(doc, at(text, "alpine"), "x")


def test_no_op_rename_gives_no_edits() -> None:
    doc = Dockerfile(MULTI)
    assert nav.rename(doc, at(MULTI, "Build"), "Build") == []
    assert nav.rename(doc, at(MULTI, "VERSION"), "VERSION") == []


@requires_corpus
def test_corpus_stage_and_variable_renames_round_trip() -> None:
    """Rename every named stage and every declared variable of the corpus, then rename back."""
    checked = 0
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        targets = [s.name_span for s in doc.stages if s.name and s.name_span is not None]
        targets += [d.name_span for d in (doc.global_args + [d for s in doc.stages for d in s.args + s.envs])][:3]
        for span in targets:
            prepared = nav.prepare_rename(doc, span.start)
            if prepared is None:
                continue
            old = prepared[1]
            is_stage = nav.target_at(doc, span.start).kind == "stage"  # type: ignore[union-attr]
            fresh = "zz-renamed" if is_stage else "ZZ_RENAMED"
            if fresh.lower() in text.lower():
                continue
            try:
                edits = nav.rename(doc, span.start, fresh)
            except nav.RenameError:
                continue
            out = apply_edits(text, edits)
            new_doc = Dockerfile(out)
            n_before = len(nav.references(doc, span.start))
            new_offset = next(e.span.start for e in edits if e.span == span) + sum(
                len(fresh) - len(e.span) for e in edits if e.span.start < span.start
            )
            assert len(nav.references(new_doc, new_offset)) == n_before, (path.name, old)
            if is_stage and (not nav.NEW_STAGE_NAME_RE.match(old) or old in ("scratch", "context")):
                continue  # a name the rename would refuse (upper case, reserved)
            if is_stage and sum(s.key == old.lower() for s in doc.stages) > 1:
                continue  # a duplicated stage name (BuildKit rejects the file): no way back
            try:
                back = apply_edits(out, nav.rename(new_doc, new_offset, old))
            except nav.RenameError as exc:
                raise AssertionError((path.name, old, str(exc))) from exc
            assert back == text, path.name
            checked += 1
    assert checked > 100


# Dockerfile-shaped pieces for property tests (keywords, blanks, escapes, heredocs, quotes, JSON).
FRAGMENTS = [
    "FROM", "from", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "CMD",
    "WORKDIR", "USER", "EXPOSE", "VOLUME", "SHELL", "FOO", " ", "  ", "\t", "\\", "`", "\n", "\r\n",
    "\\\n", "`\n", "#", "# escape=`\n", "<<EOF", "<<-EOF", '<<"EOF"', "EOF\n", "\tEOF\n", "--from=a",
    '--chown="a b"', "=", "a=b", 'a="b c"', "'q'", '"', "'", "[", "]", '["a", "b"]', "$A", "${A:-b}",
    "AS", "x", "y z", "\x0b", ",",
]

_SHAPES = [
    "FROM a AS b\n", "COPY --from=b / /\n", "RUN --mount=from=b,target=/x x\n", "ARG X=1\n", "ENV Y=$X\n",
    "$X", "${Y:-$X}", "ONBUILD RUN $X\n", "COPY <<EOF /x\n$X\nEOF\n", "é", "😀", "\r", "\t",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS + _SHAPES), st.sampled_from(["", " ", "\n"])), max_size=20))
def test_every_feature_answers_everywhere_on_random_text(parts: list[tuple[str, str]]) -> None:
    """No request raises, at any offset of any Dockerfile-shaped text; renames apply cleanly."""
    text = "".join(a + b for a, b in parts)
    doc = Dockerfile(text)
    symbols.document_symbols(doc)
    folding.folding_ranges(doc)
    semantic_tokens.semantic_tokens(doc)
    for offset in range(len(text) + 2):
        nav.definition(doc, offset)
        nav.references(doc, offset)
        nav.highlights(doc, offset)
        hover.hover(doc, offset)
        if nav.prepare_rename(doc, offset) is not None:
            for new_name in ("zz", "ZZ"):
                try:
                    apply_edits(text, nav.rename(doc, offset, new_name))
                except nav.RenameError:
                    pass


# -- end to end ----------------------------------------------------------------------------------


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


URI = "file:///tmp/drls-navigation/Dockerfile"


def _open(client: LanguageClient, text: str) -> lsp.TextDocumentIdentifier:
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=URI, language_id="dockerfile", version=1, text=text)
        )
    )
    return lsp.TextDocumentIdentifier(uri=URI)


def _pos(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def test_lsp_definition_references_highlight(client: LanguageClient) -> None:
    doc = _open(client, MULTI)
    pos = _pos(MULTI, at(MULTI, "--from=build", 9))
    defs = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc, position=pos))
    assert isinstance(defs, list)
    assert [(d.uri, d.range.start.line, d.range.start.character) for d in defs] == [(URI, 1, 26)]
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(text_document=doc, position=pos, context=lsp.ReferenceContext(include_declaration=True))
    )
    assert refs is not None and [r.range.start.line for r in refs] == [1, 5, 6, 8, 9]
    marks = await client.text_document_document_highlight_async(
        lsp.DocumentHighlightParams(text_document=doc, position=pos)
    )
    assert marks is not None and marks[0].kind == lsp.DocumentHighlightKind.Write
    # Unknown document, position past the end: no answer, no error.
    other = lsp.TextDocumentIdentifier(uri="file:///tmp/drls-navigation/unknown")
    assert await client.text_document_definition_async(lsp.DefinitionParams(text_document=other, position=pos)) is None
    far = lsp.Position(line=500, character=80)
    assert await client.text_document_references_async(
        lsp.ReferenceParams(text_document=doc, position=far, context=lsp.ReferenceContext(include_declaration=True))
    ) is None


async def test_lsp_rename(client: LanguageClient) -> None:
    doc = _open(client, MULTI)
    on_image = _pos(MULTI, at(MULTI, "alpine", 1))
    assert await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc, position=on_image)) is None
    on_stage = _pos(MULTI, at(MULTI, "build AS test", 1))
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc, position=on_stage))
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder) and prepared.placeholder == "build"
    with pytest.raises(JsonRpcException) as err:
        await client.text_document_rename_async(lsp.RenameParams(text_document=doc, position=on_stage, new_name="Not Valid"))
    assert err.value.code == lsp.LSPErrorCodes.RequestFailed.value
    assert "not a valid stage name" in err.value.message
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc, position=on_stage, new_name="compile"))
    assert edit is not None
    changes = edit.document_changes
    assert changes is not None and isinstance(changes[0], lsp.TextDocumentEdit)
    assert changes[0].text_document.version == 1
    assert {e.new_text for e in changes[0].edits} == {"compile"}
    assert len(changes[0].edits) == 4


def test_a_number_in_mount_from_is_no_stage_reference() -> None:
    # BuildKit resolves RUN --mount=from= by stage name only (a number there is an image), while
    # COPY --from=0 is stage 0.
    text = "FROM golang AS build\nFROM alpine\nRUN --mount=from=0,target=/m ls /m\nCOPY --from=0 /a /a\n"
    doc = Dockerfile(text)
    assert nav.stage_ref_at(doc, at(text, "from=0", 5)) is None
    ref = nav.stage_ref_at(doc, at(text, "--from=0", 7))
    assert ref is not None and ref.stage is doc.stages[0] and ref.by_index
    assert texts(doc, nav.references(doc, at(text, "build"))) == ["build", "0"]


def _ref_key(ref: object) -> tuple[object, ...] | None:
    if ref is None:
        return None
    if isinstance(ref, nav.StageRef):
        return (ref.span, ref.kind, ref.stage.index, ref.instruction.span, ref.by_index)
    assert isinstance(ref, VarRef)
    stage = None if ref.stage is None else ref.stage.index
    return (ref.name, ref.span, ref.name_span, ref.instruction.span, stage, ref.has_default, ref.by_buildkit)


def _decl_key(decl: VarDecl | None) -> tuple[object, ...] | None:
    return None if decl is None else (decl.name, decl.name_span, decl.kind, decl.value)


def _indexed_var_ref_at(doc: Dockerfile, offset: int) -> VarRef | None:
    """What var_ref_at answered when it read the document's index (the reference)."""
    ins = doc.instruction_at(offset)
    if ins is None:
        return None
    best = None
    for ref in nav.variable_index(doc).refs_by_instruction.get(id(ins), ()):
        if ref.name_span.contains(offset):
            return ref
        if ref.span.contains(offset) and (best is None or len(ref.span) < len(best.span)):
            best = ref
    return best


def _indexed_stage_ref_at(doc: Dockerfile, offset: int) -> nav.StageRef | None:
    for ref in nav.stage_refs(doc):
        if ref.span.start <= offset <= ref.span.end:
            return ref
    return None


CURSOR_EXTRAS = """\
ARG BASE=debian
FROM $BASE AS base
ARG MODE=fast
ENV HOME_DIR=/srv
ONBUILD RUN echo $MODE ${HOME_DIR}
RUN <<EOF bash -c "echo $MODE" && echo ${HOME_DIR}
echo $MODE $HOME_DIR ${UNSET:-x}
EOF
COPY <<EOF <<END /etc/${MODE}/
$HOME_DIR
EOF
$MODE
END
FROM base
RUN echo $HOME_DIR $MODE
"""


@requires_corpus
def test_corpus_cursor_answers_read_no_index_and_equal_the_indexed_ones() -> None:
    """The symbol under the cursor, its declaration and the definition are read from the
    instructions there, with no document index built (what a 10 MB file answers while its indexes
    are being built), and equal what the document's indexes answer: at every use, declaration and
    stage name of every corpus file, and of joins of three files (global ARGs, stages copying from
    earlier ones), plus offsets between them."""
    from dockerfile_refactor_ls.engine.inlay_hints import inlay_hints
    from dockerfile_refactor_ls.engine.selection import selection_range

    files = corpus_files()
    texts_ = [read_corpus(p) for p in files]
    texts_ += ["\n".join(texts_[k : k + 3]) for k in range(0, len(texts_) - 3, 9)]
    # What the corpus has too little of: uses inside ONBUILD (they resolve to nothing: they run in
    # another build) and heredoc bodies before the uses on the instruction's own line.
    texts_.append(CURSOR_EXTRAS)
    compared = 0
    for text in texts_:
        if not text:
            continue
        indexed = Dockerfile(text)
        index = nav.variable_index(indexed)
        cursor = Dockerfile(text, parsed=indexed.parsed)
        offsets = {r.name_span.start + len(r.name) // 2 for r in index.refs}
        offsets |= {r.span.start for r in index.refs}
        offsets |= {r.span.start + 1 for r in nav.stage_refs(indexed)}
        offsets |= {d.name_span.start for d in nav._all_decls(indexed)}
        offsets |= set(range(0, len(text), 97))
        for offset in sorted(offsets):
            got = nav.var_ref_at(cursor, offset)
            want = _indexed_var_ref_at(indexed, offset)
            assert _ref_key(got) == _ref_key(want), (text[:60], offset)
            if got is not None and want is not None:
                assert _decl_key(nav.resolve_ref(cursor, got)) == _decl_key(index.resolve(want)), (text[:60], offset)
                decl = index.resolve(want)
                if decl is not None and decl.kind == "arg" and decl.stage is not None:
                    # The globals a hover names as the default: the index's group of the ARG.
                    group = [d for d in index.symbol_decls(decl) if d.stage is None]
                    assert [_decl_key(d) for d in nav.global_args_named(cursor, decl.name)] == [_decl_key(d) for d in group]
            got_decl = nav.var_decl_at(cursor, offset)
            want_decl = next(
                (d for d in index.decls_by_instruction.get(id(indexed.instruction_at(offset)), ()) if d.name_span.contains(offset)),
                None,
            )
            assert _decl_key(got_decl) == _decl_key(want_decl), (text[:60], offset)
            assert _ref_key(nav.stage_ref_at(cursor, offset)) == _ref_key(_indexed_stage_ref_at(indexed, offset)), (text[:60], offset)
            assert nav.definition(cursor, offset) == nav.definition(indexed, offset), (text[:60], offset)
            selection_range(cursor, offset)
            if got is not None:
                hover.hover(cursor, offset)
            compared += 1
        # Every use, in document order (what range tokens and hints are built from).
        in_order = sorted(index.refs, key=lambda r: r.span.start)
        read = nav.instructions_var_refs(cursor, list(cursor.instructions))
        assert [_ref_key(r) for r in read] == [_ref_key(r) for r in in_order], text[:60]
        inlay_hints(cursor, Span(0, len(text)))
        assert cursor not in nav._INDEXES, text[:60]
        assert cursor not in nav._STAGE_REFS, text[:60]
    assert compared > 30_000, compared


@requires_corpus
def test_corpus_unsorted_scopes_equal_the_sorted_ones() -> None:
    """The document's scopes built from its stages' lists as they are equal those built by
    sorting every declaration (``_scopes_of``), on every corpus file and joins of three."""
    files = corpus_files()
    texts_ = [read_corpus(p) for p in files]
    texts_ += ["\n".join(texts_[k : k + 3]) for k in range(0, len(texts_) - 3, 9)]
    compared = 0
    for text in texts_:
        doc = Dockerfile(text)
        if not doc.stages:
            continue
        fast = nav._doc_scopes(doc)
        sorted_ = nav._scopes_of(nav._all_decls(doc), stages=doc.stages)
        for got, want in ((fast.globals, sorted_.globals), (fast.args, sorted_.args), (fast.envs, sorted_.envs)):
            assert {k: [id(d) for d in v] for k, v in got.items()} == {k: [id(d) for d in v] for k, v in want.items()}, text[:60]
        compared += 1
    assert compared > 700, compared
