"""The first findings of a big file (``analysis.diagnose_head``): each is one the whole file's
diagnosis reports too, with the same fixes, wherever the head ends.

The server publishes them before the whole file's, so one that the whole diagnosis does not
confirm would flash up and vanish. Checked on every file of the shared corpus, cut at several
places in each, and on cases written to catch what reaches back up the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfile_refactor_ls.engine.findings import Finding
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.rules.analysis import diagnose, diagnose_head, head_cut

from .conftest import corpus_files, read_corpus, requires_corpus

SETTINGS = Settings(shellcheck_enable=False)


def _key(f: Finding) -> tuple[object, ...]:
    fixes = tuple((x.title, x.safe, tuple((e.span, e.new_text) for e in x.edits)) for x in f.fixes)
    return (f.code, f.span, f.message, f.severity, fixes, f.unnecessary, f.deprecated, f.refactorable, f.also)


def _head(text: str, cut: int) -> list[Finding] | None:
    return diagnose_head(Dockerfile(text[:cut]), text[cut:], SETTINGS)


def _cuts(text: str, most: int = 6) -> list[int]:
    """Line ends spread over the file: after each FROM line and half-way into the stage before."""
    line_ends = [k + 1 for k, ch in enumerate(text) if ch == "\n"][:-1]
    if not line_ends:
        return []
    step = max(1, len(line_ends) // most)
    return line_ends[step - 1 :: step][:most]


def _unconfirmed(text: str) -> list[tuple[int, Finding]]:
    whole = {_key(f) for f in diagnose(Dockerfile(text), SETTINGS)}
    out = []
    for cut in _cuts(text):
        for f in _head(text, cut) or []:
            if _key(f) not in whole:
                out.append((cut, f))
    return out


@requires_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_head_findings_are_whole_file_findings(path: Path) -> None:
    text = read_corpus(path)
    bad = _unconfirmed(text)
    assert not bad, [(cut, f.code, f.message, f.span) for cut, f in bad[:5]]


def _groups(size: int = 4) -> list[list[Path]]:
    files = corpus_files()
    return [files[k : k + size] for k in range(0, len(files), size)]


@requires_corpus
@pytest.mark.parametrize("group", _groups(), ids=lambda g: g[0].name)
def test_head_findings_of_corpus_files_joined(group: list[Path]) -> None:
    """Most corpus files have one stage or two: four joined make a file of many real stages
    (images, users, shells, stage references), cut at a dozen places."""
    text = "".join(read_corpus(p).rstrip("\n") + "\n" for p in group)
    whole = {_key(f) for f in diagnose(Dockerfile(text), SETTINGS)}
    bad = [(cut, f) for cut in _cuts(text, 12) for f in _head(text, cut) or [] if _key(f) not in whole]
    assert not bad, [(cut, f.code, f.message, f.span) for cut, f in bad[:5]]


def test_head_reports_whole_stages_before_the_last_only() -> None:
    stage = "FROM debian:12 AS s{k}\nRUN apt-get update && apt-get install -y curl\n"
    text = "".join(stage.format(k=k) for k in range(6))
    cut = head_cut(text, len(stage) * 3 + 5)
    assert cut is not None
    head = _head(text, cut)
    assert head is not None
    # DL3008 (unpinned) and DL3015 (no --no-install-recommends) and DL3009 (lists kept) are
    # stage-local; the head holds stages 0-3 and reports on 0-2.
    lines = {text.count("\n", 0, f.span.start) for f in head}
    assert lines and max(lines) < 6, lines
    codes = {f.code for f in head}
    assert "DL3008" in codes
    whole = {_key(f) for f in diagnose(Dockerfile(text), SETTINGS)}
    assert all(_key(f) in whole for f in head)


def test_a_pragma_after_the_head_that_reaches_back_means_no_head() -> None:
    stage = "FROM debian:12 AS s{k}\nRUN apt-get install -y curl\n"
    body = "".join(stage.format(k=k) for k in range(6))
    for pragma in ("# hadolint global ignore=DL3008\n", "# hadolint shell=powershell\n"):
        text = body + pragma + "FROM scratch\n"
        cut = head_cut(text, len(stage) * 3)
        assert cut is not None
        assert _head(text, cut) is None, pragma
    text = body + "# hadolint ignore=DL3008\nRUN apt-get install -y vim\n"
    cut = head_cut(text, len(stage) * 3)
    assert cut is not None
    assert _head(text, cut), "an inline ignore reaches only the next line"


def test_no_head_without_a_whole_stage_or_a_rest() -> None:
    text = "FROM debian:12\nRUN apt-get install -y curl\nRUN echo hi\n"
    assert head_cut(text, len(text) - 2) is None  # nothing after the head's line
    cut = head_cut(text, 3)
    assert cut == len("FROM debian:12\n")
    assert _head(text, cut) is None  # one stage, the last: it goes on after the head


def test_stage_wide_and_inline_pragmas_in_the_head_apply() -> None:
    text = (
        "FROM debian:12 AS a\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n"
        "FROM debian:12 AS b\nRUN apt-get install -y curl\nFROM scratch\n"
    )
    cut = head_cut(text, text.index("FROM debian:12 AS b") + 3)
    assert cut is not None
    head = _head(text, cut)
    assert head is not None
    assert not any(f.code == "DL3008" for f in head), "stage a's DL3008 is ignored; stage b is the head's last"
