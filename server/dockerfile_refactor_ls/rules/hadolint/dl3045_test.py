from ._testing import flagged


def test_relative_without_workdir() -> None:
    assert flagged("DL3045", "FROM node:22\nCOPY package.json .\n") == ["."]


def test_passes() -> None:
    assert flagged("DL3045", "FROM node:22\nWORKDIR /app\nCOPY package.json .\n") == []
    assert flagged("DL3045", "FROM node:22\nCOPY package.json /app/\nCOPY a $APP/\n") == []
    assert flagged("DL3045", "FROM scratch\nCOPY app .\n") == []


def test_workdir_inherited_from_base_stage() -> None:
    text = "FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY package.json .\nFROM node:22\nCOPY x y\n"
    assert flagged("DL3045", text) == ["y"]


def test_fragment_without_from() -> None:
    from ...engine.model import Dockerfile
    from ..analysis import diagnose

    assert "DL3045" in [f.code for f in diagnose(Dockerfile('COPY bla.sh "blubb.sh"\n'))]
    assert "DL3045" not in [f.code for f in diagnose(Dockerfile("WORKDIR /app\nCOPY a b\n"))]
