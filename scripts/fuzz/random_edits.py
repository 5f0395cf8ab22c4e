#!/usr/bin/env python3
"""The long random-edit run: at least N incremental edits through a real server over stdio.

Sessions of random didChange edits with requests in between (tests/reliability/edit_driver.py,
the same driver as the short test in `make test`) run against one server until ``--edits`` edits
have been sent; each session ends by comparing the edited document's diagnostics, symbols and
completions with those of its final text opened in a second, fresh server. Along the way it
samples the server's RSS and thread count (/proc/<pid>/status) and prints them; at the end it
prints RSS growth from the end of warm-up (the first 10% of the edits) to the end, and fails if
growth exceeds ``--max-rss-growth`` (default 10%) or if any problem was found.

Usage: python scripts/fuzz/random_edits.py [--edits 10000] [--seed N] [--steps 60] [--request-rate 0.5]
                                         [--encoding utf-16] [--max-rss-growth 0.10] [--report FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import corpus_files, read_corpus  # noqa: E402
from tests.reliability.edit_driver import EditSession, RandomChooser  # noqa: E402
from tests.reliability.lsp_client import LspProcess  # noqa: E402
from tests.reliability.test_random_edits import SEEDS  # noqa: E402

# pygls reads stdin through a ThreadPoolExecutor (default size min(32, cpus + 4)) that grows lazily
# to that size; with the main thread and the parent watchdog, this is the most a healthy server has.
THREAD_BOUND = 1 + min(32, (os.cpu_count() or 1) + 4) + 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--steps", type=int, default=60, help="didChange notifications per session")
    ap.add_argument("--request-rate", type=float, default=0.5, help="chance of one more request after a change")
    ap.add_argument("--encoding", default="utf-16", choices=["utf-16", "utf-8", "utf-32"])
    ap.add_argument("--max-rss-growth", type=float, default=0.10)
    ap.add_argument("--samples", type=int, default=20, help="RSS samples to print")
    ap.add_argument("--report", help="write a JSON summary here")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    texts = list(SEEDS) + [read_corpus(p) for p in corpus_files()]
    print(f"seed {seed}; {len(texts)} seed texts; target {args.edits} edits; encoding {args.encoding}", flush=True)

    started = time.monotonic()
    problems: list[str] = []
    outcomes: dict[str, int] = {}
    edits = requests = sessions = 0
    samples: list[tuple[int, int, int]] = []  # (edits, rss KiB, threads)
    warm_at = max(1, args.edits // 10)
    warm: tuple[int, int, int] | None = None
    every = max(1, args.edits // args.samples)
    next_sample = 0
    offer = None if args.encoding == "utf-16" else [args.encoding]
    with LspProcess(cwd="/tmp") as srv, LspProcess(cwd="/tmp") as fresh:
        srv.initialize(encodings=offer)
        fresh.initialize(encodings=offer)
        srv.keep_notifications = fresh.keep_notifications = False
        while edits < args.edits:
            session = EditSession(srv, rng.choice(texts), RandomChooser(rng), texts, reference=fresh,
                                  encoding=args.encoding, request_rate=args.request_rate,
                                  directory="/tmp/drls-fuzz")
            try:
                res = session.run(args.steps)
            except Exception as exc:  # the server died or hung: report with the seed, stop
                problems.append(f"session {sessions} raised {type(exc).__name__}: {exc}")
                break
            sessions += 1
            edits += res.edits
            requests += res.requests
            for k, v in res.responses_by_outcome.items():
                outcomes[k] = outcomes.get(k, 0) + v
            for p in res.problems:
                problems.append(f"session {sessions}: {p}")
                print(f"PROBLEM (session {sessions}): {p[:3000]}", flush=True)
            if warm is None and edits >= warm_at:
                warm = (edits, srv.rss_kib(), srv.threads())
            if edits >= next_sample:
                sample = (edits, srv.rss_kib(), srv.threads())
                samples.append(sample)
                rate = edits / (time.monotonic() - started)
                print(f"{edits:>8} edits {requests:>7} requests  RSS {sample[1] / 1024:7.1f} MiB  threads {sample[2]}"
                      f"  ({rate:.0f} edits/s)", flush=True)
                next_sample += every
        end = (edits, srv.rss_kib(), srv.threads()) if srv.proc.poll() is None else None
        tracebacks = srv.tracebacks() + fresh.tracebacks()
        violations = srv.violations + fresh.violations
        alive = srv.proc.poll() is None
        if alive:
            srv.shutdown_and_exit(60)
            fresh.shutdown_and_exit(60)
    elapsed = time.monotonic() - started
    problems += [f"traceback in server log:\n{t}" for t in tracebacks]
    problems += [f"stdout violation: {v}" for v in violations]
    if not alive:
        problems.append("the server died")

    growth = None
    if warm is not None and end is not None:
        growth = (end[1] - warm[1]) / warm[1]
        print(f"\nRSS after warm-up ({warm[0]} edits): {warm[1] / 1024:.1f} MiB; at the end ({end[0]} edits): "
              f"{end[1] / 1024:.1f} MiB; growth {growth:+.1%} (limit {args.max_rss_growth:.0%})")
        print(f"threads after warm-up: {warm[2]}; at the end: {end[2]}")
        if growth > args.max_rss_growth:
            problems.append(f"RSS grew {growth:+.1%} after warm-up")
        if end[2] > max(warm[2], THREAD_BOUND):
            problems.append(f"threads grew from {warm[2]} to {end[2]} (bound {THREAD_BOUND})")
    print(f"{edits} edits, {requests} requests in {sessions} sessions, {elapsed:.0f} s; seed {seed}")
    print("responses: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"{len(problems)} problem(s)")
    if args.report:
        Path(args.report).write_text(json.dumps({
            "seed": seed, "edits": edits, "requests": requests, "sessions": sessions, "seconds": round(elapsed),
            "rss_warm_kib": warm[1] if warm else None, "rss_end_kib": end[1] if end else None,
            "rss_growth": growth, "threads_warm": warm[2] if warm else None, "threads_end": end[2] if end else None,
            "responses": outcomes, "problems": problems[:50], "encoding": args.encoding,
        }, indent=2) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
