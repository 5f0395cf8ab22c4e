#!/usr/bin/env python3
"""Count the engine's Python function calls per keystroke on a generated file.

A count does not vary with the machine's load or its caches, so comparing it at 5,000 and 50,000
lines tells whether the per-keystroke work grows linearly, where the times (make bench) also carry
the memory hierarchy's slowdown on a bigger heap. Same edit as make bench (one character inside
the planted RUN line, inserted then deleted); counted with cProfile over applying the change,
diagnosing, and converting and encoding the diagnostics, as the server does on each keystroke.

Usage: python scripts/bench/count_work.py --lines 5000 [--edits 10]   (prints JSON)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

from dockerfile_refactor_ls.documents import ChangeRange, DocumentStore
from dockerfile_refactor_ls.engine.text import Position
from dockerfile_refactor_ls.wire import diagnostic_dict
from dockerfile_refactor_ls.workspace import WorkspaceConfig


def calls_per_keystroke(lines: int, edits: int = 10) -> float:
    text = generate.generate(lines)
    config = WorkspaceConfig()
    state = DocumentStore().open("file:///bench/Dockerfile", text, 1)
    rows = text.split("\n")
    line = next(i for i, row in enumerate(rows) if "edit-target" in row)
    col = rows[line].index("edit-target") + 4
    config.diagnose(state, config.inputs_for(state.uri))  # the open: not counted
    profile = cProfile.Profile()
    for i in range(edits):
        profile.enable()
        if i % 2 == 0:
            state.apply_change("x", ChangeRange(Position(line, col), Position(line, col)))
        else:
            state.apply_change("", ChangeRange(Position(line, col), Position(line, col + 1)))
        findings = config.diagnose(state, config.inputs_for(state.uri))
        json.dumps([diagnostic_dict(state.model, f) for f in findings])
        profile.disable()
    return int(pstats.Stats(profile).total_calls) / edits  # type: ignore[attr-defined]  # untyped in typeshed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--edits", type=int, default=10)
    args = ap.parse_args()
    print(json.dumps({"lines": args.lines, "calls_per_keystroke": calls_per_keystroke(args.lines, args.edits)}))


if __name__ == "__main__":
    main()
