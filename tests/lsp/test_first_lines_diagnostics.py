"""A long file's first lines get their findings before the whole file's are computed.

The whole diagnosis of a file over 200,000 characters takes seconds (21 s at 50,000 stages); the
editor shows the file's top on opening, so that is diagnosed first and published on its own, and
the whole list replaces it. Every diagnostic of the early list is one of the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import change_doc, diagnostics_where, open_doc, rng

STAGE = "FROM debian:12 AS s{k}\nRUN apt-get update && apt-get install -y curl\n"
STAGES = 4_000  # 276,000 characters: whole rules about 1.5 s here


def _text() -> str:
    return "".join(STAGE.format(k=k) for k in range(STAGES))


def _key(d: lsp.Diagnostic) -> tuple[object, ...]:
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.message)


def _last_line(diagnostics: Sequence[lsp.Diagnostic]) -> int:
    return max(d.range.start.line for d in diagnostics)


async def test_first_lines_come_first_then_the_whole_file(client: LanguageClient) -> None:
    text = _text()
    uri, first = await open_doc(client, text, timeout=120)
    assert first, "the first lines hold DL3008, DL3009 and DL3015 findings"
    assert _last_line(first) < 2_000, "the first list is the file's first lines only"
    whole = await diagnostics_where(client, uri, lambda ds: bool(ds) and _last_line(ds) > 7_000, timeout=180)
    assert {d.code for d in first} <= {d.code for d in whole}
    assert {_key(d) for d in first} <= {_key(d) for d in whole}
    per_stage = {d.code for d in whole if d.range.start.line in (0, 1)}
    assert {"DL3008", "DL3015"} <= per_stage, per_stage
    assert len(whole) >= 3 * STAGES


async def test_no_early_list_once_the_whole_one_was_sent(client: LanguageClient) -> None:
    """After the whole list an edit must not bring back the short one (the rest would flicker
    away for the seconds the whole diagnosis takes)."""
    text = _text()
    uri, _ = await open_doc(client, text, timeout=120)
    await diagnostics_where(client, uri, lambda ds: bool(ds) and _last_line(ds) > 7_000, timeout=180)
    # The first stage's package gets a version: its DL3008 goes, everything else stays.
    after = await change_doc(
        client, uri, 2, [lsp.TextDocumentContentChangePartial(range=rng(1, 45, 1, 45), text="=7.88.1-10")], timeout=180
    )
    assert _last_line(after) > 7_000, "the list after the edit is a whole one"
    assert not any(d.code == "DL3008" and d.range.start.line == 1 for d in after)

