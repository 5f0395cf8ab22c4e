"""Every private pygls member the server relies on, in one place.

pygls has no public API for what these do (send an already-serialised message, wait for the answer
to a request sent before pygls ran, read whether ``shutdown`` was received, ...). Each is used
through a function or hook here, with the reason, so that an upgrade of pygls is checked in one
module and by one test (``tests/test_pygls_compat.py``), which fails when any of them changes.

Checked against pygls 2.1.1 (``PYGLS_CHECKED``). Nothing here imports pygls at run time: the
transport and the early phase use some of these functions before pygls is loaded.
"""

from __future__ import annotations

import concurrent.futures
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol
    from pygls.server import JsonRPCServer

    _ProtocolBase = LanguageServerProtocol
else:
    _ProtocolBase = object

# The pygls release every member below was read in (its source, not its docs: they are private).
PYGLS_CHECKED = "2.1.1"

# Private methods DockerfileProtocol overrides (through ProtocolHooks) and the parameters pygls
# calls them with; the test compares these with the installed pygls.
OVERRIDDEN: dict[str, tuple[str, ...]] = {
    "_send_response": ("self", "msg_id", "result", "error"),
    "_handle_notification": ("self", "method_name", "params"),
}

# Private attributes read or written, set by ``JsonRPCProtocol.__init__``.
PROTOCOL_ATTRIBUTES = ("_server", "_converter", "_shutdown", "_request_futures", "_result_types", "_include_headers")


class ProtocolHooks(_ProtocolBase):
    """Mixin before ``LanguageServerProtocol``: pygls' two private hooks as overridable methods."""

    def _send_response(self, msg_id: Any, result: Any | None = None, error: Any | None = None) -> None:
        # pygls 2.1: every response goes through _send_response; there is no public hook to drop
        # one (fast_start answered ``initialize`` already) or to send pre-serialised JSON.
        if not self.intercept_response(msg_id, result, error):
            super()._send_response(msg_id, result, error)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        super()._handle_notification(method_name, params)
        self.after_notification(method_name)

    def intercept_response(self, msg_id: Any, result: Any | None, error: Any | None) -> bool:
        """Send (or drop) the response yourself and return True, or return False for pygls'."""
        return False

    def after_notification(self, method_name: str) -> None:
        """Called after pygls dispatched a notification."""
        return


def send_data(protocol: JsonRPCProtocol, message: dict[str, Any]) -> None:
    """Send a JSON-RPC message given as plain JSON: pygls' public send paths run it through
    lsprotocol and cattrs, which costs more than computing diagnostics on a large file."""
    protocol._send_data(message)


def send_encoded(protocol: JsonRPCProtocol, msg_id: Any, result_json: str) -> None:
    """Answer ``msg_id`` with a result that is JSON text already (encoded off the event loop): framed
    as ``_send_data`` frames a message (headers only where the transport wants them, which pygls
    keeps in ``_include_headers``), without decoding and encoding it again."""
    writer = protocol.writer
    if writer is None:
        return
    body = ('{"jsonrpc":"2.0","id":' + json.dumps(msg_id) + ',"result":' + result_json + "}").encode("utf-8")
    if protocol._include_headers:
        header = f"Content-Length: {len(body)}\r\nContent-Type: {protocol.CONTENT_TYPE}; charset={protocol.CHARSET}\r\n\r\n"
        body = header.encode("ascii") + body
    writer.write(body)  # the transport's writers (transport.py) all write synchronously


def send_response(protocol: JsonRPCProtocol, msg_id: Any, result: Any | None = None, error: Any | None = None) -> None:
    """Answer a request pygls itself could not (it raises before it knows the id)."""
    protocol._send_response(msg_id, result, error)


def shutdown_received(protocol: JsonRPCProtocol) -> bool:
    """Whether the client sent ``shutdown``: pygls keeps it only in ``_shutdown``."""
    return bool(protocol._shutdown)


def converter(protocol: JsonRPCProtocol) -> Any:
    """pygls' cattrs converter, to (un)structure the way pygls does (no public accessor)."""
    return protocol._converter


def server_of(protocol: JsonRPCProtocol) -> Any:
    """The server a protocol belongs to (pygls stores it only as ``_server``)."""
    return protocol._server


def await_early_response(
    protocol: LanguageServerProtocol, msg_id: int | str, method: str, future: concurrent.futures.Future[Any]
) -> None:
    """Have pygls resolve ``future`` with the answer to a request fast_start sent (id ``msg_id``)
    before pygls was loaded: pygls matches responses only against its own private tables."""
    protocol._request_futures[msg_id] = future
    protocol._result_types[msg_id] = protocol.get_result_type(method)


def drop_finished_futures(protocol: JsonRPCProtocol) -> None:
    """pygls 2.1 files every notification's future under a fresh uuid in ``_request_futures`` and
    never removes it (about 600 bytes per keystroke, forever): drop the finished ones."""
    futures = protocol._request_futures
    for key in [k for k, f in futures.items() if f.done()]:
        del futures[key]


def report_server_error(server: JsonRPCServer, error: Exception, source: Any) -> None:
    """Report an error the way pygls' own reader loop does (guarded against recursion)."""
    server._report_server_error(error, source)
