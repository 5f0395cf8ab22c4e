from ._testing import flagged


def test_own_alias() -> None:
    assert flagged("DL3023", "FROM debian:12 AS build\nCOPY --from=BUILD /src /src\n") == ["BUILD"]


def test_other_stage_passes() -> None:
    assert flagged("DL3023", "FROM debian:12 AS build\nRUN true\nFROM debian:12\nCOPY --from=build /src /src\n") == []
