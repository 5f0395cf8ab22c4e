"""Document symbols and folding ranges (engine.symbols, engine.folding and their LSP features)."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from dockerfile_refactor_ls.engine.folding import Fold, folding_ranges
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.semantic_tokens import semantic_tokens
from dockerfile_refactor_ls.engine.symbols import Symbol, document_symbols, flatten
from dockerfile_refactor_ls.engine.text import LineIndex, Span
from dockerfile_refactor_ls.features.semantic_tokens import encode

from .conftest import corpus_files, read_corpus, requires_corpus

TEXT = """\
# Build the app.
# Two stages.
ARG GO=1.22
FROM golang:${GO} AS build
ENV A=1 B=2
LABEL org.opencontainers.image.title=app
RUN apt-get update \\
    && apt-get install -y git \\
    && rm -rf /var/lib/apt/lists/*
RUN <<EOF
go build ./...
EOF
# region tests
RUN go test ./...
# endregion
FROM alpine
onbuild run echo hi
COPY --from=build /out /app
"""


def outline(symbols: list[Symbol], depth: int = 0) -> list[tuple[int, str, str, str | None]]:
    out = []
    for s in symbols:
        out.append((depth, s.kind, s.name, s.detail))
        out += outline(s.children, depth + 1)
    return out


def test_outline() -> None:
    doc = Dockerfile(TEXT)
    assert outline(document_symbols(doc)) == [
        (0, "variable", "GO", "ARG = 1.22"),
        (0, "module", "build", "FROM golang:${GO}"),
        (1, "variable", "A", "ENV = 1"),
        (1, "variable", "B", "ENV = 2"),
        (1, "property", "org.opencontainers.image.title", "LABEL = app"),
        # The joined line, blanks collapsed, cut at 60 characters.
        (1, "function", "RUN", "apt-get update && apt-get install -y git && rm -rf /var/lib…"),
        (1, "function", "RUN", "<<EOF"),
        (1, "function", "RUN", "go test ./..."),
        (0, "module", "stage 1", "FROM alpine"),
        (1, "function", "ONBUILD RUN", "echo hi"),
        (1, "function", "COPY", "/out /app"),
    ]


def _contains(outer: Symbol, inner_start: int, inner_end: int) -> bool:
    return outer.span.start <= inner_start and inner_end <= outer.span.end


def check_tree(symbols: list[Symbol], parent: Symbol | None = None) -> int:
    n = 0
    for s in symbols:
        assert s.name
        assert _contains(s, s.selection.start, s.selection.end), s
        if parent is not None:
            assert _contains(parent, s.span.start, s.span.end), (parent, s)
        n += 1 + check_tree(s.children, s)
    return n


def test_ranges_nest_and_selections_are_names() -> None:
    doc = Dockerfile(TEXT)
    symbols = document_symbols(doc)
    check_tree(symbols)
    stage = symbols[1]
    assert TEXT[stage.selection.start : stage.selection.end] == "build"
    env_b = stage.children[1]
    assert TEXT[env_b.span.start : env_b.span.end] == "B=2"
    assert TEXT[env_b.selection.start : env_b.selection.end] == "B"


def test_flat_list_names_containers() -> None:
    flat = flatten(document_symbols(Dockerfile(TEXT)))
    assert [(s.name, c) for s, c in flat][:3] == [("GO", None), ("build", None), ("A", "build")]


def test_no_symbols_for_an_empty_document() -> None:
    assert document_symbols(Dockerfile("")) == []
    assert folding_ranges(Dockerfile("")) == []


def test_folding() -> None:
    folds = folding_ranges(Dockerfile(TEXT))
    assert folds == [
        Fold(0, 1, "comment"),  # the comment block
        Fold(3, 13, None),  # stage "build" (to its last instruction)
        Fold(6, 8, None),  # the continued RUN
        Fold(9, 11, None),  # RUN with a heredoc
        Fold(12, 14, "region"),  # region markers
        Fold(15, 17, None),  # the second stage
    ]


def test_folding_heredocs_after_a_continued_line_and_several_heredocs() -> None:
    text = "FROM a\nRUN \\\n  <<EOF cat\nx\nEOF\nCOPY <<A <<B /dst/\na\nA\nb\nB\n"
    folds = folding_ranges(Dockerfile(text))
    assert Fold(1, 4) in folds  # the whole RUN
    assert Fold(5, 9) in folds  # the whole COPY
    assert Fold(7, 9) in folds  # its second heredoc
    assert len({f.start_line for f in folds}) == len(folds)


def test_unterminated_heredoc_folds_to_the_end() -> None:
    text = "FROM a\nRUN <<EOF\nline\nline\n"
    assert Fold(1, 3) in folding_ranges(Dockerfile(text))


def test_crlf_and_lone_cr_count_lines_like_the_editor() -> None:
    text = "FROM a\r\nRUN x \\\r\n  y\r\n"
    assert Fold(1, 2) in folding_ranges(Dockerfile(text))


@requires_corpus
def test_corpus_symbols_nest_and_folds_are_valid() -> None:
    total = 0
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        total += check_tree(document_symbols(doc))
        folds = folding_ranges(doc)
        n_lines = doc.lines.line_count
        starts = [f.start_line for f in folds]
        assert starts == sorted(set(starts)), path.name
        for f in folds:
            assert 0 <= f.start_line < f.end_line < n_lines, (path.name, f)
    assert total > 5000


# -- semantic tokens -----------------------------------------------------------------------------

TOKENS_TEXT = (
    "ARG V=1\n"
    "FROM --platform=$BUILDPLATFORM golang:$V AS build\n"
    "LABEL a.b=c\n"
    "FROM build\n"
    "COPY --from=build / /\n"
    "onbuild run echo $HOME\n"
)


def test_semantic_tokens() -> None:
    doc = Dockerfile(TOKENS_TEXT)
    got = [(TOKENS_TEXT[t.span.start : t.span.end], t.type, t.modifiers) for t in semantic_tokens(doc)]
    assert got == [
        ("ARG", "keyword", ()),
        ("V", "variable", ("declaration",)),
        ("FROM", "keyword", ()),
        ("--platform", "parameter", ()),
        ("BUILDPLATFORM", "variable", ("defaultLibrary",)),
        ("golang", "type", ()),
        ("V", "variable", ()),
        ("AS", "keyword", ()),
        ("build", "namespace", ("declaration",)),
        ("LABEL", "keyword", ()),
        ("a.b", "property", ()),
        ("FROM", "keyword", ()),
        ("build", "namespace", ()),
        ("COPY", "keyword", ()),
        ("--from", "parameter", ()),
        ("build", "namespace", ()),
        ("onbuild", "keyword", ()),
        ("run", "keyword", ()),
        ("HOME", "variable", ()),
    ]
    # A range: only the tokens of the lines it touches.
    line4 = TOKENS_TEXT.index("COPY")
    ranged = semantic_tokens(doc, Span(line4, line4 + 4))
    assert [TOKENS_TEXT[t.span.start : t.span.end] for t in ranged] == ["COPY", "--from", "build"]


def test_semantic_tokens_encoding_is_relative() -> None:
    doc = Dockerfile("ARG V=1\nFROM a:$V\n")
    # ARG (0,0,3,keyword) V (0,4,1,variable,declaration) FROM (1,0,4) a (0,5,1,type) V (0,3,1,variable)
    assert encode(doc, semantic_tokens(doc)) == [0, 0, 3, 0, 0, 0, 4, 1, 4, 1, 1, 0, 4, 0, 0, 0, 5, 1, 3, 0, 0, 3, 1, 4, 0]


@requires_corpus
def test_corpus_semantic_tokens_are_single_line_and_disjoint() -> None:
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        end = -1
        for t in semantic_tokens(doc):
            assert t.span.start >= end, path.name
            assert "\n" not in text[t.span.start : t.span.end], path.name
            end = t.span.end
        data = encode(doc, semantic_tokens(doc))
        assert len(data) % 5 == 0 and all(x >= 0 for x in data), path.name


@requires_corpus
def test_corpus_range_tokens_are_the_whole_documents_on_those_lines() -> None:
    """Tokens for a range, read from its instructions alone (no document index is built for
    them), are the whole document's tokens on the lines the range touches: on every corpus file,
    for ranges at five places, and on joins of three files (ARGs before the first FROM, stages
    copying from earlier ones)."""
    from dockerfile_refactor_ls.engine import navigation

    files = corpus_files()
    texts = [read_corpus(p) for p in files]
    texts += ["\n".join(texts[k : k + 3]) for k in range(0, len(texts) - 3, 9)]
    compared = 0
    for text in texts:
        if not text:
            continue
        whole_lines = LineIndex(text)
        ranged_doc = Dockerfile(text)
        for frac in (0.0, 0.2, 0.45, 0.7, 0.9):
            # Whole lines, as a client's range converts (never between the CR and LF of a break).
            first_line = whole_lines.line_of(int(len(text) * frac))
            last_line = whole_lines.line_of(min(len(text), whole_lines.line_start(first_line) + 600))
            within = Span(whole_lines.line_start(first_line), whole_lines.line_end(last_line))
            ranged = semantic_tokens(ranged_doc, within)
            first, last = whole_lines.line_of(within.start), whole_lines.line_of(within.end)
            full = [t for t in semantic_tokens(Dockerfile(text)) if first <= whole_lines.line_of(t.span.start) <= last]
            assert ranged == full, (text[:80], frac)
            compared += len(full)
        assert ranged_doc not in navigation._INDEXES
        assert ranged_doc not in navigation._STAGE_REFS
    assert compared > 20_000, compared


# -- end to end ----------------------------------------------------------------------------------


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def test_lsp_symbols_and_folding(client: LanguageClient) -> None:
    uri = "file:///tmp/drls-symbols/Dockerfile"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=TEXT)
        )
    )
    doc = lsp.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc))
    assert symbols is not None
    first, stage = symbols[0], symbols[1]
    assert isinstance(stage, lsp.DocumentSymbol) and isinstance(first, lsp.DocumentSymbol)
    assert (first.name, first.kind) == ("GO", lsp.SymbolKind.Variable)
    assert (stage.name, stage.kind, stage.detail) == ("build", lsp.SymbolKind.Module, "FROM golang:${GO}")
    assert stage.selection_range == lsp.Range(start=lsp.Position(line=3, character=21), end=lsp.Position(line=3, character=26))
    assert stage.children is not None and [c.name for c in stage.children][:2] == ["A", "B"]
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=doc))
    assert folds is not None
    assert [(f.start_line, f.end_line) for f in folds][:3] == [(0, 1), (3, 13), (6, 8)]
    assert folds[0].kind == lsp.FoldingRangeKind.Comment
    tokens = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=doc))
    assert tokens is not None and list(tokens.data[:5]) == [2, 0, 3, 0, 0]  # ARG on line 2, a keyword
    other = lsp.TextDocumentIdentifier(uri="file:///tmp/drls-symbols/unknown")
    assert await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=other)) is None
    assert await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=other)) is None


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def bare_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    # A client that declares no capabilities at all: flat symbols, no folding limit.
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


async def test_lsp_flat_symbols_for_clients_without_hierarchy(bare_client: LanguageClient) -> None:
    uri = "file:///tmp/drls-symbols/flat/Dockerfile"
    bare_client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=TEXT)
        )
    )
    symbols = await bare_client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and all(isinstance(s, lsp.SymbolInformation) for s in symbols)
    flat = [(s.name, s.container_name) for s in symbols if isinstance(s, lsp.SymbolInformation)]
    assert flat[:3] == [("GO", None), ("build", None), ("A", "build")]
