"""Inlay hints (engine.inlay_hints, features.inlay_hints.image_user)."""

from __future__ import annotations

from dockerfile_refactor_ls.engine.inlay_hints import inlay_hints
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.text import Span
from dockerfile_refactor_ls.features.inlay_hints import image_user

TEXT = """\
ARG GO_VERSION=1.22
ARG BASE=alpine:3.20
FROM golang:${GO_VERSION}-alpine AS build
ARG GO_VERSION
ENV APP=/app
WORKDIR $APP
RUN echo ${GO_VERSION} ${MISSING:-x} $HOME
FROM $BASE
USER app
CMD ["x"]
FROM build
ENTRYPOINT ["y"]
FROM gcr.io/distroless/static:nonroot
CMD ["z"]
FROM debian:12
ENTRYPOINT ["w"]
"""


def hints(text: str = TEXT, span: Span | None = None) -> list[tuple[str, str]]:
    """(text right before the hint's position, label) for each hint."""
    doc = Dockerfile(text)
    out = []
    for h in inlay_hints(doc, span, image_user):
        line = doc.lines.line_of(h.offset)
        out.append((text[doc.lines.line_start(line) : h.offset], h.label))
    return out


def test_resolved_values_users_and_stage_indexes() -> None:
    assert hints() == [
        ("FROM golang:${GO_VERSION}-alpine", "= golang:1.22-alpine"),
        ("WORKDIR $APP", "= /app"),
        ("RUN echo ${GO_VERSION}", "= 1.22"),  # the stage's bare ARG shares the global's value
        ("FROM $BASE", "= alpine:3.20"),
        ("FROM $BASE", "stage 1"),
        ("CMD", "as app"),
        ("FROM build", "stage 2"),
        ("ENTRYPOINT", "as root"),  # built FROM build, which sets no USER; golang runs as root
        ("FROM gcr.io/distroless/static:nonroot", "stage 3"),
        ("CMD", "as nonroot"),
        ("FROM debian:12", "stage 4"),
        ("ENTRYPOINT", "as root"),
    ]


def test_user_inherited_through_from_stage() -> None:
    text = "FROM alpine AS base\nUSER nobody\nFROM base\nCMD x\n"
    assert ("CMD", "as nobody") in hints(text)


def test_user_set_after_cmd_does_not_count() -> None:
    text = "FROM alpine\nCMD x\nUSER late\n"
    assert hints(text) == [("CMD", "as root")]


def test_no_hint_where_nothing_is_known() -> None:
    text = "FROM $UNSET\nRUN echo $NOPE\nCMD x\n"
    assert hints(text) == []
    # A single unnamed stage needs no index.
    assert hints("FROM alpine\nRUN true\n") == []


def test_only_the_requested_range() -> None:
    doc = Dockerfile(TEXT)
    line = 5
    span = Span(doc.lines.line_start(line), doc.lines.line_end(line))
    assert hints(TEXT, span) == [("WORKDIR $APP", "= /app")]


def test_value_with_a_default_operator() -> None:
    # ARG V= is set but empty: ${V:-fallback} gives the fallback; W is set, so ${W:+set} is "set".
    text = "FROM alpine\nARG V=\nARG W=2\nRUN echo ${V:-fallback} ${W:+set}\n"
    assert hints(text) == [
        ("RUN echo ${V:-fallback}", "= fallback"),
        ("RUN echo ${V:-fallback} ${W:+set}", "= set"),
    ]
