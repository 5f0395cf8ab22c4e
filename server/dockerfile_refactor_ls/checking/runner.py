"""Check one file (``run_job``), or many spread over processes (``run_all``)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..engine.findings import Finding, Severity, apply_edits, fix_all_edits
from ..engine.settings import Settings
from ..report.model import FileResult, entries_from_findings

# Below this many files the processes cost more than they save (measured on the corpus: forking
# two workers and importing nothing new takes ~15 ms; a typical file ~1.5 ms).
PARALLEL_MIN_FILES = 24
# Rounds of --fix: a fix can make another one possible (as in ruff, which loops too).
MAX_FIX_ROUNDS = 5


@dataclass(slots=True)
class Job:
    display: str
    settings: Settings
    threshold: Severity | None
    # The file to read and, with --fix, to write; None for standard input (then ``data``).
    path: Path | None = None
    data: bytes | None = None
    # Where .dockerignore is looked for (the file's folder, or --stdin-filename's).
    folder: Path | None = None
    fix: bool = False


def decode(data: bytes) -> str:
    """Text as BuildKit reads it (UTF-8), keeping undecodable bytes as surrogates so that they are
    reported where they are and written back unchanged by --fix."""
    return data.decode("utf-8", "surrogateescape")


def _diagnose(text: str, settings: Settings, folder: Path | None, name: str | None = None) -> list[Finding]:
    """Findings for ``text``; ``name`` (the Dockerfile's file name) picks ``<name>.dockerignore``
    before ``.dockerignore`` in ``folder``, as BuildKit does."""
    from ..engine.model import Dockerfile
    from ..engine.text import PositionEncoding
    from ..rules.analysis import diagnose
    from ..rules.base import RuleContext
    from ..rules.syntax import invalid_encoding

    doc = Dockerfile(text, PositionEncoding.UTF32)
    if invalid_encoding.is_binary(text):
        return list(invalid_encoding.RULE.check(RuleContext(doc)))
    from ..engine.dockerignore import dockerignore_names

    dockerignore = None
    if folder is not None:
        # The build context, as the language server knows it: MissingDockerignore looks at it.
        doc.context_dir = str(folder)
        doc.file_name = name
        for ignore_name in dockerignore_names(Path(name) if name else None):
            try:
                dockerignore = (folder / ignore_name).read_text(encoding="utf-8", errors="replace")
                break
            except OSError:
                continue
    return diagnose(doc, settings, dockerignore)


def run_job(job: Job) -> FileResult:
    if job.data is not None:
        data = job.data
    else:
        assert job.path is not None
        try:
            data = job.path.read_bytes()
        except IsADirectoryError:
            return FileResult(job.display, error="is a folder, not a file")
        except OSError as exc:
            return FileResult(job.display, error=f"cannot read: {exc.strerror or exc}")
    text = decode(data)
    name = (job.path or Path(job.display)).name
    findings = _diagnose(text, job.settings, job.folder, name)
    result = FileResult(job.display, text=text)
    if job.fix:
        fixed, findings, count = _fix(text, findings, job.settings, job.folder, name)
        result.fixed_count = count
        if fixed != text:
            if job.path is None:
                result.fixed_text = fixed
            else:
                try:
                    job.path.write_bytes(fixed.encode("utf-8", "surrogateescape"))
                except OSError as exc:
                    result.error = f"cannot write the fixes: {exc.strerror or exc}"
            result.text = fixed
            text = fixed
        elif job.path is None:
            result.fixed_text = text
    result.entries = entries_from_findings(text, findings, job.display)
    threshold = job.threshold
    result.failed = threshold is not None and any(f.severity <= threshold for f in findings)
    return result


def _fix(
    text: str, findings: list[Finding], settings: Settings, folder: Path | None, name: str | None = None
) -> tuple[str, list[Finding], int]:
    count = 0
    for _ in range(MAX_FIX_ROUNDS):
        edits = fix_all_edits(findings, text)
        if not edits:
            break
        new = apply_edits(text, edits)
        if new == text:
            break
        after = _diagnose(new, settings, folder, name)
        count += max(1, len(findings) - len(after))
        text, findings = new, after
    return text, findings, count


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _pool(workers: int) -> Executor:
    # fork shares the already imported engine with the workers (no re-import, no re-discovery of
    # rules); macOS and Windows spawn, where fork is unsafe or absent.
    ctx = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def run_all(jobs: Sequence[Job], workers: int) -> Iterator[FileResult]:
    """Results in the order of ``jobs``; with ``workers`` > 1 and enough files, in parallel."""
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        for job in jobs:
            yield run_job(job)
        return
    from ..rules.registry import all_rules

    all_rules()  # discovered once here, inherited by every forked worker
    pool = _pool(min(workers, len(jobs)))
    try:
        chunk = max(1, min(16, len(jobs) // (workers * 8)))
        yield from pool.map(run_job, jobs, chunksize=chunk)
    finally:
        # A closed pipe or Ctrl-C stops here: drop the files not yet started.
        pool.shutdown(wait=True, cancel_futures=True)
