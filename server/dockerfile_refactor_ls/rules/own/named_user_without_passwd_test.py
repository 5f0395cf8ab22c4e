from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ._testing import checked
from .named_user_without_passwd import RULE


def found(text: str) -> list[tuple[str, str, str]]:
    """(reported text, message, text after the fix) per finding."""
    return [(reported, f.message, fixed) for f, reported, [fixed] in checked(RULE, text, Severity.ERROR, preferred=True)]


def test_scratch_user_gets_the_uid_the_builder_gave_it() -> None:
    text = (
        "FROM golang:1.22 AS build\nRUN useradd -u 10001 app && go build -o /server .\n"
        "FROM scratch\nCOPY --from=build /server /server\nUSER app\nENTRYPOINT [\"/server\"]\n"
    )
    [(reported, message, fixed)] = found(text)
    assert reported == "app"
    assert message.startswith("USER app: scratch has no /etc/passwd")
    assert "\nUSER 10001:10001\n" in fixed
    assert found(fixed) == []


def test_distroless_knows_only_its_own_accounts() -> None:
    [(reported, message, fixed)] = found("FROM gcr.io/distroless/static-debian12\nUSER appuser:appgroup\n")
    assert reported == "appuser:appgroup"
    assert "has no user 'appuser'" in message
    assert fixed.endswith("USER 65534:65534\n")


def test_user_never_created_on_alpine() -> None:
    [(_, message, _)] = found("FROM alpine:3.20\nWORKDIR /app\nUSER app\nCMD [\"./app\"]\n")
    assert "alpine:3.20 has no user 'app' and no RUN before this creates it" in message


def test_user_created_after_the_user_line() -> None:
    text = "FROM python:3.12-slim\nUSER app\nRUN useradd app\n"
    assert [r for r, _, _ in found(text)] == ["app"]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nUSER 10001\n",
        "FROM scratch\nUSER 65534:65534\n",
        "FROM scratch\nUSER ${APP_UID}\n",
        "FROM golang:1.22 AS build\nRUN useradd app\nFROM scratch\nCOPY --from=build /etc/passwd /etc/passwd\nUSER app\n",
        "FROM scratch\nCOPY --from=build /etc/passwd /etc/group /etc/\nUSER app\n",
        "FROM gcr.io/distroless/static-debian12\nUSER nonroot:nonroot\n",
        "FROM gcr.io/distroless/base-debian12\nUSER nobody\n",
        "FROM alpine:3.20\nRUN addgroup -S app && adduser -S app -G app\nUSER app\n",
        "FROM debian:12\nRUN useradd --create-home --shell /bin/bash appuser\nUSER appuser\n",
        "FROM alpine:3.20 AS base\nRUN adduser -D app\nFROM base\nUSER app\n",
        "FROM node:20-alpine\nUSER node\n",
        "FROM debian:12\nUSER www-data\n",
        "FROM alpine:3.20\nRUN apk add --no-cache nginx\nUSER nginx\n",  # the package creates it
        "FROM debian:12\nARG U=app\nRUN useradd $U\nUSER app\n",
        "FROM nginx:1.27-alpine\nUSER nginx\n",  # service images add their own accounts
        "FROM myorg/base:1\nUSER app\n",
        "FROM $BASE\nUSER app\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []
