#!/usr/bin/env python3
"""Profile our language server under the benchmark's workload and print where the time goes.

Starts `dockerfile-refactor-ls --stdio`, drives it with run_bench.py's client on a generated file
and attaches py-spy (`pip install py-spy` into the venv; it is not a project dependency) for one
phase only, then prints the functions with the most samples, by own and by inclusive time:

  --phase start      spawn, initialize and the first didOpen → diagnostics (imports, first use)
  --phase keystroke  one-character edits → diagnostics, after the document is open
  --phase codeAction code actions over the whole document
  --phase completion completion at the end of the planted `COPY --from=` line
  --phase hover      hover on a RUN keyword

Usage: python scripts/bench/profile_server.py [--lines 5000] [--phase keystroke] [--count 30]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
import run_bench

# Threads blocked in a native call (pygls' stdin reader in the thread pool, the parent watcher's
# sleep, selectors) show up as busy where py-spy cannot tell idle threads apart.
IDLE_LEAVES = (
    "_WorkItem.run (concurrent/futures/thread.py",
    "watch_parent.<locals>.run",
    "select (selectors",
    "wait (threading",
    "_worker (concurrent",
)


def short(frame: str) -> str:
    frame = frame.replace(str(run_bench.REPO) + "/", "")
    frame = frame.replace("server/dockerfile_refactor_ls/", "")
    return frame.replace(".venv/lib/python3.11/site-packages/", "site-packages/")


def summarize(raw: Path, top: int, rate: int) -> str:
    own: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack or not count_s.isdigit():
            continue
        frames = [short(f) for f in stack.split(";") if f]
        if not frames or any(idle in frames[-1] for idle in IDLE_LEAVES):
            continue
        count = int(count_s)
        total += count
        own[frames[-1]] += count
        for f in set(frames):
            incl[f] += count
    pct = lambda c: f"{100 * c / max(total, 1):5.1f}%"  # noqa: E731
    out = [f"{total} busy samples (~{1000 * total / rate:.0f} ms of CPU at {rate} Hz)", "", f"top {top} by own time:"]
    out += [f"  {pct(c)}  {name}" for name, c in own.most_common(top)]
    out += ["", f"top {top} by inclusive time (below the server's entry points):"]
    skip = ("<module> (dockerfile_refactor_ls/__main__", "main (cli.py", "_serve (cli.py", "<module> (<string>")
    shown = 0
    for name, c in incl.most_common():
        if c == total or any(s in name for s in skip) or "asyncio/" in name or "pygls/server.py" in name:
            continue
        out.append(f"  {pct(c)}  {name}")
        shown += 1
        if shown >= top:
            break
    return "\n".join(out)


class Spy:
    def __init__(self, pid: int, raw: Path, rate: int) -> None:
        pyspy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.proc = subprocess.Popen(
            [pyspy, "record", "--nonblocking", "--pid", str(pid), "-r", str(rate), "-f", "raw", "-o", str(raw)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def drive(args: argparse.Namespace, raw: Path) -> None:
    path = generate.write_all(Path(args.out), (args.lines,))[args.lines]
    doc = run_bench.Doc(path, path.read_text().splitlines())
    doc.uri = path.resolve().as_uri()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    client = run_bench.LspClient([str(run_bench.ours_executable()), "--stdio"], path.parent, log_dir / "ours.log")
    timings: list[float] = []
    spy: Spy | None = None
    try:
        t_spawn = await client.start()
        assert client.proc is not None
        if args.phase == "start":
            spy = Spy(client.proc.pid, raw, args.rate)
        init, _, _ = await client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": path.parent.resolve().as_uri(),
                "capabilities": run_bench.CLIENT_CAPABILITIES,
            },
            120,
        )
        caps = (init or {}).get("capabilities", {})
        await client.notify("initialized", {})
        waiter = client.expect_diagnostics(doc.uri, None)
        await client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": doc.uri, "languageId": "dockerfile", "version": 1, "text": doc.text}},
        )
        t1 = await asyncio.wait_for(waiter, 300)
        print(f"spawn → first diagnostics: {1000 * (t1 - t_spawn):.0f} ms")
        await client.quiet(doc.uri, period=0.2)
        if args.phase == "start":
            return
        # One unprofiled round of the phase first, so lazy imports and converters are warm.
        spy_started = False
        for i in range(args.count + 1):
            if i == 1 and not spy_started:
                spy = Spy(client.proc.pid, raw, args.rate)
                spy_started = True
                await asyncio.sleep(1.0)  # let py-spy attach
            t = await one_step(args.phase, client, doc, caps, i)
            if i >= 1:
                timings.append(t)
    finally:
        if spy is not None:
            spy.stop()
        await client.close()
        if timings:
            s = run_bench.stats(timings)
            assert s is not None
            print(f"{args.phase}: median {s[0]:.1f} ms, max {s[2]:.1f} ms over {len(timings)} (py-spy attached)")


async def one_step(phase: str, client: run_bench.LspClient, doc: run_bench.Doc, caps: dict[str, Any], i: int) -> float:
    td = {"uri": doc.uri}
    if phase == "keystroke":
        line, col = run_bench.edit_position(doc)
        doc.version += 1
        s = doc.lines[line]
        if i % 2 == 0:
            doc.lines[line] = s[:col] + "x" + s[col:]
            rng, text = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "x"
        else:
            doc.lines[line] = s[:col] + s[col + 1 :]
            rng, text = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, ""
        waiter = client.expect_diagnostics(doc.uri, doc.version)
        t0 = await client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [{"range": rng, "text": text}]},
        )
        t1 = await asyncio.wait_for(waiter, 300)
        await client.quiet(doc.uri)
        return 1000 * (t1 - t0)
    if phase == "codeAction":
        last = len(doc.lines) - 1
        params: dict[str, Any] = {
            "textDocument": td,
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": len(doc.lines[last])}},
            "context": {"diagnostics": client.last_diags.get(doc.uri, {}).get("diagnostics", []), "triggerKind": 1},
        }
        method = "textDocument/codeAction"
    elif phase == "completion":
        cl, cc = run_bench.completion_position(doc)
        params = {"textDocument": td, "position": {"line": cl, "character": cc}, "context": {"triggerKind": 1}}
        method = "textDocument/completion"
    elif phase == "hover":
        hl, hc = run_bench.hover_position(doc)
        params = {"textDocument": td, "position": {"line": hl, "character": hc}}
        method = "textDocument/hover"
    else:
        raise SystemExit(f"unknown phase {phase}")
    _, t0, t1 = await client.request(method, params, 300)
    return 1000 * (t1 - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--phase", default="keystroke", choices=["start", "keystroke", "codeAction", "completion", "hover"])
    ap.add_argument("--count", type=int, default=30, help="profiled repetitions of the phase")
    ap.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--raw", default="", help="keep py-spy's raw output here")
    ap.add_argument("--out", default=str(generate.DEFAULT_OUT))
    args = ap.parse_args()
    if not (shutil.which("py-spy") or (Path(sys.executable).parent / "py-spy").exists()):
        print("py-spy is not installed: `.venv/bin/pip install py-spy`", file=sys.stderr)
        return 2
    if args.raw:
        raw = Path(args.raw)
    else:
        fd, name = tempfile.mkstemp(suffix=".pyspy.txt")
        os.close(fd)
        raw = Path(name)
    raw.unlink(missing_ok=True)
    t = time.perf_counter()
    asyncio.run(drive(args, raw))
    print(f"({time.perf_counter() - t:.1f} s in all)")
    if not raw.exists() or raw.stat().st_size == 0:
        print("py-spy wrote no samples (is ptrace allowed here?)", file=sys.stderr)
        return 1
    print()
    print(summarize(raw, args.top, args.rate))
    print(f"\nraw samples: {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
