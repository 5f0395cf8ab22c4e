from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ._testing import checked
from .unreachable_stage import RULE, is_target_name


def found(text: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for f, reported, fixed in checked(RULE, text, Severity.INFORMATION):
        assert f.unnecessary
        out.append((reported, f.message, fixed))
    return out


def test_unused_stage_is_reported_and_can_be_removed() -> None:
    text = (
        "FROM node:20 AS assets\nRUN npm ci && npm run build\n\n"
        "# the image\nFROM nginx:1.27-alpine\nCOPY public/ /usr/share/nginx/html/\n"
    )
    [(reported, message, [removed])] = found(text)
    assert reported == "FROM node:20 AS assets"
    assert message.startswith("Stage 'assets' is not used by the final stage")
    assert "--target assets" in message
    assert removed == "# the image\nFROM nginx:1.27-alpine\nCOPY public/ /usr/share/nginx/html/\n"
    assert found(removed) == []


def test_reachability_follows_every_kind_of_use() -> None:
    text = (
        "FROM golang:1.22 AS base\nRUN true\n"
        "FROM base AS deps\nRUN go mod download\n"  # used through FROM base by deps, deps by build
        "FROM alpine AS cache\nRUN true\n"  # mounted by build
        "FROM deps AS build\nRUN --mount=type=cache,from=cache,target=/root/.cache go build -o /app\n"
        "FROM alpine AS unused\nRUN true\n"
        "FROM scratch\nCOPY --from=build /app /app\n"
    )
    assert [r for r, _, _ in found(text)] == ["FROM alpine AS unused"]


def test_unnamed_and_numbered_stages() -> None:
    text = "FROM alpine\nRUN true\nFROM alpine\nRUN true\nFROM scratch\nCOPY --from=1 /x /x\n"
    [(reported, message, fixes)] = found(text)
    assert reported == "FROM alpine" and text.index(reported) == 0
    assert message.startswith("Stage 0 (alpine) is not used")
    assert fixes == []  # removing stage 0 would change what --from=1 means


def test_stages_used_by_a_test_stage_are_used() -> None:
    text = (
        "FROM python:3.12 AS deps\nRUN pip install -r requirements.txt\n"
        "FROM deps AS unit-test\nRUN pytest\n"
        "FROM python:3.12-slim\nCOPY app /app\n"
    )
    assert found(text) == []


def test_variables_resolved_through_global_args() -> None:
    text = "ARG SRC=builder\nFROM alpine AS builder\nRUN true\nFROM alpine AS other\nRUN true\nFROM scratch\nCOPY --from=${SRC} /x /x\n"
    assert [r for r, _, _ in found(text)] == ["FROM alpine AS other"]


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine\nRUN true\n",
        "FROM alpine AS a\nFROM a\n",
        "FROM alpine AS a\nRUN true\nFROM scratch\nCOPY --from=$STAGE /x /x\n",  # unknowable
        "FROM alpine AS debug\nRUN true\nFROM scratch\nCOPY x /x\n",
        "FROM alpine AS build_dev\nRUN true\nFROM scratch\nCOPY x /x\n",
        "ARG BASE\nFROM alpine AS a\nFROM ${BASE}\nRUN true\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []


def test_target_names() -> None:
    assert is_target_name("unit-test") and is_target_name("Debug") and is_target_name("release.linux")
    assert not is_target_name("builder") and not is_target_name("testdata-gen")


def test_onbuild_copy_from_counts_as_a_use() -> None:
    text = (
        "FROM alpine AS src\nRUN true\nFROM busybox AS base\nONBUILD COPY --from=src /in /out\n"
        "FROM base AS mid\nRUN true\nFROM scratch\nCOPY --from=mid /out /\n"
    )
    assert found(text) == []


def test_a_number_in_mount_from_is_an_image_not_a_stage() -> None:
    # BuildKit looks --mount from= up by stage name only: from=0 mounts an image called "0", so
    # stage 0 is unused, and removing it renumbers nothing.
    text = "FROM alpine\nRUN true\nFROM alpine\nRUN --mount=from=0,target=/m ls /m\n"
    [(reported, message, fixes)] = found(text)
    assert reported == "FROM alpine" and message.startswith("Stage 0 (alpine) is not used")
    assert fixes == ["FROM alpine\nRUN --mount=from=0,target=/m ls /m\n"]
    # The same stage mounted by name is used.
    assert found("FROM alpine AS tools\nRUN true\nFROM alpine\nRUN --mount=from=tools,target=/m ls /m\n") == []
