"""The private pygls members in ``_pygls_compat`` still exist and behave as the server relies on.

Fails on a pygls upgrade that renames, re-signs or changes one of them; then re-read pygls' source,
adapt ``_pygls_compat`` and bump ``PYGLS_CHECKED``.
"""

from __future__ import annotations

import ast
import concurrent.futures
import inspect
import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.protocol import LanguageServerProtocol
from pygls.server import JsonRPCServer

from dockerfile_refactor_ls import _pygls_compat as compat
from dockerfile_refactor_ls.server import DockerfileProtocol, create_server

PACKAGE = Path(compat.__file__).parent


class _Sink:
    """A writer capturing what the protocol sends (pygls' writer interface: write/close)."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass

    def messages(self) -> list[dict[str, Any]]:
        bodies = re.split(rb"Content-Length: \d+\r\n(?:[^\r\n]+\r\n)*\r\n", self.data)
        return [json.loads(b) for b in bodies if b]


def _connected() -> tuple[Any, _Sink]:
    server = create_server()
    sink = _Sink()
    server.protocol.set_writer(sink)
    return server, sink


def test_the_checked_version_is_installed() -> None:
    assert version("pygls") == compat.PYGLS_CHECKED, "re-check _pygls_compat against the new pygls"


@pytest.mark.parametrize("name", sorted(compat.OVERRIDDEN))
def test_overridden_methods_keep_their_signature(name: str) -> None:
    method = getattr(LanguageServerProtocol, name)
    assert tuple(inspect.signature(method).parameters) == compat.OVERRIDDEN[name]


def test_protocol_attributes_exist() -> None:
    server, _ = _connected()
    for name in compat.PROTOCOL_ATTRIBUTES:
        assert hasattr(server.protocol, name), name
    assert compat.server_of(server.protocol) is server
    assert isinstance(server.protocol._request_futures, dict)
    assert isinstance(server.protocol._result_types, dict)
    assert hasattr(JsonRPCServer, "_report_server_error")


def test_send_data_frames_plain_json() -> None:
    server, sink = _connected()
    compat.send_data(server.protocol, {"jsonrpc": "2.0", "method": "x", "params": {"a": 1}})
    assert sink.messages() == [{"jsonrpc": "2.0", "method": "x", "params": {"a": 1}}]


def test_responses_go_through_the_hook() -> None:
    # The initialize fast_start answered is dropped; every other response still reaches the client.
    server, sink = _connected()
    assert isinstance(server.protocol, DockerfileProtocol)
    server.protocol.answered_initialize_id = 7
    compat.send_response(server.protocol, 7, {"capabilities": {}})
    compat.send_response(server.protocol, 8, None)
    assert [m["id"] for m in sink.messages()] == [8]


def test_shutdown_is_read_from_pygls() -> None:
    server, _ = _connected()
    assert compat.shutdown_received(server.protocol) is False
    server.protocol.handle_message(server.protocol.structure_message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
    server.protocol.handle_message(server.protocol.structure_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    assert compat.shutdown_received(server.protocol) is True


def test_an_early_request_is_answered_through_pygls() -> None:
    server, _ = _connected()
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    compat.await_early_response(server.protocol, "early-1", lsp.WORKSPACE_CONFIGURATION, future)
    answer = server.protocol.structure_message({"jsonrpc": "2.0", "id": "early-1", "result": [{"a": 1}]})
    server.protocol.handle_message(answer)
    # Structured with workspace/configuration's result type, as for requests pygls sent itself.
    assert list(future.result(timeout=5)) == [{"a": 1}]


def test_finished_notification_futures_are_dropped() -> None:
    server, _ = _connected()
    done: concurrent.futures.Future[Any] = concurrent.futures.Future()
    done.set_result(None)
    pending: concurrent.futures.Future[Any] = concurrent.futures.Future()
    server.protocol._request_futures.update({"done": done, "pending": pending})
    compat.drop_finished_futures(server.protocol)
    assert set(server.protocol._request_futures) == {"pending"}


def test_no_private_pygls_member_outside_the_compat_module() -> None:
    # Attribute names pygls keeps private that we use; any use outside _pygls_compat is a new
    # dependency on pygls internals that this test would not check.
    private = set(compat.OVERRIDDEN) | set(compat.PROTOCOL_ATTRIBUTES) | {"_send_data", "_report_server_error"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "_pygls_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.FunctionDef) and node.name in private:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} def {node.name}")
    assert not found, "\n".join(found)
