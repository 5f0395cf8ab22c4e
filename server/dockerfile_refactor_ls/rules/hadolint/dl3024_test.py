from ._testing import flagged


def test_duplicate() -> None:
    assert flagged("DL3024", "FROM node:22 AS build\nFROM golang:1.23 AS Build\n") == ["Build"]


def test_unique_passes() -> None:
    assert flagged("DL3024", "FROM node:22 AS web\nFROM golang:1.23 AS api\nFROM alpine:3.20\n") == []
