#!/usr/bin/env python3
"""How the engine's cost grows with adversarial input size: time at n, 2n and 4n.

For each shape in tests/reliability/adversarial.py it builds the text at n, 2n and 4n and times
each engine step (parse, model, diagnose, complete at five offsets, refactorings) separately, the
best of ``--repeat`` runs. It prints one row per shape and step with the times and the ratio
t(4n)/t(n): about 4 is linear, about 16 quadratic. Rows with a ratio above ``--flag`` (default 8)
are marked ``SUPERLINEAR``. With ``--server`` it also times didOpen -> publishDiagnostics through
a real server process.

Usage: python scripts/fuzz/growth.py [--shape NAME ...] [--scale 1.0] [--repeat 3] [--server]
                                      [--markdown FILE]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.reliability.adversarial import SHAPES, engine_steps  # noqa: E402


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def time_engine(text: str, repeat: int) -> dict[str, float]:
    steps = engine_steps(text)
    return {name: best_of(fn, repeat) for name, fn in steps.items()}


def time_server(text: str) -> float:
    from tests.reliability.lsp_client import LspProcess

    with LspProcess(cwd="/tmp") as srv:
        srv.initialize()
        uri = "file:///tmp/growth.Dockerfile"
        t = time.perf_counter()
        srv.open(uri, text)
        srv.wait_diagnostics(uri, 1, timeout=600)
        elapsed = time.perf_counter() - t
        srv.shutdown_and_exit()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", action="append", help="only these shapes (repeatable)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply each shape's base size")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--flag", type=float, default=8.0, help="t(4n)/t(n) above this is flagged")
    ap.add_argument("--server", action="store_true", help="also time didOpen -> diagnostics over stdio")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    args = ap.parse_args()

    shapes = [s for s in SHAPES if not args.shape or s.name in args.shape]
    rows: list[tuple[str, str, int, list[float], float, bool]] = []
    header = f"{'shape':<22} {'step':<9} {'n':>9} {'t(n) ms':>10} {'t(2n) ms':>10} {'t(4n) ms':>10} {'4n/n':>6}"
    print(header)
    print("-" * len(header))
    flagged = 0
    crashes: list[str] = []
    for shape in shapes:
        n = max(1, int(shape.small * args.scale))
        per_size: list[dict[str, float]] = []
        try:
            for k in (1, 2, 4):
                text = shape.make(n * k)
                timings = time_engine(text, args.repeat)
                if args.server:
                    timings["server"] = time_server(text)
                per_size.append(timings)
        except Exception as exc:  # a crash is a finding too: report it, go on with the next shape
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(tb.filename).name}:{tb.lineno} {tb.name}"
            print(f"{shape.name:<22} CRASH at {n * k}: {type(exc).__name__} in {where}", flush=True)
            crashes.append(f"{shape.name} at {n * k}: {type(exc).__name__} in {where}")
            continue
        for step in per_size[0]:
            ts = [d[step] for d in per_size]
            ratio = ts[2] / ts[0] if ts[0] > 1e-4 else float("nan")
            # Sub-millisecond steps are noise; only flag what costs something.
            bad = ratio == ratio and ratio > args.flag and ts[2] > 0.05
            flagged += bad
            rows.append((shape.name, step, n, ts, ratio, bad))
            print(f"{shape.name:<22} {step:<9} {n:>9} {ts[0] * 1e3:>10.1f} {ts[1] * 1e3:>10.1f} {ts[2] * 1e3:>10.1f}"
                  f" {ratio:>6.1f}{'  SUPERLINEAR' if bad else ''}", flush=True)
    print(f"\n{flagged} step(s) grew faster than {args.flag}x from n to 4n; {len(crashes)} crash(es)")
    if args.markdown:
        lines = ["| shape | step | n | t(n) ms | t(2n) ms | t(4n) ms | t(4n)/t(n) |", "|---|---|---:|---:|---:|---:|---:|"]
        for name, step, n, ts, ratio, bad in rows:
            mark = " **superlinear**" if bad else ""
            lines.append(f"| {name} | {step} | {n} | {ts[0] * 1e3:.1f} | {ts[1] * 1e3:.1f} | {ts[2] * 1e3:.1f} | {ratio:.1f}{mark} |")
        lines += [f"\nCrash: {c}" for c in crashes]
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
