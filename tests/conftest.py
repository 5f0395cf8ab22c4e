"""Shared test fixtures: where the corpus lives and how to read it byte for byte."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("DOCKERFILE_CORPUS", ROOT.parent / "shared" / "corpus" / "files"))


def corpus_files() -> list[Path]:
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(CORPUS_DIR.glob("*.Dockerfile"))


def read_corpus(path: Path) -> str:
    # newline="" keeps CRLF; surrogateescape keeps any stray byte instead of failing.
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        return fh.read()


requires_corpus = pytest.mark.skipif(
    not CORPUS_DIR.is_dir(),
    reason=f"the shared Dockerfile corpus is not at {CORPUS_DIR} (it is not part of the project; "
    "set DOCKERFILE_CORPUS to point at a copy)",
)


@pytest.fixture(autouse=True)
def _unfreeze_after_test() -> Iterator[None]:
    """Big documents' analyses freeze what they allocated (documents.collector_paused), garbage
    cycles of the test run included; in one long pytest process those would never be collected.
    The server reclaims them when idle; a test hands them back to the collector at its end."""
    yield
    gc.unfreeze()
