from ._testing import flagged


def test_both_tools_in_a_stage() -> None:
    text = "FROM debian:12\nRUN curl -fsSLO https://x/a\nRUN wget https://x/b && wget https://x/c\nRUN curl x\n"
    # The RUN where the second tool appears, and every later RUN that calls either.
    assert flagged("DL4001", text) == ["wget", "curl"]


def test_every_later_run_with_either_tool() -> None:
    text = "FROM node AS foo\nRUN wget my.xyz\nRUN curl my.xyz\nRUN echo hello\nRUN wget foo.com\n"
    assert flagged("DL4001", text) == ["curl", "wget"]


def test_both_in_one_run_is_one_finding() -> None:
    text = "FROM debian:12\nRUN wget a && curl b && wget c\n"
    assert flagged("DL4001", text) == ["curl"]


def test_one_tool_per_stage_passes() -> None:
    text = "FROM debian:12\nRUN curl -fsSLO https://x/a\nFROM debian:12\nRUN wget https://x/b\nRUN apt-get install -y curl wget\n"
    assert flagged("DL4001", text) == []
