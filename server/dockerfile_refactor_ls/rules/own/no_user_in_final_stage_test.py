from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ...refactors.non_root_user import KIND
from ...refactors.registry import resolving
from ..base import RuleContext
from .no_user_in_final_stage import RULE


def findings(text: str) -> list[str]:
    return [f.message for f in RULE.check(RuleContext(Dockerfile(text)))]


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
        "FROM node:20-alpine\nCMD [\"node\"]\n",
        "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
        "FROM golang:1.22 AS build\nUSER nobody\nFROM alpine:3.20\nCOPY --from=build /x /x\n",
        "ARG BASE=debian:12\nFROM ${BASE}\nRUN true\n",
        "FROM alpine:3.20\nRUN adduser -D app\nCMD [\"sh\"]\n",  # created, never switched to
    ],
)
def test_reported(text: str) -> None:
    doc = Dockerfile(text)
    [finding] = RULE.check(RuleContext(doc))
    assert finding.severity is Severity.INFORMATION
    assert finding.refactorable and [r.kind for r in resolving(finding.code)] == [KIND]
    final = doc.final_stage
    assert final is not None and final.image is not None
    # Only the base image, so that other fixes on the FROM line are not mixed with this one.
    assert finding.span == final.image.span


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine:3.20\nUSER nobody\n",
        "FROM alpine:3.20\nUSER root\n",  # explicit root: DL3002's business
        "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN true\n",  # inherited through FROM <stage>
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\n",
        "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n",
        "FROM postgres:16\n",
        "FROM debian:12\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT [\"docker-entrypoint.sh\"]\n",
        "FROM $IMAGE\nRUN true\n",
        "FROM debian:12\nRUN apt-get install -y openssh-server\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD [\"cmd\"]\n",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nCOPY app /app\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert findings(text) == []


def test_message_names_the_resolved_image() -> None:
    [message] = findings("ARG V=3.12\nFROM python:${V}-slim AS app\nCMD [\"python\"]\n")
    assert "python:3.12-slim" in message
