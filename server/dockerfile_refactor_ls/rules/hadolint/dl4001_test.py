from ._testing import flagged


def test_both_tools_in_a_stage() -> None:
    text = "FROM debian:12\nRUN curl -fsSLO https://x/a\nRUN wget https://x/b && wget https://x/c\nRUN curl x\n"
    assert flagged("DL4001", text) == ["wget"]


def test_one_tool_per_stage_passes() -> None:
    text = "FROM debian:12\nRUN curl -fsSLO https://x/a\nFROM debian:12\nRUN wget https://x/b\nRUN apt-get install -y curl wget\n"
    assert flagged("DL4001", text) == []
