#!/usr/bin/env python3
"""Coverage-guided fuzzing of the engine with atheris (libFuzzer for Python).

One harness per entry point the server calls; each must never let an exception escape, and each
checks the invariants a caller relies on:

  parse      engine.parser.parse: instruction spans inside the text and in order
  model      engine.model.Dockerfile: stages, variable references, heredocs, ranges of every span
             in UTF-16, UTF-8 and UTF-32
  diagnose   rules.analysis.diagnose: finding spans inside the text, every fix applies, the
             fix-all edits apply, and the result parses again
  complete   engine.completion.complete at eight offsets: replace spans inside the text
  refactor   every refactors.registry.all_refactorings() plan (called directly, not through
             registry.plan, which would swallow the exception): edits apply and the result parses
  all        all of the above on each input

The input bytes are decoded as UTF-8 with surrogateescape, as the CLI reads files. Seeds: the
shared corpus (../shared/corpus/files, or $DOCKERFILE_CORPUS), copied into a work directory
outside the repository (.cache/fuzz/<target>/) that libFuzzer then grows.

Usage:
  python scripts/fuzz/fuzz_engine.py TARGET [libFuzzer flags...]   e.g. -max_total_time=120
  python scripts/fuzz/fuzz_engine.py TARGET --replay FILE...        run inputs once (no libFuzzer)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("DOCKERFILE_CORPUS", REPO.parent / "shared" / "corpus" / "files"))
WORK = REPO / ".cache" / "fuzz"
TARGETS = ("parse", "model", "diagnose", "complete", "refactor", "all")

with atheris.instrument_imports(include=["dockerfile_refactor_ls"]):
    from dockerfile_refactor_ls.engine.completion import complete
    from dockerfile_refactor_ls.engine.findings import apply_edits, fix_all_edits
    from dockerfile_refactor_ls.engine.model import Dockerfile
    from dockerfile_refactor_ls.engine.parser import parse
    from dockerfile_refactor_ls.engine.text import PositionEncoding, Span
    from dockerfile_refactor_ls.refactors.base import NotApplicable
    from dockerfile_refactor_ls.refactors.registry import all_refactorings
    from dockerfile_refactor_ls.rules.analysis import diagnose
    from dockerfile_refactor_ls.rules.registry import all_rules

    # The rule and refactoring modules are discovered lazily: import them here, instrumented.
    all_rules()
    all_refactorings()


class InvariantError(AssertionError):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise InvariantError(what)


def _span_ok(span: Span, n: int) -> bool:
    return 0 <= span.start <= span.end <= n


def run_parse(text: str) -> None:
    result = parse(text)
    n = len(text)
    prev = -1
    for ins in result.instructions:
        check(_span_ok(ins.span, n), f"instruction span {ins.span} outside 0..{n}")
        check(ins.span.start >= prev, f"instructions out of order at {ins.span}")
        prev = ins.span.start
        for h in ins.heredocs:
            check(_span_ok(h.body, n), f"heredoc body {h.body} outside 0..{n}")
    for issue in result.all_errors:
        check(_span_ok(issue.span, n), f"error span {issue.span} outside 0..{n}")


def run_model(text: str) -> Dockerfile:
    doc = Dockerfile(text)
    n = len(text)
    for stage in doc.stages:
        check(_span_ok(stage.span, n), f"stage span {stage.span}")
    for ref in doc.var_refs:
        check(_span_ok(ref.span, n), f"var ref span {ref.span}")
    list(doc.heredocs())
    for enc in (PositionEncoding.UTF16, PositionEncoding.UTF8, PositionEncoding.UTF32):
        d = Dockerfile(text, enc, parsed=doc.parsed)
        for ins in d.instructions:
            r = d.range(ins.span)
            check(r.start <= r.end, f"reversed range {r} for {ins.span}")
            # offset(position(o)) must come back to o (or to the end of its line's content).
            back = d.lines.offset(r.start)
            check(back <= ins.span.start or text[ins.span.start - 1 : ins.span.start] in ("\r", "\n", ""),
                  f"position round trip {ins.span.start} -> {r.start} -> {back}")
    return doc


def run_diagnose(text: str, doc: Dockerfile | None = None) -> None:
    doc = doc or Dockerfile(text)
    n = len(text)
    findings = diagnose(doc)
    for f in findings:
        check(_span_ok(f.span, n), f"{f.code} span {f.span} outside 0..{n}")
        doc.range(f.span)
        for fx in f.fixes:
            for e in fx.edits:
                check(_span_ok(e.span, n), f"{f.code} fix edit {e.span} outside 0..{n}")
            try:
                new = apply_edits(text, fx.edits)
            except ValueError as exc:
                raise InvariantError(f"{f.code} fix {fx.title!r}: {exc}") from exc
            parse(new)
    edits = fix_all_edits(findings, text)
    if edits:
        Dockerfile(apply_edits(text, edits))


def run_complete(text: str, doc: Dockerfile | None = None) -> None:
    doc = doc or Dockerfile(text)
    n = len(text)
    for k in range(8):
        offset = n * k // 7
        for item in complete(doc, offset, snippets=bool(k % 2), rules=all_rules()):
            check(_span_ok(item.replace, n), f"completion {item.label!r} replaces {item.replace} outside 0..{n}")


def run_refactor(text: str, doc: Dockerfile | None = None) -> None:
    doc = doc or Dockerfile(text)
    n = len(text)
    spans: list[Span | None] = [None, Span(0, n), Span(n // 2, n // 2), Span(n // 3, 2 * n // 3)]
    for ref in all_refactorings():
        for span in spans:
            try:
                result = ref.plan(doc, span)
            except NotApplicable as why:  # an answer, not a crash; it must say something
                check(bool(why.reason.strip()), f"{ref.name} declines without a reason")
                continue
            if result is None:
                continue
            for e in result.edits:
                check(_span_ok(e.span, n), f"{ref.name} edit {e.span} outside 0..{n}")
            try:
                new = apply_edits(text, result.edits)
            except ValueError as exc:
                raise InvariantError(f"{ref.name}: {exc}") from exc
            Dockerfile(new)


def run_all(text: str) -> None:
    run_parse(text)
    doc = run_model(text)
    run_diagnose(text, doc)
    run_complete(text, doc)
    run_refactor(text, doc)


RUNNERS = {
    "parse": run_parse,
    "model": run_model,
    "diagnose": run_diagnose,
    "complete": run_complete,
    "refactor": run_refactor,
    "all": run_all,
}


def seed_dir(target: str) -> Path:
    """The libFuzzer corpus directory for ``target``, seeded from the shared corpus once."""
    d = WORK / target
    d.mkdir(parents=True, exist_ok=True)
    if CORPUS.is_dir() and not any(d.iterdir()):
        for p in sorted(CORPUS.glob("*.Dockerfile")):
            shutil.copyfile(p, d / p.name)
    return d


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(__doc__)
        return 2
    target = sys.argv[1]
    runner = RUNNERS[target]

    def one_input(data: bytes) -> None:
        runner(data.decode("utf-8", "surrogateescape"))

    if len(sys.argv) > 2 and sys.argv[2] == "--replay":
        for name in sys.argv[3:]:
            one_input(Path(name).read_bytes())
            print(f"ok {name}")
        return 0
    crashes = WORK / "crashes" / target
    crashes.mkdir(parents=True, exist_ok=True)
    flags = sys.argv[2:]
    if not any(f.startswith("-artifact_prefix=") for f in flags):
        flags.append(f"-artifact_prefix={crashes}/")
    if not any(f.startswith("-max_len=") for f in flags):
        flags.append("-max_len=65536")
    if not any(f.startswith("-timeout=") for f in flags):
        flags.append("-timeout=60")
    corpus_args = [str(seed_dir(target))]
    atheris.Setup([sys.argv[0], *flags, *corpus_args], one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
