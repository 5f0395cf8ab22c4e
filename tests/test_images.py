"""engine/images.py: the one image-reference parser and resolver, and dockerfile-parse as a cross-check."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.images import (
    cross_check_with_dockerfile_parse,
    is_windows,
    parse_image,
    parse_tag,
    root_image,
    root_image_text,
    stage_chain,
    substitute,
)
from dockerfile_refactor_ls.engine.model import Dockerfile

from .conftest import corpus_files, read_corpus, requires_corpus


def test_substitution_forms() -> None:
    values: dict[str, str | None] = {"A": "x", "E": "", "U": None}
    assert substitute("${A}:${A:-d}", values) == "x:x"
    assert substitute("${E:-d}/${E-d}", values) == "d/"
    assert substitute("${NOPE:-debian}:12", values) == "debian:12"
    assert substitute("${A:+yes}${NOPE:+no}", values) == "yes"
    assert substitute("$U", values) is None
    assert substitute("$NOPE", values) is None


def test_root_image_follows_stages_and_args() -> None:
    doc = Dockerfile("ARG BASE=node\nARG V=20\nFROM ${BASE}:${V}-alpine AS base\nFROM base AS deps\nFROM deps\n")
    assert root_image_text(doc, doc.stages[2]) == "node:20-alpine"


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest", "effective"),
    [
        ("golang", None, "golang", None, None, "latest"),
        ("library/golang:1.22", None, "golang", "1.22", None, "1.22"),
        ("docker.io/library/node:20-alpine", "docker.io", "node", "20-alpine", None, "20-alpine"),
        ("localhost:5000/team/app:v1", "localhost:5000", "team/app", "v1", None, "v1"),
        ("gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot", None, "nonroot"),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com", "dotnet/sdk", "8.0", None, "8.0"),
        ("alpine@sha256:" + "a" * 64, None, "alpine", None, "sha256:" + "a" * 64, None),
        ("python:3.12-slim@sha256:" + "b" * 64, None, "python", "3.12-slim", "sha256:" + "b" * 64, "3.12-slim"),
        ("Example.com/Org/Img:Tag", "Example.com", "org/img", "Tag", None, "Tag"),
    ],
)
def test_parse_image_parts(
    text: str, registry: str | None, repository: str, tag: str | None, digest: str | None, effective: str | None
) -> None:
    image = parse_image(text)
    assert (image.registry, image.repository, image.tag, image.digest) == (registry, repository, tag, digest)
    assert image.effective_tag == effective


def test_image_keys_and_official() -> None:
    assert parse_image("docker.io/library/golang:1.22").key == "golang"
    assert parse_image("docker.io/library/golang:1.22").official
    assert not parse_image("bitnami/nginx").official
    assert parse_image("gcr.io/distroless/base-debian12").key == "gcr.io/distroless/base-debian12"
    assert parse_image("gcr.io/distroless/base-debian12:debug").with_tag("nonroot") == (
        "gcr.io/distroless/base-debian12:nonroot"
    )
    assert parse_image("scratch").is_scratch


def test_tags() -> None:
    t = parse_tag("1.21.5-alpine3.18")
    assert (t.version, t.alpine, t.family) == ((1, 21, 5), "3.18", "apk")
    t = parse_tag("3.12-slim-bookworm")
    assert (t.version, t.slim, t.codename, t.family) == ((3, 12), True, "bookworm", "apt")
    assert parse_tag(None).channel == "latest"
    assert parse_tag("lts-alpine").channel == "lts"
    assert parse_tag("8.0-nanoserver-ltsc2022").windows
    assert parse_tag("ltsc2022").windows


def test_arg_resolution_uses_global_defaults_and_default_forms() -> None:
    doc = Dockerfile(
        'ARG GO_VERSION=1.22\nARG VARIANT\nARG IMG="golang:${GO_VERSION}"\n'
        "FROM ${IMG}-${VARIANT:-alpine} AS build\nFROM ${REG:-docker.io}/library/debian\n"
    )
    image = root_image(doc, doc.stages[0])
    assert image is not None and (image.repository, image.tag) == ("golang", "1.22-alpine")
    image = root_image(doc, doc.stages[1])
    assert image is not None and (image.registry, image.repository, image.effective_tag) == (
        "docker.io",
        "debian",
        "latest",
    )
    # An ARG without a default and without a fallback leaves the image unknown.
    doc = Dockerfile("ARG BASE\nFROM $BASE\n")
    assert root_image(doc, doc.stages[0]) is None


def test_stage_chain_follows_arg_substituted_stage_names() -> None:
    doc = Dockerfile("ARG FROM_STAGE=deps\nFROM node:20 AS deps\nFROM ${FROM_STAGE} AS build\nFROM build\n")
    chain = stage_chain(doc.stages[2], doc)
    assert [s.index for s in chain] == [2, 1, 0]
    # Without the document only literal stage names are followed.
    assert [s.index for s in stage_chain(doc.stages[2])] == [2, 1]
    image = root_image(doc, doc.stages[2])
    assert image is not None and image.text == "node:20"


def test_platform_is_resolved() -> None:
    doc = Dockerfile("ARG P=linux/arm64\nFROM --platform=$P golang:1.22\nFROM --platform=$BUILDPLATFORM golang\n")
    assert (root_image(doc, doc.stages[0]) or parse_image("x")).platform == "linux/arm64"
    assert (root_image(doc, doc.stages[1]) or parse_image("x")).platform == "$BUILDPLATFORM"


def test_windows_detection() -> None:
    doc = Dockerfile("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n")
    assert is_windows(doc, doc.stages[0])
    doc = Dockerfile('FROM debian\nSHELL ["powershell", "-Command"]\n')
    assert is_windows(doc, doc.stages[0])
    doc = Dockerfile("ARG WIN=mcr.microsoft.com/dotnet/framework/sdk:4.8\nFROM $WIN AS b\nFROM b\n")
    assert is_windows(doc, doc.stages[1])
    doc = Dockerfile("FROM debian:12\n")
    assert not is_windows(doc, doc.stages[0])


def test_dockerfile_parse_agrees_where_it_can() -> None:
    doc = Dockerfile("ARG BASE=golang\nFROM ${BASE}:1.22 AS b\nFROM b\n")
    assert cross_check_with_dockerfile_parse(doc) == ["golang:1.22", "b"]
    # dockerfile-parse mangles ${VAR:-default}; our answer stands.
    doc = Dockerfile("FROM ${NOPE:-debian}:12\n")
    assert cross_check_with_dockerfile_parse(doc) == ["debian:12"]


@requires_corpus
def test_resolved_images_agree_with_dockerfile_parse_on_the_corpus() -> None:
    """Where both resolve a stage's image, they agree (dockerfile-parse only without heredocs)."""
    import io

    from dockerfile_parse import DockerfileParser

    compared = agreed = 0
    for path in corpus_files():
        text = read_corpus(path)
        doc = Dockerfile(text)
        if not doc.stages or any(i.heredocs for i in doc.instructions) or "${" in text:
            continue
        try:
            theirs = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8", "surrogateescape"))).parent_images
        except Exception:
            continue
        ours = cross_check_with_dockerfile_parse(doc)
        if len(theirs) != len(ours):
            continue
        for a, b in zip(ours, theirs, strict=True):
            if a is not None and "$" not in a:
                compared += 1
                agreed += a == b
    assert compared > 500
    assert agreed == compared


@pytest.mark.parametrize(
    ("text", "repository", "mirror"),
    [
        # ECR Public's Docker Official Images, Google's and Microsoft's Docker Hub mirrors.
        ("public.ecr.aws/docker/library/golang:1.22", "golang", "public.ecr.aws/docker/library/"),
        ("mirror.gcr.io/library/node:20-alpine", "node", "mirror.gcr.io/library/"),
        ("mirror.gcr.io/bitnami/nginx:1.27", "bitnami/nginx", "mirror.gcr.io/library/"),
        ("mcr.microsoft.com/mirror/docker/library/ubuntu:22.04", "ubuntu", "mcr.microsoft.com/mirror/docker/library/"),
        # Harbor and Artifactory proxy projects, a registry:2 pull-through cache: ``.../library/<name>``.
        ("harbor.example.com/dockerhub/library/golang:1.22", "golang", "harbor.example.com/dockerhub/library/"),
        ("localhost:5000/library/python:3.12", "python", "localhost:5000/library/"),
        # GitLab's dependency proxy, with and without ``library/``.
        (
            "gitlab.example.com:443/grp/sub/dependency_proxy/containers/golang:1.22",
            "golang",
            "gitlab.example.com:443/grp/sub/dependency_proxy/containers/",
        ),
        (
            "gitlab.example.com/grp/dependency_proxy/containers/library/python:3.12",
            "python",
            "gitlab.example.com/grp/dependency_proxy/containers/library/",
        ),
        # Not mirrors: Docker Hub itself, another ECR namespace, MCR's own images, a mirror path
        # without ``library/`` where the mirror serves official images only under it.
        ("docker.io/library/golang:1.22", "golang", None),
        ("public.ecr.aws/acme/golang:1.22", "acme/golang", None),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "dotnet/sdk", None),
        ("mirror.gcr.io/golang:1.22", "golang", None),
        ("ghcr.io/acme/library:1", "acme/library", None),
    ],
)
def test_docker_hub_mirrors_name_the_hub_repository(text: str, repository: str, mirror: str | None) -> None:
    image = parse_image(text)
    assert (image.repository, image.mirror) == (repository, mirror)
    assert image.tag == text.rsplit(":", 1)[1] and image.text == text
    if mirror is not None:
        # The facts table's key is the Hub one, and another official image comes through the same mirror.
        assert image.on_docker_hub and image.key == repository
        assert image.official_image("debian:trixie-slim") == f"{mirror}debian:trixie-slim"
        assert image.with_tag("x") == text.rsplit(":", 1)[0] + ":x"
    else:
        assert image.official_image("debian:trixie-slim") == "debian:trixie-slim"
