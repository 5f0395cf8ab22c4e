"""Hover (engine.hover, features/hover)."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from dockerfile_refactor_ls.engine.hover import expand_with_defaults, hover
from dockerfile_refactor_ls.engine.model import Dockerfile

from .conftest import corpus_files, read_corpus, requires_corpus

TEXT = """\
# syntax=docker/dockerfile:1
ARG GO=1.22
FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build
ARG GO
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/root/.cache go build -o /out ./... && echo $CGO_ENABLED $HOME $TARGETARCH
FROM build AS test
RUN go test ./...
FROM ghcr.io/acme/base:2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /out /app
onbuild run echo $GO
FROM nginx
"""


def hover_at(needle: str, k: int = 0, text: str = TEXT) -> str:
    doc = Dockerfile(text)
    result = hover(doc, text.index(needle) + k)
    assert result is not None, needle
    assert result.span.start <= text.index(needle) + k <= result.span.end
    return result.markdown


def test_keyword_hover_has_syntax_summary_and_link() -> None:
    md = hover_at("RUN --mount")
    assert md.startswith("**RUN**: Run a command")
    assert "```dockerfile\nRUN [--mount=...]" in md
    assert "https://docs.docker.com/reference/dockerfile/#run" in md


def test_lower_case_and_onbuild_payload_keywords() -> None:
    assert "#onbuild" in hover_at("onbuild")
    assert "**RUN**" in hover_at("run echo")


def test_flag_hover() -> None:
    md = hover_at("--mount", 3)
    assert "`--mount=<value>`" in md and "cache" in md
    assert "Platform of the base image" in hover_at("--platform", 2)


def test_directive_hover() -> None:
    md = hover_at("syntax")
    assert "Parser directive" in md and "#syntax" in md


def test_stage_reference_hover() -> None:
    md = hover_at("build AS test", 1)
    assert md.startswith("**Stage 0** `build`")
    assert "`FROM golang:${GO}-alpine` (line 3)" in md
    assert "Used by: FROM (line 7), --from (line 10)." in md
    assert "**Stage 0**" in hover_at("--from=build", 8)
    assert "**Stage 0**" in hover_at("AS build", 4)  # the definition
    md = hover_at("FROM nginx", 6)
    assert "**Image** `nginx`" in md
    assert "latest (implicit)" in md and "https://hub.docker.com/_/nginx" in md


def test_stage_based_on_stage() -> None:
    md = hover_at("AS test", 4)
    assert "**Stage 1** `test`" in md
    assert "Built on stage 0 `build`, which starts from `golang:${GO}-alpine`." in md


def test_image_breakdown() -> None:
    md = hover_at("ghcr.io", 1)
    assert "- Registry: `ghcr.io`" in md
    assert "- Repository: `acme/base`" in md
    assert "- Tag: `2`" in md
    assert "- Digest: `sha256:0123" in md
    assert "hub.docker.com" not in md


def test_copy_from_an_image() -> None:
    text = "FROM a\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n"
    md = hover_at("nginx:", 1, text)
    assert md.startswith("**Image** `nginx:1.27` (copied from, not a stage of this file)")
    assert "- Tag: `1.27`" in md and "https://hub.docker.com/_/nginx" in md
    assert "Copy from an earlier stage" in hover_at("--from", 2, text)  # the flag itself


def test_image_with_build_arguments_is_expanded_with_defaults() -> None:
    md = hover_at("golang:", 1)
    assert "With the default build arguments: `golang:1.22-alpine`" in md


def test_image_naming_a_stage_through_an_arg() -> None:
    text = "ARG BASE=build\nFROM alpine AS build\nFROM ${BASE}\n"
    md = hover_at("${BASE}", 0, text)
    assert md.startswith("**Build argument** `BASE`")
    assert "With the default build arguments: `build`" in md
    assert "Resolves to stage 0 `build`." in md


def test_variable_hovers() -> None:
    md = hover_at("$CGO_ENABLED", 3)
    assert md.startswith("**Environment variable** `CGO_ENABLED` (stage `build`)")
    assert "Value: `0`" in md and "(line 5, stage `build`)" in md
    assert "Expanded by the shell" in md
    md = hover_at("${GO}", 3)
    assert "**Build argument** `GO` (global)" in md and "Default: `1.22`" in md
    md = hover_at("ARG GO\n", 5)
    assert "Default from the global ARG: `1.22` (line 2)" in md
    assert "use" in md


def test_unresolved_variable_hovers() -> None:
    assert "the shell reads it from the environment" in hover_at("$HOME", 2)
    assert "declare `ARG TARGETARCH` in this stage" in hover_at("$TARGETARCH", 2)
    assert "usable in FROM lines as is" in hover_at("$BUILDPLATFORM", 2)
    assert "later build" in hover_at("echo $GO", 6)
    text = "ARG V=1\nFROM a\nRUN echo $V\nCOPY $V /\n"
    assert "not visible inside a stage" in hover_at("$V", 1, text)


def test_nothing_to_say() -> None:
    doc = Dockerfile(TEXT)
    assert hover(doc, TEXT.index("go build")) is None  # plain command text
    assert hover(doc, len(TEXT) + 50) is None
    assert hover(doc, -3) == hover(doc, 0)  # clamped: the directive
    assert hover(Dockerfile(""), 0) is None


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("a:$V", {"V": "1"}, "a:1"),
        ("a:${V}", {}, "a:"),
        ("a:${V:-x}", {"V": ""}, "a:x"),
        ("a:${V-x}", {"V": ""}, "a:"),
        ("a:${V-x}", {}, "a:x"),
        ("a:${V:+y}", {"V": "1"}, "a:y"),
        ("a:${V+y}", {"V": ""}, "a:y"),
        ("a:${V:+y}", {"V": ""}, "a:"),
    ],
)
def test_expand_with_defaults(text: str, values: dict[str, str | None], expected: str) -> None:
    assert expand_with_defaults(text, values) == expected


@requires_corpus
def test_hover_never_fails_on_the_corpus() -> None:
    answered = 0
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        offsets = set()
        for ins in doc.instructions:
            offsets.add(ins.keyword_span.start)
            offsets.update(f.span.start + 2 for f in ins.flags)
            offsets.update(a.span.start for a in ins.args[:4])
        offsets.update(r.name_span.start for r in doc.var_refs[:50])
        for offset in sorted(offsets):
            result = hover(doc, offset)
            if result is not None:
                assert result.markdown
                assert 0 <= result.span.start <= result.span.end <= len(text)
                answered += 1
    assert answered > 5000


# -- end to end ----------------------------------------------------------------------------------


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "dockerfile_refactor_ls"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def test_lsp_hover(client: LanguageClient) -> None:
    uri = "file:///tmp/drls-hover/Dockerfile"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=TEXT)
        )
    )
    doc = lsp.TextDocumentIdentifier(uri=uri)
    result = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc, position=lsp.Position(line=6, character=6))
    )
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.kind == lsp.MarkupKind.Markdown
    assert result.contents.value.startswith("**Stage 0** `build`")
    assert result.range == lsp.Range(start=lsp.Position(line=6, character=5), end=lsp.Position(line=6, character=10))
    # Past the end of a line and of the document, and an unknown document: no hover, no error.
    for position in (lsp.Position(line=7, character=400), lsp.Position(line=900, character=0)):
        assert await client.text_document_hover_async(lsp.HoverParams(text_document=doc, position=position)) is None
    other = lsp.TextDocumentIdentifier(uri="file:///tmp/drls-hover/unknown")
    assert await client.text_document_hover_async(
        lsp.HoverParams(text_document=other, position=lsp.Position(line=0, character=0))
    ) is None


def test_from_shows_what_the_image_table_knows() -> None:
    text = "FROM gradle:8.7-jdk17 AS build\nRUN gradle build\n"
    md = hover_at("gradle:", 1, text)
    assert "- Default WORKDIR: `/home/gradle`" in md
    assert "`gradle` (1000)" in md and "- Toolchain: java" in md and "MB compressed" in md
    text = "ARG GO=1.22\nFROM golang:${GO}-alpine\n"
    md = hover_at("golang:", 1, text)
    assert "- OS: alpine (musl)" in md and "- Default WORKDIR: `/go`" in md
    # An image the table does not know shows only its parts.
    assert "Default WORKDIR" not in hover_at("example", 1, "FROM example.com/team/app:1\n")


@pytest.mark.parametrize(
    ("image", "hub"),
    [
        ("public.ecr.aws/docker/library/golang:1.22-alpine", "golang"),
        ("mirror.gcr.io/library/golang:1.22-alpine", "golang"),
        ("harbor.example.com/dockerhub/library/golang:1.22-alpine", "golang"),
    ],
)
def test_from_a_docker_hub_mirror_shows_the_hub_images_facts(image: str, hub: str) -> None:
    md = hover_at("FROM", 6, f"FROM {image}\n")
    # The same facts as FROM golang:1.22-alpine, and where the image comes from.
    assert "- OS: alpine (musl)" in md and "- Default WORKDIR: `/go`" in md and "- Toolchain: go" in md
    assert f"- Mirror of: `docker.io/library/{hub}`" in md
    assert f"https://hub.docker.com/_/{hub}" in md
    # A registry path that is not a mirror has no facts and no Docker Hub link.
    md = hover_at("FROM", 6, "FROM public.ecr.aws/acme/golang:1.22-alpine\n")
    assert "Default WORKDIR" not in md and "hub.docker.com" not in md and "Mirror of" not in md
