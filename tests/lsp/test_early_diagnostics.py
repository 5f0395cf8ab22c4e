"""The first diagnostics, published by fast_start before pygls is loaded, are the server's own.

Each test drives the real executable over stdio, message by message, and compares what it gets
with a run that has the fast start turned off.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from dockerfile_refactor_ls.fast_start import (
    DISABLE_ENV,
    EARLY_CONFIGURATION_ID,
    EARLY_DIAGNOSE_CHARS,
    read_message,
)
from dockerfile_refactor_ls.transport import Dropped, FdReader, Frame

pytestmark = pytest.mark.skipif(os.name != "posix", reason="early diagnostics poll a pipe: POSIX only")

DOCKERFILE = """FROM ubuntu
MAINTAINER someone@example.invalid
RUN apt-get update && apt-get install -y curl
WORKDIR app
CMD python app.py
"""
TIMEOUT = 30.0


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


class Session:
    """The server as a subprocess, with a thread that splits its stdout into messages."""

    def __init__(self, fast: bool) -> None:
        env = dict(os.environ)
        if fast:
            env.pop(DISABLE_ENV, None)
        else:
            env[DISABLE_ENV] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dockerfile_refactor_ls", "--log-level", "info"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.received: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        reader = FdReader(self.proc.stdout.fileno())
        while True:
            _, message = read_message(reader)
            self._queue.put(message)
            if message is None:
                return

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def send(self, *messages: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        # One write: the messages reach the server together, as an editor's burst after initialize.
        self.proc.stdin.write(b"".join(_frame(m) for m in messages))
        self.proc.stdin.flush()

    def next(self) -> dict[str, Any]:
        message = self._queue.get(timeout=TIMEOUT)
        assert message is not None, "the server closed its output"
        self.received.append(message)
        return message

    def until(self, predicate: Any, settings: dict[str, Any] | None = None) -> dict[str, Any]:
        """Read until ``predicate(message)``, answering the server's requests on the way."""
        while True:
            message = self.next()
            if predicate(message):
                return message
            if "method" in message and "id" in message:
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [settings or {}]
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def stop(self) -> None:
        self.send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
        self.until(lambda m: m.get("id") == "bye")
        self.send({"jsonrpc": "2.0", "method": "exit"})
        assert self.proc.wait(timeout=TIMEOUT) == 0
        while (message := self._queue.get(timeout=TIMEOUT)) is not None:
            self.received.append(message)

    def publishes(self, uri: str, version: int) -> list[dict[str, Any]]:
        return [
            m["params"]
            for m in self.received
            if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        ]


def _open_and_edit(
    fast: bool,
    root: Path,
    capabilities: dict[str, Any],
    settings: dict[str, Any] | None = None,
    init_options: dict[str, Any] | None = None,
    pushed: dict[str, Any] | None = None,
) -> Session:
    uri = (root / "Dockerfile").as_uri()
    session = Session(fast)
    params = {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities}
    if init_options is not None:
        params["initializationOptions"] = init_options
    session.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
    session.until(lambda m: m.get("id") == 1)
    burst: list[dict[str, Any]] = [{"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    if pushed is not None:  # as VS Code's client does with `synchronize.configurationSection`
        burst.append({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": pushed}})
    burst.append(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 3, "text": DOCKERFILE}},
        }
    )
    session.send(*burst)
    is_publish = lambda v: lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["version"] == v  # noqa: E731
    session.until(is_publish(3), settings)
    # An edit after the hand-over: pygls must hold the document fast_start opened.
    session.send(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": 4},
                "contentChanges": [
                    {"range": {"start": {"line": 0, "character": 11}, "end": {"line": 0, "character": 11}}, "text": ":24.04"}
                ],
            },
        }
    )
    session.until(is_publish(4), settings)
    session.stop()
    return session


def _codes(publish: dict[str, Any]) -> list[str]:
    return sorted(d["code"] for d in publish["diagnostics"])


@pytest.mark.parametrize(
    "source", ["initializationOptions", "workspace/configuration", "didChangeConfiguration"]
)
def test_early_diagnostics_equal_the_servers_and_are_sent_once(tmp_path: Path, source: str) -> None:
    # Settings from every source: a .hadolint.yaml in the workspace, and the client's own.
    (tmp_path / ".hadolint.yaml").write_text("ignored:\n  - DL3006\n")
    # ShellCheck off: its findings come in a later publish of the same version, when it is done.
    settings = {"rules": {"ignore": ["DL3008"]}, "shellcheck": {"enable": False}}
    uri = (tmp_path / "Dockerfile").as_uri()

    def run(fast: bool) -> Session:
        if source == "workspace/configuration":
            return _open_and_edit(fast, tmp_path, {"workspace": {"configuration": True}}, settings=settings)
        if source == "didChangeConfiguration":
            # The configuration request is answered with nothing: the pushed settings must count.
            return _open_and_edit(fast, tmp_path, {}, pushed={"dockerfileRefactor": settings})
        # A client without workspace/configuration passes its settings in initializationOptions.
        return _open_and_edit(fast, tmp_path, {}, init_options={"dockerfileRefactor": settings})

    fast, slow = run(True), run(False)
    assert b"before loading pygls" in fast.stderr
    assert b"before loading pygls" not in slow.stderr
    for version in (3, 4):
        assert len(fast.publishes(uri, version)) == 1, fast.publishes(uri, version)
        assert fast.publishes(uri, version)[-1] == slow.publishes(uri, version)[-1]
    codes = _codes(fast.publishes(uri, 3)[0])
    assert "DL3006" not in codes and "DL3008" not in codes  # both sources of settings applied
    assert "WorkdirRelativePath" in codes
    assert "DL3006" not in _codes(fast.publishes(uri, 4)[0])


def _initialized_session(fast: bool, root: Path, uri: str, text: str) -> tuple[Session, list[dict[str, Any]]]:
    """A server that has answered initialize, and the messages that open ``text`` at ``uri``."""
    session = Session(fast)
    session.send(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}}
    )
    session.until(lambda m: m.get("id") == 1)
    messages: list[dict[str, Any]] = [
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}},
        },
    ]
    return session, messages


def _burst(fast: bool, root: Path) -> Session:
    """initialized, didOpen, five edits and didClose in one write, right after initialize."""
    uri = (root / "Dockerfile").as_uri()
    session, messages = _initialized_session(fast, root, uri, DOCKERFILE)
    for version, text in enumerate(["RUN apk add git\n", "USER app\n", "WORKDIR /srv\n", "EXPOSE 80\n", "COPY --from=x /a /b\n"], 2):
        end = {"line": 5 + version - 2, "character": 0}
        messages.append(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": end, "end": end}, "text": text}]},
            }
        )
    session.send(*messages)
    session.until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 6)
    session.send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    session.until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") is None)
    session.stop()
    return session


def test_edits_and_close_in_the_first_burst_end_as_with_pygls(tmp_path: Path) -> None:
    uri = (tmp_path / "Dockerfile").as_uri()
    fast, slow = _burst(True, tmp_path), _burst(False, tmp_path)
    assert fast.publishes(uri, 6) == slow.publishes(uri, 6)
    # The burst arrives while pygls is still being imported: the edits are handled before it.
    assert b"(version 6) before loading pygls" in fast.stderr
    final = fast.publishes(uri, 6)[0]
    assert "DL3018" in _codes(final)  # the edits were applied: apk add without a pin, on line 6
    assert {d["range"]["start"]["line"] for d in final["diagnostics"] if d["code"] == "DL3018"} == {5}
    for version in range(1, 7):
        assert len(fast.publishes(uri, version)) <= 1
    closing = [m["params"] for m in fast.received if m.get("method") == "textDocument/publishDiagnostics" and "version" not in m["params"]]
    assert closing == [{"uri": uri, "diagnostics": []}]


def _large_dockerfile() -> str:
    """Stages enough for a document the early phase diagnoses in the analysis thread."""
    stages = []
    for i in range(EARLY_DIAGNOSE_CHARS // 90 + 10):
        stages.append(f"FROM debian:12 AS s{i}\nRUN apt-get update && apt-get install -y curl\nWORKDIR app{i}\nCOPY --from=s{max(i - 1, 0)} /a /b\n")
    text = "".join(stages)
    assert len(text) > EARLY_DIAGNOSE_CHARS
    return text


def _large_burst(fast: bool, root: Path, request: bool) -> Session:
    """A large document opened and edited twice in the first burst (and, if ``request``, a request
    right after the open), then its final version awaited."""
    uri = (root / "Dockerfile").as_uri()
    session, messages = _initialized_session(fast, root, uri, _large_dockerfile())
    if request:
        messages.append({"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
    for version, text in ((2, "RUN apk add git\n"), (3, "USER app\n")):
        start = {"line": 0, "character": 0}
        messages.append(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": start, "end": start}, "text": text}]},
            }
        )
    session.send(*messages)
    session.until(lambda m: bool(session.publishes(uri, 3)) and (not request or any(r.get("id") == 2 for r in session.received)))
    session.stop()
    return session


@pytest.mark.parametrize("request_after_open", [False, True], ids=["no-request", "request-after-open"])
def test_a_large_document_is_diagnosed_beside_the_import_and_published_once(tmp_path: Path, request_after_open: bool) -> None:
    uri = (tmp_path / "Dockerfile").as_uri()
    fast, slow = _large_burst(True, tmp_path, request_after_open), _large_burst(False, tmp_path, request_after_open)
    final = fast.publishes(uri, 3)
    assert len(final) == 1, [len(p["diagnostics"]) for p in final]
    assert final[0] == slow.publishes(uri, 3)[-1]
    assert "DL3018" in _codes(final[0])  # the edits reached the analysis: apk add, on line 1
    for version in (1, 2):
        assert len(fast.publishes(uri, version)) <= 1
    if not request_after_open:
        # Without a request the early phase lasts until the thread's findings are published.
        assert b"from the analysis thread before loading pygls" in fast.stderr
    else:
        # Answered once: with symbols, or ContentModified, as the edits that follow it arrive.
        replies = [m for m in fast.received if m.get("id") == 2]
        assert len(replies) == 1, replies
        assert "result" in replies[0] or replies[0]["error"]["code"] == -32801, replies
    assert b"Traceback" not in fast.stderr


def test_a_request_ends_the_early_phase_and_is_answered(tmp_path: Path) -> None:
    # A client that asks for something before opening a document gets its answer from pygls.
    session = Session(fast=True)
    session.send(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
    )
    session.until(lambda m: m.get("id") == 1)
    session.send(
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": "file:///nowhere/Dockerfile"}}},
    )
    reply = session.until(lambda m: m.get("id") == 2)
    assert "error" in reply or "result" in reply
    session.stop()
    assert b"before loading pygls" not in session.stderr


def test_a_late_answer_to_the_early_configuration_request_reaches_the_server(tmp_path: Path) -> None:
    # The client answers fast_start's configuration request only after pygls took over: pygls
    # takes that answer as its own (no unknown-id warning, no second request) and applies it.
    uri = (tmp_path / "Dockerfile").as_uri()
    session = Session(fast=True)
    session.send(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {"workspace": {"configuration": True}}},
        }
    )
    session.until(lambda m: m.get("id") == 1)
    session.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    early = session.next()
    assert early.get("method") == "workspace/configuration" and early["id"] == EARLY_CONFIGURATION_ID
    # A request ends the early phase before the answer arrives.
    session.send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
    session.until(lambda m: m.get("id") == 2)
    session.send(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": DOCKERFILE}},
        },
        {"jsonrpc": "2.0", "id": EARLY_CONFIGURATION_ID, "result": [{"rules": {"ignore": ["WorkdirRelativePath"]}}]},
    )
    publish = session.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert "WorkdirRelativePath" not in _codes(publish["params"])
    assert "DL3008" in _codes(publish["params"])
    session.stop()
    assert [m for m in session.received if m.get("method") == "workspace/configuration"] == [early]
    assert b"Traceback" not in session.stderr
    assert b"unknown message id" not in session.stderr


def _requests_before_the_answer(fast: bool, root: Path) -> Session:
    """VS Code's order: didOpen, then requests at once, and only then the configuration answer."""
    uri = (root / "Dockerfile").as_uri()
    session = Session(fast)
    caps = {"workspace": {"configuration": True}}
    session.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": caps}})
    session.until(lambda m: m.get("id") == 1)
    session.send(
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": DOCKERFILE}},
        },
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}},
        # After the request: an edit, which must reach pygls after the request, not before.
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 0}}, "text": "USER app\n"}],
            },
        },
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}},
    )
    # Answering the configuration request (ours or pygls') with these settings, until request 3 is
    # answered and the edited version published, in whichever order they come.
    done = lambda _m: any(m.get("id") == 3 for m in session.received) and bool(session.publishes(uri, 2))  # noqa: E731
    session.until(done, {"rules": {"ignore": ["WorkdirRelativePath"]}})
    session.stop()
    return session


def test_requests_before_the_configuration_answer_do_not_hold_the_first_diagnostics(tmp_path: Path) -> None:
    uri = (tmp_path / "Dockerfile").as_uri()
    fast, slow = _requests_before_the_answer(True, tmp_path), _requests_before_the_answer(False, tmp_path)
    # Published by the early phase, with the answer's settings, before either request is answered.
    assert b"(version 1) before loading pygls" in fast.stderr
    order = [f"reply {m['id']}" if "id" in m else f"publish v{m['params'].get('version')}" for m in fast.received
             if ("id" in m and m["id"] in (2, 3)) or m.get("method") == "textDocument/publishDiagnostics"]
    assert order.index("publish v1") < order.index("reply 2") < order.index("reply 3"), order
    first = fast.publishes(uri, 1)[0]
    assert "WorkdirRelativePath" not in _codes(first) and "DL3008" in _codes(first)
    # Without the early phase nothing is published before the edit; after it, the same list.
    assert fast.publishes(uri, 2)[-1] == slow.publishes(uri, 2)[-1]
    # The requests are answered in order, each as pygls answers it without the early phase (the
    # second one after the edit).
    replies = lambda s: [m for m in s.received if m.get("id") in (2, 3)]  # noqa: E731
    assert [r["id"] for r in replies(fast)] == [2, 3]
    assert [r.get("result") for r in replies(fast)] == [r.get("result") for r in replies(slow)]
    assert b"Traceback" not in fast.stderr


def test_fd_reader_tells_whether_a_message_waits() -> None:
    read_fd, write_fd = os.pipe()
    try:
        reader = FdReader(read_fd)
        assert not reader.waiting(0)
        os.write(write_fd, _frame({"a": 1}) + _frame({"b": 2})[:5])
        assert reader.waiting(0)
        event, message = read_message(reader)
        assert message == {"a": 1} and event == Frame(json.dumps({"a": 1}).encode())
        # Part of the next message arrived: it waits in the decoder, and nothing of it is lost.
        assert reader.waiting(0)
        assert reader.decoder.buffered == 5
        os.write(write_fd, _frame({"b": 2})[5:])
        assert read_message(reader)[1] == {"b": 2}
        assert not reader.waiting(0)
        os.write(write_fd, b"Content-Length: 9\r\n\r\n{")
        os.close(write_fd)
        write_fd = -1
        event, message = read_message(reader)
        assert message is None and isinstance(event, Dropped), event
        assert read_message(reader) == (None, None)
        assert not reader.waiting(0)
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
