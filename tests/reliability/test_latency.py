"""Requests never wait for a long analysis (issue 18), through the real server over stdio.

The rules of a large file take seconds; parsing and modelling it a fraction of that. The server runs
all three in its analysis thread, so a request sent right after ``didOpen`` (or a change) is
answered before the diagnostics are published: with a result once the model is built, or with
ServerCancelled after a short wait, and the client asks again. Before, the request was answered
only after the rules had run, after the diagnostics.

The assertions are orderings (the answer comes before the publish) plus bounds of seconds, far
above what the server needs (tens of milliseconds) and far below what the rules take, so that a
loaded machine does not make them flake.
"""

from __future__ import annotations

import time
from typing import Any

from .lsp_client import CONTENT_MODIFIED, SERVER_CANCELLED, LspProcess, Response

URI = "file:///tmp/drls-latency/Dockerfile"
# 1,500 stages (142,000 characters): rules take several seconds (about 5 s on the project's machine),
# parse and model about 0.3 s; the file is far below the limit past which rules are skipped.
STAGES = 1500


def stages(n: int) -> str:
    """``n`` stages from an image, each copying from the one before (independent stages: an edit
    re-checks one stage, so the timings below are the server's, not a long chain's re-check)."""
    parts = ["FROM alpine:3.19 AS s0\n"]
    for i in range(1, n):
        parts.append(f"FROM alpine:3.19 AS s{i}\nARG A{i}=x\nCOPY --from=s{i - 1} /a{i} /b\nRUN apk add curl && echo $A{i}\n")
    return "".join(parts)
# The longest a request may take here to get its first answer. The server's own bound is 0.12 s; the
# rest is room for a loaded machine (and, right after didOpen, for the hand-over to pygls).
ANSWER_BOUND = 3.0


def _ask(lsp: LspProcess, method: str, params: dict[str, Any], timeout: float = 60.0) -> tuple[Response, Response, int]:
    """The first answer, the first result (asking again after each ServerCancelled) and how many
    ServerCancelled came in between."""
    first = lsp.response(lsp.send_request(method, params), timeout)
    resp, cancelled = first, 0
    while not resp.ok and (resp.error or {}).get("code") == SERVER_CANCELLED:
        cancelled += 1
        resp = lsp.response(lsp.send_request(method, params), timeout)
    return first, resp, cancelled


def _open_big(lsp: LspProcess) -> tuple[str, float]:
    text = stages(STAGES)
    lsp.initialize()
    t_open = time.monotonic()
    lsp.open(URI, text)
    return text, t_open


def test_a_request_right_after_opening_a_large_file_is_answered_before_its_diagnostics() -> None:
    with LspProcess() as lsp:
        text, t_open = _open_big(lsp)
        last = text.count("\n")
        sent = time.monotonic()
        first, result, _ = _ask(lsp, "textDocument/completion", {"textDocument": {"uri": URI}, "position": {"line": last, "character": 0}})
        assert first.ok or (first.error or {}).get("code") == SERVER_CANCELLED, first.error
        assert first.received - sent < ANSWER_BOUND, f"first answer after {first.received - sent:.2f} s"
        # A real result, computed from the parse before the rules are done.
        assert result.ok, result.error
        assert "FROM" in {item["label"] for item in result.result["items"]}
        lsp.wait_diagnostics(URI, 1, timeout=120)
        published = lsp.first_diagnostics_at[URI]
        assert result.received < published, (
            f"completion answered {result.received - t_open:.2f} s after didOpen, "
            f"diagnostics {published - t_open:.2f} s after it"
        )
        assert lsp.diagnostics[URI]["diagnostics"], "the rules found nothing in 1,500 stages"
        assert lsp.tracebacks() == [] and lsp.violations == []


def test_requests_during_the_rules_after_an_edit_are_answered_and_nothing_stale_is_published() -> None:
    with LspProcess() as lsp:
        text, _ = _open_big(lsp)
        lsp.wait_diagnostics(URI, 1, timeout=120)
        # Three quick edits (ENV lines at the end), then hovers while the rules re-run.
        last = text.count("\n")
        for version in (2, 3, 4):
            pos = {"line": last + version - 2, "character": 0}
            lsp.change(URI, version, [{"range": {"start": pos, "end": pos}, "text": f"ENV V{version}=1\n"}])
        hover = {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}}
        sent = time.monotonic()
        first, result, _ = _ask(lsp, "textDocument/hover", hover)
        assert first.received - sent < ANSWER_BOUND, f"first answer after {first.received - sent:.2f} s"
        assert result.ok and result.result is not None, result.error
        lsp.wait_diagnostics(URI, 4, timeout=120)
        final = [m["params"]["version"] for m in lsp.notifications if m["method"] == "textDocument/publishDiagnostics"]
        # Versions only go forward, and the last list is the last version's.
        assert final == sorted(final) and final[-1] == 4, final
        # The hover did not wait for the rules of the new version.
        order = lsp.arrival_order
        assert order.index(("response", result.id)) < len(order) - 1 - order[::-1].index(
            ("notification", "textDocument/publishDiagnostics")
        ), "the hover was answered after the last publish"
        # The final list is the one a fresh server computes for the same text.
        expected = text + "".join(f"ENV V{v}=1\n" for v in (2, 3, 4))
        got = sorted((d["code"], d["range"]["start"]["line"]) for d in lsp.diagnostics[URI]["diagnostics"])
        with LspProcess() as fresh:
            fresh.initialize()
            fresh.open(URI, expected)
            fresh.wait_diagnostics(URI, 1, timeout=120)
            want = sorted((d["code"], d["range"]["start"]["line"]) for d in fresh.diagnostics[URI]["diagnostics"])
        assert got == want
        assert lsp.tracebacks() == [] and lsp.violations == []


def test_a_parked_request_is_answered_content_modified_when_the_document_changes() -> None:
    with LspProcess() as lsp:
        text, _ = _open_big(lsp)
        symbols = lsp.send_request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
        end = {"line": text.count("\n"), "character": 0}
        lsp.change(URI, 2, [{"range": {"start": end, "end": end}, "text": "ENV X=1\n"}])
        resp = lsp.response(symbols, 60)
        # Answered from version 1's model if it was built in time, else cancelled or superseded.
        assert resp.ok or (resp.error or {}).get("code") in (SERVER_CANCELLED, CONTENT_MODIFIED), resp.error
        _, result, _ = _ask(lsp, "textDocument/documentSymbol", {"textDocument": {"uri": URI}})
        assert result.ok and f"s{STAGES - 1}" in {symbol["name"] for symbol in result.result}
        assert lsp.tracebacks() == []


def test_a_pulled_report_waits_for_the_rules_but_other_requests_do_not() -> None:
    caps = {
        "textDocument": {"diagnostic": {"dynamicRegistration": False}, "hover": {}},
        "workspace": {"configuration": True},
    }
    with LspProcess() as lsp:
        text = stages(STAGES)
        lsp.initialize(capabilities=caps)
        lsp.open(URI, text)
        pull = lsp.send_request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
        hover = {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}}
        _, result, _ = _ask(lsp, "textDocument/hover", hover)
        report = lsp.response(pull, 120)
        assert result.ok and result.result is not None
        assert report.ok and report.result["kind"] == "full" and report.result["items"]
        assert result.received < report.received, "the hover waited for the pulled report"
        assert lsp.tracebacks() == []


WHOLE_DOCUMENT = (
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/semanticTokens/full",
    "textDocument/documentLink",
    "textDocument/codeLens",
)


def test_whole_document_results_of_a_big_file_wait_for_their_version_and_follow_edits() -> None:
    """3,000 stages (about 290,000 characters: the analysis thread builds these results, once per
    version, right after the model); the rules are skipped (a low maxDiagnosedCharacters), so the
    analysis is the parse, the model and these results. Sent right after didOpen, each is answered
    with a result once it is built, not cancelled (VS Code would not ask again for an outline or
    folds); after an edit the answers are the new version's; the outline stops at
    maxItemsComputed, breadth first."""
    n = 3000
    settings = {"maxDiagnosedCharacters": 100_000, "maxItemsComputed": 5000}
    caps = {
        "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": True}, "foldingRange": {}},
        "workspace": {"configuration": True},
    }
    doc = {"textDocument": {"uri": URI}}
    with LspProcess() as lsp:
        lsp.configuration = settings
        lsp.initialize(capabilities=caps, initialization_options=settings)
        text = stages(n)
        assert len(text) > 250_000
        lsp.open(URI, text)
        sent = {method: lsp.send_request(method, doc) for method in WHOLE_DOCUMENT}
        answers = {method: lsp.response(rid, 120) for method, rid in sent.items()}
        for method, resp in answers.items():
            assert resp.ok and resp.result is not None, (method, resp.error)
        outline = answers["textDocument/documentSymbol"].result
        # Every stage (the top level) before any instruction inside one, 5,000 in all.
        assert [s["name"] for s in outline] == [f"s{i}" for i in range(n)]
        assert sum(1 + len(s.get("children", [])) for s in outline) == 5000
        assert answers["textDocument/codeLens"].result and len(answers["textDocument/codeLens"].result) <= 5000
        tokens = answers["textDocument/semanticTokens/full"].result["data"]
        assert len(tokens) % 5 == 0 and len(tokens) > 5 * n
        # A line inserted at the top: the next answers hold the new version's ranges.
        lsp.change(URI, 2, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# top\n"}])
        _, moved, _ = _ask(lsp, "textDocument/documentSymbol", doc, timeout=120)
        assert moved.ok, moved.error
        assert [s["range"]["start"]["line"] for s in moved.result[:3]] == [s["range"]["start"]["line"] + 1 for s in outline[:3]]
        _, folds, _ = _ask(lsp, "textDocument/foldingRange", doc, timeout=120)
        first_folds = answers["textDocument/foldingRange"].result
        assert folds.ok and [f["startLine"] for f in folds.result[:3]] == [f["startLine"] + 1 for f in first_folds[:3]]
        assert lsp.tracebacks() == [] and lsp.violations == []


def test_a_code_action_on_a_big_file_does_not_hold_up_other_requests() -> None:
    """Code actions try every refactoring on the whole file (and formatting reads every
    instruction): on a big document in the request thread. A hover sent after them is answered
    first, and their own answers are a result or ContentModified, never a stale edit."""
    settings = {"maxDiagnosedCharacters": 100_000}
    with LspProcess() as lsp:
        lsp.configuration = settings
        lsp.initialize(initialization_options=settings)
        text = stages(3000)
        lsp.open(URI, text)
        doc = {"textDocument": {"uri": URI}}
        hover = {**doc, "position": {"line": 1, "character": 1}}
        mid = {"line": text.count("\n") // 2, "character": 0}
        # The model is built: a hover past the first lines is answered from it, not from the head
        # (a hover on line 1 is, and came before the model once the parse waited for pygls' import).
        _ask(lsp, "textDocument/hover", {**doc, "position": {**mid, "character": 1}}, timeout=120)
        action = lsp.send_request("textDocument/codeAction", {**doc, "range": {"start": mid, "end": mid}, "context": {"diagnostics": []}})
        fmt = lsp.send_request("textDocument/formatting", {**doc, "options": {"tabSize": 4, "insertSpaces": True}})
        quick = lsp.response(lsp.send_request("textDocument/hover", hover), 60)
        actions, formatted = lsp.response(action, 120), lsp.response(fmt, 120)
        assert quick.ok and quick.result is not None
        assert actions.ok and actions.result, actions.error
        assert formatted.ok, formatted.error
        order = lsp.arrival_order
        assert order.index(("response", quick.id)) < order.index(("response", actions.id)), "the hover waited for the code action"
        # An edit while a code action is computed: the answer is for the version it was asked of
        # (its edits carry that version) or ContentModified.
        action = lsp.send_request("textDocument/codeAction", {**doc, "range": {"start": mid, "end": mid}, "context": {"diagnostics": []}})
        lsp.change(URI, 2, [{"range": {"start": mid, "end": mid}, "text": "# x\n"}])
        resp = lsp.response(action, 120)
        assert resp.ok or (resp.error or {}).get("code") == CONTENT_MODIFIED, resp.error
        for item in resp.result or []:
            for change in (item.get("edit") or {}).get("documentChanges", []):
                assert change["textDocument"]["version"] == 1
        assert lsp.tracebacks() == [] and lsp.violations == []


def test_a_code_action_right_after_an_edit_does_not_swallow_its_diagnostics() -> None:
    """A code action handled before the analysis run of the edit it follows computes that version's
    findings on the loop; the run then found them ready and skipped the rules, and nothing
    published them: the client kept the previous version's list (7 of 10 tries on the code before
    the fix, 0 of 100 after)."""
    text = "FROM alpine:3.19\nRUN apt-get update\nCOPY . /app\nRUN echo $X\n"
    with LspProcess() as lsp:
        lsp.initialize()
        for k in range(20):
            uri = f"file:///tmp/drls-lost-publish/{k}/Dockerfile"
            lsp.open(uri, text)
            at = {"line": 3, "character": 0}
            lsp.change(uri, 2, [{"range": {"start": at, "end": at}, "text": "ENV A=1\n"}])
            action = lsp.send_request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}})
            lsp.wait_diagnostics(uri, 2, timeout=30)
            assert lsp.response(action, 30).ok
            lsp.close_doc(uri)
        assert lsp.tracebacks() == [] and lsp.violations == []
