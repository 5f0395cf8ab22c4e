from ._testing import fixed, flagged


def test_maintainer() -> None:
    assert flagged("DL4000", "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n") == ["MAINTAINER"]


def test_fix() -> None:
    assert fixed("DL4000", "FROM alpine:3.20\nMAINTAINER Jane \"J\" Doe\n") == 'FROM alpine:3.20\nLABEL maintainer="Jane \\"J\\" Doe"\n'
