from ._testing import fixed, flagged, messages


def test_shell_form() -> None:
    assert messages("JSONArgsRecommended", "FROM alpine\ncmd node server.js\n") == [
        "JSON arguments recommended for cmd to prevent unintended behavior related to OS signals"
    ]
    assert fixed("JSONArgsRecommended", "FROM alpine\nCMD node server.js\n") == 'FROM alpine\nCMD ["node", "server.js"]\n'


def test_shell_set_before_or_in_a_parent_stage() -> None:
    assert flagged("JSONArgsRecommended", 'FROM alpine\nSHELL ["/bin/bash", "-c"]\nCMD run\n') == []
    assert flagged("JSONArgsRecommended", 'FROM alpine AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD run\n') == []
    assert flagged("JSONArgsRecommended", 'FROM alpine AS a\nSHELL ["/bin/bash", "-c"]\nFROM a AS b\nFROM b\nCMD run\n') == []


def test_shell_after_the_cmd_does_not_count() -> None:
    # BuildKit decides while dispatching the CMD.
    assert flagged("JSONArgsRecommended", 'FROM alpine\nCMD run me\nSHELL ["/bin/bash", "-c"]\n') == ["run me"]


def test_shell_of_an_unrelated_stage_does_not_count() -> None:
    text = 'FROM alpine AS a\nSHELL ["/bin/bash", "-c"]\nFROM alpine\nENTRYPOINT run\n'
    assert flagged("JSONArgsRecommended", text) == ["run"]
