#!/usr/bin/env python3
"""Open an N-stage Dockerfile in the real server over stdio and time what an editor asks of it.

The file is ``tests/reliability/adversarial.stages(N)``: every stage built ``FROM`` the one
before, with an ARG, a ``COPY --from=<previous stage>`` and a RUN (50,000 stages: 4.03 M
characters, just over the default ``maxDiagnosedCharacters``). Printed, per size:

  * didOpen → first publishDiagnostics (and how many it held), with the rules' limit as configured
    (``--limit``; ``default`` keeps the server's 4,000,000 characters);
  * a completion sent right after didOpen: how long until its first answer (``completion_right_after_open_ms``;
    ServerCancelled while the file is still being analysed counts, and the answers are counted
    in ``completion_right_after_open_cancelled``) and until a result (asking again at once after
    each ServerCancelled, as a client that retries does: ``completion_result_after_open_ms``);
  * then, with the analysis done, documentSymbol, hover on a FROM keyword, completion after
    ``COPY --from=`` (every stage name) and on the empty last line (keywords): median and max
    milliseconds of ``--requests`` each;
  * peak RSS of the server (VmHWM).

With several ``--stages`` it also prints how each time grows from one size to the next (2x the
stages should be about 2x the time). The machine is measured as it is: on a shared box, run it
when the load is low, and read ratios rather than absolute times.

Usage: python scripts/bench/huge_stages.py [--stages 12500,25000,50000] [--limit 100000000] [--requests 5]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.reliability.adversarial import stages  # noqa: E402
from tests.reliability.lsp_client import SERVER_CANCELLED, LspProcess  # noqa: E402

URI = "file:///bench/huge/Dockerfile"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timed(lsp: LspProcess, method: str, params: dict[str, Any], timeout: float) -> tuple[float, Any]:
    """Seconds from sending the request to reading its result (asking again after ServerCancelled)."""
    t0 = time.monotonic()
    while True:
        resp = lsp.response(lsp.send_request(method, params), timeout)
        if resp.ok:
            return resp.received - t0, resp.result
        if (resp.error or {}).get("code") != SERVER_CANCELLED:
            raise AssertionError(f"{method} failed: {resp.error}")


def measure(n: int, limit: int | None, requests: int, timeout: float) -> dict[str, Any]:
    text = stages(n)
    lines = text.split("\n")
    settings: dict[str, Any] = {} if limit is None else {"maxDiagnosedCharacters": limit}
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "server") + os.pathsep + env.get("PYTHONPATH", "")
    out: dict[str, Any] = {"stages": n, "characters": len(text), "limit": limit or "default"}
    with LspProcess(env=env) as lsp:
        lsp.configuration = settings
        t0 = time.perf_counter()
        lsp.initialize(initialization_options=settings or None)
        out["initialize_ms"] = _ms(time.perf_counter() - t0)
        t_open = time.monotonic()
        lsp.open(URI, text)
        # An editor asks at once (completion as the user starts typing): how long does it wait?
        last = len(lines) - 1
        completion = {"textDocument": {"uri": URI}, "position": {"line": last, "character": 0}}
        t_sent = time.monotonic()
        first = lsp.response(lsp.send_request("textDocument/completion", completion), timeout)
        out["completion_right_after_open_ms"] = _ms(first.received - t_sent)
        cancelled = 0
        while not first.ok and (first.error or {}).get("code") == SERVER_CANCELLED:
            cancelled += 1
            first = lsp.response(lsp.send_request("textDocument/completion", completion), timeout)
        if not first.ok:
            raise AssertionError(f"completion failed: {first.error}")
        out["completion_right_after_open_cancelled"] = cancelled
        out["completion_result_after_open_ms"] = _ms(first.received - t_sent)
        diags = lsp.wait_diagnostics(URI, None, timeout)
        out["first_diagnostics_ms"] = _ms(lsp.first_diagnostics_at[URI] - t_open)
        out["first_diagnostics_count"] = len(diags)
        # Later publishes (ShellCheck's batches, the secrets detector) come while the requests
        # below run; they are part of what a user would see.
        mid = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("FROM "))
        copy = next(i for i in range(mid, len(lines)) if lines[i].startswith("COPY --from="))
        cases = {
            "documentSymbol": ("textDocument/documentSymbol", {"textDocument": {"uri": URI}}),
            "hover FROM": ("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": mid, "character": 1}}),
            "completion --from=": (
                "textDocument/completion",
                {"textDocument": {"uri": URI}, "position": {"line": copy, "character": len("COPY --from=")}},
            ),
            "completion keyword": ("textDocument/completion", {"textDocument": {"uri": URI}, "position": {"line": last, "character": 0}}),
        }
        for name, (method, params) in cases.items():
            times = []
            for _ in range(requests):
                took, result = _timed(lsp, method, params, timeout)
                times.append(took)
            size = len(result) if isinstance(result, list) else len((result or {}).get("items", [])) if isinstance(result, dict) else 0
            out[name] = {"median_ms": _ms(statistics.median(times)), "max_ms": _ms(max(times)), "items": size}
        status = lsp.proc_status()
        out["peak_rss_mib"] = round(int(status["VmHWM"].split()[0]) / 1024, 1)
        out["diagnostics_at_end"] = len(lsp.diagnostics.get(URI, {}).get("diagnostics", []))
        lsp.shutdown_and_exit(timeout)
        tracebacks = lsp.tracebacks()
        if tracebacks:
            out["tracebacks"] = tracebacks[:2]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stages", default="50000", help="comma-separated stage counts")
    ap.add_argument("--limit", default="100000000", help="maxDiagnosedCharacters, or 'default'")
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    limit = None if args.limit == "default" else int(args.limit)
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    results = []
    for n in (int(s) for s in args.stages.split(",")):
        r = measure(n, limit, args.requests, args.timeout)
        results.append(r)
        print(json.dumps(r), flush=True)
    keys = ["first_diagnostics_ms", "completion_right_after_open_ms"]
    for small, large in itertools.pairwise(results):
        ratio = large["stages"] / small["stages"]
        growth = {k: round(large[k] / max(small[k], 0.1), 2) for k in keys}
        for name in ("documentSymbol", "hover FROM", "completion --from=", "completion keyword"):
            growth[name] = round(large[name]["median_ms"] / max(small[name]["median_ms"], 0.1), 2)
        print(f"growth {small['stages']:,} -> {large['stages']:,} stages (x{ratio:g}): {json.dumps(growth)}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
