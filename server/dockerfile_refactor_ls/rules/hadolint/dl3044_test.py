from ._testing import flagged


def test_self_reference() -> None:
    assert flagged("DL3044", "FROM alpine:3.20\nENV A=/opt B=$A/bin C=${A}/lib\n") == ["$A", "${A}"]


def test_defined_before_or_separate_passes() -> None:
    text = (
        "FROM alpine:3.20\nARG V=1\nENV V=$V W=${V}x\nENV X=/opt\nENV Y=$X/bin\n"
        "ENV PATH=$PATH:/x Q=$AB\nENV AB=1 ABC=$ABX\n"
    )
    assert flagged("DL3044", text) == []


def test_single_quotes_and_escapes_are_not_references() -> None:
    assert flagged("DL3044", "FROM alpine:3.20\nENV A=1 B='$A' C=\\$A\n") == []
