"""UndefinedVar with the image table: names a known image sets are defined, others are reported."""

from __future__ import annotations

from ..hadolint._testing import flagged


def test_known_image_env_is_defined() -> None:
    assert flagged("UndefinedVar", "FROM golang:1.22\nWORKDIR $GOPATH/src\nENV P=$PATH\n") == []
    assert flagged("UndefinedVar", "FROM node:20\nLABEL node=$NODE_VERSION\n") == []


def test_name_a_known_image_does_not_set_is_reported() -> None:
    text = "FROM python:3.7\nCOPY . /app\nEXPOSE $PORT\n"
    assert flagged("UndefinedVar", text) == ["PORT"]
    # Through a stage chain and a global ARG too.
    text = "ARG V=3.12\nFROM python:${V}-slim AS base\nFROM base\nLABEL v=$PYTHON_VERSION x=$APP_HOME\n"
    assert flagged("UndefinedVar", text) == ["APP_HOME"]


def test_unknown_image_stays_silent_on_common_names() -> None:
    assert flagged("UndefinedVar", "FROM example.com/team/base:1\nLABEL v=$NODE_VERSION\n") == []
