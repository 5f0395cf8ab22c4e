from __future__ import annotations

import pytest

from ...engine.model import Dockerfile
from ...refactors.non_root_user import KIND
from ...refactors.registry import resolving
from ..base import RuleContext
from ._testing import flagged
from .dl3002 import RULE


def codes(text: str) -> list[str]:
    return [f.code for f in RULE.check(RuleContext(Dockerfile(text)))]


@pytest.mark.parametrize("user", ["root", "0", "root:root", "0:0", "root:wheel"])
def test_last_user_root(user: str) -> None:
    text = f"FROM alpine:3.20\nUSER app\nRUN true\nUSER {user}\nCMD [\"sh\"]\n"
    [finding] = RULE.check(RuleContext(Dockerfile(text)))
    assert finding.message == "Last USER should not be root"
    assert Dockerfile(text).text[finding.span.start : finding.span.end] == f"USER {user}"
    assert finding.refactorable and [r.kind for r in resolving(finding.code)] == [KIND]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nUSER foo\n",
        "FROM scratch\nUSER 1000\n",
        "FROM scratch\nUSER root\nUSER app\n",
        "FROM scratch\nUSER rootless\n",
        "FROM alpine\n",  # no USER at all: NoUserInFinalStage's business
        "FROM alpine AS build\nUSER root\nFROM alpine\nUSER app\n",  # only the final stage counts
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER root\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert codes(text) == []


def test_lower_case_keyword() -> None:
    assert codes("from alpine\nuser root\n") == ["DL3002"]


def test_only_the_final_stage() -> None:
    assert codes("FROM alpine AS build\nUSER app\nFROM build\nUSER root\n") == ["DL3002"]


def test_root_set_by_the_stage_the_final_one_is_built_on() -> None:
    text = "FROM debian:12 AS base\nUSER root\nRUN something\nFROM base\nRUN something else\n"
    assert flagged("DL3002", text) == ["USER root"]
    assert flagged("DL3002", text.replace("RUN something else", "USER 1000\nRUN x")) == []
