"""Protocol fuzzer: random frames, headers and bodies at the real server, over stdio, TCP or WebSocket.

For a fixed time budget it sends random mixtures of well-formed messages, the hostile client's bad
frames (``tests/reliability/hostile.py``), and mutations of both: wrong or missing Content-Length,
header noise, truncated and spliced bodies, random bytes, random JSON values. Every few frames, and
at the end, it requires the server to answer a well-formed request (documentSymbol on the document
it opened) within ``--answer-timeout`` seconds, and that everything the server writes is a
well-formed frame. Exit status 1 on any failure (the seed is printed; ``--seed`` replays it).

    python scripts/fuzz/protocol_fuzz.py --transport stdio --time 60
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.reliability import hostile  # noqa: E402
from tests.reliability.hostile import Client, ServerProcess, connect  # noqa: E402

METHODS = [
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/codeAction",
    "$/cancelRequest",
    "textDocument/didChange",
    "workspace/didChangeConfiguration",
    "no/such/method",
]


def random_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, -1, 2**63, 1.5, "", "x" * rng.randrange(50), "é😀\u2028"])
    if kind == 2:
        return rng.randrange(-5, 10**6)
    if kind == 3:
        return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(20)))
    if kind in (4, 5):
        return {rng.choice(["id", "method", "params", "jsonrpc", "result", "error", "k"]): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}
    return [random_json(rng, depth + 1) for _ in range(rng.randrange(5))]


def random_message(rng: random.Random, n: int) -> dict[str, object]:
    method = rng.choice(METHODS)
    msg: dict[str, object] = {"jsonrpc": "2.0", "method": method}
    if rng.random() < 0.7:
        msg["id"] = rng.choice([f"fz-{n}", n + 10**6, None, {}, [1]]) if rng.random() < 0.2 else f"fz-{n}"
    params: object
    if method == "textDocument/didChange":
        params = {"textDocument": {"uri": hostile.URI, "version": 2}, "contentChanges": [{"text": hostile.TEXT}]}
    elif rng.random() < 0.5:
        params = {"textDocument": {"uri": hostile.URI}, "position": {"line": rng.randrange(10), "character": rng.randrange(40)}}
    else:
        params = random_json(rng)
    msg["params"] = params
    return msg


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One random damage to a frame."""
    op = rng.randrange(9)
    head, sep, body = data.partition(b"\r\n\r\n")
    if op == 0 and sep:  # wrong length
        delta = rng.choice([-50, -7, -1, 1, 7, 50, 10**6, 10**12])
        return b"Content-Length: %d\r\n\r\n" % max(len(body) + delta, 0) + body
    if op == 1 and sep:
        return rng.choice([b"Content-Length: -3", b"Content-Length: x", b"Content-Length:", b"Content-Type: a/b", b"X: y"]) + b"\r\n\r\n" + body
    if op == 2:  # truncate
        return data[: rng.randrange(len(data) + 1)]
    if op == 3:  # flip bytes
        buf = bytearray(data)
        for _ in range(rng.randrange(1, 5)):
            if buf:
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        return bytes(buf)
    if op == 4:  # header noise
        return rng.choice([b"\r\n", b"\n\n", b"Content-Type: x\r\n", b"garbage", b"\x00\xff"]) + data
    if op == 5:  # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    if op == 6 and sep:  # LF-only headers, lower case
        return head.lower().replace(b"\r\n", b"\n") + b"\n\n" + body
    if op == 7:  # a random JSON value, framed
        value = json.dumps(random_json(rng)).encode()
        return b"Content-Length: %d\r\n\r\n" % len(value) + value
    return data


def own_tracebacks(log: str) -> list[str]:
    """Tracebacks logged by our transport layer (a crash in the framing).

    pygls logs a traceback for every message it cannot structure (random params, ids, fields) and
    answers it with an error: those are the expected cost of random input, counted in the summary.
    """
    blocks = re.split(r"\n(?=\d{4}-\d\d-\d\d )", log)
    return [b for b in blocks if "Traceback" in b and " dockerfile_refactor_ls.transport:" in b.split("\n", 1)[0]]


def run(transport: str, seconds: float, seed: int, answer_timeout: float, check_every: int) -> int:
    rng = random.Random(seed)
    log_dir = Path(tempfile.mkdtemp(prefix="protocol-fuzz-"))
    server = ServerProcess(transport, log_dir)
    frames = checks = 0
    slowest = 0.0
    try:
        client: Client = connect(server)
        client.start_session()
        cases = hostile.ws_cases() if transport == "ws" else hostile.stream_cases()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if transport == "ws":
                choice = rng.random()
                if choice < 0.4:
                    data = rng.choice(cases).data
                elif choice < 0.8:
                    data = hostile.body_of(random_message(rng, frames))
                else:
                    data = bytes(rng.randrange(256) for _ in range(rng.randrange(100)))
                client.send_raw(data)
            else:
                batch = b""
                for _ in range(rng.randrange(1, 6)):
                    choice = rng.random()
                    if choice < 0.3:
                        piece = rng.choice(cases).data
                    else:
                        piece = hostile.framed(random_message(rng, frames))
                        if choice < 0.8:
                            piece = mutate(rng, piece)
                    batch += piece
                    frames += 1
                # Sometimes in several writes, split anywhere.
                while batch:
                    cut = len(batch) if rng.random() < 0.7 else rng.randrange(1, len(batch) + 1)
                    client.send_raw(batch[:cut])
                    batch = batch[cut:]
            frames += 1
            if frames % check_every == 0 or time.monotonic() >= deadline:
                # A frame whose length was a lie may still wait for bytes: a well-formed frame ends it.
                reply, took = client.well_formed_request(answer_timeout)
                if not reply.get("result"):
                    raise AssertionError(f"documentSymbol answered without symbols: {reply}")
                checks += 1
                slowest = max(slowest, took)
                client.pending()
                client.received.clear()
        reply, took = client.well_formed_request(answer_timeout)
        assert reply.get("result"), reply
        checks += 1
        if client.violations:
            raise AssertionError(f"the server wrote malformed frames: {client.violations[:5]}")
        if server.proc.poll() is not None:
            raise AssertionError(f"the server exited with {server.proc.returncode}")
        crashes = own_tracebacks(server.log())
        if crashes:
            raise AssertionError(f"{len(crashes)} exception(s) in the server's own framing layer, first:\n{crashes[0]}")
    except (AssertionError, TimeoutError, EOFError, OSError) as exc:
        print(f"protocol fuzz ({transport}, seed {seed}) FAILED after {frames} frames: {exc}", file=sys.stderr)
        print(f"server log: {server.log_path}", file=sys.stderr)
        server.stop()
        return 1
    logged = server.log().count("Traceback (most recent call last)")
    server.stop()
    print(
        f"protocol fuzz ({transport}, seed {seed}): {frames} frames in {seconds:.0f} s, {checks} well-formed "
        f"requests answered (slowest {slowest * 1000:.0f} ms), output well-formed; pygls logged {logged} "
        "tracebacks for messages it could not structure"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transport", choices=("stdio", "tcp", "ws", "all"), default="all")
    parser.add_argument("--time", type=float, default=60.0, help="seconds per transport")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--answer-timeout", type=float, default=10.0)
    parser.add_argument("--check-every", type=int, default=25, help="frames between well-formed requests")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    transports = ("stdio", "tcp", "ws") if args.transport == "all" else (args.transport,)
    status = 0
    for transport in transports:
        status |= run(transport, args.time, seed, args.answer_timeout, args.check_every)
    return status


if __name__ == "__main__":
    sys.exit(main())
