"""Never deaf: every bad frame, over every transport, then a well-formed request that must be answered.

The server runs as a subprocess and is spoken to over real pipes (stdio) and loopback sockets (TCP,
WebSocket) by the hostile client of :mod:`.hostile`. Each bad frame is sent once on its own and once
glued to the request after it in a single write (the worst case for a reader that trusts lengths).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import hostile
from .hostile import ServerProcess, check_bad_frame, connect


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    started: list[ServerProcess] = []
    yield started
    for server in started:
        server.stop()


def _start(servers: list[ServerProcess], tmp_path: Path, transport: str, extra: list[str] | None = None) -> ServerProcess:
    if transport == "ws":
        pytest.importorskip("websockets.sync.client", reason="the `websockets` package is not installed")
    server = ServerProcess(transport, tmp_path, extra)
    servers.append(server)
    return server


def _no_crash(server: ServerProcess) -> None:
    log = server.log()
    assert "Traceback" not in log, log[-4000:]


@pytest.mark.parametrize("transport", ["stdio", "tcp"])
def test_every_bad_frame_is_survived_and_the_next_request_answered(
    servers: list[ServerProcess], tmp_path: Path, transport: str
) -> None:
    server = _start(servers, tmp_path, transport)
    client = connect(server)
    assert client.start_session()
    symbols = client.well_formed_request()[0]["result"]
    recover: dict[str, float] = {}
    for case in hostile.stream_cases():
        for glued in (False, True):
            recover[f"{case.name}{'+glued' if glued else ''}"] = check_bad_frame(client, case, glued)
    assert client.violations == []
    # The document the bad frames never touched is intact: the same symbols as at the start.
    assert client.well_formed_request()[0]["result"] == symbols
    assert client.request("shutdown", None)["result"] is None
    client.notify("exit", None)
    if transport == "stdio":
        assert server.proc.wait(timeout=20) == 0
    _no_crash(server)
    log = server.log()
    # Each drop is logged with what was wrong.
    for what in ("is shorter than the message", "is longer than the message", "is not a length", "not JSON",
                 "skipping a message of 1,000,000,000,000 bytes", "not a message header"):
        assert what in log, what
    print(f"\n{transport}: slowest recovery {max(recover.values()) * 1000:.0f} ms ({max(recover, key=recover.__getitem__)})")


def test_every_bad_websocket_message_is_survived(servers: list[ServerProcess], tmp_path: Path) -> None:
    server = _start(servers, tmp_path, "ws")
    client = connect(server)
    assert client.start_session()
    for case in hostile.ws_cases():
        check_bad_frame(client, case, glued=False)
    assert client.violations == []
    _no_crash(server)


def test_a_request_sent_one_byte_at_a_time_is_answered(servers: list[ServerProcess], tmp_path: Path) -> None:
    server = _start(servers, tmp_path, "stdio")
    client = connect(server)
    client.start_session()
    data = hostile.framed(hostile.symbols_request("slow"))
    for i in range(len(data)):
        client.send_raw(data[i : i + 1])
    assert client.response("slow")["result"]


@pytest.mark.parametrize("transport", ["stdio", "tcp"])
def test_a_message_over_the_limit_is_skipped_with_a_notice(servers: list[ServerProcess], tmp_path: Path, transport: str) -> None:
    server = _start(servers, tmp_path, transport, ["--max-message-size", "100000"])
    client = connect(server)
    client.start_session()
    symbols = client.well_formed_request()[0]["result"]
    big = {
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": hostile.URI, "version": 2}, "contentChanges": [{"text": "FROM scratch\n" * 20000}]},
    }
    client.send(big)
    notice = client.wait_for(lambda m: m.get("method") == "window/showMessage")
    assert "limit is 100,000 bytes" in notice["params"]["message"], notice
    # The change was not applied, and the document is still what it was.
    assert client.well_formed_request()[0]["result"] == symbols
    assert f"skipping a message of {len(hostile.body_of(big)):,} bytes" in server.log()


def test_a_huge_content_length_costs_no_memory(servers: list[ServerProcess], tmp_path: Path) -> None:
    """``Content-Length: 1000000000000``, then 32 MiB that hold no header, then a request."""
    server = _start(servers, tmp_path, "stdio")
    client = connect(server)
    client.start_session()
    client.well_formed_request()
    before = server.rss_kib()
    client.send_raw(b"Content-Length: 1000000000000\r\n\r\n")
    chunk = b"x" * (1 << 20)
    for _ in range(32):
        client.send_raw(chunk)
    reply, took = client.well_formed_request()
    assert reply["result"]
    growth_mib = (server.rss_kib() - before) / 1024
    assert growth_mib < 16, f"RSS grew by {growth_mib:.1f} MiB"
    assert server.proc.poll() is None
    print(f"\n1e12 Content-Length + 32 MiB drained: RSS {growth_mib:+.1f} MiB, next request answered in {took * 1000:.0f} ms")


def test_a_websocket_message_over_the_limit_closes_only_that_connection(servers: list[ServerProcess], tmp_path: Path) -> None:
    server = _start(servers, tmp_path, "ws", ["--max-message-size", "100000"])
    client = connect(server)
    client.start_session()
    client.send_raw(b'{"jsonrpc":"2.0","method":"x","params":"' + b"a" * 200000 + b'"}')
    assert client.closed.wait(20), "the oversize message did not close the connection"
    assert getattr(client, "close_code", None) == 1009
    again = connect(server)
    assert again.start_session()
    assert again.well_formed_request()[0]["result"]
    assert "larger than the limit" in server.log()
