from ._testing import findings, fixed, flagged


def test_consecutive_short_runs() -> None:
    text = "FROM debian:12\nRUN apt-get update\n# comment\nRUN apt-get install -y curl\n"
    assert flagged("DL3059", text) == ["RUN"]


def test_passes() -> None:
    assert flagged("DL3059", "FROM debian:12\nRUN a\nENV X=1\nRUN b\n") == []
    assert flagged("DL3059", "FROM debian:12\nRUN a && b && c\nRUN d\n") == []
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
    from ...engine.analysis import diagnose
    from ...engine.model import Dockerfile

    assert "DL3059" in [f.code for f in diagnose(Dockerfile("RUN /foo.sh\n# a comment\nRUN /bar.sh\n"))]
