"""``check`` and ``fix``: turn parsed arguments into jobs, run them, write the reports."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from ..report import FORMATS, Reporter, ReportOptions, Stats, make_reporter
from ..report.model import clean
from .config import ConfigError, ConfigResolver, parse_labels
from .files import discover
from .progress import Progress
from .runner import Job, default_jobs, run_all

STDIN = "-"


class UsageError(Exception):
    """Bad arguments found after parsing: one line on stderr, status 2."""


def cli_config(args: argparse.Namespace) -> dict[str, Any]:
    """The command line's part of the configuration, in ``.hadolint.yaml``'s shape."""
    out: dict[str, Any] = {}
    override = {lvl: _codes(getattr(args, lvl)) for lvl in ("error", "warning", "info", "style")}
    if any(override.values()):
        out["override"] = {k: v for k, v in override.items() if v}
    if args.ignore:
        out["ignored"] = _codes(args.ignore)
    if args.trusted_registry:
        out["trustedRegistries"] = _codes(args.trusted_registry)
    if args.require_label:
        out["label-schema"] = parse_labels(args.require_label)
    if args.strict_labels:
        out["strict-labels"] = True
    if args.disable_ignore_pragma:
        out["disable-ignore-pragma"] = True
    if args.failure_threshold is not None:
        out["failure-threshold"] = args.failure_threshold
    if args.no_fail:
        out["no-fail"] = True
    return out


def _codes(values: list[str] | None) -> list[str]:
    # Repeatable, and each value may also be a comma-separated list (as in HADOLINT_IGNORE).
    return [c.strip() for v in values or () for c in v.split(",") if c.strip()]


def _use_color(stream: TextIO, no_color: bool) -> bool:
    if no_color or "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE"):
        return True
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _formats(args: argparse.Namespace, resolver: ConfigResolver) -> list[str]:
    if args.format:
        return list(args.format)
    configured = resolver.for_directory(Path.cwd()).values.get("format")
    if isinstance(configured, str) and configured in FORMATS:
        return [configured]
    return ["tty" if sys.stdout.isatty() else "text"]


def check(args: argparse.Namespace) -> int:
    paths: list[str] = list(args.paths) or ([STDIN] if args.stdin_filename else ["."])
    if paths.count(STDIN) > 1:
        raise UsageError("standard input ('-') can be checked only once")
    explicit = Path(args.config) if args.config else None
    resolver = ConfigResolver(cli_config(args), explicit=explicit)
    verbose = args.verbose or resolver.env_values.get("verbose") is True
    formats = _formats(args, resolver)
    # Paired in order, as in hadolint; "-" is standard output.
    outputs: list[str | None] = [None if o == STDIN else o for o in args.output or []]
    if len(outputs) > len(formats):
        raise UsageError(f"{len(outputs)} --output files for {len(formats)} --format: give one --format per --output")
    outputs += [None] * (len(formats) - len(outputs))
    if outputs.count(None) > 1:
        raise UsageError("only one --format can go to standard output: give the others an --output file")

    jobs = _jobs(args, paths, resolver, verbose)
    fixed_to_stdout = args.fix and any(j.path is None for j in jobs)
    no_color = args.no_color or resolver.for_directory(Path.cwd()).values.get("no-color") is True

    with ExitStack() as stack:
        reporters: list[Reporter] = []
        for fmt, dest in zip(formats, outputs, strict=True):
            if dest is None:
                # With `check --fix -` the fixed text owns stdout; the report goes to stderr (as ruff).
                stream: TextIO = sys.stderr if fixed_to_stdout else sys.stdout
            else:
                try:
                    stream = stack.enter_context(open(dest, "w", encoding="utf-8", newline=""))
                except OSError as exc:
                    raise UsageError(f"{dest}: cannot write the report: {exc.strerror or exc}") from None
            reporters.append(
                make_reporter(fmt, stream, ReportOptions(color=fmt == "tty" and _use_color(stream, no_color), summary=not args.quiet))
            )
        stats = Stats()
        failed = False
        unreadable = False
        progress = Progress(len(jobs), sys.stderr, enabled=not args.quiet)
        try:
            for result in run_all(jobs, args.jobs or default_jobs()):
                if result.entries or result.error is not None:
                    # Lines streamed to the terminal must not land on the bar's line.
                    progress.clear()
                progress.advance()
                stats.add(result)
                failed |= result.failed
                if result.error is not None:
                    unreadable = True
                    print(f"{result.path}: {result.error}", file=sys.stderr)
                if result.fixed_text is not None:
                    write_source(result.fixed_text)
                for r in reporters:
                    r.add(result)
        finally:
            progress.close()
        for r in reporters:
            r.finish(stats)
            r.out.flush()
    if not jobs and not args.quiet:
        print(f"warning: no Dockerfiles found in {', '.join(paths)}", file=sys.stderr)
    if unreadable:
        return 2
    if args.exit_zero or "codeclimate" in formats:
        # hadolint's codeclimate output never fails a run: the Code Climate engine protocol wants
        # status 0 and reads the findings from the stream.
        return 0
    return 1 if failed else 0


def write_source(text: str) -> None:
    """Dockerfile text to stdout byte for byte: bytes that were not UTF-8 go out as they came in."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def _jobs(args: argparse.Namespace, paths: list[str], resolver: ConfigResolver, verbose: bool) -> list[Job]:
    jobs: list[Job] = []
    reported: set[Path | None] = set()
    for raw in paths:
        if raw == STDIN:
            named = Path(args.stdin_filename) if args.stdin_filename else None
            folder = (named.parent if named else Path.cwd()).absolute()
            display = clean(args.file_path_in_report or args.stdin_filename or STDIN)
            conf = resolver.for_directory(folder)
            jobs.append(Job(display, conf.settings, conf.threshold, data=sys.stdin.buffer.read(), folder=folder, fix=args.fix))
        else:
            for path in discover([raw], use_gitignore=not args.no_gitignore):
                folder = path.parent.absolute()
                conf = resolver.for_directory(folder)
                # A file name that is not UTF-8 is shown with U+FFFD, never a traceback.
                display = clean(args.file_path_in_report or str(path))
                jobs.append(Job(display, conf.settings, conf.threshold, path=path, folder=folder, fix=args.fix))
        if verbose and jobs and conf.source not in reported:
            reported.add(conf.source)
            _say_config(jobs[-1].display, conf.source, resolver)
    return jobs


def _say_config(display: str, source: Path | None, resolver: ConfigResolver) -> None:
    if resolver.explicit is not None:
        print(f"config: {source} (--config)", file=sys.stderr)
    elif source is None:
        print(f"config: none found for {display} (project, then user config); using the defaults", file=sys.stderr)
    else:
        print(f"config: {source} (for {display})", file=sys.stderr)


def fix(args: argparse.Namespace) -> int:
    from ..engine.findings import apply_edits, fix_all_edits
    from ..engine.model import Dockerfile
    from ..refactors.base import NotApplicable
    from ..refactors.registry import all_refactorings, plan_or_reason, refactoring_named
    from .runner import _diagnose, decode

    ref = None
    if not args.all:
        ref = refactoring_named(args.action)
        if ref is None:
            names = ", ".join(r.name for r in all_refactorings())
            raise UsageError(f"unknown action {args.action!r}; choose from {names}")
    resolver = ConfigResolver({}, explicit=Path(args.config) if args.config else None)
    status = 0
    targets: list[Path | None] = []
    for raw in args.paths:
        targets.extend([None] if raw == STDIN else discover([raw]))
    for path in targets:
        if path is None:
            data = sys.stdin.buffer.read()
            named = Path(args.stdin_filename) if args.stdin_filename else None
            folder = (named.parent if named else Path.cwd()).absolute()
            label = args.stdin_filename or STDIN
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
                status = 2
                continue
            folder = path.parent.absolute()
            label = str(path)
        text = decode(data)
        if ref is None:
            findings = _diagnose(text, resolver.for_directory(folder).settings, folder, Path(label).name)
            edits = fix_all_edits(findings, text)
            new = apply_edits(text, edits) if edits else text
        else:
            doc = Dockerfile(text)
            doc.context_dir = str(folder)  # the build context splitStages reads (cgo, runtime folders)
            doc.file_name = path.name if path is not None else (named.name if named else None)
            result = plan_or_reason(ref, doc, None)
            if isinstance(result, NotApplicable):
                # One line, why; the file is left as it is.
                print(f"{label}: {ref.name} does not apply: {result.reason}", file=sys.stderr)
                status = max(status, 1)
                if path is None:
                    write_source(text)
                continue
            new = apply_edits(text, result.edits)
            for nf in result.new_files:
                # A file the refactoring creates (addDockerignore): written with --write, shown as a
                # new file by --diff; never over a file that appeared since the plan.
                if path is not None and args.write:
                    try:
                        with open(nf.path, "x", encoding="utf-8", newline="") as fh:
                            fh.write(nf.text)
                    except OSError as exc:
                        print(f"{nf.path}: cannot create: {exc.strerror or exc}", file=sys.stderr)
                        status = 2
                        continue
                    print(f"{nf.path}: created", file=sys.stderr)
                elif path is not None:
                    rel = os.path.relpath(nf.path)
                    diff = difflib.unified_diff([], nf.text.splitlines(keepends=True), fromfile="/dev/null",
                                                tofile=f"b/{rel}")
                    sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
        if path is None:
            # Standard input in, the whole result out: what editors' format-on-save pipes expect.
            write_source(new)
            continue
        if new == text:
            continue
        if args.write:
            path.write_bytes(new.encode("utf-8", "surrogateescape"))
            print(f"{path}: rewritten", file=sys.stderr)
        else:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    return status


def run(command: str, args: argparse.Namespace) -> int:
    """Run ``check`` or ``fix``; usage and configuration errors end with one line and status 2."""
    try:
        return check(args) if command == "check" else fix(args)
    except (UsageError, ConfigError) as exc:
        print(f"dockerfile-refactor-ls: error: {exc}", file=sys.stderr)
        return 2
