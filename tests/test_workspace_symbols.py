"""Workspace symbols (engine.workspace_symbols, features.workspace_symbols file discovery)."""

from __future__ import annotations

from pathlib import Path

from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.workspace_symbols import match_rank, stage_symbols
from dockerfile_refactor_ls.features.workspace_symbols import find_dockerfiles, is_dockerfile_name


def test_match_rank() -> None:
    assert match_rank("build", "build") == 0
    assert match_rank("bu", "Build") == 1
    assert match_rank("ild", "build") == 2
    assert match_rank("bld", "build") == 3
    assert match_rank("x", "build") is None
    assert match_rank("", "anything") == 3


def test_stages_of_several_documents_best_match_first() -> None:
    a = Dockerfile("FROM golang AS build\nFROM alpine AS runtime\n")
    b = Dockerfile("FROM node AS builder\nFROM nginx\n")
    got = [(s.key, s.name, s.detail) for s in stage_symbols([("a", a), ("b", b)], "build")]
    assert got == [("a", "build", "FROM golang"), ("b", "builder", "FROM node")]
    everything = [s.name for s in stage_symbols([("a", a), ("b", b)], "")]
    assert everything == ["build", "runtime", "builder", "stage 1"]
    unnamed = stage_symbols([("b", b)], "stage 1")[0]
    assert b.text[unnamed.span.start : unnamed.span.end] == "FROM"


def test_dockerfile_names() -> None:
    for name in ("Dockerfile", "dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.prod", "x.dockerfile"):
        assert is_dockerfile_name(name), name
    for name in ("Dockerfile-notes.md", "docker-compose.yml", "README"):
        assert not is_dockerfile_name(name), name


def test_find_dockerfiles_skips_hidden_and_dependency_folders(tmp_path: Path) -> None:
    for rel in ("Dockerfile", "svc/api.Dockerfile", "node_modules/x/Dockerfile", ".git/Dockerfile", "svc/notes.md"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("FROM alpine\n")
    found = sorted(str(p.relative_to(tmp_path)) for p in find_dockerfiles([tmp_path]))
    assert found == ["Dockerfile", "svc/api.Dockerfile"]
