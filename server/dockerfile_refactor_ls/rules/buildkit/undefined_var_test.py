"""UndefinedVar: BuildKit's scope, and the image table: names a known image sets are defined."""

from __future__ import annotations

from ...engine.findings import apply_edits
from ._testing import findings, flagged, messages


def test_known_image_env_is_defined() -> None:
    assert flagged("UndefinedVar", "FROM golang:1.22\nWORKDIR $GOPATH/src\nENV P=$PATH\n") == []
    assert flagged("UndefinedVar", "FROM node:20\nLABEL node=$NODE_VERSION\n") == []


def test_name_a_known_image_does_not_set_is_reported() -> None:
    text = "FROM python:3.7\nCOPY . /app\nEXPOSE $PORT\n"
    assert flagged("UndefinedVar", text) == ["PORT"]
    # Through a stage chain and a global ARG too.
    text = "ARG V=3.12\nFROM python:${V}-slim AS base\nFROM base\nLABEL v=$PYTHON_VERSION x=$APP_HOME\n"
    assert flagged("UndefinedVar", text) == ["APP_HOME"]


def test_a_docker_hub_mirror_sets_what_the_hub_image_sets() -> None:
    # python:3.7 pulled through ECR Public's or Google's mirror: the same ENV, so PORT is reported as
    # for python:3.7 and PYTHON_VERSION is known.
    for image in ("public.ecr.aws/docker/library/python:3.7", "mirror.gcr.io/library/python:3.7"):
        text = f"FROM {image}\nCOPY . /app\nEXPOSE $PORT\nLABEL v=$PYTHON_VERSION\n"
        assert flagged("UndefinedVar", text) == ["PORT"]


def test_unknown_image_stays_silent_on_common_names() -> None:
    assert flagged("UndefinedVar", "FROM example.com/team/base:1\nLABEL v=$NODE_VERSION\n") == []



def test_global_arg_not_redeclared() -> None:
    text = "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL version=$VERSION\n"
    (f,) = findings("UndefinedVar", text)
    assert f.message == "Usage of undefined variable '$VERSION'"
    assert apply_edits(text, f.fixes[0].edits) == "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n"
    assert not f.fixes[0].safe  # the variable gets a value where it was empty: review it


def test_automatic_platform_arg_needs_arg() -> None:
    (f,) = findings("UndefinedVar", "FROM alpine\nCOPY bin/$TARGETARCH /app\n")
    assert f.message == "Usage of undefined variable '$TARGETARCH'"
    assert f.fixes and "ARG TARGETARCH" in f.fixes[0].title
    assert flagged("UndefinedVar", "FROM alpine\nARG TARGETARCH\nCOPY bin/$TARGETARCH /app\n") == []


def test_defaults_still_count_as_uses() -> None:
    # BuildKit's lexer looks the variable up before it applies the default.
    assert flagged("UndefinedVar", "FROM alpine\nCOPY ${SRC:-app} /app\n") == ["SRC"]


def test_env_and_arg_of_parent_stages() -> None:
    assert flagged("UndefinedVar", "FROM alpine AS a\nENV APP=/app\nFROM a\nWORKDIR $APP\n") == []
    assert flagged("UndefinedVar", "FROM alpine AS a\nARG V\nFROM a\nLABEL v=$V\n") == []
    assert flagged("UndefinedVar", "FROM alpine AS a\nENV APP=/app\nFROM alpine\nWORKDIR $APP\n") == ["APP"]


def test_same_instruction_does_not_count() -> None:
    assert flagged("UndefinedVar", "FROM alpine\nENV A=1 B=$A\n") == ["A"]


def test_image_environment() -> None:
    # Known images: their ENV is in scope, anything else is reported.
    assert flagged("UndefinedVar", "FROM golang:1.22\nWORKDIR $GOPATH/src\n") == []
    assert flagged("UndefinedVar", "FROM golang:1.22\nWORKDIR $GOROOT_DIR/src\n") == ["GOROOT_DIR"]
    # Unknown images: only likely typos, with BuildKit's "did you mean".
    assert flagged("UndefinedVar", "FROM acme/base:1\nWORKDIR $APP_ROOT\n") == []
    assert messages("UndefinedVar", "FROM acme/base:1\nARG APP_ROOT=/app\nWORKDIR $APP_ROTO\n") == [
        "Usage of undefined variable '$APP_ROTO' (did you mean $APP_ROOT?)"
    ]
    assert messages("UndefinedVar", "FROM acme/base:1\nENV PATH=$PAHT:/x\n") == [
        "Usage of undefined variable '$PAHT' (did you mean $PATH?)"
    ]


def test_common_image_variables_are_not_reported() -> None:
    assert flagged("UndefinedVar", "FROM alpine\nWORKDIR $JAVA_HOME\n") == []
    assert flagged("UndefinedVar", "FROM scratch\nWORKDIR $JAVA_HOME\n") == ["JAVA_HOME"]


def test_shell_expanded_and_copy_from_are_not_checked() -> None:
    assert flagged("UndefinedVar", "FROM scratch\nRUN echo $NOPE\nCMD echo $NOPE\n") == []
