from ._testing import flagged


def test_ln_bin_sh() -> None:
    assert flagged("DL4005", "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n") == ["ln -sf /bin/bash /bin/sh"]


def test_other_links_pass() -> None:
    assert flagged("DL4005", "FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/sh\n") == []
