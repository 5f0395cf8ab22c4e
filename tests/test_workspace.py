"""What diagnostics depend on besides the text: settings and files beside the document."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from dockerfile_refactor_ls.workspace import (
    MAX_CHARS_SETTING,
    MAX_DIAGNOSED_CHARS,
    RULES_SKIPPED,
    WorkspaceConfig,
    client_settings_from_options,
    workspace_roots,
)


def _config(root: Path) -> WorkspaceConfig:
    config = WorkspaceConfig()
    config.roots = workspace_roots([root.as_uri()], None, None)
    return config


def test_hadolint_yaml_above_the_document_applies_and_edits_to_it_are_seen(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    uri = (tmp_path / "svc" / "Dockerfile").as_uri()
    yaml = tmp_path / ".hadolint.yaml"
    yaml.write_text("ignored:\n  - DL3006\n")
    config = _config(tmp_path)
    assert "DL3006" in config.settings_for(uri).ignore
    # Asked again (cached folder), then after the file changed on disk.
    assert "DL3006" in config.settings_for(uri).ignore
    yaml.write_text("ignored:\n  - DL3008\n")
    stat = yaml.stat()
    os.utime(yaml, (stat.st_atime, stat.st_mtime + 5))
    ignore = config.settings_for(uri).ignore
    assert "DL3008" in ignore and "DL3006" not in ignore


def test_files_outside_the_workspace_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "ws"
    outside.mkdir()
    inside.mkdir()
    (outside / ".dockerignore").write_text("secret\n")
    (inside / ".dockerignore").symlink_to(outside / ".dockerignore")
    config = _config(inside)
    assert config.dockerignore_for((inside / "Dockerfile").as_uri()) is None
    assert config.dockerignore_for((outside / "Dockerfile").as_uri()) is None
    (inside / ".dockerignore").unlink()
    (inside / ".dockerignore").write_text("build/\n")
    config.forget_files()
    assert config.dockerignore_for((inside / "Dockerfile").as_uri()) == "build/\n"


def test_new_roots_replace_what_was_resolved_for_the_old_ones(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".dockerignore").write_text("x\n")
    uri = (tmp_path / "a" / "Dockerfile").as_uri()
    config = _config(tmp_path / "b")
    assert config.dockerignore_for(uri) is None
    config.roots = workspace_roots([(tmp_path / "a").as_uri()], None, None)
    assert config.dockerignore_for(uri) == "x\n"


def test_settings_from_initialization_options() -> None:
    assert client_settings_from_options({"dockerfileRefactor": {"rules": {}}}) == {"rules": {}}
    assert client_settings_from_options({"rules": {}}) == {"rules": {}}
    assert client_settings_from_options(["not", "a", "dict"]) is None


def test_a_file_over_the_limit_gets_one_diagnostic_that_says_so_and_is_not_parsed(caplog: Any) -> None:
    from dockerfile_refactor_ls.documents import DocumentState
    from dockerfile_refactor_ls.engine.text import PositionEncoding

    config = WorkspaceConfig()
    config.client_settings = {MAX_CHARS_SETTING: 100}
    text = "FROM alpine\nRUN apt-get install curl\n" + "RUN echo hello\n" * 10
    state = DocumentState("file:///big/Dockerfile", text, 1, PositionEncoding.UTF16)
    with caplog.at_level(logging.WARNING, logger="dockerfile_refactor_ls.workspace"):
        findings = config.diagnose(state, config.inputs_for(state.uri))
    assert [(f.code, f.span.start, f.span.end) for f in findings] == [(RULES_SKIPPED, 0, len("FROM alpine"))]
    assert f"{len(text):,} characters, more than 100" in findings[0].message
    assert "dockerfileRefactor.maxDiagnosedCharacters" in findings[0].message
    assert "rules skipped: file larger than 100 characters" in caplog.text
    assert "set dockerfileRefactor.maxDiagnosedCharacters to raise the limit" in caplog.text
    assert state._parsed is None and state._model is None  # the notice needs no parse
    # Raised above the file's size, the rules run again.
    config.client_settings = {MAX_CHARS_SETTING: len(text)}
    codes = {f.code for f in config.diagnose(state, config.inputs_for(state.uri))}
    assert RULES_SKIPPED not in codes and "DL3008" in codes


def test_the_limit_defaults_to_four_million_characters() -> None:
    config = WorkspaceConfig()
    assert config.max_diagnosed_chars == MAX_DIAGNOSED_CHARS == 4_000_000
    for junk in (0, -5, "10", True, None, 2.5):
        config.client_settings = {MAX_CHARS_SETTING: junk}
        assert config.max_diagnosed_chars == MAX_DIAGNOSED_CHARS
