#!/usr/bin/env python3
"""Files per second of ``check`` on the shared corpus, one core and all cores, next to hadolint.

    python scripts/bench/cli_throughput.py [--runs 3] [--corpus DIR] [--no-hadolint]

Each figure is the best of ``--runs`` wall-clock runs of the whole command (process start
included), with ``--format json`` so that both tools print the same kind of report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(os.environ.get("DOCKERFILE_CORPUS", ROOT.parent / "shared" / "corpus" / "files"))


def best(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-hadolint", action="store_true")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (set DOCKERFILE_CORPUS); skipping the CLI throughput bench")
        return 0
    files = sorted(str(p) for p in args.corpus.glob("*.Dockerfile"))
    ours = [sys.executable, "-m", "dockerfile_refactor_ls", "check", "-f", "json", "-t", "none", "-q"]
    rows = [
        ("dockerfile-refactor-ls check -j 1", best([*ours, "-j", "1", *files], args.runs)),
        (f"dockerfile-refactor-ls check -j {os.cpu_count()}", best([*ours, "-j", "0", *files], args.runs)),
    ]
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not args.no_hadolint and Path(hadolint).is_file():
        rows.append(("hadolint", best([hadolint, "--no-fail", "-f", "json", *files], max(1, args.runs // 3))))
    print(f"check throughput on {len(files)} corpus files ({os.cpu_count()} cores, best of {args.runs}):")
    for name, secs in rows:
        print(f"  {name:<40} {secs:7.2f} s  {len(files) / secs:8.0f} files/s")
    if len(rows) == 3:
        print(f"  one core: {rows[2][1] / rows[0][1]:.1f}x hadolint; all cores: {rows[2][1] / rows[1][1]:.1f}x hadolint")
    return 0


if __name__ == "__main__":
    sys.exit(main())
