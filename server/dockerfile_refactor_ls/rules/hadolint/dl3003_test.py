from ._testing import flagged


def test_cd() -> None:
    assert flagged("DL3003", "FROM debian:12\nRUN cd /usr/src && make\n") == ["cd /usr/src"]


def test_in_a_case_branch() -> None:
    text = 'FROM debian:12\nRUN case "$A" in x) cd /tmp ;; esac\n'
    assert flagged("DL3003", text) == ["cd /tmp"]


def test_no_cd() -> None:
    assert flagged("DL3003", "FROM debian:12\nRUN make -C /usr/src && echo cd\n") == []
