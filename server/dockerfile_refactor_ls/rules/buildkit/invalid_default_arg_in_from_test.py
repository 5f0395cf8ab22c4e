from ._testing import flagged, messages


def test_empty_tag() -> None:
    assert messages("InvalidDefaultArgInFrom", "ARG TAG\nFROM busybox:${TAG}\n") == [
        "Default value for ARG busybox:${TAG} results in empty or invalid base image name"
    ]


def test_valid_with_defaults() -> None:
    for text in (
        "ARG TAG=1.36\nFROM busybox:${TAG}\n",
        "ARG VARIANT\nFROM busybox:stable${VARIANT}\n",
        "ARG TAG\nFROM alpine:${TAG:-3.20}\n",
        "ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\n",
        "FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETOS}\n",
        "ARG REPO=library\nARG IMG=${REPO}/alpine\nFROM $IMG\n",
    ):
        assert flagged("InvalidDefaultArgInFrom", text) == [], text


def test_upper_case_default_is_invalid() -> None:
    assert flagged("InvalidDefaultArgInFrom", "ARG IMG=Alpine\nFROM $IMG\n") == ["$IMG"]


def test_stage_args_do_not_count() -> None:
    # Only global ARGs are visible to FROM.
    assert flagged("InvalidDefaultArgInFrom", "FROM alpine\nARG TAG=1\nFROM busybox:$TAG\n") == ["busybox:$TAG"]
