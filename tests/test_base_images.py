"""Base images after ARG substitution, and dockerfile-parse as a cross-check."""

from __future__ import annotations

from dockerfile_refactor_ls.engine.base_images import (
    cross_check_with_dockerfile_parse,
    root_image_text,
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
