"""A hostile client: bad frames over stdio, TCP and WebSocket, each followed by a well-formed request.

Shared by ``test_framing.py`` and ``scripts/fuzz/protocol_fuzz.py``. Each transport is a real one: the
server is ``python -m dockerfile_refactor_ls`` over pipes, or with ``--tcp``/``--ws 127.0.0.1:0``
(the port it picked is read from its log). What it writes is checked by the strict
:class:`~tests.reliability.lsp_client.FrameParser` (stdio, TCP) or must be one JSON-RPC message per
WebSocket frame.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .lsp_client import FrameParser

HOST = "127.0.0.1"
URI = "file:///hostile/Dockerfile"
TEXT = "FROM alpine:3.19 AS base\nRUN apk add --no-cache curl\nWORKDIR app\nCMD curl example.invalid\n"
START_TIMEOUT = 60.0
ANSWER_TIMEOUT = float(os.environ.get("HOSTILE_ANSWER_TIMEOUT", "30"))

PARSE_ERROR = -32700
INVALID_REQUEST = -32600

# What a bad frame must get, besides the well-formed request after it being answered.
ANSWERED = "its request is answered"  # a response with its id (a result or an error)
ANSWERED_OR_PARSE_ERROR = "its request is answered, or a parse error"
PARSE_ERROR_NULL_ID = "a parse error with id null"
INVALID_REQUEST_NULL_ID = "an invalid request error with id null"
NOTHING = "nothing (it is dropped and logged)"


def body_of(msg: dict[str, Any]) -> bytes:
    return json.dumps(msg, separators=(",", ":")).encode("utf-8")


def framed(msg: dict[str, Any]) -> bytes:
    body = body_of(msg)
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def symbols_request(rid: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": URI}}}


@dataclass(frozen=True)
class BadFrame:
    name: str
    data: bytes
    expect: str
    rid: str | None = None  # the id of the request inside it, if any


def stream_cases() -> list[BadFrame]:
    """Bad frames for the Content-Length framed transports (stdio, TCP)."""
    cases: list[BadFrame] = []

    def with_body(name: str, header: bytes, expect: str, body: bytes | None = None) -> None:
        rid = f"bad-{name}"
        cases.append(BadFrame(name, header + (body if body is not None else body_of(symbols_request(rid))), expect, rid))

    n = len(body_of(symbols_request("bad-too_short")))
    with_body("too_short", b"Content-Length: %d\r\n\r\n" % (n - 7), ANSWERED_OR_PARSE_ERROR)
    n = len(body_of(symbols_request("bad-too_long")))
    with_body("too_long", b"Content-Length: %d\r\n\r\n" % (n + 40), ANSWERED)
    with_body("far_too_long", b"Content-Length: 5000000\r\n\r\n", ANSWERED)
    with_body("negative", b"Content-Length: -12\r\n\r\n", ANSWERED)
    with_body("not_a_number", b"Content-Length: twelve\r\n\r\n", ANSWERED)
    with_body("no_length", b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n", ANSWERED)
    with_body("two_lengths", b"Content-Length: 3\r\nContent-Length: 4\r\n\r\n", ANSWERED)
    n = len(body_of(symbols_request("bad-lowercase_lf")))
    with_body("lowercase_lf", b"content-length: %d\ncontent-type: application/vscode-jsonrpc\n\n" % n, ANSWERED)
    cases.append(BadFrame("huge_length", b"Content-Length: 1000000000000\r\n\r\n" + body_of(symbols_request("x")), NOTHING))
    cases.append(BadFrame("length_of_5000_digits", b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n{}", NOTHING))
    cases.append(BadFrame("not_json", b"Content-Length: 5\r\n\r\n{{{{{", PARSE_ERROR_NULL_ID))
    cases.append(BadFrame("not_utf8", b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc", PARSE_ERROR_NULL_ID))
    cases.append(BadFrame("json_array", b"Content-Length: 7\r\n\r\n[1,2,3]", INVALID_REQUEST_NULL_ID))
    cases.append(BadFrame("json_number", b"Content-Length: 2\r\n\r\n42", INVALID_REQUEST_NULL_ID))
    cases.append(BadFrame("garbage", b"\x00\x01\x02 hello, no header here\r\n\r\n}}}", NOTHING))
    cases.append(BadFrame("header_without_colon", b"Content-Length 12\r\n\r\n", NOTHING))
    cases.append(BadFrame("endless_header", b"X-Junk: " + b"a" * 20000, NOTHING))
    return cases


def ws_cases() -> list[BadFrame]:
    """Bad WebSocket messages (one per frame; ``data`` is sent as a text frame if it is UTF-8)."""
    n = len(body_of(symbols_request("bad-ws_too_short")))
    return [
        BadFrame("ws_not_json", b"{{{{{", PARSE_ERROR_NULL_ID),
        BadFrame("ws_empty", b"", PARSE_ERROR_NULL_ID),
        BadFrame("ws_binary_not_utf8", b"\xff\xfe\xfd", PARSE_ERROR_NULL_ID),
        BadFrame("ws_array", b"[1,2,3]", INVALID_REQUEST_NULL_ID),
        BadFrame(
            "ws_headers_too_short",
            b"Content-Length: %d\r\n\r\n" % (n - 7) + body_of(symbols_request("bad-ws_too_short")),
            ANSWERED_OR_PARSE_ERROR,
            "bad-ws_too_short",
        ),
        BadFrame(
            "ws_headers_negative",
            b"Content-Length: -1\r\n\r\n" + body_of(symbols_request("bad-ws_negative")),
            ANSWERED,
            "bad-ws_negative",
        ),
        BadFrame("ws_no_jsonrpc", b'{"id": "bad-ws_no_jsonrpc", "method": "x"}', "an invalid request error with its id", "bad-ws_no_jsonrpc"),
    ]


# -- the server -----------------------------------------------------------------------------------


class ServerProcess:
    """``python -m dockerfile_refactor_ls`` with its stderr in a file; TCP and WS listen on port 0."""

    def __init__(self, transport: str, log_dir: Path, extra: list[str] | None = None) -> None:
        self.transport = transport
        self.log_path = log_dir / f"server-{transport}-{os.getpid()}-{next(_counter)}.log"
        self._log = open(self.log_path, "wb")  # closed in stop()
        args = [sys.executable, "-m", "dockerfile_refactor_ls", "--log-level", "info", *(extra or [])]
        if transport != "stdio":
            args += [f"--{transport}", f"{HOST}:0"]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE if transport == "stdio" else subprocess.DEVNULL,
            stdout=subprocess.PIPE if transport == "stdio" else subprocess.DEVNULL,
            stderr=self._log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.port = 0 if transport == "stdio" else self._wait_for_port()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            m = re.search(r"serving LSP over \S+ on 127\.0\.0\.1:(\d+)", self.log())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            time.sleep(0.05)
        raise AssertionError(f"the server did not listen within {START_TIMEOUT} s:\n{self.log()[-3000:]}")

    def rss_kib(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        self._log.close()


_counter = itertools.count()


# -- clients --------------------------------------------------------------------------------------


class Client:
    """A JSON-RPC client over one connection; a thread reads and queues what the server sends."""

    framed = True

    def __init__(self) -> None:
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.closed = threading.Event()
        self._ids = itertools.count(1)

    # transport-specific
    def send_raw(self, data: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _deliver(self, msg: dict[str, Any]) -> None:
        if "method" in msg and "id" in msg:  # the server asks (workspace/configuration...): answer
            try:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            except OSError:
                pass
        self.inbox.put(msg)

    def send(self, msg: dict[str, Any]) -> None:
        self.send_raw(framed(msg) if self.framed else body_of(msg))

    def wait_for(self, pred: Callable[[dict[str, Any]], bool], timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        for msg in self.received:
            if pred(msg):
                self.received.remove(msg)
                return msg
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching message within {timeout} s")
            try:
                msg = self.inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if msg is None:
                self.inbox.put(None)
                raise EOFError("the server closed the connection")
            if pred(msg):
                return msg
            self.received.append(msg)

    def response(self, rid: Any, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        return self.wait_for(lambda m: "method" not in m and m.get("id") == rid, timeout)

    def request(self, method: str, params: Any, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        rid = next(self._ids)
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.response(rid, timeout)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def start_session(self, text: str = TEXT) -> list[dict[str, Any]]:
        """initialize, initialized, didOpen; the document's first diagnostics."""
        reply = self.request(
            "initialize",
            {"processId": None, "rootUri": None, "capabilities": {}, "clientInfo": {"name": "hostile"}},
            timeout=START_TIMEOUT,
        )
        assert reply["result"]["serverInfo"]["name"] == "dockerfile-refactor-ls", reply
        self.notify("initialized", {})
        self.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}})
        diags = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == URI)
        return list(diags["params"]["diagnostics"])

    def well_formed_request(self, timeout: float = ANSWER_TIMEOUT) -> tuple[dict[str, Any], float]:
        """documentSymbol on the open document; its response and how long it took."""
        start = time.monotonic()
        reply = self.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}}, timeout)
        return reply, time.monotonic() - start

    def pending(self) -> list[dict[str, Any]]:
        """What has arrived and was not waited for."""
        while True:
            try:
                msg = self.inbox.get_nowait()
            except queue.Empty:
                break
            if msg is None:
                self.inbox.put(None)
                break
            self.received.append(msg)
        return self.received


class _StreamClient(Client):
    def __init__(self) -> None:
        super().__init__()
        self.parser = FrameParser()

    def _pump(self, read: Callable[[], bytes]) -> None:
        while True:
            try:
                data = read()
            except OSError:
                data = b""
            if not data:
                break
            for msg in self.parser.feed(data):
                self._deliver(msg)
        self.violations = self.parser.violations
        self.closed.set()
        self.inbox.put(None)


class StdioClient(_StreamClient):
    def __init__(self, server: ServerProcess) -> None:
        super().__init__()
        self.proc = server.proc
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        threading.Thread(target=self._pump, args=(lambda: os.read(fd, 1 << 16),), daemon=True).start()

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()


class TcpClient(_StreamClient):
    def __init__(self, port: int) -> None:
        super().__init__()
        self.sock = socket.create_connection((HOST, port), timeout=10)
        self.sock.settimeout(None)
        threading.Thread(target=self._pump, args=(lambda: self.sock.recv(1 << 16),), daemon=True).start()

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class WsClient(Client):
    framed = False

    def __init__(self, port: int) -> None:
        super().__init__()
        from websockets.sync.client import connect

        self.ws = connect(f"ws://{HOST}:{port}", open_timeout=20, max_size=None).__enter__()
        self.close_code: int | None = None
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                data = self.ws.recv()
            except ConnectionClosed as exc:
                self.close_code = exc.rcvd.code if exc.rcvd is not None else None
                break
            try:
                msg = json.loads(data)
            except ValueError:
                self.violations.append(f"not JSON: {data[:200]!r}")
                continue
            if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0":
                self.violations.append(f"not a JSON-RPC message: {data[:200]!r}")
                continue
            self._deliver(msg)
        self.closed.set()
        self.inbox.put(None)

    def send_raw(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.ws.send(data)  # a binary frame
            return
        self.ws.send(text)

    def close(self) -> None:
        self.ws.close()


def connect(server: ServerProcess) -> Client:
    if server.transport == "stdio":
        return StdioClient(server)
    if server.transport == "tcp":
        return TcpClient(server.port)
    return WsClient(server.port)


# -- checking -------------------------------------------------------------------------------------


def check_bad_frame(client: Client, case: BadFrame, glued: bool) -> float:
    """Send ``case`` then a well-formed request (in one write if ``glued``); the seconds to its answer.

    Raises AssertionError when the request is not answered or the bad frame did not get ``case.expect``.
    """
    ping = symbols_request(f"ping-{case.name}-{int(glued)}")
    after = framed(ping) if client.framed else body_of(ping)
    start = time.monotonic()
    if glued and client.framed:
        client.send_raw(case.data + after)
    else:
        client.send_raw(case.data)
        client.send_raw(after)
    try:
        reply = client.response(ping["id"])
    except (TimeoutError, EOFError) as exc:
        raise AssertionError(f"{case.name}: the request after it was not answered ({exc})") from exc
    took = time.monotonic() - start
    assert "result" in reply and isinstance(reply["result"], list) and reply["result"], (case.name, reply)
    got = client.pending()
    own = [m for m in got if case.rid is not None and m.get("id") == case.rid and "method" not in m]
    errors = [m for m in got if m.get("id") is None and "error" in m]
    codes = [m["error"]["code"] for m in errors]
    if case.expect == ANSWERED:
        assert len(own) == 1 and not errors, (case.name, got)
    elif case.expect == ANSWERED_OR_PARSE_ERROR:
        assert (len(own) == 1 and not errors) or (not own and codes == [PARSE_ERROR]), (case.name, got)
    elif case.expect == PARSE_ERROR_NULL_ID:
        assert codes == [PARSE_ERROR] and not own, (case.name, got)
    elif case.expect == INVALID_REQUEST_NULL_ID:
        assert codes == [INVALID_REQUEST] and not own, (case.name, got)
    elif case.expect == NOTHING:
        assert not errors and not own, (case.name, got)
    else:  # an invalid request error with its id
        assert len(own) == 1 and own[0]["error"]["code"] == INVALID_REQUEST, (case.name, got)
    for m in own + errors:
        got.remove(m)
    # Left over: only notifications the server may send (showMessage about an oversize message).
    assert all(m.get("method") in ("window/showMessage", "window/logMessage", "textDocument/publishDiagnostics") for m in got), (case.name, got)
    got.clear()
    return took
