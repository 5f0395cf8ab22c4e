from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ._testing import checked
from .copy_after_user_without_chown import RULE


def findings(text: str) -> list[tuple[str, str, str]]:
    """(message, reported text, text after the fix) per finding."""
    return [(f.message, reported, fixed) for f, reported, [fixed] in checked(RULE, text, Severity.WARNING)]


def test_copy_after_user_gets_chown() -> None:
    text = "FROM node:20-slim\nUSER node\nWORKDIR /home/node/app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"
    [(message, reported, fixed)] = findings(text)
    assert reported == "COPY"
    assert "/home/node/app" in message and "USER node" in message
    assert "COPY --chown=node . .\n" in fixed
    assert findings(fixed) == []


def test_flags_are_kept_and_the_user_spec_is_reused() -> None:
    text = "FROM alpine:3.20\nUSER 1000:1000\nADD --chmod=644 --link app.tar.gz /srv/app/\n"
    [(_, _, fixed)] = findings(text)
    assert "ADD --chmod=644 --link --chown=1000:1000 app.tar.gz /srv/app/" in fixed


def test_user_inherited_from_the_base_stage() -> None:
    text = (
        "FROM python:3.12-slim AS base\nRUN useradd -m app\nUSER app\nWORKDIR /app\n"
        "FROM base\nCOPY --from=build /wheels ./wheels\n"
    )
    [(message, _, fixed)] = findings(text)
    assert "/app/wheels" in message
    assert "COPY --from=build --chown=app /wheels ./wheels" in fixed


def test_several_copies_each_reported() -> None:
    text = "FROM alpine:3.20\nUSER app\nCOPY a /app/a\nCOPY --chown=app b /app/b\nCOPY c /app/c\n"
    assert [m for m, _, _ in findings(text)] == [
        "COPY after USER app without --chown: the files in /app/a are owned by root, and app cannot change them",
        "COPY after USER app without --chown: the files in /app/c are owned by root, and app cannot change them",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine:3.20\nCOPY . /app\nUSER app\n",  # COPY before USER
        "FROM alpine:3.20\nUSER app\nUSER root\nCOPY . /app\n",
        "FROM alpine:3.20\nUSER 0\nCOPY . /app\n",
        "FROM alpine:3.20\nUSER app\nCOPY --chown=app:app . /app\n",
        "FROM alpine:3.20\nUSER app\nCOPY config.conf /etc/app/config.conf\n",
        "FROM alpine:3.20\nUSER app\nCOPY bin/tool /usr/local/bin/\n",
        "FROM alpine:3.20\nUSER app\nWORKDIR /app\nCOPY . .\nUSER root\nRUN chown -R app /app\nUSER app\n",
        "FROM alpine:3.20\nUSER $RUNTIME_USER\nCOPY . /app\n",
        "FROM alpine:3.20\nUSER app\nCOPY . $APP_HOME\n",
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\nCOPY app C:/app\n",
        "FROM alpine:3.20 AS a\nUSER app\nFROM alpine:3.20\nCOPY --from=a /x /x\n",  # another stage's USER
    ],
)
def test_not_reported(text: str) -> None:
    assert findings(text) == []


def test_user_and_destination_from_arg_and_env_values() -> None:
    text = (
        "ARG user=jenkins\nFROM alpine:3.20\nARG user\nENV JENKINS_HOME=/var/jenkins_home\n"
        "USER ${user}\nCOPY init.groovy $JENKINS_HOME/init.groovy.d/\n"
    )
    [(message, _, fixed)] = findings(text)
    assert message.startswith("COPY after USER ${user} without --chown: the files in /var/jenkins_home/init.groovy.d")
    assert "jenkins cannot change them" in message
    assert "COPY --chown=${user} init.groovy" in fixed  # BuildKit expands --chown itself


def test_a_chain_deeper_than_the_stack_is_checked() -> None:
    """Asked first about the last of 5,000 ``FROM <stage>`` stages, the Windows check walked the
    chain by recursion and ran out of stack: the rule failed and reported nothing."""
    parts = ["FROM node:20-slim AS s0\nUSER node\nWORKDIR /home/node/app\n"]
    parts += [f"FROM s{i - 1} AS s{i}\n" for i in range(1, 5000)]
    parts.append("COPY . .\n")
    [(message, reported, _fixed)] = findings("".join(parts))
    assert reported == "COPY" and "USER node" in message
    windows = "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS s0\nUSER ContainerUser\n"
    assert findings(windows + "".join(parts[1:])) == []  # Windows all the way down: no chown there
