"""Signature help (engine.signatures): the active form and parameter as the cursor moves."""

from __future__ import annotations

import pytest

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.signatures import SIGNATURES, signature_help


def active(text_with_cursor: str) -> tuple[str, str | None] | None:
    """(label of the active signature, label of its active parameter) at the ``|``."""
    offset = text_with_cursor.index("|")
    text = text_with_cursor.replace("|", "", 1)
    result = signature_help(Dockerfile(text), offset)
    if result is None:
        return None
    sig = result.signatures[result.active_signature]
    param = sig.parameters[result.active_parameter].label if result.active_parameter is not None else None
    return sig.label, param


COPY = "COPY [OPTIONS] <src>... <dest>"
COPY_JSON = 'COPY [OPTIONS] ["<src>",... "<dest>"]'
FROM = "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] AS <name>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM a\nCOPY |", (COPY, "<src>...")),
        ("FROM a\nCOPY a |", (COPY, "<dest>")),
        ("FROM a\nCOPY a| b", (COPY, "<src>...")),
        ("FROM a\nCOPY a b |c", (COPY, "<dest>")),
        ("FROM a\nCOPY a b| c", (COPY, "<src>...")),
        ("FROM a\nCOPY --fr|", (COPY, "[OPTIONS]")),
        ("FROM a\nCOPY --from=|", ("COPY --from=<stage|image|context> ...", "<stage|image|context>")),
        ("FROM a\nCOPY --chown=1 --chmod=7 src |", (COPY, "<dest>")),
        ('FROM a\nCOPY ["a", |', (COPY_JSON, '"<dest>"')),
        ('FROM a\nCOPY ["a"|, "b"]', (COPY_JSON, '"<src>",...')),
        ('FROM a\nCOPY ["a", "b"]|', (COPY_JSON, None)),
        ("FROM |", (FROM, "<image>[:<tag>|@<digest>]")),
        ("FROM a |", (FROM, "AS")),
        ("FROM a AS |", (FROM, "<name>")),
        ("FROM a AS b |", (FROM, None)),
        ("FROM --platform=|", ("FROM --platform=<platform> ...", "<platform>")),
        ("FROM --platform=linux/amd64 |", (FROM, "<image>[:<tag>|@<digest>]")),
        ("FROM a\nHEALTHCHECK |", ("HEALTHCHECK [OPTIONS] CMD <command>", "CMD")),
        ("FROM a\nHEALTHCHECK --interval=|", ("HEALTHCHECK --interval=<duration> ...", "<duration>")),
        ("FROM a\nHEALTHCHECK --retries=3 CMD curl |", ("HEALTHCHECK [OPTIONS] CMD <command>", "<command>")),
        ("FROM a\nHEALTHCHECK NONE|", ("HEALTHCHECK NONE", "NONE")),
        ("FROM a\nENV a=|", ("ENV <key>=<value> ...", "<value>")),
        ("FROM a\nENV a=1 |", ("ENV <key>=<value> ...", "<key>")),
        ("FROM a\nENV a b|", ("ENV <key> <value>", "<value>")),
        ("FROM a\nARG a|", ("ARG <name>[=<default>] ...", "<name>")),
        ("FROM a\nARG a=|", ("ARG <name>[=<default>] ...", "<default>")),
        ("FROM a\nLABEL a=\"x y\" |", ("LABEL <key>=<value> ...", "<key>")),
        ("FROM a\nONBUILD |", ("ONBUILD <INSTRUCTION>", "<INSTRUCTION>")),
        ("FROM a\nONBUILD COPY a |", (COPY, "<dest>")),
        ("FROM a\nONBUILD FROM |", ("ONBUILD <INSTRUCTION>", None)),
        ('FROM a\nCMD ["a", |', ('CMD ["<executable>", "<param>", ...]', '"<param>"')),
        ("FROM a\nCMD |", ('CMD ["<executable>", "<param>", ...]', '"<executable>"')),
        ("FROM a\nCMD echo |", ("CMD <command>", "<command>")),
        ('FROM a\nENTRYPOINT ["x"]\nCMD [|', ('CMD ["<param>", ...]', '"<param>"')),
        ("FROM a\nENTRYPOINT x |", ("ENTRYPOINT <command>", "<command>")),
        ("FROM a\nUSER a:|", ("USER <user>[:<group>]", "<group>")),
        ("FROM a\nUSER |", ("USER <user>[:<group>]", "<user>")),
        ("FROM a\nEXPOSE 80/|", ("EXPOSE <port>[/<protocol>] ...", "<protocol>")),
        ("FROM a\nEXPOSE 80 |", ("EXPOSE <port>[/<protocol>] ...", "<port>")),
        ("FROM a\nRUN --mount=|", ("RUN --mount=type=<bind|cache|secret|ssh|tmpfs>[,<option>=<value>...] ...", "type=<bind|cache|secret|ssh|tmpfs>[,<option>=<value>...]")),
        ("FROM a\nRUN --network=none apt-get |", ("RUN [OPTIONS] <command>", "<command>")),
        ('FROM a\nRUN ["a", |', ('RUN [OPTIONS] ["<executable>", "<param>", ...]', '"<param>"')),
        ("FROM a\nSHELL [|", ('SHELL ["<executable>", "<param>", ...]', '"<executable>"')),
        ("FROM a\nWORKDIR |", ("WORKDIR <path>", "<path>")),
        ("FROM a\nWORKDIR /a |", ("WORKDIR <path>", None)),
        ("FROM a\nSTOPSIGNAL |", ("STOPSIGNAL <signal>", "<signal>")),
        ("FROM a\nVOLUME /a |", ("VOLUME <path> ...", "<path>")),
        ("FROM a\nMAINTAINER |", ("MAINTAINER <name>", "<name>")),
        ("# syntax=|\nFROM a", ("# syntax=<frontend image>", "<frontend image>")),
        ("# escape=|\nFROM a", ("# escape=<\\ or `>", "<\\ or `>")),
        ("# check=skip=A;error=|\nFROM a", ("# check=skip=<checks|all>;error=<true|false>", "<true|false>")),
        ("# check=skip=|\nFROM a", ("# check=skip=<checks|all>;error=<true|false>", "<checks|all>")),
    ],
)
def test_active_signature_and_parameter(text: str, expected: tuple[str, str | None]) -> None:
    assert active(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY a \\\n|",  # an open continuation line
        "FROM a\nCOPY a \\\n  # a comment inside\n  b \\\n  |",
        "FROM a\nCOPY a \\\n\n|",  # blank continuation line (BuildKit only warns)
    ],
)
def test_continuation_lines_continue_the_instruction(text: str) -> None:
    result = active(text)
    assert result is not None and result[0] == COPY
    # After at least one source on the earlier lines, the word being typed is the destination.
    assert result[1] == "<dest>"


def test_escape_directive_changes_the_continuation_character() -> None:
    assert active("# escape=`\nFROM a\nCOPY a `\n|") == (COPY, "<dest>")
    # With ` as escape a trailing backslash is a plain character: the next line is a new one.
    assert active("# escape=`\nFROM a\nCOPY a \\\n|") is None


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY|",  # on the keyword
        "FROM a\nRUN <<EOF\n|\nEOF\n",  # heredoc body
        "FROM a\nBOGUS x |",  # unknown instruction
        "|",
        "FROM a\n# a comment |",
    ],
)
def test_no_signature(text: str) -> None:
    assert active(text) is None


def test_parameters_are_located_in_their_labels() -> None:
    for sigs in SIGNATURES.values():
        for sig in sigs:
            ends = [p.end for p in sig.parameters]
            assert ends == sorted(ends), sig.label
            for p in sig.parameters:
                assert sig.label[p.start : p.end] == p.label
                assert p.documentation, (sig.label, p.label)


def test_options_documentation_lists_the_flags() -> None:
    copy = SIGNATURES["copy"][0]
    doc = copy.parameters[0].documentation
    for flag in ("--from=", "--chown=", "--link", "--exclude="):
        assert flag in doc


@pytest.mark.parametrize(("cmd", "flag"), [("copy", "from"), ("from", "platform"), ("healthcheck", "interval"), ("run", "mount")])
def test_a_flag_signature_says_what_the_instruction_does_and_its_parameter_what_the_flag_does(cmd: str, flag: str) -> None:
    # VS Code showed the flag's sentence twice (signature and parameter documentation).
    from dockerfile_refactor_ls.engine.signatures import SIGNATURES, _flag_signature

    sig = _flag_signature(cmd, flag)
    assert sig is not None
    assert sig.documentation == SIGNATURES[cmd][0].documentation
    assert sig.parameters[0].documentation and sig.parameters[0].documentation != sig.documentation
