"""Selection ranges (engine.selection): word → flag/argument → instruction → stage → document."""

from __future__ import annotations

from itertools import pairwise

import pytest

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.selection import selection_range

TEXT = """\
# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
COPY --from=build --chown=app:app /out/app /usr/bin/app
RUN echo ${VERSION:-1} && \\
  make
# a comment here
FROM alpine
RUN <<EOF
echo hi
EOF
"""

STAGE0 = TEXT[TEXT.index("FROM golang") : TEXT.index("  make") + len("  make")]
COPY = "COPY --from=build --chown=app:app /out/app /usr/bin/app"


def chain(needle: str, k: int = 0) -> list[str]:
    offset = TEXT.index(needle) + k
    spans = selection_range(Dockerfile(TEXT), offset)
    assert spans[-1].start == 0 and spans[-1].end == len(TEXT)
    for inner, outer in pairwise(spans):
        assert outer.start <= inner.start and inner.end <= outer.end and outer != inner
    return [TEXT[s.start : s.end] for s in spans[:-1]]


@pytest.mark.parametrize(
    ("needle", "k", "expected"),
    [
        ("app:app", 1, ["app", "app:app", "--chown=app:app", COPY, STAGE0]),
        ("/out/app", 2, ["out", "/out/app", "/out/app /usr/bin/app", COPY, STAGE0]),
        ("golang", 2, ["golang", "golang:1.22", "golang:1.22 AS build", "FROM golang:1.22 AS build", STAGE0]),
        (
            "VERSION",
            2,
            ["VERSION", "${VERSION:-1}", "echo ${VERSION:-1} && \\\n  make", "RUN echo ${VERSION:-1} && \\\n  make", STAGE0],
        ),
        ("comment", 2, ["comment", "# a comment here"]),
        ("syntax", 1, ["syntax", "# syntax=docker/dockerfile:1"]),
    ],
)
def test_chains(needle: str, k: int, expected: list[str]) -> None:
    assert chain(needle, k) == expected


def test_heredoc_body_then_whole_heredoc() -> None:
    got = chain("echo hi", 1)
    assert got[:2] == ["echo", "echo hi\n"]
    assert "<<EOF\necho hi\nEOF" in got
    assert got[-1] == "FROM alpine\nRUN <<EOF\necho hi\nEOF"
