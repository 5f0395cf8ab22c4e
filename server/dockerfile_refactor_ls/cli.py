"""Command line: serve LSP (default), ``check`` files for CI, ``fix`` them with a refactoring."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .server import DockerfileLanguageServer


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return (host.strip("[]") or "127.0.0.1"), int(port)


def _stdin_fd() -> int:
    try:
        return sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return -1


def _serve(args: argparse.Namespace) -> int:
    # Logs go to stderr: stdout is the LSP channel.
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, args.log_level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # A keystroke allocates tens of thousands of short-lived objects: collect the young generation
    # less often (set before the first document is parsed; see the freeze below).
    import gc

    gc.set_threshold(20_000, 20, 20)
    from . import fast_start, transport

    max_bytes = transport.max_message_bytes(args.max_message_size)
    if args.tcp or args.ws:
        return _serve_network(args, max_bytes)
    reader = transport.FdReader(_stdin_fd(), max_bytes)
    answered_id = None
    early = None
    writer = transport.StdoutWriter()
    replay: list[transport.Event] = []
    if fast_start.enabled():
        event, message = fast_start.read_message(reader)
        if event is not None:
            replay.append(event)
        reply = fast_start.initialize_response(message, __version__) if message else None
        if reply is not None and message is not None:
            write = writer.write
            write(reply)
            answered_id = message["id"]
            # select() polls pipes on POSIX only; elsewhere just the initialize reply comes early.
            if os.name == "posix":
                early = fast_start.early_diagnostics(reader, write, message["params"])
                replay += early.replay

    server = _new_server(answered_id)
    if early is not None:
        server.adopt_early_start(early)
    # pygls' exit handler calls sys.exit(0 or 1); the transport turns it into the exit code: the
    # LSP asks for 0 after shutdown, 1 otherwise.
    return transport.serve_stdio(server, reader, replay, writer)


def _new_server(answered_initialize_id: int | str | None = None) -> DockerfileLanguageServer:
    from .server import DockerfileProtocol, create_server

    server = create_server()
    assert isinstance(server.protocol, DockerfileProtocol)
    server.protocol.answered_initialize_id = answered_initialize_id
    # Importing pygls and lsprotocol leaves ~half a million long-lived objects that every cyclic
    # collection would walk again: move them out of the collector's sight. With the threshold above,
    # measured by make bench: keystroke latency at 50,000 lines 2.0-2.4 s -> ~1.9 s, open 7.5 s -> 3.7 s.
    # No gc.collect() first (it would free the imports' few garbage cycles): it runs even while the
    # collector is paused, and here the analysis thread may be half-way through a big document the
    # early phase handed it, millions of young objects it walked for 0.9-4.6 s with the GIL held
    # at 50,000 stages.
    import gc

    gc.freeze()
    return server


def _serve_network(args: argparse.Namespace, max_bytes: int) -> int:
    """--tcp / --ws: one language server per connection (see transport.NetworkServer)."""
    from .server import create_server
    from .transport import NetworkServer

    _new_server()  # imports everything and freezes it before the first client
    transport_name = "tcp" if args.tcp else "ws"
    host, port = _host_port(args.tcp or args.ws)
    return NetworkServer(create_server, max_bytes).serve(transport_name, host, port)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line. ``commands=False`` leaves out the options of ``check`` and ``fix``, whose
    choices import every report format (~15-35 ms) before a language server could answer
    ``initialize``; ``main`` asks for it only when no command or help is on the command line."""
    parser = argparse.ArgumentParser(
        prog="dockerfile-refactor-ls",
        description="A Dockerfile language server (LSP over stdio by default) with a CLI for CI.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve LSP over stdio (the default)")
    parser.add_argument(
        "--tcp", metavar="HOST:PORT", help="serve LSP over TCP, one session per connection (host: 127.0.0.1)"
    )
    parser.add_argument("--ws", metavar="HOST:PORT", help="serve LSP over WebSocket, like --tcp")
    parser.add_argument(
        "--max-message-size",
        type=int,
        metavar="BYTES",
        help="skip any LSP message larger than this (default 64 MiB, or $DOCKERFILE_REFACTOR_LS_MAX_MESSAGE_BYTES)",
    )
    parser.add_argument("--log-level", default=os.environ.get("DOCKERFILE_REFACTOR_LS_LOG", "warning"))
    sub = parser.add_subparsers(dest="command")
    if not commands:
        for name in _COMMANDS:
            sub.add_parser(name)  # so a mistyped command is still "invalid choice"
        return parser

    from .checking.cli_args import add_check_parser, add_fix_parser

    add_check_parser(sub)
    add_fix_parser(sub)
    return parser


_COMMANDS = ("check", "fix")


# The GIL switch interval while serving (the default is 5 ms): see main().
SERVER_SWITCH_INTERVAL = 0.0005


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    serving = not any(w in _COMMANDS or w in ("-h", "--help") for w in words)
    args = build_parser(commands=not serving).parse_args(words)
    if args.command in ("check", "fix"):
        from .checking.command import run

        return _quiet_pipe(lambda: run(args.command, args))
    # The analysis thread parses and checks a huge file for seconds in pure Python, and the event
    # loop gives up the GIL at every select() and write: under the default 5 ms switch interval it
    # waits that long each time it takes the GIL back, and a request sent right after didOpen at
    # 50,000 stages (4 MB) was answered (ServerCancelled: ask again) after 1.3-3.4 s. At 0.5 ms the
    # worst of a request every 30 ms meanwhile is 0.2-0.36 s, and the whole analysis no slower.
    sys.setswitchinterval(SERVER_SWITCH_INTERVAL)
    return _serve(args)


def _quiet_pipe(fn: Callable[[], int]) -> int:
    """Run ``fn``; a reader that goes away (``check … | head``) ends the run quietly with the status
    a SIGPIPE gives (141), and Ctrl-C with 130, without a traceback."""
    try:
        code = fn()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
