from ._testing import flagged

TEXT = (
    "FROM scratch\nFROM debian:12 AS base\nFROM base\n"
    "FROM my-company.com:5000/python:3.12\nFROM randomguy/python:3.12\nFROM gcr.io/distroless/base\n"
    "FROM $IMAGE\n"
)


def test_silent_without_configuration() -> None:
    assert flagged("DL3026", TEXT) == []
    assert flagged("DL3026", TEXT, trusted_registries=()) == []


def test_untrusted_registries() -> None:
    assert flagged("DL3026", TEXT, trusted_registries=["my-company.com:5000"]) == [
        "debian",
        "randomguy/python",
        "gcr.io/distroless/base",
    ]


def test_docker_hub_and_patterns() -> None:
    assert flagged("DL3026", TEXT, trusted_registries=("docker.io", "*.com:5000", "gcr.io")) == []
