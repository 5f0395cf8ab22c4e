"""Document links (engine.links): images to registry pages, directives and rules to their docs."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.links import document_links
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.rules.registry import all_rules


def links(text: str) -> list[tuple[str, str]]:
    return [(text[link.span.start : link.span.end], link.target) for link in document_links(Dockerfile(text), all_rules())]


@pytest.mark.parametrize(
    ("image", "linked", "target"),
    [
        ("node", "node", "https://hub.docker.com/_/node"),
        ("node:latest", "node", "https://hub.docker.com/_/node"),
        ("node@sha256:" + "6" * 64, "node", "https://hub.docker.com/_/node"),
        ("library/node:20", "library/node", "https://hub.docker.com/_/node"),
        ("docker.io/library/node:20", "docker.io/library/node", "https://hub.docker.com/_/node"),
        ("microsoft/dotnet:sdk", "microsoft/dotnet", "https://hub.docker.com/r/microsoft/dotnet"),
        (
            "microsoft/dotnet:tag@sha256:" + "5" * 64,
            "microsoft/dotnet",
            "https://hub.docker.com/r/microsoft/dotnet",
        ),
        (
            "ghcr.io/super-linter/super-linter:latest",
            "ghcr.io/super-linter/super-linter",
            "https://github.com/super-linter/super-linter/pkgs/container/super-linter",
        ),
        (
            "mcr.microsoft.com/windows/servercore:ltsc2025",
            "mcr.microsoft.com/windows/servercore",
            "https://mcr.microsoft.com/artifact/mar/windows/servercore",
        ),
        (
            "quay.io/prometheus/node-exporter:v1.9.1",
            "quay.io/prometheus/node-exporter",
            "https://quay.io/repository/prometheus/node-exporter",
        ),
        ("public.ecr.aws/nginx/nginx:1", "public.ecr.aws/nginx/nginx", "https://gallery.ecr.aws/nginx/nginx"),
        (
            "registry.gitlab.com/group/project/image:1",
            "registry.gitlab.com/group/project/image",
            "https://gitlab.com/group/project/image/container_registry",
        ),
        ("registry.example.com/team/app:1", "registry.example.com/team/app", "https://registry.example.com/"),
    ],
)
def test_base_image_links(image: str, linked: str, target: str) -> None:
    assert links(f"FROM {image}\n") == [(linked, target)]


@pytest.mark.parametrize(
    "text",
    [
        "FROM\n",
        "FROM scratch\n",
        "FROM ${BASE}\n",
        "FROM ${REGISTRY}/app:1\n",
        "FROM golang:${GO_VERSION:-1.22}\n",  # the split cannot tell the name from the tag here
        "FROM localhost:5000/app\n",
        "FROM 10.0.0.1:5000/app\n",
        "FROM ghcr.io/loner\n",  # no owner/name: no package page to name
    ],
)
def test_no_link(text: str) -> None:
    assert links(text) == []


def test_stages_are_not_images_and_copy_from_images_are() -> None:
    text = "FROM node AS base\nFROM base\nCOPY --from=base /a /b\nCOPY --from=nginx:1 /c /d\nCOPY --from=0 /e /f\n"
    assert links(text) == [("node", "https://hub.docker.com/_/node"), ("nginx", "https://hub.docker.com/_/nginx")]


def test_a_stage_name_used_before_it_is_defined_is_an_image() -> None:
    # BuildKit resolves FROM names against earlier stages only.
    text = "FROM base2\nFROM node AS base2\n"
    assert links(text) == [("base2", "https://hub.docker.com/_/base2"), ("node", "https://hub.docker.com/_/node")]


def test_directives_and_checks_link_to_their_docs() -> None:
    text = "# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended,StageNameCasing;error=true\nFROM alpine\n"
    assert links(text) == [
        ("syntax", "https://docs.docker.com/reference/dockerfile/#syntax"),
        ("docker/dockerfile", "https://hub.docker.com/r/docker/dockerfile"),
        ("check", "https://docs.docker.com/reference/dockerfile/#check"),
        ("JSONArgsRecommended", "https://docs.docker.com/reference/build-checks/json-args-recommended/"),
        ("StageNameCasing", "https://docs.docker.com/reference/build-checks/stage-name-casing/"),
        ("alpine", "https://hub.docker.com/_/alpine"),
    ]


def test_check_skip_all_and_escape() -> None:
    text = "# escape=`\n# check=skip=all\nFROM alpine\n"
    got = links(text)
    assert ("escape", "https://docs.docker.com/reference/dockerfile/#escape") in got
    assert [t for t, _ in got] == ["escape", "check", "alpine"]


def test_hadolint_ignore_ids_link_to_the_rule_docs() -> None:
    text = "FROM debian\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\n"
    got = links(text)
    ids = [(t, target) for t, target in got if t.startswith("DL")]
    assert [t for t, _ in ids] == ["DL3008", "DL3015"]
    assert all(target.endswith(f"{t}.md") for t, target in ids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ARG V=1.22\nFROM golang:${V}-alpine\n", [("golang", "https://hub.docker.com/_/golang")]),
        ("FROM ghcr.io/o/app@${DIGEST}\n", [("ghcr.io/o/app", "https://github.com/o/app/pkgs/container/app")]),
    ],
)
def test_variable_tag_or_digest_still_links_the_repository(text: str, expected: list[tuple[str, str]]) -> None:
    assert links(text) == expected
