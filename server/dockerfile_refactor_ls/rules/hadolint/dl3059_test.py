import pytest

from ._testing import findings, fixed, flagged


def test_consecutive_short_runs() -> None:
    text = "FROM debian:12\nRUN apt-get update\n# comment\nRUN apt-get install -y curl\n"
    assert flagged("DL3059", text) == ["RUN"]


def test_passes() -> None:
    assert flagged("DL3059", "FROM debian:12\nRUN a\nENV X=1\nRUN b\n") == []
    assert flagged("DL3059", "FROM debian:12\nRUN a && b && c\nRUN d\n") == []
    assert flagged("DL3059", "FROM debian:12\nRUN --mount=type=secret,id=a a\nRUN --mount=type=secret,id=b b\n") == []


@pytest.mark.parametrize(
    "first, second",
    [("foo && bar", "foobar"), ("foo; bar", "foobar"), ("foobar", "foo && bar"), ("foobar", "foo; bar"),
     ("foo && bar", "foo; bar"), ("foo | bar", "baz"), ("echo $(date)", "baz")],
)
def test_a_run_that_chains_commands_is_not_merged(first: str, second: str) -> None:
    assert flagged("DL3059", f"FROM debian:12\nRUN {first}\nRUN {second}\n") == []


def test_two_single_command_runs_after_a_chained_one() -> None:
    text = "FROM debian:12\nRUN foo && bar\nRUN foo\nRUN bar\n"
    [f] = findings("DL3059", text)
    assert f.span.start == text.index("RUN bar")


def test_same_flags_count_as_consecutive() -> None:
    text = "FROM debian:12\nRUN --mount=type=secret,id=foo a\nRUN --mount=type=secret,id=foo b\n"
    assert flagged("DL3059", text) == ["RUN"]
    assert flagged("DL3059", "FROM debian:12\nRUN a\nRUN --mount=type=cache,target=/x b\n") == []


def test_merge_fix() -> None:
    text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    [f] = findings("DL3059", text)
    assert not f.fixes[0].safe
    assert fixed("DL3059", text) == "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n"


def test_no_merge_across_comments() -> None:
    [f] = findings("DL3059", "FROM debian:12\nRUN a\n# why\nRUN b\n")
    assert f.fixes == []


def test_fragment_without_from() -> None:
    from ...engine.model import Dockerfile
    from ..analysis import diagnose

    assert "DL3059" in [f.code for f in diagnose(Dockerfile("RUN /foo.sh\n# a comment\nRUN /bar.sh\n"))]


def test_sh_c_script_and_bare_assignment_count_as_one_command() -> None:
    # hadolint counts `sh -c '...'` as one command whatever the string holds, and an assignment
    # alone as none.
    assert flagged("DL3059", "FROM debian:12\nRUN sh -c 'echo a > /tmp/a && echo b'\nRUN mkdir -p /x\n") == ["RUN"]
    assert flagged("DL3059", "FROM golang:1.22\nRUN GOPATH=~/go\nRUN go get\n") == ["RUN"]
