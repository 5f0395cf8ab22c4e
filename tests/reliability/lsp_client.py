"""A raw, strict JSON-RPC/LSP client over a child process's stdio (standard library only).

Used by the reliability tests and by ``scripts/fuzz/``. Unlike pytest-lsp it never hides what the
server sends: every byte on the server's stdout must belong to a well-formed
``Content-Length`` frame holding a JSON-RPC 2.0 message, or the client records a protocol
violation (:attr:`LspProcess.violations`). It can also send arbitrary bytes and messages (requests
before ``initialize``, after ``shutdown``, malformed params) that a typed client refuses to send.

The reference text model (:class:`ClientDocument`) is written from the LSP specification alone, not
from the server's code, so that the two can be compared: lines end at ``\\n``, ``\\r\\n`` or a lone
``\\r``; a character offset counts UTF-16 code units (or UTF-8 bytes / code points); a position past
the end of a line means the end of that line, and a line past the end means the end of the text.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SERVER_CMD = [sys.executable, "-m", "dockerfile_refactor_ls"]

# JSON-RPC / LSP error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_NOT_INITIALIZED = -32002
REQUEST_CANCELLED = -32800
CONTENT_MODIFIED = -32801
SERVER_CANCELLED = -32802

_HEADER_LINE = re.compile(rb"([A-Za-z-]+): ([^\r\n]*)\r\n")


class ProtocolViolation(AssertionError):
    pass


class ServerGone(AssertionError):
    pass


def frame(obj: Any) -> bytes:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class FrameParser:
    """Incremental, strict parser of LSP base-protocol frames.

    Accepts only ``Content-Length`` (required) and ``Content-Type`` headers, each ending in CRLF,
    then an empty CRLF line, then exactly Content-Length bytes of UTF-8 JSON that is a JSON-RPC 2.0
    request, notification or response. Anything else is a violation.
    """

    def __init__(self) -> None:
        self.buf = bytearray()
        self.violations: list[str] = []
        self.total_bytes = 0
        self.frames = 0

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        self.total_bytes += len(data)
        self.buf += data
        out: list[dict[str, Any]] = []
        while True:
            msg = self._one()
            if msg is None:
                return out
            out.append(msg)

    def _one(self) -> dict[str, Any] | None:
        buf = self.buf
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            lead = bytes(buf[:8])
            if len(buf) > 4096 or not b"Content-".startswith(lead):
                self._violate(f"bytes outside any frame: {bytes(buf[:200])!r}")
            return None
        head = bytes(buf[: end + 2])
        if not head.startswith(b"Content-"):
            self._violate(f"bytes outside any frame: {head[:200]!r}")
            return None
        pos = 0
        length: int | None = None
        while pos < len(head):
            m = _HEADER_LINE.match(head, pos)
            if m is None:
                self._violate(f"malformed header block {head[:200]!r}")
                return None
            name, value = m.group(1).decode("ascii"), m.group(2).decode("latin-1")
            if name.lower() == "content-length":
                if not value.isdigit():
                    self._violate(f"bad Content-Length {value!r}")
                    return None
                length = int(value)
            elif name.lower() != "content-type":
                self._violate(f"unexpected header {name!r}")
            pos = m.end()
        if length is None:
            self._violate(f"frame without Content-Length: {head[:200]!r}")
            return None
        start = end + 4
        if len(buf) < start + length:
            return None
        body = bytes(buf[start : start + length])
        del buf[: start + length]
        self.frames += 1
        try:
            msg = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._violate(f"frame body is not UTF-8 JSON ({exc}): {body[:200]!r}", consumed=True)
            return None
        if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0":
            self._violate(f"not a JSON-RPC 2.0 message: {body[:200]!r}", consumed=True)
            return None
        is_request = "method" in msg
        is_response = "id" in msg and ("result" in msg or "error" in msg) and not is_request
        if not (is_request or is_response):
            self._violate(f"neither request, notification nor response: {body[:200]!r}", consumed=True)
        if "error" in msg:
            err = msg["error"]
            if not (isinstance(err, dict) and isinstance(err.get("code"), int) and isinstance(err.get("message"), str)):
                self._violate(f"malformed error object: {body[:200]!r}", consumed=True)
        return msg

    def _violate(self, what: str, consumed: bool = False) -> None:
        """Record a violation; unless the frame was already taken off the buffer (``consumed``),
        resynchronise at the next header so one bad frame does not hide the rest. (Resyncing after
        a consumed frame dropped the next, well-formed one: the protocol fuzzer then waited in
        vain for an answer that had come.)"""
        self.violations.append(what)
        if consumed:
            return
        nxt = self.buf.find(b"Content-Length: ", 1)
        if nxt < 0:
            self.buf.clear()
        else:
            del self.buf[:nxt]


@dataclass
class Response:
    id: Any
    result: Any = None
    error: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    # time.monotonic() when the reader thread read it (not when the test looked at it).
    received: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class LspProcess:
    """A language server child process with a strict reader of its stdout.

    Server-to-client requests are answered at once (``workspace/configuration`` with
    :attr:`configuration`,
    registrations and progress with null, anything else with MethodNotFound). Notifications are kept
    in :attr:`notifications`; the latest diagnostics per uri in :attr:`diagnostics`.
    """

    def __init__(
        self,
        cmd: list[str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        stderr_limit: int = 4_000_000,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self.cmd = cmd or SERVER_CMD
        full_env = dict(os.environ) if env is None else dict(env)
        full_env.setdefault("PYTHONUNBUFFERED", "1")
        self.proc = subprocess.Popen(
            self.cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=full_env,
            preexec_fn=preexec_fn,
        )
        self.pid = self.proc.pid
        self.parser = FrameParser()
        # Each message with the time.monotonic() the reader thread read it at.
        self._inbox: queue.Queue[tuple[float, dict[str, Any]] | None] = queue.Queue()
        self._ids = itertools.count(1)
        self.notifications: list[dict[str, Any]] = []
        # When each of ``notifications`` was read (time.monotonic()).
        self.notification_times: list[float] = []
        self.keep_notifications = True
        self.diagnostics: dict[str, dict[str, Any]] = {}
        self.diagnostics_count = 0
        # When the first publishDiagnostics of each uri was read (time.monotonic()).
        self.first_diagnostics_at: dict[str, float] = {}
        # ("response", id) and ("notification", method), in the order the server sent them.
        self.arrival_order: list[tuple[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        self.responses: dict[Any, Response] = {}
        self._stderr = bytearray()
        self._stderr_limit = stderr_limit
        self.stderr_bytes = 0
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        # Server-to-client requests are answered by the reader thread unless this is False (then
        # the test answers them itself from ``server_requests``).
        self.auto_answer = True
        self.configuration: Any = None  # what workspace/configuration answers for each item
        self._eof = threading.Event()
        self._out_thread = threading.Thread(target=self._read_stdout, name="lsp-stdout", daemon=True)
        self._err_thread = threading.Thread(target=self._read_stderr, name="lsp-stderr", daemon=True)
        self._out_thread.start()
        self._err_thread.start()

    # -- reading ----------------------------------------------------------------------------------

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b""
            if not data:
                break
            # When the bytes arrived, before decoding them: a response of tens of MB takes this
            # client longer to decode than the server took to send it.
            arrived = time.monotonic()
            for msg in self.parser.feed(data):
                # Answer the server's requests at once, as an editor does, from this thread: the
                # server may time out while the test is busy elsewhere.
                if "method" in msg and "id" in msg and self.auto_answer:
                    try:
                        self._answer_server_request(msg)
                    except ServerGone:
                        pass
                self._inbox.put((arrived, msg))
        if self.parser.buf:
            self.parser.violations.append(f"truncated frame at EOF: {bytes(self.parser.buf[:200])!r}")
        self._eof.set()
        self._inbox.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b""
            if not data:
                break
            with self._lock:
                self.stderr_bytes += len(data)
                self._stderr += data
                if len(self._stderr) > self._stderr_limit:
                    del self._stderr[: len(self._stderr) - self._stderr_limit]

    @property
    def stderr(self) -> str:
        with self._lock:
            return self._stderr.decode("utf-8", "replace")

    def tracebacks(self) -> list[str]:
        """Every Python traceback the server logged (each one a bug: the server caught a crash).

        pygls also logs a traceback when a handler deliberately raises a JSON-RPC error (rename of
        something that cannot be renamed answers RequestFailed that way); those are a proper
        response, not a crash, and are left out.
        """
        err = self.stderr
        found = [m.group(0) for m in re.finditer(r"Traceback \(most recent call last\):.*?(?=\n\S|\Z)(?:\n\S[^\n]*)?", err, re.S)]
        return [tb for tb in found if not tb.rstrip().splitlines()[-1].startswith("pygls.exceptions.JsonRpc")]

    @property
    def violations(self) -> list[str]:
        return self.parser.violations

    def _dispatch(self, msg: dict[str, Any], received: float) -> None:
        if "method" in msg:
            if "id" in msg:
                self.server_requests.append(msg)
            else:
                if self.keep_notifications:
                    self.notifications.append(msg)
                    self.notification_times.append(received)
                    self.arrival_order.append(("notification", msg["method"]))
                if msg["method"] == "textDocument/publishDiagnostics":
                    params = msg.get("params") or {}
                    self.diagnostics[params.get("uri")] = params
                    self.first_diagnostics_at.setdefault(params.get("uri"), received)
                    self.diagnostics_count += 1
        else:
            self.arrival_order.append(("response", msg.get("id")))
            self.responses[msg.get("id")] = Response(msg.get("id"), msg.get("result"), msg.get("error"), msg, received)

    def _answer_server_request(self, msg: dict[str, Any]) -> None:
        method = msg["method"]
        if method == "workspace/configuration":
            items = (msg.get("params") or {}).get("items") or []
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": [self.configuration] * len(items)})
        elif method in ("client/registerCapability", "client/unregisterCapability", "window/workDoneProgress/create",
                        "workspace/diagnostic/refresh", "workspace/semanticTokens/refresh",
                        "workspace/inlayHint/refresh", "workspace/codeLens/refresh"):
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        elif method == "workspace/applyEdit":
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": {"applied": False}})
        else:
            self.send({"jsonrpc": "2.0", "id": msg["id"], "error": {"code": METHOD_NOT_FOUND, "message": method}})

    def pump(self, timeout: float) -> bool:
        """Handle incoming messages for up to ``timeout`` seconds (returns False at EOF)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = self._inbox.get(timeout=max(0.0, remaining)) if remaining > 0 else self._inbox.get_nowait()
            except queue.Empty:
                return True
            if msg is None:
                self._inbox.put(None)
                return False
            self._dispatch(msg[1], msg[0])

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}; stderr tail:\n{self.stderr[-3000:]}")
            if not self.pump(min(remaining, 0.05)) and not predicate():
                raise ServerGone(f"server closed stdout while waiting for {what} (exit {self.proc.poll()}); "
                                 f"stderr tail:\n{self.stderr[-3000:]}")

    # -- writing ----------------------------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        try:
            with self._write_lock:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise ServerGone(f"cannot write to the server (exit {self.proc.poll()}): {exc}") from exc

    def send(self, msg: dict[str, Any]) -> None:
        self.send_bytes(frame(msg))

    def notify(self, method: str, params: Any = None) -> None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def send_request(self, method: str, params: Any = None, id: Any = None) -> Any:
        rid = next(self._ids) if id is None else id
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def response(self, rid: Any, timeout: float = 30.0) -> Response:
        self.wait_until(lambda: rid in self.responses, timeout, f"the response to request {rid!r}")
        return self.responses.pop(rid)

    def request(self, method: str, params: Any = None, timeout: float = 30.0) -> Response:
        return self.response(self.send_request(method, params), timeout)

    # -- the usual conversation -------------------------------------------------------------------

    def initialize(
        self,
        root: Path | None = None,
        process_id: int | None = None,
        encodings: list[str] | None = None,
        capabilities: dict[str, Any] | None = None,
        initialization_options: Any = None,
    ) -> dict[str, Any]:
        caps: dict[str, Any] = capabilities or {
            "textDocument": {
                "completion": {"completionItem": {"snippetSupport": True}},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}},
                "publishDiagnostics": {"versionSupport": True},
            },
            "workspace": {"workspaceEdit": {"documentChanges": True}, "configuration": True},
        }
        if encodings is not None:
            caps = dict(caps)
            caps["general"] = {"positionEncodings": encodings}
        params: dict[str, Any] = {"processId": process_id, "capabilities": caps}
        if root is not None:
            uri = root.resolve().as_uri()
            params["rootUri"] = uri
            params["workspaceFolders"] = [{"uri": uri, "name": root.name}]
        else:
            params["rootUri"] = None
        if initialization_options is not None:
            params["initializationOptions"] = initialization_options
        resp = self.request("initialize", params)
        assert resp.ok, resp.error
        self.notify("initialized", {})
        return resp.result  # type: ignore[no-any-return]

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}})

    def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> None:
        self.notify("textDocument/didChange",
                    {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def close_doc(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def wait_diagnostics(self, uri: str, version: int | None = None, timeout: float = 30.0) -> list[dict[str, Any]]:
        def have() -> bool:
            d = self.diagnostics.get(uri)
            return d is not None and (version is None or d.get("version") == version)

        self.wait_until(have, timeout, f"diagnostics of {uri} version {version}")
        return self.diagnostics[uri]["diagnostics"]  # type: ignore[no-any-return]

    def shutdown_and_exit(self, timeout: float = 10.0) -> int:
        resp = self.request("shutdown", None, timeout)
        assert resp.ok, resp.error
        self.notify("exit")
        return self.wait_exit(timeout)

    def wait_exit(self, timeout: float = 10.0) -> int:
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"server did not exit within {timeout}s") from exc
        self._out_thread.join(5)
        self._err_thread.join(5)
        while self.pump(0):
            if self._eof.is_set() and self._inbox.empty():
                break
        return rc

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass

    def __enter__(self) -> LspProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    # -- /proc ------------------------------------------------------------------------------------

    def proc_status(self) -> dict[str, str]:
        out: dict[str, str] = {}
        with open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                k, _, v = line.partition(":")
                out[k] = v.strip()
        return out

    def rss_kib(self) -> int:
        return int(self.proc_status()["VmRSS"].split()[0])

    def threads(self) -> int:
        return int(self.proc_status()["Threads"])


# -- the client's own model of the text, from the specification -----------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")


def unit_len(s: str, encoding: str = "utf-16") -> int:
    if encoding == "utf-16":
        return len(s.encode("utf-16-le", "surrogatepass")) // 2
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s)


def line_spans(text: str) -> list[tuple[int, int]]:
    """(content start, content end) of each line; a text always has at least one line."""
    spans = []
    start = 0
    for m in _BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


class ClientDocument:
    """What an editor holds: text and version, with LSP positions in one encoding."""

    def __init__(self, uri: str, text: str, version: int = 1, encoding: str = "utf-16") -> None:
        self.uri = uri
        self.text = text
        self.version = version
        self.encoding = encoding

    def lines(self) -> list[tuple[int, int]]:
        return line_spans(self.text)

    def offset(self, line: int, character: int) -> int:
        spans = self.lines()
        if line >= len(spans):
            return len(self.text)
        start, end = spans[line]
        col = 0
        i = start
        while i < end and col < character:
            col += unit_len(self.text[i], self.encoding)
            i += 1
        return i

    def position(self, offset: int) -> dict[str, int]:
        for li, (start, end) in enumerate(self.lines()):
            if offset <= end or li == len(self.lines()) - 1:
                return {"line": li, "character": unit_len(self.text[start:min(offset, end)], self.encoding)}
        raise AssertionError("unreachable")

    def line_length(self, line: int) -> int:
        start, end = self.lines()[line]
        return unit_len(self.text[start:end], self.encoding)

    def apply(self, rng: dict[str, Any] | None, new_text: str) -> None:
        if rng is None:
            self.text = new_text
            return
        a = self.offset(rng["start"]["line"], rng["start"]["character"])
        b = self.offset(rng["end"]["line"], rng["end"]["character"])
        if b < a:
            a, b = b, a
        self.text = self.text[:a] + new_text + self.text[b:]

    def range_inside(self, rng: dict[str, Any]) -> bool:
        """Whether a range the server sent names real positions of this text (no clamping needed)."""
        spans = self.lines()
        for key in ("start", "end"):
            p = rng[key]
            if not (0 <= p["line"] < len(spans)):
                return False
            if not (0 <= p["character"] <= self.line_length(p["line"])):
                return False
        s, e = rng["start"], rng["end"]
        return (s["line"], s["character"]) <= (e["line"], e["character"])


def iter_text_edits(result: Any) -> Iterable[tuple[str | None, dict[str, Any]]]:
    """(uri, TextEdit) pairs of a WorkspaceEdit or of a list of TextEdits."""
    if isinstance(result, list):
        for e in result:
            if isinstance(e, dict) and "range" in e and "newText" in e:
                yield None, e
        return
    if not isinstance(result, dict):
        return
    for uri, edits in (result.get("changes") or {}).items():
        for e in edits:
            yield uri, e
    for dc in result.get("documentChanges") or []:
        if isinstance(dc, dict) and "edits" in dc:
            for e in dc["edits"]:
                yield dc["textDocument"]["uri"], e
