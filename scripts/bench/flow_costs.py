#!/usr/bin/env python3
"""Time each step of one keystroke and of one code action through the core, as the server runs them.

The keystroke: ``Core.change`` (incremental sync and re-parse of the touched instructions), the
model, the rules (``Core.findings``), converting the findings to LSP dicts and framing the
``publishDiagnostics`` message. The code action: the model the action reads (cached per version)
and every refactoring's ``plan`` at the cursor, as ``textDocument/codeAction`` asks for them.
Medians over ``--edits`` keystrokes on the bench's generated file (the same edit as make bench).
Figures go in docs/architecture.md; they are not a test (load changes them).

Usage: python scripts/bench/flow_costs.py --lines 5000 [--edits 21]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

from dockerfile_refactor_ls.core import Core
from dockerfile_refactor_ls.documents import ChangeRange
from dockerfile_refactor_ls.engine.text import Position, Span
from dockerfile_refactor_ls.refactors.registry import all_refactorings, plan_or_reason
from dockerfile_refactor_ls.rules.own.shellcheck import BACKGROUND
from dockerfile_refactor_ls.wire import diagnostic_dict, frame, publish_diagnostics_message

URI = "file:///bench/Dockerfile"


def measure(lines: int, edits: int) -> dict[str, Any]:
    # As in the server: ShellCheck runs off the typing path, its findings republished when ready.
    BACKGROUND.enable()
    sent: list[dict[str, Any]] = []
    core = Core(sent.append)
    core.initialize("utf-16", [], None, None, None, wants_configuration=False)
    text = generate.generate(lines)
    state = core.open(URI, text, 1, "dockerfile")
    core.publish(URI)  # the open: not counted
    rows = text.split("\n")
    line = next(i for i, row in enumerate(rows) if "edit-target" in row)
    col = rows[line].index("edit-target") + 4
    steps: dict[str, list[float]] = {k: [] for k in ("sync", "model", "rules", "convert", "frame", "actions")}
    for i in range(edits):
        t0 = time.perf_counter()
        if i % 2 == 0:
            core.change(URI, i + 2, [("x", ChangeRange(Position(line, col), Position(line, col)))])
        else:
            core.change(URI, i + 2, [("", ChangeRange(Position(line, col), Position(line, col + 1)))])
        t1 = time.perf_counter()
        doc = state.model
        t2 = time.perf_counter()
        findings = core.findings(state)
        t3 = time.perf_counter()
        items = [diagnostic_dict(state, f) for f in findings]
        t4 = time.perf_counter()
        frame(publish_diagnostics_message(URI, state.version, items))
        t5 = time.perf_counter()
        offset = state.lines.offset(Position(line, col))
        for ref in all_refactorings():
            plan_or_reason(ref, doc, Span(offset, offset))
        t6 = time.perf_counter()
        for key, a, b in (("sync", t0, t1), ("model", t1, t2), ("rules", t2, t3), ("convert", t3, t4),
                          ("frame", t4, t5), ("actions", t5, t6)):
            steps[key].append((b - a) * 1000)
    return {"lines": lines, "edits": edits, "diagnostics": len(items),
            "median_ms": {k: round(statistics.median(v), 2) for k, v in steps.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--edits", type=int, default=21)
    args = ap.parse_args()
    print(json.dumps(measure(args.lines, args.edits)))


if __name__ == "__main__":
    main()
