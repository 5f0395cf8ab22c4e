"""Bytes in, messages out: the base-protocol framing and the three transports (stdio, TCP, WebSocket).

Everything that reads a client's bytes lives here, so that one bad frame can never make the server
deaf, whatever the transport. pygls' own loops (``pygls.io_``) match ``Content-Length`` only at the
start of a line and trust it: after one wrong length every later header is glued to the previous
body and nothing is answered again; and a huge length is read into memory at once.

:class:`FrameDecoder` is incremental and never trusts a header further than it can check:

- a frame's length is capped (:data:`DEFAULT_MAX_MESSAGE_BYTES`, ``--max-message-size``); a larger
  one is drained without being stored (so ``Content-Length: 1000000000000`` costs one read buffer)
  and reported to the user;
- a length that is too long ends at the next ``Content-Length: N`` header inside the body: a JSON
  text cannot hold one (a raw line break is not allowed in a JSON string, and the word outside one);
- a length that is too short is extended to the bytes that follow when together they are JSON;
- a negative or non-numeric length, or none, is read as "up to the next header, or a whole JSON value";
- bytes that are not a header are dropped up to the next ``Content-Length:``, wherever it starts.

:class:`Connection` turns bodies into pygls messages and answers what pygls cannot: ``-32700`` with
``id: null`` for a body that is not JSON, ``-32600`` for JSON that is not a message. Every drop is
logged (with the byte count) and keeps the stream going.

Transports: stdio (one client, the default); TCP and WebSocket, where each connection gets its own
server — documents, settings, lifecycle — so clients can come, go and overlap (``exit`` or a
disconnect ends that client's session, never the process), on 127.0.0.1 unless told otherwise.

Imports only the standard library at module level: :mod:`.fast_start` reads the first messages
with it before pygls is loaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import select
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ._pygls_compat import report_server_error, shutdown_received

if TYPE_CHECKING:
    from .server import DockerfileLanguageServer

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 64 << 20
MAX_MESSAGE_ENV = "DOCKERFILE_REFACTOR_LS_MAX_MESSAGE_BYTES"
# A header block longer than this is not one.
MAX_HEADER_BYTES = 8192
READ_SIZE = 1 << 16

PARSE_ERROR = -32700
INVALID_REQUEST = -32600

_TOKEN = rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_HEADER_LINE = re.compile(rb"(" + _TOKEN + rb")[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n")
# What an unfinished header line may look like (the rest has not arrived yet).
_HEADER_PREFIX = re.compile(rb"(?:" + _TOKEN + rb"(?:[ \t]*:[^\r\n]*)?)?\r?")
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
# A whole Content-Length header line with a number: never inside a JSON text.
_NEXT_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*-?\d+[ \t]*\r?\n", re.IGNORECASE)
_SCAN_OVERLAP = 64
_BLANK = b" \t\r\n"


def max_message_bytes(value: int | None = None) -> int:
    """The size cap: ``value`` if given, else ``$DOCKERFILE_REFACTOR_LS_MAX_MESSAGE_BYTES``, else 64 MiB."""
    if value is not None and value > 0:
        return value
    try:
        from_env = int(os.environ.get(MAX_MESSAGE_ENV, ""))
    except ValueError:
        return DEFAULT_MAX_MESSAGE_BYTES
    return from_env if from_env > 0 else DEFAULT_MAX_MESSAGE_BYTES


@dataclass(frozen=True)
class Frame:
    """A message body, and what was wrong with its header if anything (logged by the Connection)."""

    body: bytes
    problem: str | None = None


@dataclass(frozen=True)
class Dropped:
    """Bytes thrown away because they belong to no message."""

    size: int
    reason: str


@dataclass(frozen=True)
class Oversize:
    """A message longer than the cap; the decoder drains it."""

    length: int | None
    limit: int


Event = Frame | Dropped | Oversize


class FrameDecoder:
    """Content-Length framing that resynchronises instead of trusting (see the module docstring).

    Feed it bytes with :meth:`feed`, take events with :meth:`next` until it returns None.
    """

    _HEADERS, _BODY, _UNKNOWN, _SKIP = range(4)

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_message_bytes(max_bytes)
        self._buf = bytearray()
        self._state = self._HEADERS
        self._length = 0  # _BODY: the declared length; _SKIP: bytes still to drain (-1: unknown)
        self._declared = ""  # the header value, for messages
        self._scanned = 0  # how much of a pending body has been searched for a header
        self._skipped = 0
        self._garbage = 0  # dropped bytes not yet reported
        self._tail = b""  # _SKIP: the last bytes drained, where a header may have begun
        self._events: deque[Event] = deque()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    @property
    def has_events(self) -> bool:
        return bool(self._events)

    def feed(self, data: bytes) -> None:
        if self._state == self._SKIP:
            self._drain(data)
        else:
            self._buf += data
        self._decode()

    def next(self) -> Event | None:
        return self._events.popleft() if self._events else None

    def close(self) -> None:
        """End of input: report what is left unfinished."""
        if self._state in (self._BODY, self._UNKNOWN) and self._buf:
            self._emit(Dropped(len(self._buf), "the input ended inside a message body"))
        elif self._buf.strip(_BLANK) or self._garbage:
            self._garbage += len(self._buf)
            self._flush_garbage("before the end of the input")
        self._buf.clear()
        self._state = self._HEADERS

    # -- states --------------------------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        self._events.append(event)

    def _decode(self) -> None:
        while True:
            if self._state == self._HEADERS:
                if not self._headers():
                    return
            elif self._state == self._BODY:
                if not self._body():
                    return
            elif self._state == self._UNKNOWN:
                if not self._unknown_body():
                    return
            else:  # _SKIP: feed() drains straight away; nothing is buffered meanwhile
                return

    def _flush_garbage(self, where: str) -> None:
        if self._garbage:
            self._emit(Dropped(self._garbage, f"bytes that are not a message header, {where}"))
            self._garbage = 0

    def _headers(self) -> bool:
        buf = self._buf
        start = 0
        while start < len(buf) and buf[start] in _BLANK:
            start += 1
        if start:
            del buf[:start]
        if not buf:
            return False
        pos = 0
        fields: list[tuple[bytes, bytes]] = []
        while True:
            if buf.startswith(b"\r\n", pos) or buf.startswith(b"\n", pos):
                end = pos + (2 if buf.startswith(b"\r\n", pos) else 1)
                break
            m = _HEADER_LINE.match(buf, pos)
            if m is not None and m.end() <= MAX_HEADER_BYTES:
                fields.append((m.group(1).lower(), m.group(2)))
                pos = m.end()
                continue
            rest = buf[pos:]
            if b"\n" not in rest and len(buf) < MAX_HEADER_BYTES and _HEADER_PREFIX.fullmatch(rest):
                return False  # the rest of the header has not arrived
            return self._resync()
        if pos == 0:  # a blank line is skipped above, so this cannot happen; be safe
            return self._resync()
        self._flush_garbage("before the next header")
        del buf[:end]
        lengths = [value for name, value in fields if name == b"content-length"]
        declared = lengths[-1].decode("latin-1") if lengths else ""
        if len(lengths) == 1 and lengths[0].isdigit():
            # (int() refuses more than 4,300 digits; such a length is oversize anyway.)
            length = int(lengths[0]) if len(lengths[0]) <= 18 else 10**18
            if length > self.max_bytes:
                self._emit(Oversize(length, self.max_bytes))
                self._state, self._length, self._skipped, self._tail = self._SKIP, length, 0, b""
                if buf:
                    data = bytes(buf)
                    buf.clear()
                    self._drain(data)
                return self._state != self._SKIP
            self._state, self._length, self._declared, self._scanned = self._BODY, length, declared, 0
            return True
        self._declared = declared
        self._state, self._scanned = self._UNKNOWN, 0
        return True

    def _resync(self) -> bool:
        """Drop bytes up to the next ``Content-Length:`` (searched from the second byte on)."""
        buf = self._buf
        m = _CONTENT_LENGTH.search(buf, 1)
        if m is None:
            # Keep only an end that may be the start of the next header.
            keep = _header_name_start(bytes(buf[-len(b"content-length:") :]))
            self._garbage += len(buf) - keep
            del buf[: len(buf) - keep]
            return False
        self._garbage += m.start()
        del buf[: m.start()]
        return True

    def _cut_at_header(self, limit: int) -> int:
        """Where a ``Content-Length: N`` header starts in the pending body (before ``limit``), or -1."""
        from_ = max(0, self._scanned - _SCAN_OVERLAP)
        m = _NEXT_HEADER.search(self._buf, from_, limit)
        self._scanned = limit
        return -1 if m is None else m.start()

    def _body(self) -> bool:
        buf, n = self._buf, self._length
        limit = min(len(buf), n)
        cut = self._cut_at_header(limit + _SCAN_OVERLAP if len(buf) > limit else limit)
        if 0 <= cut < n:
            body = bytes(buf[:cut])
            del buf[:cut]
            self._state = self._HEADERS
            longer = f"Content-Length {n} is longer than the message ({cut} bytes): the next header starts inside it"
            if body.strip(_BLANK):
                self._emit(Frame(body, longer))
            else:
                self._emit(Dropped(len(body), longer))
            return True
        if len(buf) < n:
            return False
        body = bytes(buf[:n])
        del buf[:n]
        self._state = self._HEADERS
        problem: str | None = None
        if buf and not _looks_like_header_start(buf):
            # Something other than a header follows: the length may be too short.
            body, problem = self._extend_short(body, n)
        self._emit(Frame(body, problem))
        return True

    def _extend_short(self, body: bytes, n: int) -> tuple[bytes, str | None]:
        if _is_json(body):
            return body, None
        buf = self._buf
        m = _CONTENT_LENGTH.search(buf)
        tail_end = m.start() if m is not None else len(buf)
        candidate = body + bytes(buf[:tail_end])
        if _is_json(candidate):
            del buf[:tail_end]
            return candidate, f"Content-Length {n} is shorter than the message ({len(candidate)} bytes)"
        return body, None

    def _unknown_body(self) -> bool:
        """A body whose length the header does not give: up to the next header, or a whole JSON value."""
        buf = self._buf
        problem = f"Content-Length {self._declared!r} is not a length" if self._declared else "no Content-Length header"
        cut = self._cut_at_header(len(buf))
        if cut >= 0:
            body = bytes(buf[:cut])
            del buf[:cut]
            self._state = self._HEADERS
            if body.strip(_BLANK):
                self._emit(Frame(body, problem + "; the body ends at the next header"))
            else:
                self._emit(Dropped(len(body), problem))
            return True
        stripped = buf.rstrip(_BLANK)
        if stripped.endswith((b"}", b"]")) and _is_json(bytes(stripped)):
            body = bytes(buf)
            buf.clear()
            self._state = self._HEADERS
            self._emit(Frame(body, problem + "; the body is the JSON value that follows"))
            return True
        if len(buf) > self.max_bytes:
            self._emit(Oversize(None, self.max_bytes))
            data = bytes(buf)
            buf.clear()
            self._state, self._length, self._skipped, self._tail = self._SKIP, -1, 0, b""
            self._drain(data)
        return False

    def _drain(self, data: bytes) -> None:
        """Throw away an oversize body, watching for the next header in case its length was a lie."""
        remaining = self._length
        window = data if remaining < 0 else data[:remaining]
        scan = self._tail + window  # a header split across two reads is found too
        m = _NEXT_HEADER.search(scan)
        if m is not None:
            self._skipped += max(m.start() - len(self._tail), 0)
            self._tail = b""
            self._buf = bytearray(scan[m.start() :] + data[len(window) :])
            self._finish_skip("the next header starts inside it")
            return
        self._skipped += len(window)
        self._tail = scan[-_SCAN_OVERLAP:]
        if remaining >= 0:
            self._length = remaining - len(window)
            if self._length == 0:
                self._tail = b""
                self._buf = bytearray(data[len(window) :])
                self._finish_skip(None)

    def _finish_skip(self, why: str | None) -> None:
        self._state = self._HEADERS
        reason = "the rest of a message larger than the limit"
        self._emit(Dropped(self._skipped, reason + (f" ({why})" if why else "")))
        self._skipped = 0


def _looks_like_header_start(buf: bytearray) -> bool:
    head = bytes(buf[:64]).lstrip(_BLANK)
    if not head:
        return True
    return bool(_HEADER_PREFIX.match(head)) and bool(re.match(_TOKEN + rb"[ \t]*(:|$)", head))


def _header_name_start(tail: bytes) -> int:
    """The length of the longest end of ``tail`` that ``Content-Length:`` starts with."""
    lowered = tail.lower()
    for i in range(len(lowered)):
        if b"content-length:".startswith(lowered[i:]):
            return len(lowered) - i
    return 0


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


# -- reading stdin --------------------------------------------------------------------------------


class FdReader:
    """Reads frames from a file descriptor through its own buffer, and tells whether input waits.

    (``sys.stdin.buffer`` may hold a whole message that ``select`` cannot see.) Its decoder goes on
    to the stdio transport with whatever it holds, so nothing read is lost at the hand-over.
    """

    def __init__(self, fd: int, max_bytes: int | None = None) -> None:
        self.fd = fd
        self.decoder = FrameDecoder(max_bytes)
        self.eof = False

    def read_chunk(self) -> bytes:
        if self.eof:
            return b""
        try:
            chunk = os.read(self.fd, READ_SIZE)
        except OSError:
            chunk = b""
        if not chunk:
            self.eof = True
        return chunk

    def _fill(self, timeout: float | None) -> bool:
        if self.eof:
            return False
        if timeout is not None:
            ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
            if not ready:
                return False
        chunk = self.read_chunk()
        if not chunk:
            self.decoder.close()
            return False
        self.decoder.feed(chunk)
        return True

    def waiting(self, timeout: float) -> bool:
        """Whether input is available now or arrives within ``timeout`` seconds (POSIX only)."""
        return self.decoder.has_events or self.decoder.buffered > 0 or self._fill(timeout)

    def read_event(self) -> Event | None:
        """The next event, reading as needed; None at the end of the input."""
        while (event := self.decoder.next()) is None:
            if not self._fill(None) and self.eof:
                return self.decoder.next()
        return event


def decode_message(body: bytes) -> dict[str, Any] | None:
    """A body as a JSON object, or None."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


# -- from bodies to the protocol --------------------------------------------------------------------


class Writer(Protocol):
    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class Connection:
    """One client's stream of events, handed to one server's protocol.

    Ends (``closed``) when the client sends ``exit``; ``exit_code`` is then what pygls asked for.
    """

    def __init__(self, server: DockerfileLanguageServer, writer: Writer, *, headers: bool = True, name: str = "stdio") -> None:
        self.server = server
        self.writer = writer
        self.headers = headers
        self.name = name
        self.closed = False
        self.exit_code = 1
        self._warned_oversize = False
        self.on_close: Callable[[], None] | None = None
        server.protocol.set_writer(writer, include_headers=headers)

    def handle(self, event: Event) -> None:
        if self.closed:
            return
        if isinstance(event, Frame):
            if event.problem:
                log.warning("%s: %s", self.name, event.problem)
            self.dispatch(event.body)
        elif isinstance(event, Dropped):
            log.warning("%s: dropped %d bytes: %s", self.name, event.size, event.reason)
        else:
            size = f"of {event.length:,} bytes" if event.length is not None else "without a length"
            log.warning("%s: skipping a message %s: the limit is %s bytes", self.name, size, f"{event.limit:,}")
            if not self._warned_oversize:
                self._warned_oversize = True
                self.send(
                    {
                        "jsonrpc": "2.0",
                        "method": "window/showMessage",
                        "params": {
                            "type": 2,
                            "message": f"dockerfile-refactor-ls skipped a message {size}: the limit is "
                            f"{event.limit:,} bytes (--max-message-size or ${MAX_MESSAGE_ENV}).",
                        },
                    }
                )

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        if self.headers:
            body = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        try:
            self.writer.write(body)
        except OSError:
            log.info("%s: the client is gone; could not send", self.name)

    def error(self, code: int, message: str, msg_id: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def dispatch(self, body: bytes) -> None:
        """Decode one body and hand it to pygls (as ``pygls.io_`` does), answering what it cannot."""
        from pygls.exceptions import JsonRpcException

        protocol = self.server.protocol
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            log.warning("%s: a %d-byte body is not JSON (%s): answered with a parse error", self.name, len(body), exc)
            self.error(PARSE_ERROR, f"Parse error: {exc}")
            return
        except JsonRpcException as exc:
            # structure_message answered requests itself (and logged why); notifications are dropped.
            log.warning("%s: a message could not be decoded: %s", self.name, exc)
            return
        except Exception:
            log.exception("%s: unable to decode a message", self.name)
            return
        if isinstance(message, dict) or not hasattr(message, "jsonrpc"):
            msg_id = message.get("id") if isinstance(message, dict) else None
            if not isinstance(msg_id, (int, str)) or isinstance(msg_id, bool):
                msg_id = None
            log.warning("%s: not a JSON-RPC message: %.200r", self.name, body)
            self.error(INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message", msg_id)
            return
        msg_id = getattr(message, "id", None)
        if msg_id is not None and (not isinstance(msg_id, (int, str)) or isinstance(msg_id, bool)):
            log.warning("%s: a message with the id %.100r, which is neither a number nor a string", self.name, msg_id)
            self.error(INVALID_REQUEST, "Invalid Request: an id must be a number or a string")
            return
        try:
            protocol.handle_message(message)
        except SystemExit as exc:  # pygls' exit handler
            self.exit_code = exc.code if isinstance(exc.code, int) else 1
            self.close()
        except Exception as exc:
            log.exception("%s: unable to handle a message", self.name)
            report_server_error(self.server, exc, JsonRpcException)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.on_close is not None:
            self.on_close()


# -- stdio ----------------------------------------------------------------------------------------


class StdoutWriter:
    """stdout for one stdio session: the early phase, its analysis thread and pygls share it,
    and the lock keeps their messages whole."""

    def __init__(self) -> None:
        self._out = sys.stdout.buffer
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._out.write(data)
            self._out.flush()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._out.close()


def serve_stdio(
    server: DockerfileLanguageServer, reader: FdReader, replay: list[Event], writer: StdoutWriter | None = None
) -> int:
    """Serve one client over stdin/stdout; the exit code the LSP asks for (0 after shutdown).
    ``writer``: the one the early phase wrote with, if any."""
    writer = writer or StdoutWriter()
    conn = Connection(server, writer)
    # At most this many chunks wait for the event loop: a flood cannot fill the memory.
    slots = threading.BoundedSemaphore(64)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def finish() -> None:
            if not done.done():
                done.set_result(None)

        conn.on_close = finish

        def drain() -> None:
            while not conn.closed and (event := reader.decoder.next()) is not None:
                conn.handle(event)

        def on_chunk(chunk: bytes) -> None:
            slots.release()
            if conn.closed:
                return
            if chunk:
                reader.decoder.feed(chunk)
            else:
                reader.decoder.close()
            drain()
            if not chunk:
                finish()

        def read_loop() -> None:
            while True:
                slots.acquire()
                chunk = reader.read_chunk()
                try:
                    loop.call_soon_threadsafe(on_chunk, chunk)
                except RuntimeError:  # the loop is closed
                    return
                if not chunk:
                    return

        for event in replay:
            conn.handle(event)
        drain()
        if reader.eof:
            finish()
        elif not conn.closed:
            threading.Thread(target=read_loop, name="stdin-reader", daemon=True).start()
        await done

    try:
        asyncio.run(main())
    except BrokenPipeError:
        log.error("the client closed stdout; shutting down")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
    if conn.closed:
        return conn.exit_code
    # The input ended without `exit`: 0 only if the client had asked for shutdown.
    return 0 if shutdown_received(server.protocol) else 1


# -- TCP and WebSocket ----------------------------------------------------------------------------


class _StreamWriter:
    """pygls' writer interface over an asyncio stream; writes after the close are dropped."""

    def __init__(self, stream: asyncio.StreamWriter) -> None:
        self._stream = stream
        self.closed = False

    def write(self, data: bytes) -> None:
        if not self.closed and not self._stream.is_closing():
            self._stream.write(data)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._stream.close()


class _WsWriter:
    """Sends in order through one task; pygls' own writer starts a task per message."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._task = asyncio.ensure_future(self._run())
        self.closed = False

    async def _run(self) -> None:
        from websockets.exceptions import ConnectionClosed

        while (data := await self._queue.get()) is not None:
            try:
                await self._ws.send(data.decode("utf-8"))
            except ConnectionClosed:
                return

    def write(self, data: bytes) -> None:
        if not self.closed:
            self._queue.put_nowait(data)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._queue.put_nowait(None)

    async def flush_and_close(self) -> None:
        self.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._task, 5)
        with contextlib.suppress(Exception):
            await self._ws.close()


ServerFactory = Callable[[], "DockerfileLanguageServer"]


class NetworkServer:
    """Listens on TCP or WebSocket; every connection gets its own language server.

    A client's ``exit``, or its disconnect, ends its session only. The process ends on SIGINT or
    SIGTERM, or when the editor that started it (the parent process, named by a client's
    ``processId``) is gone.
    """

    def __init__(self, factory: ServerFactory, max_bytes: int | None = None) -> None:
        self.factory = factory
        self.max_bytes = max_message_bytes(max_bytes)
        self.sessions = 0
        self.active = 0
        self._parent = os.getppid()
        self._stopped: asyncio.Future[None] | None = None

    def _new_server(self, conn_name: str, close: Callable[[], None]) -> DockerfileLanguageServer:
        server = self.factory()
        loop = asyncio.get_running_loop()

        def client_gone(pid: int) -> None:
            # Called from the parent-watch thread.
            log.info("%s: the client's process %s is gone; closing its session", conn_name, pid)
            loop.call_soon_threadsafe(close)
            if pid == self._parent:
                log.info("the process that started this server is gone; exiting")
                loop.call_soon_threadsafe(self.stop)

        server.client_gone = client_gone
        return server

    def stop(self) -> None:
        if self._stopped is not None and not self._stopped.done():
            self._stopped.set_result(None)

    def _session_started(self, name: str) -> None:
        self.sessions += 1
        self.active += 1
        log.info("%s: connected (%d client(s) now)", name, self.active)

    def _session_ended(self, name: str, server: DockerfileLanguageServer) -> None:
        self.active -= 1
        server.end_session()
        log.info("%s: session ended (%d client(s) left)", name, self.active)

    async def _tcp_client(self, reader: asyncio.StreamReader, stream: asyncio.StreamWriter) -> None:
        peer = stream.get_extra_info("peername")
        name = f"tcp {peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "tcp"
        writer = _StreamWriter(stream)
        server = self._new_server(name, writer.close)
        conn = Connection(server, writer, name=name)
        decoder = FrameDecoder(self.max_bytes)
        self._session_started(name)
        try:
            while not conn.closed and not writer.closed:
                try:
                    chunk = await reader.read(READ_SIZE)
                except (ConnectionError, OSError):
                    chunk = b""
                if not chunk:
                    decoder.close()
                else:
                    decoder.feed(chunk)
                while not conn.closed and (event := decoder.next()) is not None:
                    conn.handle(event)
                if not chunk:
                    break
        finally:
            writer.close()
            self._session_ended(name, server)

    async def _ws_client(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        peer = ws.remote_address
        name = f"ws {peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "ws"
        writer = _WsWriter(ws)
        closing: list[asyncio.Future[None]] = []

        def close() -> None:  # from outside the read loop (the client's editor is gone)
            if not closing:
                closing.append(asyncio.ensure_future(writer.flush_and_close()))

        server = self._new_server(name, close)
        conn = Connection(server, writer, headers=False, name=name)
        self._session_started(name)
        try:
            while not conn.closed and not writer.closed:
                try:
                    data = await ws.recv(decode=False)
                except ConnectionClosed as exc:
                    rcvd = exc.rcvd
                    if (rcvd is not None and rcvd.code == 1009) or (exc.sent is not None and exc.sent.code == 1009):
                        log.warning("%s: closed: a message was larger than the limit (%s bytes)", name, f"{self.max_bytes:,}")
                    break
                self._ws_message(conn, data)
        finally:
            await writer.flush_and_close()
            self._session_ended(name, server)

    def _ws_message(self, conn: Connection, data: bytes) -> None:
        # One message per WebSocket frame; some bridges keep the stdio headers: accept both.
        if data[:15].lower() == b"content-length:":
            decoder = FrameDecoder(self.max_bytes)
            decoder.feed(data)
            decoder.close()
            while (event := decoder.next()) is not None:
                conn.handle(event)
            return
        conn.handle(Frame(data))

    async def _serve(self, transport: str, host: str, port: int, ready: Callable[[str], None] | None) -> None:
        loop = asyncio.get_running_loop()
        self._stopped = loop.create_future()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stop)
        listener: Any
        if transport == "tcp":
            listener = await asyncio.start_server(self._tcp_client, host, port, limit=READ_SIZE)
        else:
            from websockets.asyncio.server import serve

            listener = await serve(self._ws_client, host, port, max_size=self.max_bytes, compression=None)
        addresses = ", ".join(_address(sock.getsockname()) for sock in listener.sockets)
        log.warning("serving LSP over %s on %s (one session per connection)", "TCP" if transport == "tcp" else "WebSocket", addresses)
        if host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("%s is reachable from other machines, and LSP has no authentication", host)
        if ready is not None:
            ready(addresses)
        try:
            await self._stopped
        finally:
            listener.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(listener.wait_closed(), 5)

    def serve(self, transport: str, host: str, port: int, ready: Callable[[str], None] | None = None) -> int:
        """Serve until stopped; 0."""
        try:
            asyncio.run(self._serve(transport, host, port, ready))
        except KeyboardInterrupt:
            pass
        return 0


def _address(sockname: Any) -> str:
    host, port = sockname[0], sockname[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
