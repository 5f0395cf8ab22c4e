from ._testing import flagged


def test_untagged() -> None:
    assert flagged("DL3006", "FROM debian\n") == ["debian"]
    assert flagged("DL3006", "FROM gcr.io/distroless/static-debian12\n") == ["gcr.io/distroless/static-debian12"]


def test_tag_digest_scratch_stage_variable_pass() -> None:
    text = (
        "ARG BASE=debian:12\n"
        "FROM debian:12 AS base\n"
        "FROM debian@sha256:" + "a" * 64 + "\n"
        "FROM scratch\n"
        "FROM base\n"
        "FROM BASE\n"
        "FROM $BASE\n"
        "FROM localhost:5000/app:1.0\n"
    )
    assert flagged("DL3006", text) == []
