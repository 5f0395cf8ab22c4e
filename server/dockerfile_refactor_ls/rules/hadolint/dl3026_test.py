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
    assert flagged("DL3026", TEXT, trusted_registries=("*",)) == []
    # A trailing * matches a prefix; index.docker.io is not one of the names Docker Hub goes by.
    assert flagged("DL3026", "FROM my-company.com:5000/python:3.12\n", trusted_registries=["my-*"]) == []
    assert flagged("DL3026", "FROM debian:12\n", trusted_registries=["index.docker.io"]) == ["debian"]


def test_variables_are_checked_with_the_arg_defaults() -> None:
    text = "ARG REG=other.com\nFROM ${REG}/app:1\nFROM $UNSET\n"
    assert flagged("DL3026", text, trusted_registries=["trusted.com"]) == ["${REG}/app"]
    assert flagged("DL3026", text.replace("other.com", "trusted.com"), trusted_registries=["trusted.com"]) == []


COPIES = (
    "FROM trusted.com/a:1 AS Build\n"
    "COPY --from=build /a /a\nCOPY --from=0 /a /a\nCOPY --from=scratch /a /a\nCOPY --from=$X /a /a\n"
    "COPY --from=trusted.com/x /a /a\nCOPY --from=other.com/x:1 /a /a\nCOPY --from=alpine /a /a\n"
    "COPY --from=later /a /a\nONBUILD COPY --from=other.com/y /a /a\n"
    "FROM trusted.com/b AS later\n"
)


def test_copy_from_images_are_checked() -> None:
    # Stages (by name or index), scratch and variables are no image to check; a stage defined later
    # is no stage to copy from.
    assert flagged("DL3026", COPIES, trusted_registries=["trusted.com"]) == ["other.com/x:1", "alpine", "later"]
    assert flagged("DL3026", "COPY --from=untrusted.com/repo/image:tag /foo /bar\n", trusted_registries=["trusted.com"]) == [
        "untrusted.com/repo/image:tag"
    ]


def test_images_mounted_from_are_checked() -> None:
    text = (
        "FROM trusted.com/a AS b\n"
        "RUN --mount=type=bind,from=b,target=/x ls\n"
        "RUN --mount=type=cache,target=/x ls\n"
        "RUN --mount=from=other.com/x,target=/x ls\n"
        "RUN --mount=type=tmpfs,target=/x ls\n"
        "RUN --mount=type=cache,from=0,target=/x ls\n"
        "RUN --mount=type=secret,id=a --mount=type=bind,from=trusted.com/t,target=/t ls\n"
    )
    # The default mount type is bind; a number in from= is an image (BuildKit reads it so).
    assert flagged("DL3026", text, trusted_registries=["trusted.com"]) == [
        "from=other.com/x,target=/x",
        "type=cache,from=0,target=/x",
    ]
    assert flagged("DL3026", text, trusted_registries=["trusted.com", "docker.io", "other.com"]) == []
