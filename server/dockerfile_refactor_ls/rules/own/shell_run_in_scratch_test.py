from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ._testing import checked
from .shell_run_in_scratch import RULE

BUILD = "FROM golang:1.22 AS build\nRUN go build -o /app .\n"


def found(text: str) -> list[tuple[str, str, list[str]]]:
    """(reported text, message, fixed documents) per finding."""
    return [(reported, f.message, fixed) for f, reported, fixed in checked(RULE, text, Severity.ERROR)]


def test_shell_form_run_in_scratch_fails_the_build() -> None:
    text = BUILD + "FROM scratch\nCOPY --from=build /app /app\nRUN /app --self-test\nENTRYPOINT /app\n"
    [(run, run_msg, [run_fixed]), (ep, ep_msg, [ep_fixed])] = found(text)
    assert (run, ep) == ("/app --self-test", "/app")
    assert run_msg == "RUN in the shell form needs /bin/sh, and scratch has no shell: the build fails"
    assert "the container cannot start" in ep_msg
    assert 'RUN ["/app", "--self-test"]' in run_fixed
    assert 'ENTRYPOINT ["/app"]' in ep_fixed
    assert len(found(ep_fixed)) == 1  # the RUN is still there


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("FROM gcr.io/distroless/static-debian12\nRUN mkdir /data\n", "mkdir /data"),
        ("FROM gcr.io/distroless/base-debian12:debug\nRUN ls /\n", "ls /"),
        ("FROM gcr.io/distroless/python3-debian12\nCMD [\"sh\", \"-c\", \"python app.py\"]\n",
         '["sh", "-c", "python app.py"]'),
        ("FROM scratch\nHEALTHCHECK --interval=5s CMD /app health || exit 1\n", "/app health || exit 1"),
        ("FROM scratch AS base\nCOPY app /app\nFROM base\nRUN /app init\n", "/app init"),
        ("ARG BASE=scratch\nFROM ${BASE}\nCMD /app\n", "/app"),
        ("FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled\nRUN echo hi\n", "echo hi"),
    ],
)
def test_reported(text: str, reported: str) -> None:
    [(span_text, _, _)] = found(text)
    assert span_text == reported


def test_no_fix_when_the_command_needs_a_shell() -> None:
    [(_, _, fixes)] = found("FROM scratch\nRUN /app migrate && /app seed\n")
    assert fixes == []


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nCOPY app /app\nRUN [\"/app\", \"--self-test\"]\nENTRYPOINT [\"/app\"]\n",
        "FROM alpine:3.20\nRUN echo hi\n",
        "FROM debian:12-slim\nCMD echo hi\n",
        "FROM scratch\nCOPY --from=busybox:1.36 /bin/ /bin/\nRUN echo hi\n",
        "FROM scratch\nCOPY rootfs/ /\nRUN echo hi\n",
        "FROM gcr.io/distroless/base-debian12:debug\nSHELL [\"/busybox/sh\", \"-c\"]\nRUN ls /\n",
        "FROM myorg/unknown-image:1\nRUN echo hi\n",
        "FROM $BASE\nRUN echo hi\n",
        "FROM scratch\nONBUILD RUN echo hi\n",
        "FROM scratch\nHEALTHCHECK NONE\n",
        "FROM scratch\nHEALTHCHECK CMD [\"/app\", \"health\"]\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []
