"""Command line: serve LSP (default), ``check`` files for CI, ``fix`` them with a refactoring."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from . import __version__


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return (host or "127.0.0.1"), int(port)


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
    from . import fast_start

    answered_id = None
    stdin = None
    early = None
    if not args.tcp and not args.ws and fast_start.enabled():
        # select() polls pipes on POSIX only; elsewhere just the initialize reply comes early.
        reader = fast_start.FdReader(_stdin_fd()) if os.name == "posix" and _stdin_fd() >= 0 else None
        raw, message = fast_start.read_message(reader or sys.stdin.buffer)
        reply = fast_start.initialize_response(message, __version__) if message else None
        if reply is not None and message is not None:
            write = fast_start.stdout_writer()
            write(reply)
            answered_id = message["id"]
            if reader is not None:
                early = fast_start.early_diagnostics(reader, write, message["params"])
                raw += early.replay
        if reader is not None:
            raw += reader.leftover()
        stdin = fast_start.ReplayReader(raw, sys.stdin.buffer)

    from .server import DockerfileProtocol, create_server

    server = create_server()
    assert isinstance(server.protocol, DockerfileProtocol)
    if early is not None:
        server.adopt_early_start(early)
    # Importing pygls and lsprotocol leaves ~half a million long-lived objects that every cyclic
    # collection would walk again: move them out of the collector's sight. With the threshold above,
    # measured by make bench: keystroke latency at 50,000 lines 2.0-2.4 s -> ~1.9 s, open 7.5 s -> 3.7 s.
    gc.collect()
    gc.freeze()
    server.protocol.answered_initialize_id = answered_id
    if args.tcp:
        host, port = _host_port(args.tcp)
        server.start_tcp(host, port)
    elif args.ws:
        host, port = _host_port(args.ws)
        server.start_ws(host, port)
    else:
        server.start_io(stdin=stdin)  # type: ignore[arg-type]
    # pygls' exit handler calls sys.exit(0 or 1), but start_io swallows the SystemExit: the LSP
    # asks for 0 after shutdown, 1 otherwise.
    return 0 if server.protocol._shutdown else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockerfile-refactor-ls",
        description="A Dockerfile language server (LSP over stdio by default) with a CLI for CI.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve LSP over stdio (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve LSP over TCP")
    parser.add_argument("--ws", metavar="HOST:PORT", help="serve LSP over WebSocket")
    parser.add_argument("--log-level", default=os.environ.get("DOCKERFILE_REFACTOR_LS_LOG", "warning"))
    sub = parser.add_subparsers(dest="command")

    from .checking.cli_args import add_check_parser, add_fix_parser

    add_check_parser(sub)
    add_fix_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("check", "fix"):
        from .checking.command import run

        return _quiet_pipe(lambda: run(args.command, args))
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
