#!/usr/bin/env python3
"""Side-by-side benchmark of dockerfile-refactor-ls and dockerfile-language-server-nodejs.

Both servers are driven over stdio by the same minimal asyncio JSON-RPC client (below, standard
library only) on the files written by scripts/bench/generate.py, and one table is printed:
median / p90 / max in milliseconds for

  * spawn -> `initialize` result,
  * `didOpen` -> first `textDocument/publishDiagnostics` for that uri,
  * a one-character `didChange` -> the next `publishDiagnostics` (keystroke latency),
  * completion at the end of a `COPY --from=` line, code actions over the whole document,
    hover over an instruction keyword,
  * peak RSS of the server's process tree (MiB),

each with the ratio ours / theirs (of the medians). It then prints how our costs grow from
5,000 to 50,000 lines and the `check` CLI's throughput on ../shared/corpus/files/, and writes
the results (with the machine's description) to docs/performance.md.

Usage: python scripts/bench/run_bench.py [--quick] [--starts N] [--edits N] [--requests N] ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parents[2]
NODE_PKG = "dockerfile-language-server-nodejs"
NODE_VERSION = "0.15.0"
NODE_CACHE = REPO / ".cache" / "bench-node"
CORPUS = (REPO / ".." / "shared" / "corpus" / "files").resolve()
DOC = REPO / "docs" / "performance.md"
RESULTS_HEADING = "## Results"

METRICS = [
    ("init", "spawn → initialize result", "ms"),
    ("open", "didOpen → first diagnostics", "ms"),
    ("cold", "spawn → first diagnostics", "ms"),
    ("first-edit", "first keystroke after didOpen", "ms"),
    ("keystroke", "keystroke → diagnostics", "ms"),
    ("completion", "completion after COPY --from=", "ms"),
    ("codeAction", "code actions, whole document", "ms"),
    ("hover", "hover on instruction keyword", "ms"),
    ("signatureHelp", "signature help after COPY --from=", "ms"),
    ("inlayHint", "inlay hints, whole document", "ms"),
    ("pullDiagnostics", "pull diagnostics (full report)", "ms"),
    ("rss", "peak RSS of server tree", "MiB"),
]


# --------------------------------------------------------------------------------------------
# A minimal LSP client over stdio
# --------------------------------------------------------------------------------------------


class LspError(RuntimeError):
    """The server answered a request with an error."""


class ServerGone(Exception):
    """The server process exited or closed its stdout."""


class LspClient:
    """Content-Length framed JSON-RPC over a subprocess's stdin/stdout."""

    def __init__(self, argv: list[str], cwd: Path, log_path: Path) -> None:
        self.argv = argv
        self.cwd = cwd
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._reader_task: asyncio.Task[None] | None = None
        self._rss_task: asyncio.Task[None] | None = None
        self._log_file: Any = None
        # publishDiagnostics bookkeeping: per uri, how many publishes so far, the last one, waiters
        self.diag_count: dict[str, int] = {}
        self.last_diags: dict[str, dict[str, Any]] = {}
        self._diag_waiters: list[tuple[str, int, int | None, asyncio.Future[float]]] = []
        self.peak_rss_kib = 0
        self.server_requests: dict[str, int] = {}
        self.closed = asyncio.Event()

    # -- process ------------------------------------------------------------------------------
    async def start(self) -> float:
        """Spawn the server; return the perf_counter() timestamp of the spawn."""
        self._log_file = open(self.log_path, "ab")
        t0 = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=self.cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._log_file,
            limit=1 << 20,
        )
        self._reader_task = asyncio.create_task(self._read_loop())
        self._rss_task = asyncio.create_task(self._poll_rss())
        return t0

    async def close(self) -> None:
        """Shut the server down politely, then by force."""
        proc = self.proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(Exception):
                await self.request("shutdown", None, timeout=5)
                await self.notify("exit", None)
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                kill_tree(proc.pid)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(proc.wait(), 5)
        for task in (self._reader_task, self._rss_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        if self._log_file is not None:
            self._log_file.close()

    def log_tail(self, n: int = 5) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(lines[-n:])

    async def _poll_rss(self) -> None:
        # VmRSS of the known tree every 20 ms (one small file read each); the /proc scan for
        # new descendants runs every 0.5 s in a worker thread so it never delays a message.
        assert self.proc is not None
        pid = self.proc.pid
        pids, scanned = [pid], 0.0
        while True:
            now = time.monotonic()
            if now - scanned > 0.5:
                pids, scanned = await asyncio.to_thread(descendants, pid), now
            self.peak_rss_kib = max(self.peak_rss_kib, tree_kib(pids))
            await asyncio.sleep(0.02)

    def sample_peak_rss(self) -> float:
        """Peak RSS in MiB: the polled tree maximum, or the kernel's high-water mark if larger."""
        assert self.proc is not None
        self.peak_rss_kib = max(self.peak_rss_kib, tree_rss_kib(self.proc.pid), proc_status_kib(self.proc.pid, "VmHWM"))
        return self.peak_rss_kib / 1024

    # -- framing ------------------------------------------------------------------------------
    async def _send(self, msg: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        if self.proc.returncode is not None or self.closed.is_set():
            raise ServerGone(f"server exited (rc={self.proc.returncode})")
        body = json.dumps(msg, separators=(",", ":")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        try:
            await self.proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ServerGone(str(exc)) from exc

    async def _read_loop(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        out = self.proc.stdout
        try:
            while True:
                length = -1
                while True:
                    line = await out.readline()
                    if not line:
                        raise ServerGone("stdout closed")
                    line = line.strip()
                    if not line:
                        break
                    key, _, value = line.partition(b":")
                    if key.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length < 0:
                    continue
                body = await out.readexactly(length)
                now = time.perf_counter()
                self._dispatch(json.loads(body), now)
        except (ServerGone, asyncio.IncompleteReadError, ConnectionResetError, ValueError):
            pass
        finally:
            self.closed.set()
            err = ServerGone(f"server closed its output ({self.log_tail()})")
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(err)
            for _uri, _count, _version, wfut in self._diag_waiters:
                if not wfut.done():
                    wfut.set_exception(err)

    def _dispatch(self, msg: dict[str, Any], now: float) -> None:
        if "id" in msg and "method" in msg:  # a request from the server
            method = msg["method"]
            self.server_requests[method] = self.server_requests.get(method, 0) + 1
            result: Any = None
            if method == "workspace/configuration":
                result = [None for _ in msg.get("params", {}).get("items", [])]
            elif method == "workspace/workspaceFolders":
                result = []
            elif method == "workspace/applyEdit":
                result = {"applied": False}
            asyncio.get_running_loop().create_task(self._reply(msg["id"], result))
            return
        if "id" in msg:  # a response
            fut = self._pending.pop(msg["id"], None)
            if fut is not None and not fut.done():
                if "error" in msg and msg["error"] is not None:
                    fut.set_exception(LspError(f"LSP error {msg['error']}"))
                else:
                    fut.set_result((msg.get("result"), now))
            return
        if msg.get("method") == "textDocument/publishDiagnostics":
            params = msg.get("params") or {}
            uri = params.get("uri", "")
            self.diag_count[uri] = self.diag_count.get(uri, 0) + 1
            self.last_diags[uri] = params
            version = params.get("version")
            keep = []
            for w_uri, w_count, w_version, wfut in self._diag_waiters:
                ok = (
                    w_uri == uri
                    and self.diag_count[uri] > w_count
                    and (version is None or w_version is None or version >= w_version)
                )
                if ok and not wfut.done():
                    wfut.set_result(now)
                elif not wfut.done():
                    keep.append((w_uri, w_count, w_version, wfut))
            self._diag_waiters = keep

    async def _reply(self, msg_id: Any, result: Any) -> None:
        with contextlib.suppress(ServerGone):
            await self._send({"jsonrpc": "2.0", "id": msg_id, "result": result})

    # -- API ----------------------------------------------------------------------------------
    async def request(self, method: str, params: Any, timeout: float) -> tuple[Any, float, float]:
        """Send a request; return (result, t_sent, t_received)."""
        self._next_id += 1
        msg_id = self._next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = fut
        t0 = time.perf_counter()
        await self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        try:
            result, t1 = await asyncio.wait_for(fut, timeout)
        finally:
            self._pending.pop(msg_id, None)
        return result, t0, t1

    async def notify(self, method: str, params: Any) -> float:
        t0 = time.perf_counter()
        await self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return t0

    def expect_diagnostics(self, uri: str, version: int | None) -> asyncio.Future[float]:
        """A future resolved (with the arrival time) by the next publishDiagnostics for uri."""
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.closed.is_set():
            fut.set_exception(ServerGone(f"server closed its output ({self.log_tail()})"))
        else:
            self._diag_waiters.append((uri, self.diag_count.get(uri, 0), version, fut))
        return fut

    async def quiet(self, uri: str, period: float = 0.05, limit: float = 2.0) -> None:
        """Wait until no publishDiagnostics for uri has arrived for `period` seconds."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            before = self.diag_count.get(uri, 0)
            await asyncio.sleep(period)
            if self.diag_count.get(uri, 0) == before:
                return


# --------------------------------------------------------------------------------------------
# /proc helpers (no psutil)
# --------------------------------------------------------------------------------------------


def proc_status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """pid and all its descendants, from the ppid field of /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def private_kib(pid: int) -> int:
    """The memory only this process holds (Private_Clean + Private_Dirty of smaps_rollup), VmRSS
    where that cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return sum(int(line.split()[1]) for line in f if line.startswith(("Private_Clean:", "Private_Dirty:")))
    except (OSError, ValueError, IndexError):
        return proc_status_kib(pid, "VmRSS")


def tree_kib(pids: list[int]) -> int:
    """The server's VmRSS plus what its descendants hold of their own. A child's VmRSS would count
    the pages it shares with the server: a subprocess forked to run ShellCheck shares the server's
    whole heap until its exec, and summing VmRSS counted the server twice (measured at 5,000 lines:
    server 72 MiB, 'tree' 117 MiB, while ShellCheck itself peaks at 27-44 MB)."""
    return proc_status_kib(pids[0], "VmRSS") + sum(private_kib(p) for p in pids[1:])


def tree_rss_kib(pid: int) -> int:
    return tree_kib(descendants(pid))


def kill_tree(pid: int) -> None:
    for p in reversed(descendants(pid)):
        with contextlib.suppress(OSError):
            os.kill(p, 9)


# --------------------------------------------------------------------------------------------
# Document helpers
# --------------------------------------------------------------------------------------------


@dataclass
class Doc:
    path: Path
    lines: list[str]
    uri: str = ""
    version: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def find(self, predicate: Any, start: int = 0) -> int:
        for i in range(start, len(self.lines)):
            if predicate(self.lines[i]):
                return i
        for i in range(start):
            if predicate(self.lines[i]):
                return i
        raise LookupError("no matching line")


def edit_position(doc: Doc) -> tuple[int, int]:
    """Inside the string of the planted `RUN echo "edit-target ..."` line (else any RUN near the middle)."""
    try:
        line = doc.find(lambda s: "edit-target" in s)
        return line, doc.lines[line].index("edit-target") + 4
    except LookupError:
        line = doc.find(lambda s: s.startswith("RUN "), len(doc.lines) // 2)
        return line, len(doc.lines[line]) // 2


def completion_position(doc: Doc) -> tuple[int, int]:
    line = doc.find(lambda s: s.rstrip() == "COPY --from=", len(doc.lines) // 2)
    return line, len(doc.lines[line].rstrip())


def hover_position(doc: Doc) -> tuple[int, int]:
    line = doc.find(lambda s: s.startswith("RUN "), len(doc.lines) // 2)
    return line, 1


CLIENT_CAPABILITIES: dict[str, Any] = {
    "workspace": {
        "applyEdit": True,
        "configuration": True,
        "workspaceFolders": True,
        "workspaceEdit": {"documentChanges": True},
        "didChangeConfiguration": {"dynamicRegistration": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "completion": {
            "completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]},
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {
            "codeActionLiteralSupport": {
                "codeActionKind": {
                    "valueSet": ["quickfix", "refactor", "refactor.extract", "refactor.rewrite", "source"]
                }
            },
            "resolveSupport": {"properties": ["edit"]},
            # As VS Code declares: `data` survives until codeAction/resolve.
            "dataSupport": True,
            "isPreferredSupport": True,
        },
    },
    "window": {"workDoneProgress": True},
    "general": {"positionEncodings": ["utf-16"]},
}


def describe(metric: str, result: Any) -> str:
    """A short sanity note on a request's last answer."""
    if metric == "completion":
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        labels = {str(it.get("label", "")) for it in items if isinstance(it, dict)}
        stage_hits = sum(1 for lab in labels if "-" in lab and lab.split("-")[-1].isdigit())
        return f"{len(items)} items, {stage_hits} stage names"
    if metric == "codeAction":
        return f"{len(result or [])} actions"
    if metric == "inlayHint":
        return f"{len(result or [])} hints"
    if metric == "pullDiagnostics" and isinstance(result, dict):
        return f"{result.get('kind')}, {len(result.get('items') or [])} items"
    if metric == "signatureHelp" and isinstance(result, dict):
        sigs = result.get("signatures") or []
        return str(sigs[0].get("label", ""))[:40] if sigs else "no signature"
    return "content" if result else "null"


def sync_kind(caps: dict[str, Any]) -> int:
    tds = caps.get("textDocumentSync")
    if isinstance(tds, int):
        return tds
    if isinstance(tds, dict):
        return int(tds.get("change", 0) or 0)
    return 0


# --------------------------------------------------------------------------------------------
# One session: spawn, initialize, open, edit, ask, measure, shut down
# --------------------------------------------------------------------------------------------


@dataclass
class Samples:
    data: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, metric: str, value: float) -> None:
        self.data.setdefault(metric, []).append(value)

    def error(self, metric: str, msg: str) -> None:
        self.errors.setdefault(metric, []).append(msg)


async def session(
    name: str,
    argv: list[str],
    path: Path,
    samples: Samples,
    *,
    edits: int,
    requests: int,
    timeout: float,
    edit_budget: float,
    log_dir: Path,
) -> None:
    doc = Doc(path, path.read_text().splitlines())
    doc.uri = path.resolve().as_uri()
    client = LspClient(argv, path.parent, log_dir / f"{name}.log")
    metric = "init"
    try:
        t_spawn = await client.start()
        init, _, t1 = await client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "clientInfo": {"name": "dockerfile-refactor-ls-bench"},
                "rootUri": path.parent.resolve().as_uri(),
                "workspaceFolders": [{"uri": path.parent.resolve().as_uri(), "name": "bench"}],
                "capabilities": CLIENT_CAPABILITIES,
            },
            timeout,
        )
        samples.add("init", (t1 - t_spawn) * 1000)
        caps = (init or {}).get("capabilities", {})
        await client.notify("initialized", {})
        kind = sync_kind(caps)
        samples.notes["sync"] = {0: "none", 1: "full", 2: "incremental"}.get(kind, str(kind))

        metric = "open"
        waiter = client.expect_diagnostics(doc.uri, None)
        t0 = await client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": doc.uri, "languageId": "dockerfile", "version": doc.version, "text": doc.text}},
        )
        t1 = await asyncio.wait_for(waiter, timeout)
        samples.add("open", (t1 - t0) * 1000)
        samples.add("cold", (t1 - t_spawn) * 1000)  # initialize, initialized and didOpen back to back
        await client.quiet(doc.uri)
        n_diags = len(client.last_diags[doc.uri].get("diagnostics", []))
        # Every generated file has lint problems: an empty list means the analysis failed, and the
        # latencies of this start measure an error path.
        samples.notes["diagnostics"] = str(n_diags) if n_diags else "0 (WARNING: the generated file has problems)"

        metric = "keystroke"
        line, col = edit_position(doc)
        edit_start = time.perf_counter()
        # Edit 0 is typed right after the first diagnostics: whatever start-up work a server left
        # for later lands on it, and it is reported on its own row. The other edits wait until the
        # server has answered a request, so that they measure typing into a running server.
        for i in range(edits + 1):
            if i == 1:
                hl, hc = hover_position(doc)
                await client.request(
                    "textDocument/hover", {"textDocument": {"uri": doc.uri}, "position": {"line": hl, "character": hc}}, timeout
                )
            if time.perf_counter() - edit_start > edit_budget:
                samples.error("keystroke", f"phase budget {edit_budget:.0f}s spent after {i} edits")
                break
            doc.version += 1
            s = doc.lines[line]
            if i % 2 == 0:  # insert a character, then delete it again: the file keeps its size
                doc.lines[line] = s[:col] + "x" + s[col:]
                change: dict[str, Any] = {
                    "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}},
                    "text": "x",
                }
            else:
                doc.lines[line] = s[:col] + s[col + 1 :]
                change = {
                    "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}},
                    "text": "",
                }
            if kind != 2:
                change = {"text": doc.text}
            waiter = client.expect_diagnostics(doc.uri, doc.version)
            t0 = await client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]},
            )
            t1 = await asyncio.wait_for(waiter, timeout)
            samples.add("first-edit" if i == 0 else "keystroke", (t1 - t0) * 1000)
            await client.quiet(doc.uri)  # let any late second publish pass before the next edit
        if doc.version % 2 == 0:  # leave the document as generated
            doc.lines[line] = doc.lines[line][:col] + doc.lines[line][col + 1 :]
            doc.version += 1
            change = {
                "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}},
                "text": "",
            }
            if kind != 2:
                change = {"text": doc.text}
            waiter = client.expect_diagnostics(doc.uri, doc.version)
            await client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]},
            )
            # Requests are timed on an idle server: wait for this version's diagnostics first.
            await asyncio.wait_for(waiter, timeout)
            await client.quiet(doc.uri)

        td = {"uri": doc.uri}
        cl, cc = completion_position(doc)
        hl, hc = hover_position(doc)
        last = len(doc.lines) - 1
        diags = client.last_diags.get(doc.uri, {}).get("diagnostics", [])
        kinds: list[tuple[str, str, str, dict[str, Any]]] = [
            (
                "completion", "completionProvider", "textDocument/completion",
                {"textDocument": td, "position": {"line": cl, "character": cc}, "context": {"triggerKind": 1}},
            ),
            (
                "codeAction", "codeActionProvider", "textDocument/codeAction",
                {
                    "textDocument": td,
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": last, "character": len(doc.lines[last])},
                    },
                    "context": {"diagnostics": diags, "triggerKind": 1},
                },
            ),
            ("hover", "hoverProvider", "textDocument/hover", {"textDocument": td, "position": {"line": hl, "character": hc}}),
            (
                "signatureHelp", "signatureHelpProvider", "textDocument/signatureHelp",
                {"textDocument": td, "position": {"line": cl, "character": cc}, "context": {"triggerKind": 1, "isRetrigger": False}},
            ),
            (
                "inlayHint", "inlayHintProvider", "textDocument/inlayHint",
                {
                    "textDocument": td,
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": len(doc.lines[last])}},
                },
            ),
            # Last: a document the client pulls for is no longer pushed (no previousResultId here, so
            # every answer is a full report).
            ("pullDiagnostics", "diagnosticProvider", "textDocument/diagnostic", {"textDocument": td}),
        ]  # fmt: skip
        for metric, capability, method, params in kinds:
            if caps.get(capability) in (None, False):  # an empty options object still counts
                samples.error(metric, f"no {capability}")
                continue
            phase = time.perf_counter()
            result: Any = None
            try:
                for _ in range(requests):
                    if time.perf_counter() - phase > edit_budget:
                        samples.error(metric, f"phase budget {edit_budget:.0f}s spent")
                        break
                    result, t0, t1 = await client.request(method, params, timeout)
                    samples.add(metric, (t1 - t0) * 1000)
            except LspError as exc:  # an error answer: this kind is n/a, the session goes on
                samples.error(metric, str(exc)[:300])
                continue
            samples.notes[metric] = describe(metric, result)

        metric = "rss"
        samples.add("rss", client.sample_peak_rss())
    except TimeoutError:
        samples.error(metric, f"timed out after {timeout:.0f}s")
        with contextlib.suppress(Exception):
            samples.add("rss", client.sample_peak_rss())
        if client.proc is not None:
            kill_tree(client.proc.pid)
    except (ServerGone, RuntimeError, OSError) as exc:
        samples.error(metric, f"{type(exc).__name__}: {exc}"[:300])
        if client.proc is not None and client.proc.returncode is None:
            kill_tree(client.proc.pid)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.close(), 15)


# --------------------------------------------------------------------------------------------
# Servers, statistics, reporting
# --------------------------------------------------------------------------------------------


def ensure_node_server(cache: Path) -> Path | None:
    """Install the Node server into the cache folder if missing; return its server.js."""
    pkg = cache / "node_modules" / NODE_PKG
    server_js = pkg / "lib" / "server.js"
    try:
        installed = json.loads((pkg / "package.json").read_text()).get("version")
    except (OSError, ValueError):
        installed = None
    if installed != NODE_VERSION or not server_js.exists():
        npm = shutil.which("npm")
        if npm is None:
            print("npm not found: the Node server is skipped", file=sys.stderr)
            return None
        cache.mkdir(parents=True, exist_ok=True)
        print(f"installing {NODE_PKG}@{NODE_VERSION} into {cache} ...", file=sys.stderr)
        proc = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(cache), f"{NODE_PKG}@{NODE_VERSION}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0 or not server_js.exists():
            print(f"npm install failed: {proc.stderr.strip()[-500:]}", file=sys.stderr)
            return None
    # The package's bin (bin/docker-langserver) only does require("../lib/server").
    return server_js


def stats(values: list[float]) -> tuple[float, float, float] | None:
    if not values:
        return None
    v = sorted(values)
    p90 = v[min(len(v) - 1, max(0, round(0.9 * len(v) + 0.5) - 1))]  # nearest rank
    return statistics.median(v), p90, v[-1]


def fmt_stats(s: tuple[float, float, float] | None, unit: str) -> str:
    if s is None:
        return "n/a"
    digits = 0 if unit == "MiB" else (1 if s[2] >= 10 else 2)
    return " / ".join(f"{x:.{digits}f}" for x in s)


def ratio(a: tuple[float, float, float] | None, b: tuple[float, float, float] | None) -> str:
    if a is None or b is None or b[0] <= 0:
        return "n/a"
    return f"{a[0] / b[0]:.2f}"


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        node = "not found"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "node": node,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "kernel": platform.release(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def check_throughput(cli: list[str], runs: int, timeout: float) -> tuple[str, list[str]]:
    """Files per second of `dockerfile-refactor-ls check` over the shared corpus."""
    if not CORPUS.is_dir():
        return f"skipped: corpus folder {CORPUS} is absent", []
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    if not files:
        return f"skipped: no files in {CORPUS}", []
    times, rc, lines_out = [], None, 0
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([*cli, "check", str(CORPUS)], capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"n/a ({type(exc).__name__}: {exc})", []
        times.append(time.perf_counter() - t0)
        rc, lines_out = proc.returncode, len(proc.stdout.splitlines())
        failed = proc.returncode not in (0, 1) or "Traceback" in proc.stderr
        if failed or (proc.returncode != 0 and not proc.stdout.strip()):
            tail = " | ".join(proc.stderr.strip().splitlines()[-2:])[-300:]
            return f"n/a (check exited {proc.returncode}: {tail})", []
    best, med = min(times), statistics.median(times)
    line = (
        f"{len(files)} files: median {med:.2f} s = {len(files) / med:.0f} files/s "
        f"(best {best:.2f} s = {len(files) / best:.0f} files/s, {runs} runs, process start included; "
        f"exit code {rc}, {lines_out} findings printed)"
    )
    return line, [f"{len(files) / med:.0f}"]


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


@dataclass
class Plan:
    sizes: list[int]
    starts: int
    edits: int
    requests: int
    big_starts: int
    big_edits: int
    big_requests: int
    edit_budget: float


async def run(args: argparse.Namespace) -> int:
    plan = Plan(
        sizes=[int(s) for s in args.sizes.split(",") if s],
        starts=args.starts,
        edits=args.edits,
        requests=args.requests,
        big_starts=args.big_starts,
        big_edits=args.big_edits,
        big_requests=args.big_requests,
        edit_budget=args.edit_budget,
    )
    out_dir = Path(args.out)
    paths = generate.write_all(out_dir, tuple(plan.sizes), args.seed)
    log_dir = out_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("*.log"):
        old.unlink()

    servers: dict[str, list[str]] = {}
    wanted = [s.strip() for s in args.servers.split(",") if s.strip()]
    if "ours" in wanted:
        servers["ours"] = resolve_argv(shlex.split(args.ours_cmd)) if args.ours_cmd else [str(ours_executable()), "--stdio"]
    if "node" in wanted:
        if args.node_cmd:
            servers["node"] = resolve_argv(shlex.split(args.node_cmd))
        else:
            server_js = ensure_node_server(Path(args.node_cache))
            if server_js is not None:
                servers["node"] = ["node", str(server_js), "--stdio"]
            else:
                print("the Node server is unavailable: its column is n/a", file=sys.stderr)
    if "baseline" in wanted:
        # Another build of our server (an older checkout, say) in the same run, so a change is
        # compared with what it replaced under the same machine load (issue 15's "no worse").
        if not args.baseline_cmd:
            raise SystemExit("--servers baseline needs --baseline-cmd")
        servers["baseline"] = resolve_argv(shlex.split(args.baseline_cmd))

    results: dict[str, dict[int, Samples]] = {name: {size: Samples() for size in plan.sizes} for name in wanted}
    started = time.perf_counter()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    skipped: list[str] = []

    # One unmeasured start of each server first, so that neither pays for a cold page cache or
    # bytecode compilation in the first measured start.
    if args.warmup:
        for name, argv in servers.items():
            await session(
                name, argv, paths[plan.sizes[0]], Samples(), edits=2, requests=1, timeout=args.timeout,
                edit_budget=plan.edit_budget, log_dir=log_dir,
            )

    for size in plan.sizes:
        big = size >= 50_000
        starts = plan.big_starts if big else plan.starts
        edits = plan.big_edits if big else plan.edits
        requests = plan.big_requests if big else plan.requests
        timeout = args.timeout + size / 1000
        for start in range(starts):
            if start > 0 and time.perf_counter() - started > args.max_minutes * 60:
                skipped.append(f"{size:,} lines: starts {start + 1}-{starts} skipped (--max-minutes {args.max_minutes:g})")
                break
            # Alternate the order so that neither server always runs right after the other.
            order = list(servers.items()) if start % 2 == 0 else list(reversed(servers.items()))
            for name, argv in order:
                t0 = time.perf_counter()
                await session(
                    name, argv, paths[size], results[name][size], edits=max(1, -(-edits // starts)),
                    requests=requests, timeout=timeout, edit_budget=plan.edit_budget, log_dir=log_dir,
                )
                print(
                    f"  {size:>6} lines  start {start + 1}/{starts}  {name:<5} {time.perf_counter() - t0:6.1f} s",
                    file=sys.stderr,
                    flush=True,
                )

    # ---------------- report ----------------
    info = machine_info()
    info["load"] = f"{load_before} at the start, {info['load']} at the end"
    names = list(results)
    ours_name, node_name = "ours", "node"
    rows: list[list[str]] = []
    for key, label, unit in METRICS:
        for size in plan.sizes if key != "init" else [0]:
            if key == "init":  # every start of every size counts: initialize does not see the file
                per = {n: stats([v for sz in plan.sizes for v in results[n][sz].data.get("init", [])]) for n in names}
            else:
                per = {n: stats(results[n][size].data.get(key, [])) for n in names}
            count = {
                n: sum(len(results[n][sz].data.get(key, [])) for sz in (plan.sizes if key == "init" else [size]))
                for n in names
            }
            row = [label + (f" ({unit})" if unit != "ms" else ""), "all" if key == "init" else f"{size:,}"]
            for n in names:
                row.append(f"{fmt_stats(per[n], unit)} (n={count[n]})" if per[n] else "n/a")
            if ours_name in names and node_name in names:
                row.append(ratio(per[ours_name], per[node_name]))
            rows.append(row)
    header = ["metric", "lines", *[f"{n}: median / p90 / max" for n in names]]
    if ours_name in names and node_name in names:
        header.append("ours / node")
    table = markdown_table(header, rows)

    growth_lines: list[str] = []
    if 5_000 in plan.sizes and 50_000 in plan.sizes:
        for key, label in (("open", "didOpen → diagnostics"), ("keystroke", "keystroke → diagnostics")):
            for n in names:
                a = stats(results[n][5_000].data.get(key, []))
                b = stats(results[n][50_000].data.get(key, []))
                if a is None or b is None:
                    growth_lines.append(f"- {n}, {label}: n/a")
                    continue
                factor = b[0] / a[0] if a[0] > 0 else float("inf")
                growth_lines.append(
                    f"- {n}, {label}: {a[0]:.1f} ms at 5,000 lines → {b[0]:.1f} ms at 50,000 lines = "
                    f"×{factor:.1f} (×{factor / 10:.2f} of linear ×10)"
                )
        if "ours" in names:
            growth_lines.append(work_growth_line())
    else:
        growth_lines.append("- skipped: needs both 5,000 and 50,000 in --sizes")

    target_lines = targets(results) if ours_name in names and node_name in names else ["- needs both servers"]
    notes: list[str] = [f"- {line}" for line in skipped]
    for n in names:
        for size in plan.sizes:
            sm = results[n][size]
            if sm.notes:
                notes.append(f"- {n} @ {size:,} lines: " + ", ".join(f"{k}: {v}" for k, v in sm.notes.items()))
            for metric, errs in sm.errors.items():
                uniq = sorted(set(errs))
                notes.append(f"- {n} @ {size:,} lines, {metric}: {len(errs)}× " + "; ".join(uniq)[:400])

    if args.check_runs > 0 and "ours" in servers:
        check_line, _ = check_throughput([str(ours_executable())], args.check_runs, timeout=600)
    else:
        check_line = "skipped (--check-runs 0 or our server not benchmarked)"

    elapsed = time.perf_counter() - started
    counts = (
        f"{plan.starts} starts per server and size ({plan.big_starts} at ≥50,000 lines), "
        f"{plan.edits} keystrokes per size ({plan.big_edits} at ≥50,000 lines), "
        f"{plan.requests} requests of each kind per start ({plan.big_requests} at ≥50,000 lines)"
    )
    machine = (
        f"{info['nproc']} CPUs ({info['cpu']}), Linux {info['kernel']}, Python {info['python']}, "
        f"Node {info['node']}, {NODE_PKG} {NODE_VERSION}, dockerfile-refactor-ls at {info['commit']}, {info['date']}; "
        f"load average (1/5/15 min) {info['load']}"
    )
    report = "\n".join(
        [
            f"Machine: {machine}",
            f"Counts: {counts}; run took {elapsed:.0f} s{' (quick run)' if args.quick else ''}.",
            "",
            table,
            "",
            "Targets (medians):",
            "",
            *target_lines,
            "",
            "Growth from 5,000 to 50,000 lines (medians):",
            "",
            *growth_lines,
            "",
            f"`dockerfile-refactor-ls check` over the shared corpus: {check_line}",
            "",
            "Per-run notes (sync kind, sanity of the answers, errors):",
            "",
            *notes,
        ]
    )
    print()
    print(report)

    if args.write:
        write_doc(Path(args.doc), report)
        print(f"\nresults written to {args.doc}", file=sys.stderr)
    return 0


def work_growth_line() -> str:
    """Our engine's function calls per keystroke at 5,000 and 50,000 lines (scripts/bench/count_work.py)."""
    counts = []
    for lines in (5_000, 50_000):
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("count_work.py")), "--lines", str(lines)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            return f"- ours, function calls per keystroke: failed ({proc.stderr.strip()[-200:]})"
        counts.append(json.loads(proc.stdout)["calls_per_keystroke"])
    a, b = counts
    return (
        f"- ours, Python function calls per keystroke (the engine in-process, counted by cProfile; a count, "
        f"so neither load nor caches move it): {a:,.0f} at 5,000 lines → {b:,.0f} at 50,000 lines = ×{b / a:.2f}"
    )


def targets(results: dict[str, dict[int, Samples]]) -> list[str]:
    """The issue's targets, each with MET / MISSED / n/a."""

    def med(server: str, key: str, size: int | None) -> float | None:
        if size is None:
            values = [v for per in results[server].values() for v in per.data.get(key, [])]
        else:
            per_size = results[server].get(size)
            values = per_size.data.get(key, []) if per_size else []
        return statistics.median(values) if values else None

    def line(text: str, ours: float | None, limit: float | None, unit: str = "ms") -> str:
        if ours is None or limit is None:
            return f"- n/a: {text}"
        verdict = "MET" if ours <= limit else "MISSED"
        return f"- {verdict}: {text} (ours {ours:.1f} {unit}, limit {limit:.1f} {unit})"

    out = []
    for size, factor in ((50, 1.0), (500, 0.5), (5_000, 0.5)):
        node = med("node", "keystroke", size)
        out.append(
            line(
                f"keystroke → diagnostics at {size:,} lines ≤ {factor:g} × Node's",
                med("ours", "keystroke", size),
                node * factor if node is not None else None,
            )
        )
    for key, label in (("completion", "completion"), ("codeAction", "code actions")):
        out.append(line(f"{label} at 5,000 lines < 10 ms", med("ours", key, 5_000), 10.0))
    node_rss = med("node", "rss", 5_000)
    out.append(
        line(
            "peak RSS at 5,000 lines ≤ 3/4 of Node's",
            med("ours", "rss", 5_000),
            node_rss * 0.75 if node_rss is not None else None,
            "MiB",
        )
    )
    out.append(line("spawn → initialize result no slower than Node", med("ours", "init", None), med("node", "init", None)))
    for key, label in (("open", "didOpen → diagnostics"), ("keystroke", "keystroke → diagnostics")):
        a, b = med("ours", key, 5_000), med("ours", key, 50_000)
        growth = b / a if a and b else None
        out.append(line(f"linear growth of {label} from 5,000 to 50,000 lines (factor ≤ 12 ×)", growth, 12.0, "×"))
    return out


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


METHODOLOGY = """# Performance

`make bench` (`scripts/bench/run_bench.py`) compares dockerfile-refactor-ls with
dockerfile-language-server-nodejs 0.15.0 (installed from npm into `.cache/bench-node/`).

## Methodology

- Input: `scripts/bench/generate.py` writes seeded, deterministic Dockerfiles of about 50, 500,
  5,000 and 50,000 lines into `bench/generated/` (many named stages, some `FROM <earlier stage>`,
  long `&& \\` RUN chains with comments inside continuations, global and per-stage ARGs, `${VAR}`,
  `COPY --from=`, ENV/LABEL, heredocs, and lint problems).
- Both servers are driven over stdio, in the same run, by the same minimal asyncio JSON-RPC client
  (standard library only). Server→client requests are answered (`workspace/configuration` with
  `null` per item, others with `null`). Each fresh start is timed from the process spawn to the
  `initialize` result, and to the first diagnostics (the client sends `initialized` and `didOpen`
  right after the `initialize` result), so an early `initialize` answer cannot hide a slow start;
  one unmeasured start of each server comes first, and the two servers
  alternate order from start to start.
- `didOpen` and keystroke latencies run from writing the notification to the arrival of the first
  `publishDiagnostics` for that uri (an unchanged list counts; a publish carrying an older version
  does not). A keystroke is a one-character incremental edit inside a RUN line (full text for a
  server that only offers full sync), alternately inserting and deleting, so the file keeps its
  size; after each one the client waits for 50 ms of silence before the next. The first edit of
  each start is typed as soon as the first diagnostics arrived and has its own row ("first
  keystroke after didOpen"): start-up work a server defers, such as ours finishing its imports
  after publishing, lands there. The other edits follow one answered hover request.
- Requests are timed on an idle server (after the diagnostics of the last edit arrived), one at a
  time: completion at the end of a planted `COPY --from=` line, code actions over the whole
  document with the last published diagnostics as context, hover on a `RUN` keyword. The first
  request of each kind after a start is included (lazy imports and converters show up there).
- Defaults: 5 starts per server and size (2 at 50,000 lines), 40 keystrokes per size (10 at
  50,000 lines), 8 requests of each kind per start (3 at 50,000 lines); a phase (the keystrokes,
  or one request kind) stops after 30 s per start, and after 12 minutes only one start per
  remaining size is run, so a slow server cannot stall the run (`--help` lists the knobs;
  `--quick` is a smoke run that does not touch this file).
- Peak RSS is the largest of: VmRSS of the server process plus the private memory of its
  descendants (Private_Clean + Private_Dirty of `smaps_rollup`, so a child forked to run
  ShellCheck does not count the pages it shares with the server before its exec), polled every
  20 ms from `/proc`, and the kernel's VmHWM of the server process, per start. Until 2026-12-03 the
  descendants were counted by VmRSS, which counted the server twice at each fork.
- Ratios are ours / Node of the medians (below 1 is better for us). Latencies include the
  client's JSON encoding and pipe transfer, which are the same for both servers. The two servers
  do not do the same work (ours runs many more rules and offers many more code actions); the
  per-run notes count what each returned.
- Where the time goes: `scripts/bench/profile_server.py --lines 5000 --phase keystroke` (also
  `start`, `codeAction`, `completion`, `hover`) drives our server the same way with py-spy
  attached for that phase only (`.venv/bin/pip install py-spy`; not a project dependency) and
  prints the top functions by own and inclusive time.
"""


def write_doc(path: Path, report: str) -> None:
    head = METHODOLOGY
    if path.exists():
        text = path.read_text()
        idx = text.find("\n" + RESULTS_HEADING)
        if idx >= 0:
            head = text[: idx + 1]
        elif text.strip():
            head = text.rstrip("\n") + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        head.rstrip("\n")
        + "\n\n"
        + RESULTS_HEADING
        + "\n\nWritten by `make bench`; rerun it to refresh this section.\n\n"
        + report
        + "\n"
    )


def resolve_argv(argv: list[str]) -> list[str]:
    """Make a relative program path absolute: servers run in the benchmarked file's folder."""
    if argv and "/" in argv[0] and not os.path.isabs(argv[0]):
        return [os.path.abspath(argv[0]), *argv[1:]]
    return argv


def ours_executable() -> Path:
    exe = Path(sys.executable).parent / "dockerfile-refactor-ls"
    return exe if exe.exists() else Path(shutil.which("dockerfile-refactor-ls") or exe)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a fast smoke run (few starts and edits, no doc update)")
    ap.add_argument("--sizes", default="50,500,5000,50000")
    ap.add_argument("--starts", type=int, default=5, help="fresh starts per server and size")
    ap.add_argument("--edits", type=int, default=40, help="keystrokes per server and size, over all starts")
    ap.add_argument("--requests", type=int, default=8, help="requests of each kind per start")
    # 50,000 lines only shows how costs grow; the Node server needs ~7 s per keystroke there.
    ap.add_argument("--big-starts", type=int, default=2, help="fresh starts at 50,000 lines")
    ap.add_argument("--big-edits", type=int, default=10, help="keystrokes at 50,000 lines, over all starts")
    ap.add_argument("--big-requests", type=int, default=3, help="requests of each kind per start at 50,000 lines")
    ap.add_argument(
        "--phase-budget", dest="edit_budget", type=float, default=30.0,
        help="seconds per start for the keystrokes, and for each request kind, before the rest is skipped",
    )
    ap.add_argument(
        "--max-minutes", type=float, default=12.0,
        help="after this, only the first start of each remaining size is run",
    )
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per answer (+1 s per 1,000 lines)")
    ap.add_argument("--check-runs", type=int, default=3, help="runs of `check` over the corpus (0 to skip)")
    ap.add_argument("--servers", default="ours,node")
    ap.add_argument("--ours-cmd", default="", help="command line of our server (default: the venv's console script)")
    ap.add_argument(
        "--baseline-cmd", default="",
        help="command line of a second build of our server, measured as 'baseline' (with --servers ...,baseline)",
    )
    ap.add_argument("--node-cmd", default="", help="command line of the Node server (default: installed from npm)")
    ap.add_argument("--node-cache", default=str(NODE_CACHE))
    ap.add_argument("--out", default=str(generate.DEFAULT_OUT), help="folder for the generated files and logs")
    ap.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false")
    ap.add_argument("--doc", default=str(DOC))
    ap.add_argument("--write", dest="write", action="store_true", default=None, help="update docs/performance.md")
    ap.add_argument("--no-write", dest="write", action="store_false")
    if "--quick" in sys.argv[1:]:  # smaller defaults; options given explicitly still win
        ap.set_defaults(starts=2, edits=6, requests=3, big_starts=1, big_edits=2, big_requests=1, check_runs=1)
    args = ap.parse_args()
    if args.write is None:
        args.write = not args.quick
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
