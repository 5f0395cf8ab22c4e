from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...refactors.non_root_user import KIND
from ...refactors.registry import resolving
from ._testing import checked
from .user_created_never_used import RULE


def found(text: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for f, reported, fixed in checked(RULE, text, Severity.WARNING):
        assert f.refactorable and [r.kind for r in resolving(f.code)] == [KIND]
        out.append((reported, f.message, fixed))
    return out


def test_user_line_goes_before_cmd_and_its_comments() -> None:
    text = (
        "FROM python:3.12-slim\nRUN useradd --create-home app\nWORKDIR /home/app\nCOPY --chown=app . .\n"
        "# start the app\nCMD [\"python\", \"main.py\"]\n"
    )
    [(reported, message, [fixed])] = found(text)
    assert reported == "app"
    assert message == (
        "The final stage creates the user app but never switches to it (no USER app), so the container runs as root"
    )
    assert fixed.endswith("COPY --chown=app . .\nUSER app\n# start the app\nCMD [\"python\", \"main.py\"]\n")
    assert found(fixed) == []


def test_user_line_after_the_last_run_at_the_end() -> None:
    text = "from alpine:3.20\nrun addgroup -S web && adduser -S web -G web\ncopy app /app\n"
    [(_, _, [fixed])] = found(text)
    assert fixed == text + "user web\n"  # after the last instruction, in the file's keyword case


def test_user_created_in_the_base_stage() -> None:
    text = "FROM debian:12 AS base\nRUN useradd -u 1001 svc\nFROM base\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"
    [(reported, _, [fixed])] = found(text)
    assert reported == "svc"
    assert "COPY app /app\nUSER svc\nENTRYPOINT" in fixed


def test_explicit_root_at_the_end() -> None:
    text = "FROM debian:12\nRUN useradd app\nUSER root\nCMD [\"bash\"]\n"
    assert [r for r, _, _ in found(text)] == ["app"]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:12\nRUN useradd app\nUSER app\n",
        "FROM debian:12\nRUN useradd -u 1001 app\nUSER 1001:1001\n",
        "FROM debian:12\nRUN useradd app\nUSER app\nRUN true\nUSER root\n",  # switched to it (DL3002's case)
        "FROM debian:12\nRUN useradd app\nUSER nobody\n",
        "FROM debian:12\nRUN useradd app && apt-get install -y gosu\nENTRYPOINT [\"gosu\", \"app\", \"/run.sh\"]\n",
        "FROM debian:12\nRUN useradd app\nCMD [\"su\", \"app\", \"-c\", \"/app\"]\n",
        "FROM nginx:1.27\nRUN adduser --system web\n",
        "FROM php:8.3-cli-alpine\nRUN adduser -u 82 -D -S -G www-data www-data\nCMD [\"php\", \"-a\"]\n",
        "FROM node:20\nRUN useradd -s /bin/bash -m vscode\n",
        "FROM debian:12\nRUN useradd app\nCMD [\"supervisord\", \"-n\"]\n",
        "FROM debian:12 AS build\nRUN useradd app\nFROM debian:12\nCOPY --from=build /x /x\n",
        "FROM debian:12\nRUN apt-get update\n",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN net user app /add\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []
