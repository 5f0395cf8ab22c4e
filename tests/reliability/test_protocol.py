"""Protocol misuse, end to end over stdio with a raw JSON-RPC client.

Each test starts ``python -m dockerfile_refactor_ls`` and speaks bytes to it; every byte the server
writes to stdout must belong to a well-formed Content-Length frame (``LspProcess.violations``).
Tests marked ``xfail(strict=True)`` document a known deviation from the specification: they flip
to a failure (to be unmarked) as soon as the server is fixed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .lsp_client import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    REQUEST_CANCELLED,
    SERVER_NOT_INITIALIZED,
    ClientDocument,
    FrameParser,
    LspProcess,
    ServerGone,
    frame,
    unit_len,
)

URI = "file:///tmp/drls-protocol/Dockerfile"
TEXT = "FROM alpine AS base\nCOPY --chown=é😀 --from=é😀nope a b\nWORKDIR é😀rel\n\tWORKDIR 😀/../é\r\nMAINTAINER x\n"


def _pos(line: int = 0, character: int = 0) -> dict[str, int]:
    return {"line": line, "character": character}


def _td(uri: str = URI) -> dict[str, str]:
    return {"uri": uri}


def _assert_clean(srv: LspProcess) -> None:
    assert srv.violations == [], srv.violations
    assert srv.tracebacks() == [], "\n\n".join(srv.tracebacks())


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[LspProcess]:
    """A server that has not been initialized."""
    with LspProcess(cwd=tmp_path) as srv:
        yield srv


@pytest.fixture
def srv(raw: LspProcess) -> LspProcess:
    raw.initialize()
    raw.open(URI, TEXT)
    raw.wait_diagnostics(URI, 1)
    return raw


# -- before initialize ----------------------------------------------------------------------------


def test_survives_requests_before_initialize_and_then_initializes(raw: LspProcess) -> None:
    for method, params in [
        ("textDocument/completion", {"textDocument": _td(), "position": _pos()}),
        ("textDocument/hover", {"textDocument": _td(), "position": _pos()}),
        ("textDocument/codeAction", {"textDocument": _td(), "range": {"start": _pos(), "end": _pos()}, "context": {"diagnostics": []}}),
    ]:
        resp = raw.request(method, params, timeout=20)
        assert resp.result is None or resp.error is not None
    raw.initialize()
    raw.open(URI, TEXT)
    assert raw.wait_diagnostics(URI, 1)
    assert raw.shutdown_and_exit() == 0
    assert raw.violations == []


def test_requests_before_initialize_fail_with_server_not_initialized(raw: LspProcess) -> None:
    for method in ("textDocument/completion", "textDocument/hover", "textDocument/documentSymbol"):
        resp = raw.request(method, {"textDocument": _td(), "position": _pos()}, timeout=20)
        assert resp.error is not None and resp.error["code"] == SERVER_NOT_INITIALIZED, (method, resp.raw)


def test_notifications_before_initialize_are_dropped(raw: LspProcess) -> None:
    raw.open(URI, TEXT)
    raw.request("foo/sync", {}, timeout=30)  # any request: its response orders everything before it
    assert URI not in raw.diagnostics


def test_shutdown_before_initialize_is_refused(raw: LspProcess) -> None:
    resp = raw.request("shutdown", None, timeout=20)
    assert resp.error is not None and resp.error["code"] == SERVER_NOT_INITIALIZED


def test_exit_before_initialize_ends_the_server(raw: LspProcess) -> None:
    raw.notify("exit")
    assert raw.wait_exit(20) in (0, 1)
    assert raw.violations == []


# -- unknown methods, bad params, bad frames -------------------------------------------------------


def test_unknown_request_is_method_not_found(srv: LspProcess) -> None:
    for method in ("foo/bar", "textDocument/noSuchThing", "$/unknownRequest", ""):
        resp = srv.request(method, {"x": 1}, timeout=20)
        assert resp.error is not None and resp.error["code"] == METHOD_NOT_FOUND, (method, resp.raw)
    _assert_clean(srv)


def test_a_request_with_a_null_id_is_answered_with_a_null_id(srv: LspProcess) -> None:
    # Found by the protocol fuzzer: pygls left the id out of such an error response, which JSON-RPC
    # 2.0 forbids; the strict parser then took it for neither a response nor a request.
    srv.send_bytes(frame({"jsonrpc": "2.0", "id": None, "method": "no/such/method", "params": {}}))
    _ping(srv)
    assert None in srv.responses, "no response to a request whose id is null"
    assert srv.responses[None].error["code"] == METHOD_NOT_FOUND  # type: ignore[index]
    assert srv.violations == []
    _assert_clean(srv)


def test_the_strict_parser_keeps_the_frame_after_a_bad_message() -> None:
    # A frame already read whole (well framed, bad content) must not take the next one with it:
    # it did, and the protocol fuzzer waited 10 s for an answer the server had sent.
    parser = FrameParser()
    bad = frame({"jsonrpc": "2.0", "error": {"code": -32601, "message": "m"}})
    good = frame({"jsonrpc": "2.0", "id": 7, "result": None})
    got = parser.feed(bad + good)
    assert [m.get("id") for m in got] == [None, 7]
    assert len(parser.violations) == 1 and "neither request" in parser.violations[0]


def test_unknown_notifications_are_ignored(srv: LspProcess) -> None:
    srv.notify("$/somethingOptional", {"a": 1})
    srv.notify("custom/notification", [1, 2, 3])
    srv.notify("$/setTrace", {"value": "verbose"})
    srv.notify("$/progress", {"token": "x", "value": {"kind": "end"}})
    assert srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos(1, 5)}).ok
    _assert_clean(srv)


@pytest.mark.parametrize(
    "method,params",
    [
        ("textDocument/completion", {"foo": 1}),
        ("textDocument/hover", {"textDocument": _td(), "position": {"line": -1, "character": "x"}}),
        ("textDocument/codeAction", {"textDocument": _td(), "range": None, "context": {}}),
        ("textDocument/documentSymbol", []),
    ],
)
def test_invalid_params_get_an_error_response(srv: LspProcess, method: str, params: Any) -> None:
    rid = srv.send_request(method, params)
    _ping(srv)  # requests are answered in order: once the ping is answered, so must the bad one be
    assert rid in srv.responses, f"no response to {method} with invalid params"
    resp = srv.responses[rid]
    assert resp.error is not None and resp.error["code"] in (INVALID_PARAMS, INVALID_REQUEST), resp.raw


def test_invalid_params_do_not_kill_the_server(srv: LspProcess) -> None:
    srv.send_request("textDocument/completion", {"foo": 1})
    srv.send_request("textDocument/hover", {"textDocument": _td(), "position": {"line": -1, "character": "x"}})
    srv.notify("textDocument/didChange", {"textDocument": {"uri": URI}, "contentChanges": "nope"})
    srv.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
    resp = srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos(1, 5)})
    assert resp.ok
    assert srv.violations == []


def test_garbage_frames_do_not_kill_the_server(srv: LspProcess) -> None:
    bodies = [
        b"{{{{{",
        b"[]",
        b"1",
        b"null",
        b'{"jsonrpc":"1.0","id":"junk-1","method":"x"}',
        b'"just string"',
        b'{"jsonrpc":"2.0","id":{},"a":1}',
        b'{"jsonrpc":"2.0","method":"initialized","x"',
        b'{"jsonrpc":"2.0","id":"junk-2","result":null}',
        b'{"jsonrpc":"2.0","id":"junk-3","error":{"code":1,"message":"m"}}',
        b"\xff\xfe not utf-8",
    ]
    for junk in (
        *(b"Content-Length: %d\r\n\r\n" % len(b) + b for b in bodies),
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
    ):
        srv.send_bytes(junk)
        resp = srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos(1, 5)})
        assert resp.ok, junk
    assert srv.proc.poll() is None
    assert srv.violations == []


def test_unparsable_json_gets_a_parse_error(srv: LspProcess) -> None:
    srv.send_bytes(b"Content-Length: 5\r\n\r\n{{{{{")
    _ping(srv)
    assert None in srv.responses, "no response to a frame that is not JSON"
    assert srv.responses[None].error["code"] == PARSE_ERROR  # type: ignore[index]


def test_positions_beyond_the_end_are_clamped(srv: LspProcess) -> None:
    far = [_pos(10**6, 0), _pos(0, 10**6), _pos(4, 10**9), _pos(2**31 - 1, 2**31 - 1)]
    doc = ClientDocument(URI, TEXT)
    for p in far:
        for method, params in [
            ("textDocument/completion", {"textDocument": _td(), "position": p}),
            ("textDocument/hover", {"textDocument": _td(), "position": p}),
            ("textDocument/definition", {"textDocument": _td(), "position": p}),
            ("textDocument/references", {"textDocument": _td(), "position": p, "context": {"includeDeclaration": True}}),
            ("textDocument/codeAction", {"textDocument": _td(), "range": {"start": _pos(), "end": p}, "context": {"diagnostics": []}}),
            ("textDocument/codeAction", {"textDocument": _td(), "range": {"start": p, "end": p}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
            ("textDocument/rangeFormatting", {"textDocument": _td(), "range": {"start": _pos(), "end": p}, "options": {"tabSize": 4, "insertSpaces": True}}),
        ]:
            resp = srv.request(method, params)
            assert resp.error is None or resp.error["code"] == METHOD_NOT_FOUND, (method, p, resp.raw)
            from .edit_driver import check_response

            assert check_response(method, resp, doc) == []
    # A change past the end appends at the end, as the specification's clamping implies.
    srv.change(URI, 2, [{"range": {"start": _pos(10**6, 0), "end": _pos(10**6, 5)}, "text": "USER 0\n"}])
    doc.apply({"start": _pos(10**6, 0), "end": _pos(10**6, 5)}, "USER 0\n")
    assert doc.text == TEXT + "USER 0\n"
    _fresh_equal(srv, srv.wait_diagnostics(URI, 2), doc.text)
    _assert_clean(srv)


def _ping(srv: LspProcess) -> None:
    assert srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos()}).ok


def _fresh_equal(srv: LspProcess, diagnostics: list[dict[str, Any]], text: str, n: list[int] = [0]) -> None:  # noqa: B006
    n[0] += 1
    uri = f"file:///tmp/drls-protocol/fresh{n[0]}/Dockerfile"
    srv.open(uri, text)
    # ShellCheck's findings arrive in a later publish, whenever its worker is done (see
    # tests/lsp/test_shellcheck_background.py): compare the rest, which each version must carry.
    def sync(ds: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in ds if not str(d.get("code", "")).startswith("SC")]

    assert sync(diagnostics) == sync(srv.wait_diagnostics(uri, 1))
    srv.close_doc(uri)


# -- document lifecycle misuse ---------------------------------------------------------------------


def test_did_change_for_an_unopened_document(srv: LspProcess) -> None:
    other = "file:///tmp/drls-protocol/never-opened/Dockerfile"
    srv.change(other, 2, [{"range": {"start": _pos(), "end": _pos()}, "text": "FROM x\n"}])
    srv.change(other, 3, [{"text": "FROM y\n"}])
    srv.close_doc(other)
    resp = srv.request("textDocument/completion", {"textDocument": _td(other), "position": _pos()})
    assert resp.ok and not (resp.result or {}).get("items")
    resp = srv.request("textDocument/codeAction", {"textDocument": _td(other), "range": {"start": _pos(), "end": _pos()}, "context": {"diagnostics": []}})
    assert resp.error is None or resp.error["code"] != -32603
    assert not srv.diagnostics.get(other, {}).get("diagnostics")
    _assert_clean(srv)


def test_version_regression_still_applies_the_text(srv: LspProcess) -> None:
    doc = ClientDocument(URI, TEXT)
    for version, change in [(7, {"range": {"start": _pos(4, 0), "end": _pos(4, 10)}, "text": "USER"}),
                            (3, {"range": {"start": _pos(0, 0), "end": _pos(0, 4)}, "text": "from"}),
                            (3, {"range": {"start": _pos(2, 8), "end": _pos(2, 8)}, "text": "/"})]:
        srv.change(URI, version, [change])
        doc.apply(change["range"], change["text"])
    _fresh_equal(srv, srv.wait_diagnostics(URI, 3), doc.text)
    _assert_clean(srv)


def test_reopen_and_double_close(srv: LspProcess) -> None:
    del srv.diagnostics[URI]
    srv.open(URI, "FROM b\nWORKDIR rel\n", 1)  # open again without close: the new text wins
    diags = srv.wait_diagnostics(URI, 1)
    _fresh_equal(srv, diags, "FROM b\nWORKDIR rel\n")
    srv.close_doc(URI)
    srv.close_doc(URI)
    assert srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos()}).ok
    _assert_clean(srv)


def test_cancel_request(srv: LspProcess) -> None:
    big = TEXT + "RUN apt-get install -y curl && cd /x\n" * 300
    srv.change(URI, 2, [{"text": big}])
    ids = []
    for rid in (101, "str-id", 103):
        srv.send_request("textDocument/codeAction",
                         {"textDocument": _td(), "range": {"start": _pos(), "end": _pos(10**6)}, "context": {"diagnostics": []}},
                         id=rid)
        srv.notify("$/cancelRequest", {"id": rid})
        ids.append(rid)
    srv.notify("$/cancelRequest", {"id": 999999})  # unknown id: ignored
    for rid in ids:
        resp = srv.response(rid, timeout=120)
        assert resp.error is None or resp.error["code"] == REQUEST_CANCELLED, resp.raw
    srv.pump(0.2)
    assert not [r for r in srv.responses if r in ids], "a request answered twice"
    assert srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos()}).ok
    _assert_clean(srv)


# -- shutdown and exit -----------------------------------------------------------------------------


def test_exit_after_shutdown_exits_zero(srv: LspProcess) -> None:
    assert srv.shutdown_and_exit() == 0
    _assert_clean(srv)


def test_exit_without_shutdown_exits_one(srv: LspProcess) -> None:
    srv.notify("exit")
    assert srv.wait_exit(20) == 1


def test_exit_without_shutdown_ends_the_server(srv: LspProcess) -> None:
    srv.notify("exit")
    assert srv.wait_exit(20) in (0, 1)
    _assert_clean(srv)


def test_requests_after_shutdown_are_invalid_request(srv: LspProcess) -> None:
    assert srv.request("shutdown").ok
    resp = srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos()}, timeout=8)
    assert resp.error is not None and resp.error["code"] == INVALID_REQUEST


def test_after_shutdown_exit_still_works(srv: LspProcess) -> None:
    assert srv.request("shutdown").ok
    srv.send_request("textDocument/completion", {"textDocument": _td(), "position": _pos()})
    srv.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 9}, "contentChanges": [{"text": ""}]})
    srv.notify("exit")
    assert srv.wait_exit(20) == 0
    _assert_clean(srv)


def test_stdin_closed_without_exit_ends_the_server(srv: LspProcess) -> None:
    assert srv.proc.stdin is not None
    srv.proc.stdin.close()
    srv.wait_exit(20)
    _assert_clean(srv)


def test_truncated_frame_then_eof(srv: LspProcess) -> None:
    srv.send_bytes(b"Content-Length: 1000\r\n\r\n{\"jsonrpc\":")
    assert srv.proc.stdin is not None
    srv.proc.stdin.close()
    srv.wait_exit(20)
    assert srv.violations == []


# -- position encodings ------------------------------------------------------------------------------


def _expected_ranges(text: str, encoding: str) -> dict[str, list[dict[str, Any]]]:
    """The ranges the findings on TEXT must have, computed by the client from substrings."""
    doc = ClientDocument(URI, text, 1, encoding)

    def rng(needle: str, start_at: int = 0) -> dict[str, Any]:
        a = text.index(needle, start_at)
        return {"start": doc.position(a), "end": doc.position(a + len(needle))}

    first_workdir = text.index("WORKDIR")
    return {
        "UnknownCopyFromStage": [rng("é😀nope")],
        # BuildKit reports only the first relative WORKDIR of a stage: after it the working
        # directory is set, so the second is relative to a known path.
        "WorkdirRelativePath": [rng("é😀rel", first_workdir)],
        "MaintainerDeprecated": [rng("MAINTAINER")],
    }


@pytest.mark.parametrize("offer,expected", [(None, "utf-16"), (["utf-16"], "utf-16"), (["utf-8"], "utf-8"),
                                            (["utf-32"], "utf-32"), (["utf-32", "utf-8"], None), (["latin-1"], "utf-16")])
def test_position_encodings(raw: LspProcess, offer: list[str] | None, expected: str | None) -> None:
    result = raw.initialize(encodings=offer)
    chosen = result["capabilities"].get("positionEncoding", "utf-16")
    if expected is not None:
        assert chosen == expected
    else:
        assert chosen in offer  # type: ignore[operator]
    raw.open(URI, TEXT)
    diags = raw.wait_diagnostics(URI, 1)
    got: dict[str, list[dict[str, Any]]] = {}
    for d in diags:
        got.setdefault(d["code"], []).append(d["range"])
    for code, ranges in _expected_ranges(TEXT, chosen).items():
        assert got.get(code) == ranges, (code, chosen, got.get(code), ranges)
    # The line with é and 😀 is measured in the chosen unit: check its length through a far position.
    line = TEXT.split("\n")[1]
    resp = raw.request("textDocument/codeAction", {
        "textDocument": _td(), "range": {"start": _pos(1, 0), "end": _pos(1, 10**6)}, "context": {"diagnostics": []}})
    assert resp.ok
    assert unit_len(line, chosen) > len(line) or chosen == "utf-32"
    # An edit right after the emoji, in the chosen unit, lands after the emoji.
    col = unit_len(line[: line.index("😀") + 1], chosen)
    raw.change(URI, 2, [{"range": {"start": _pos(1, col), "end": _pos(1, col)}, "text": "X"}])
    new_text = TEXT.replace("é😀 --from", "é😀X --from", 1)
    _fresh_equal(raw, raw.wait_diagnostics(URI, 2), new_text)
    ours = ClientDocument(URI, TEXT, 1, chosen)
    ours.apply({"start": _pos(1, col), "end": _pos(1, col)}, "X")
    assert ours.text == new_text
    _assert_clean(raw)


def test_stdout_carries_only_frames_even_with_debug_logging(tmp_path: Path) -> None:
    import sys

    with LspProcess(cmd=[sys.executable, "-m", "dockerfile_refactor_ls", "--log-level", "debug"], cwd=tmp_path) as srv:
        srv.initialize()
        srv.open(URI, TEXT)
        srv.wait_diagnostics(URI, 1)
        for method, params in [
            ("textDocument/completion", {"textDocument": _td(), "position": _pos(1, 3)}),
            ("textDocument/hover", {"textDocument": _td(), "position": _pos(1, 1)}),
            ("textDocument/codeAction", {"textDocument": _td(), "range": {"start": _pos(), "end": _pos(9)}, "context": {"diagnostics": []}}),
            ("textDocument/formatting", {"textDocument": _td(), "options": {"tabSize": 4, "insertSpaces": True}}),
            ("textDocument/documentSymbol", {"textDocument": _td()}),
            ("workspace/executeCommand", {"command": "nope", "arguments": []}),
        ]:
            srv.request(method, params)
        assert srv.shutdown_and_exit() == 0
        assert srv.stderr_bytes > 0  # the debug log went somewhere, and not to stdout
        assert srv.violations == []
        assert srv.parser.frames > 5


def test_server_gone_is_reported_not_hung(tmp_path: Path) -> None:
    """The client side of the harness: a dead server raises ServerGone instead of hanging."""
    with LspProcess(cwd=tmp_path) as srv:
        srv.initialize()
        srv.proc.kill()
        srv.proc.wait(10)
        with pytest.raises((ServerGone, TimeoutError)):
            srv.request("textDocument/completion", {"textDocument": _td(), "position": _pos()}, timeout=10)


def test_frames_parser_flags_pollution() -> None:
    from .lsp_client import FrameParser

    p = FrameParser()
    ok = json.dumps({"jsonrpc": "2.0", "method": "x"}).encode()
    msgs = p.feed(b"Content-Length: %d\r\n\r\n" % len(ok) + ok)
    assert len(msgs) == 1 and p.violations == []
    p.feed(b"hello from print()\n")
    assert p.violations


# -- the server's own requests ---------------------------------------------------------------------

WORKDIR_DOC = "FROM alpine\nWORKDIR rel\n"


def _unanswered_configuration(raw: LspProcess) -> dict[str, Any]:
    raw.auto_answer = False
    raw.initialize()
    raw.open(URI, WORKDIR_DOC)
    # Without an answer the server must not hold diagnostics forever.
    diags = raw.wait_diagnostics(URI, 1, timeout=60)
    assert any(d["code"] == "WorkdirRelativePath" for d in diags)
    requests = [m for m in raw.server_requests if m["method"] == "workspace/configuration"]
    assert requests, "the server never asked for its configuration"
    return requests[0]


def test_unanswered_configuration_request_does_not_block_diagnostics(raw: LspProcess) -> None:
    _unanswered_configuration(raw)
    assert raw.shutdown_and_exit() == 0


def test_late_configuration_answer_is_applied(raw: LspProcess) -> None:
    req = _unanswered_configuration(raw)
    raw.send({"jsonrpc": "2.0", "id": req["id"], "result": [{"rules": {"ignore": ["WorkdirRelativePath"]}}]})
    _ping(raw)
    assert raw.tracebacks() == [], "\n\n".join(raw.tracebacks())
    raw.wait_until(lambda: not any(d["code"] == "WorkdirRelativePath" for d in raw.diagnostics[URI]["diagnostics"]),
                   30, "diagnostics that apply the late settings")


def test_configuration_answer_is_applied(raw: LspProcess) -> None:
    raw.configuration = {"rules": {"ignore": ["WorkdirRelativePath"]}}
    raw.initialize()
    raw.open(URI, WORKDIR_DOC)
    assert not any(d["code"] == "WorkdirRelativePath" for d in raw.wait_diagnostics(URI, 1))
    _assert_clean(raw)
