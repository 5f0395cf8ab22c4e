"""The server over TCP (`--tcp`) and WebSocket (`--ws`), spoken to by a tiny JSON-RPC client.

Each test starts `python -m dockerfile_refactor_ls --tcp|--ws 127.0.0.1:<free port>` as a subprocess,
connects over loopback, initializes, opens a Dockerfile, waits for its publishDiagnostics, asks for a
quick fix, and shuts the server down with shutdown/exit. The process is killed in teardown whatever
happened. Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
START_TIMEOUT = 30.0
MESSAGE_TIMEOUT = 20.0
URI = "file:///workspace/Dockerfile"
TEXT = "FROM golang:1.22 as build\nRUN go build -o /app .\nCMD /app\n"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, transport: str, tmp_path: Path) -> None:
        self.port = free_port()
        self.stderr_path = tmp_path / f"server-{transport}.log"
        self._stderr = open(self.stderr_path, "wb")  # closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dockerfile_refactor_ls",
                f"--{transport}",
                f"{HOST}:{self.port}",
                "--log-level",
                "info",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def log(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def connect_with_retries(self, connect: Callable[[], Any]) -> Any:
        """Call connect() until the server listens (it imports for a second or so first)."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"the server exited with {self.proc.returncode} before listening:\n{self.log()}")
            try:
                return connect()
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"nothing listens on {HOST}:{self.port} after {START_TIMEOUT} s:\n{self.log()}"
                    )
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self._stderr.close()


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[[str], Server]]:
    started: list[Server] = []

    def _launch(transport: str) -> Server:
        server = Server(transport, tmp_path)
        started.append(server)
        return server

    yield _launch
    for server in started:
        server.stop()


class TcpChannel:
    """JSON-RPC with LSP's Content-Length framing over a TCP socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(MESSAGE_TIMEOUT)
        self.buf = b""

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps(msg).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buf += chunk

    def recv(self) -> dict[str, Any]:
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode("ascii").split("\r\n"))
        length = int(headers["Content-Length"])
        while len(rest) < length:
            self._fill()
            head, _, rest = self.buf.partition(b"\r\n\r\n")
        self.buf = rest[length:]
        return json.loads(rest[:length])

    def close(self) -> None:
        self.sock.close()


class WsChannel:
    """JSON-RPC over WebSocket: one JSON message per text frame, no headers (as pygls expects)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def send(self, msg: dict[str, Any]) -> None:
        self.ws.send(json.dumps(msg))

    def recv(self) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=MESSAGE_TIMEOUT))

    def close(self) -> None:
        self.ws.close()


class Client:
    def __init__(self, channel: TcpChannel | WsChannel) -> None:
        self.channel = channel
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def notify(self, method: str, params: Any) -> None:
        self.channel.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.channel.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self.wait_for(lambda m: m.get("id") == rid and "method" not in m)
        assert "error" not in msg, msg
        return msg["result"]

    def wait_for(self, pred: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + MESSAGE_TIMEOUT
        while time.monotonic() < deadline:
            msg = self.channel.recv()
            if pred(msg):
                return msg
            if "method" in msg and "id" in msg:  # a request from the server: answer it
                self.channel.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "method" in msg:
                self.notifications.append(msg)
        raise TimeoutError("no matching message")


def session(client: Client, server: Server) -> None:
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": {},
            "clientInfo": {"name": "test_transports"},
        },
    )
    assert result["serverInfo"]["name"] == "dockerfile-refactor-ls"
    kinds = result["capabilities"]["codeActionProvider"]["codeActionKinds"]
    assert "quickfix" in kinds and "source.fixAll" in kinds
    client.notify("initialized", {})
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}},
    )
    msg = client.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == URI
    )
    diags = msg["params"]["diagnostics"]
    assert {(d["code"], d["range"]["start"]["line"], d["source"]) for d in diags} >= {
        ("FromAsCasing", 0, "dockerfile-refactor-ls"),
        ("JSONArgsRecommended", 2, "dockerfile-refactor-ls"),
    }
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix"]},
        },
    )
    assert "Write 'AS'" in [a["title"] for a in actions]
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server did not exit after shutdown/exit:\n{server.log()}")
    assert server.proc.returncode == 0, server.log()


def test_tcp(launch: Callable[[str], Server]) -> None:
    server = launch("tcp")
    sock = server.connect_with_retries(lambda: socket.create_connection((HOST, server.port), timeout=5))
    channel = TcpChannel(sock)
    try:
        session(Client(channel), server)
    finally:
        channel.close()


def test_websocket(launch: Callable[[str], Server]) -> None:
    connect = pytest.importorskip(
        "websockets.sync.client", reason="the `websockets` package is not installed"
    ).connect
    server = launch("ws")
    # Wait for the port with a bare TCP probe (a failed WebSocket handshake never reaches pygls),
    # then open the one real connection.
    server.connect_with_retries(lambda: socket.create_connection((HOST, server.port), timeout=5)).close()
    with connect(f"ws://{HOST}:{server.port}", open_timeout=10) as ws:
        session(Client(WsChannel(ws)), server)
