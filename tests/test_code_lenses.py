"""Code lenses on stages (engine.code_lenses) and the build command they show."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from dockerfile_refactor_ls.engine.code_lenses import code_lenses
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.features.code_lenses import build_command

TEXT = """\
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM build AS test
RUN go test ./...
FROM alpine:3.20
COPY --from=build /out/app /usr/bin/app
RUN --mount=from=test,target=/t true
FROM alpine:3.20 AS final
COPY --from=build /out/app /app
COPY --from=0 /out/app /app2
"""


def lenses(text: str = TEXT) -> list[tuple[int, str, list[str]]]:
    doc = Dockerfile(text)
    return [(lens.stage, lens.title, [text[s.start : s.end] for s in lens.uses]) for lens in code_lenses(doc)]


def test_build_and_use_lenses() -> None:
    assert lenses() == [
        (0, "build --target build", []),
        (0, "2 stages copy from this", ["build", "build", "0"]),
        (0, "1 stage builds on this", ["build"]),
        (1, "build --target test", []),
        (1, "1 stage copies from this", ["test"]),
        (3, "build --target final (the default target)", []),
    ]


def test_lenses_sit_on_the_from_keyword() -> None:
    doc = Dockerfile(TEXT)
    for lens in code_lenses(doc):
        assert TEXT[lens.span.start : lens.span.end] == "FROM"
        assert doc.stages[lens.stage].from_instruction.keyword_span == lens.span


def test_unnamed_single_stage_has_no_lens() -> None:
    assert lenses("FROM alpine\nRUN true\n") == []


def test_self_reference_and_forward_reference_do_not_count() -> None:
    # COPY --from=a stage's own name, or a later stage's, is not a use of that stage by BuildKit.
    assert lenses("FROM alpine AS a\nCOPY --from=b /x /y\nFROM alpine AS b\n") == [
        (0, "build --target a", []),
        (1, "build --target b (the default target)", []),
    ]


def _server(*roots: Path) -> Any:
    return SimpleNamespace(core=SimpleNamespace(config=SimpleNamespace(roots=list(roots))))


def test_build_command_relative_to_the_workspace(tmp_path: Path) -> None:
    ls = _server(tmp_path)
    assert build_command(ls, (tmp_path / "Dockerfile").as_uri(), "build") == "docker build --target build ."
    assert build_command(ls, (tmp_path / "svc" / "Dockerfile").as_uri(), "x") == "docker build --target x svc"
    assert (
        build_command(ls, (tmp_path / "svc" / "prod.Dockerfile").as_uri(), "x")
        == "docker build --target x -f svc/prod.Dockerfile svc"
    )
    # Outside every workspace folder: run from the file's own directory.
    other = tmp_path.parent / "elsewhere" / "Dockerfile"
    assert build_command(ls, other.as_uri(), "x") == "docker build --target x ."
    assert build_command(ls, "untitled:Untitled-1", "x") == "docker build --target x ."
