from ._testing import flagged


def test_latest() -> None:
    assert flagged("DL3007", "FROM node:latest\n") == ["latest"]


def test_other_tags_and_digests_pass() -> None:
    assert flagged("DL3007", "FROM node:22\nFROM node:latest@sha256:" + "b" * 64 + "\nFROM node:${TAG:-latest}\n") == []
