"""Command line: serve LSP (default), ``check`` files for CI, ``fix`` them with a refactoring."""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .server import DockerfileLanguageServer

DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")


def _is_dockerfile(path: Path) -> bool:
    name = path.name
    return (
        name in DOCKERFILE_NAMES
        or name.endswith((".Dockerfile", ".dockerfile", ".Containerfile"))
        or name.startswith(("Dockerfile.", "Containerfile."))
    )


def iter_dockerfiles(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                if sub.is_file() and _is_dockerfile(sub) and not any(part.startswith(".") for part in sub.parts[len(p.parts):]):
                    yield sub
        else:
            yield p


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        return fh.read()


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
    replay: list[transport.Event] = []
    if fast_start.enabled():
        event, message = fast_start.read_message(reader)
        if event is not None:
            replay.append(event)
        reply = fast_start.initialize_response(message, __version__) if message else None
        if reply is not None and message is not None:
            write = fast_start.stdout_writer()
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
    return transport.serve_stdio(server, reader, replay)


def _new_server(answered_initialize_id: int | str | None = None) -> DockerfileLanguageServer:
    from .server import DockerfileProtocol, create_server

    server = create_server()
    assert isinstance(server.protocol, DockerfileProtocol)
    server.protocol.answered_initialize_id = answered_initialize_id
    # Importing pygls and lsprotocol leaves ~half a million long-lived objects that every cyclic
    # collection would walk again: move them out of the collector's sight. With the threshold above,
    # measured by make bench: keystroke latency at 50,000 lines 2.0-2.4 s -> ~1.9 s, open 7.5 s -> 3.7 s.
    import gc

    gc.collect()
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


def _severity_name(sev: int) -> str:
    return {1: "error", 2: "warning", 3: "info", 4: "hint"}.get(sev, "info")


def _settings_for(path: Path, config: str | None):  # type: ignore[no-untyped-def]
    from .engine.settings import Settings

    settings = Settings()
    candidates = [Path(config)] if config else [d / n for d in [path.parent, *path.parent.parents] for n in (".hadolint.yaml", ".hadolint.yml")]
    for c in candidates:
        if c.is_file():
            settings = settings.with_hadolint_yaml(c.read_text(encoding="utf-8", errors="replace"))
            break
    return settings


def _check(args: argparse.Namespace) -> int:
    from .engine.analysis import diagnose
    from .engine.findings import Severity
    from .engine.model import Dockerfile
    from .engine.text import PositionEncoding
    from .rules.registry import rule_by_code

    threshold = Severity.parse(args.failure_threshold) or Severity.WARNING
    files = list(iter_dockerfiles(args.paths or ["."]))
    worst_exit = 0
    sarif_results: list[dict[str, object]] = []
    used_rules: dict[str, dict[str, object]] = {}
    out = sys.stdout
    for path in files:
        try:
            text = _read(path)
        except OSError as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            worst_exit = 2
            continue
        settings = _settings_for(path, args.config)
        if args.ignore:
            settings.ignore = settings.ignore | set(args.ignore)
        file_threshold = settings.failure_threshold or threshold
        doc = Dockerfile(text, PositionEncoding.UTF32)
        dockerignore = path.parent / ".dockerignore"
        findings = diagnose(doc, settings, dockerignore.read_text(errors="replace") if dockerignore.is_file() else None)
        for f in findings:
            pos = doc.range(f.span).start
            if f.severity <= file_threshold:
                worst_exit = max(worst_exit, 1)
            if args.format == "sarif":
                rule = rule_by_code(f.code)
                used_rules[f.code] = {
                    "id": f.code,
                    "shortDescription": {"text": rule.summary if rule else f.code},
                    "helpUri": rule.url if rule else None,
                }
                sarif_results.append(
                    {
                        "ruleId": f.code,
                        "level": {1: "error", 2: "warning"}.get(int(f.severity), "note"),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": path.as_posix()},
                                    "region": {"startLine": pos.line + 1, "startColumn": pos.character + 1},
                                }
                            }
                        ],
                    }
                )
            elif args.format == "json":
                out.write(
                    json.dumps(
                        {
                            "file": str(path),
                            "line": pos.line + 1,
                            "column": pos.character + 1,
                            "severity": _severity_name(int(f.severity)),
                            "code": f.code,
                            "message": f.message,
                        }
                    )
                    + "\n"
                )
            else:
                out.write(f"{path}:{pos.line + 1}:{pos.character + 1} {_severity_name(int(f.severity))} {f.code} {f.message}\n")
    if args.format == "sarif":
        sarif = {
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "dockerfile-refactor-ls",
                            "version": __version__,
                            "rules": list(used_rules.values()),
                        }
                    },
                    "results": sarif_results,
                }
            ],
        }
        json.dump(sarif, out, indent=2)
        out.write("\n")
    return 0 if args.exit_zero else worst_exit


def _fix(args: argparse.Namespace) -> int:
    from .engine.findings import apply_edits, fix_all_edits
    from .engine.model import Dockerfile
    from .refactors.registry import all_refactorings, plan, refactoring_named

    names = [r.name for r in all_refactorings()]
    status = 0
    for path in iter_dockerfiles(args.paths):
        text = _read(path)
        doc = Dockerfile(text)
        if args.all:
            from .engine.analysis import diagnose

            edits = fix_all_edits(diagnose(doc, _settings_for(path, None)))
            new = apply_edits(text, edits) if edits else text
        else:
            ref = refactoring_named(args.action)
            if ref is None:
                print(f"unknown action {args.action!r}; choose from {', '.join(names)}", file=sys.stderr)
                return 2
            result = plan(ref, doc, None)
            if result is None:
                print(f"{path}: {ref.name} does not apply", file=sys.stderr)
                status = max(status, 1)
                continue
            new = apply_edits(text, result.edits)
        if new == text:
            continue
        if args.write:
            with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
                fh.write(new)
            print(f"{path}: rewritten", file=sys.stderr)
        elif args.diff or not args.write:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    return status


def build_parser() -> argparse.ArgumentParser:
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

    check = sub.add_parser("check", help="report findings as file:line:col severity code message")
    check.add_argument("paths", nargs="*", help="files or directories (default: .)")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument(
        "--failure-threshold",
        default="warning",
        help="lowest severity that makes the exit code 1 (error, warning, info, hint)",
    )
    check.add_argument("--ignore", action="append", metavar="CODE", help="skip a rule (repeatable)")
    check.add_argument("--config", help="a .hadolint.yaml to use (default: nearest one above each file)")
    check.add_argument("--exit-zero", action="store_true", help="always exit 0 (report only)")

    fix = sub.add_parser("fix", help="apply a refactoring or all safe fixes; prints a diff by default")
    fix.add_argument("paths", nargs="+")
    group = fix.add_mutually_exclusive_group(required=True)
    group.add_argument("--action", help="splitStages, cacheDependencies or nonRootUser")
    group.add_argument("--all", action="store_true", help="apply every safe quick fix (like source.fixAll)")
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff (default)")
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return _check(args)
    if args.command == "fix":
        return _fix(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
