from ._testing import flagged


def test_off_by_default() -> None:
    assert flagged("DL3057", "FROM nginx:1.27\n") == []


def test_enabled() -> None:
    assert flagged("DL3057", "FROM nginx:1.27\n", optional_rules=["DL3057"]) == ["FROM"]
    text = "FROM nginx:1.27 AS base\nHEALTHCHECK CMD true\nFROM base\n"
    assert flagged("DL3057", text, optional_rules=["DL3057"]) == []
