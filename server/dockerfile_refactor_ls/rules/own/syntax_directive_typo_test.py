from __future__ import annotations

import pytest

from ...engine.findings import Severity
from ...engine.model import Dockerfile
from ._testing import checked
from .syntax_directive_typo import RULE


def found(text: str) -> list[tuple[str, str, list[str]]]:
    """(reported text, message, fixed documents) per finding."""
    return [(reported, f.message, fixed) for f, reported, fixed in checked(RULE, text, Severity.WARNING)]


def directives(text: str) -> dict[str, str]:
    return {d.name: d.value for d in Dockerfile(text).parsed.directives}


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("# sytax=docker/dockerfile:1", "syntax"),
        ("#synatx=docker/dockerfile:1.7", "syntax"),
        ("# escpae=`", "escape"),
        ("# chek=skip=all", "check"),
        ("# SYNTEX = docker/dockerfile:1", "syntax"),
    ],
)
def test_misspelled_directive_name(line: str, name: str) -> None:
    text = f"{line}\nFROM alpine\n"
    [(reported, message, [fixed])] = found(text)
    assert reported.lower() != name and message.endswith(f"did you mean '# {name}='?")
    assert name in directives(fixed)
    assert found(fixed) == []


def test_colon_instead_of_equals() -> None:
    text = "# syntax: docker/dockerfile:1\nFROM alpine\n"
    [(reported, _, [fixed])] = found(text)
    assert reported == ":"
    assert directives(fixed) == {"syntax": "docker/dockerfile:1"}


def test_escape_after_a_comment_is_moved_to_the_top() -> None:
    text = "# Build the API\n# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  C:\\\n"
    [(reported, message, [fixed])] = found(text)
    assert reported == "# escape=`"
    assert "not at the top of the file" in message
    assert fixed.startswith("# escape=`\n# Build the API\nFROM ")
    assert directives(fixed) == {"escape": "`"}


def test_directive_after_a_blank_line_and_after_an_instruction() -> None:
    text = "# syntax=docker/dockerfile:1\n\n# escape=\\\nFROM alpine\n# syntax=docker/dockerfile:1.7\n"
    [(first, _, [fixed]), (second, _, fixes)] = found(text)
    assert first == "# escape=\\" and second == "# syntax=docker/dockerfile:1.7"
    assert fixes == []  # a syntax directive is already in effect: moving would duplicate it
    assert directives(fixed) == {"escape": "\\", "syntax": "docker/dockerfile:1"}


@pytest.mark.parametrize(
    ("value", "meant"),
    [("docker/dockerfil:1", "docker/dockerfile:1"), ("dockerfile:1.7", "docker/dockerfile:1.7"),
     ("docker/dockerfile-upstrem:master", "docker/dockerfile-upstream:master")],
)
def test_misspelled_frontend(value: str, meant: str) -> None:
    text = f"# syntax={value}\nFROM alpine\n"
    [(reported, _, [fixed])] = found(text)
    assert reported == value
    assert directives(fixed)["syntax"] == meant


@pytest.mark.parametrize(
    "text",
    [
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine\n",
        "#syntax = docker/dockerfile:1.7@sha256:" + "a" * 64 + "\nFROM alpine\n",
        "# syntax=docker.io/docker/dockerfile:1\nFROM alpine\n",
        "# syntax=tonistiigi/dockerfile:runmount20180618\nFROM alpine\n",
        "FROM alpine\n# check=skip=JSONArgsRecommended\nCMD node app.js\n",  # applies to the CMD below
        "# syntax is set by the CI\nFROM alpine\n",
        "FROM alpine\n# key=value pairs follow\nENV a=b\n",
        "FROM alpine\n# state=ready\n",
        "# escapes=1 are not used here\nFROM alpine\n",
    ],
)
def test_not_reported(text: str) -> None:
    assert found(text) == []
