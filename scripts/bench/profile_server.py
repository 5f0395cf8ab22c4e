#!/usr/bin/env python3
"""Profile our language server under the benchmark's workload and print where the time goes.

Starts `dockerfile-refactor-ls --stdio`, attaches py-spy to it (`pip install py-spy` into the venv;
it is not a project dependency), drives one benchmark session (open, keystrokes, completion, code
actions, hover; see run_bench.py) on a generated file, and prints the functions with the most
samples, by own time and by inclusive time.

Usage: python scripts/bench/profile_server.py [--lines 5000] [--edits 20] [--requests 8] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
import run_bench

IDLE_LEAVES = (
    "_WorkItem.run (concurrent/futures/thread.py",
    "watch_parent.<locals>.run",
    "select (selectors",
    "wait (threading",
    "_worker (concurrent",
)


def summarize(raw: Path, top: int, focus: str) -> str:
    own: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack or not count_s.isdigit():
            continue
        count = int(count_s)
        frames = [f for f in stack.split(";") if f]
        # Threads blocked in a native call (pygls' stdin reader in the thread pool, the parent
        # watcher's sleep, selectors) show up as busy where py-spy cannot tell idle threads.
        if frames and any(idle in frames[-1] for idle in IDLE_LEAVES):
            continue
        total += count
        if frames:
            own[short(frames[-1])] += count
        for f in {short(f) for f in frames}:
            incl[short(f)] += count
    out = [f"{total} busy samples", "", f"top {top} by own time:"]
    out += [f"  {100 * c / max(total, 1):5.1f}%  {name}" for name, c in own.most_common(top)]
    out += ["", f"top {top} by inclusive time (frames containing {focus!r} or site-packages):"]
    shown = 0
    for name, c in incl.most_common():
        if focus in name or "site-packages" in name:
            out.append(f"  {100 * c / max(total, 1):5.1f}%  {name}")
            shown += 1
            if shown >= top:
                break
    return "\n".join(out)


def short(frame: str) -> str:
    frame = frame.replace(str(run_bench.REPO) + "/", "")
    return frame.replace(".venv/lib/python3.11/site-packages/", "site-packages/")


async def drive(args: argparse.Namespace, raw: Path) -> None:
    path = generate.write_all(Path(args.out), (args.lines,))[args.lines]
    exe = str(run_bench.ours_executable())
    pyspy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    spies: list[subprocess.Popen[bytes]] = []

    # Attach py-spy as soon as the server process exists (before initialize is answered).
    orig_start = run_bench.LspClient.start

    async def start_and_attach(self: run_bench.LspClient) -> float:
        t0 = await orig_start(self)
        assert self.proc is not None
        spies.append(
            subprocess.Popen(
                [pyspy, "record", "--nonblocking", "--pid", str(self.proc.pid), "-r", str(args.rate), "-f", "raw", "-o", str(raw)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        await asyncio.sleep(0.5)  # let py-spy attach
        return t0

    run_bench.LspClient.start = start_and_attach  # type: ignore[method-assign]
    samples = run_bench.Samples()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    t = time.perf_counter()
    await run_bench.session(
        "ours", [exe, "--stdio"], path, samples, edits=args.edits, requests=args.requests,
        timeout=120, edit_budget=600, log_dir=log_dir,
    )
    print(f"session: {time.perf_counter() - t:.1f} s (py-spy attached; latencies are inflated a little)")
    for key, values in samples.data.items():
        s = run_bench.stats(values)
        print(f"  {key:<11} median {s[0]:9.1f}  max {s[2]:9.1f}  (n={len(values)})" if s else f"  {key}: n/a")
    for key, errs in samples.errors.items():
        print(f"  {key}: {errs}")
    for spy in spies:
        try:
            spy.wait(30)
        except subprocess.TimeoutExpired:
            spy.terminate()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--requests", type=int, default=8)
    ap.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--focus", default="dockerfile_refactor_ls")
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
    asyncio.run(drive(args, raw))
    if not raw.exists() or raw.stat().st_size == 0:
        print("py-spy wrote no samples (is ptrace allowed here?)", file=sys.stderr)
        return 1
    print()
    print(summarize(raw, args.top, args.focus))
    print(f"\nraw samples: {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
