"""The server over TCP (`--tcp`) and WebSocket (`--ws`): sessions, disconnects, and clients at once.

Policy (docs/reliability.md, "Transports"): every connection is its own session with its own
documents, settings and lifecycle. A client's `exit`, or its disconnect, ends that session only;
the process keeps listening until SIGINT/SIGTERM, or until the editor that started it is gone. Only
127.0.0.1 is ever used; the server picks a free port (`:0`) and logs it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.hostile import HOST, URI, Client, ServerProcess, connect

TEXT = "FROM golang:1.22 as build\nRUN go build -o /app .\nCMD /app\n"
OTHER = "FROM alpine:3.19\nWORKDIR relative\n"
TRANSPORTS = ["tcp", "ws"]


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    started: list[ServerProcess] = []
    yield started
    for server in started:
        server.stop()


def _server(started: list[ServerProcess], tmp_path: Path, transport: str) -> ServerProcess:
    if transport == "ws":
        pytest.importorskip("websockets.sync.client", reason="the `websockets` package is not installed")
    server = ServerProcess(transport, tmp_path)
    started.append(server)
    return server


def _codes(diags: list[dict[str, object]]) -> set[object]:
    return {d["code"] for d in diags}


def full_session(client: Client) -> None:
    diags = client.start_session(TEXT)
    assert {(d["code"], d["range"]["start"]["line"], d["source"]) for d in diags} >= {  # type: ignore[index]
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
    )["result"]
    assert "Write 'AS'" in [a["title"] for a in actions]


def _end(client: Client) -> None:
    """shutdown and exit: the server closes this connection."""
    assert client.request("shutdown", None)["result"] is None
    client.notify("exit", None)
    assert client.closed.wait(20), "the server kept the connection open after exit"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_exit_ends_the_session_and_the_server_serves_the_next_client(
    launch: list[ServerProcess], tmp_path: Path, transport: str
) -> None:
    server = _server(launch, tmp_path, transport)
    for _ in range(3):
        client = connect(server)
        full_session(client)
        _end(client)
        assert client.violations == []
        assert server.proc.poll() is None, server.log()[-3000:]
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=20) == 0
    assert "Traceback" not in server.log()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_port_check_and_a_dropped_client_do_not_end_the_server(
    launch: list[ServerProcess], tmp_path: Path, transport: str
) -> None:
    server = _server(launch, tmp_path, transport)
    # A port check: connect and close at once (for WebSocket, before any handshake).
    socket.create_connection((HOST, server.port), timeout=10).close()
    # A client that goes away mid-session, without shutdown or exit.
    dropped = connect(server)
    dropped.start_session(OTHER)
    dropped.close()
    time.sleep(0.3)
    assert server.proc.poll() is None, server.log()[-3000:]
    client = connect(server)
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    # The dropped client's document went with its session: this one has nothing open.
    assert not client.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
    _end(client)
    client = connect(server)
    full_session(client)
    _end(client)
    assert server.proc.poll() is None
    assert "Traceback" not in server.log()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_two_clients_at_once_have_their_own_documents_settings_and_lifecycle(
    launch: list[ServerProcess], tmp_path: Path, transport: str
) -> None:
    server = _server(launch, tmp_path, transport)
    a, b = connect(server), connect(server)
    # The same uri, two different texts: each client sees its own.
    a_diags = a.start_session(TEXT)
    b_diags = b.start_session(OTHER)
    assert "FromAsCasing" in _codes(a_diags) and "WorkdirRelativePath" not in _codes(a_diags)
    assert "WorkdirRelativePath" in _codes(b_diags) and "FromAsCasing" not in _codes(b_diags)
    # Interleaved requests: each answer goes to the client that asked, about its own text.
    for _ in range(3):
        sa = a.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
        sb = b.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
        assert "build" in [s["name"] for s in sa] and "build" not in [s["name"] for s in sb]
    # Settings pushed by one client apply to its documents only.
    a.notify("workspace/didChangeConfiguration", {"settings": {"dockerfileRefactor": {"rules": {"ignore": ["FromAsCasing"]}}}})
    # Earlier publishes (ShellCheck's findings arrive after the first one) may still be queued:
    # wait for the republish the setting causes, which times out if it never comes.
    republished = a.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and "FromAsCasing" not in _codes(m["params"]["diagnostics"])
    )
    assert republished["params"]["version"] == 1
    b.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": TEXT}]})
    b_after = b.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 2
    )
    assert "FromAsCasing" in _codes(b_after["params"]["diagnostics"])
    # One client's exit leaves the other served.
    _end(a)
    assert b.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
    assert not [m for m in a.pending() if m.get("id") is not None and "method" not in m]
    _end(b)
    assert a.violations == [] and b.violations == []
    assert server.proc.poll() is None


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_client_whose_editor_is_gone_loses_its_session_only(
    launch: list[ServerProcess], tmp_path: Path, transport: str
) -> None:
    server = _server(launch, tmp_path, transport)
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        client = connect(server)
        client.request("initialize", {"processId": editor.pid, "rootUri": None, "capabilities": {}})
        client.notify("initialized", {})
        other = connect(server)
        other.start_session()
        editor.kill()
        editor.wait(timeout=10)
        assert client.closed.wait(20), "the session of a client whose editor died was kept"
        assert other.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
        assert server.proc.poll() is None
    finally:
        if editor.poll() is None:
            editor.kill()
            editor.wait(timeout=10)


def test_the_server_exits_when_the_process_that_started_it_is_gone(tmp_path: Path) -> None:
    """An editor that starts `--tcp` and dies must not leave the server listening forever."""
    log = tmp_path / "server.log"
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            f"p = subprocess.Popen([sys.executable, '-m', 'dockerfile_refactor_ls', '--tcp', '127.0.0.1:0',"
            f" '--log-level', 'info'], stderr=open({str(log)!r}, 'wb'))\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert starter.stdout is not None
    server_pid = int(starter.stdout.readline())
    try:
        deadline = time.monotonic() + 60
        port = 0
        while not port and time.monotonic() < deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            if "on 127.0.0.1:" in text:
                port = int(text.split("on 127.0.0.1:")[1].split()[0])
            time.sleep(0.05)
        assert port, log.read_text(errors="replace")
        from tests.reliability.hostile import TcpClient

        client = TcpClient(port)
        client.request("initialize", {"processId": starter.pid, "rootUri": None, "capabilities": {}}, timeout=60)
        starter.kill()
        starter.wait(timeout=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _alive(server_pid):
            time.sleep(0.1)
        assert not _alive(server_pid), "the server outlived the editor that started it"
    finally:
        if starter.poll() is None:
            starter.kill()
            starter.wait(timeout=10)
        if _alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def test_listens_on_127_0_0_1_when_no_host_is_given(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dockerfile_refactor_ls", "--tcp", "0"], stderr=err, stdin=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 60
            while "serving LSP" not in log.read_text(errors="replace") and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text(errors="replace")
                time.sleep(0.05)
            assert "serving LSP over TCP on 127.0.0.1:" in log.read_text(errors="replace")
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
