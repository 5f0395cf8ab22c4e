"""The ``check`` and ``fix`` arguments: hadolint's flags under hadolint's names where one exists."""

from __future__ import annotations

import argparse
from typing import Any

from ..report import FORMATS
from .config import parse_threshold


def _threshold(value: str) -> str:
    try:
        parse_threshold(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _jobs(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (all cores) or more")
    return n


def add_check_parser(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="lint Dockerfiles (a drop-in for hadolint in CI)",
        description="Lint Dockerfiles with BuildKit's checks, hadolint's rules and our own. "
        "Exit status: 0 clean, 1 findings at or above the failure threshold, 2 usage or "
        "configuration error or an unreadable file.",
    )
    check.add_argument("paths", nargs="*", help="files or folders (default: .); '-' reads standard input")
    check.add_argument(
        "-f",
        "--format",
        action="append",
        choices=FORMATS,
        metavar="FORMAT",
        help=f"output format, repeatable with --output ({', '.join(FORMATS)}); "
        "default: tty on a terminal, text otherwise",
    )
    check.add_argument("-o", "--output", action="append", metavar="FILE", help="write the report of the matching --format to FILE")
    check.add_argument(
        "-t",
        "--failure-threshold",
        type=_threshold,
        metavar="LEVEL",
        help="lowest level that makes the exit status 1: error, warning, info (default), style "
        "(none and ignore: any finding, as in hadolint; --no-fail never fails)",
    )
    check.add_argument("--no-fail", action="store_true", help="exit 0 even when findings reach the threshold")
    check.add_argument("--exit-zero", action="store_true", help=argparse.SUPPRESS)
    check.add_argument("--ignore", action="append", metavar="CODE", help="skip a rule (repeatable, or comma-separated)")
    for level in ("error", "warning", "info", "style"):
        check.add_argument(f"--{level}", action="append", metavar="CODE", help=f"report rule CODE at level {level}")
    check.add_argument("-c", "--config", metavar="FILE", help="the .hadolint.yaml to use (default: looked up per file)")
    check.add_argument("--trusted-registry", action="append", metavar="REGISTRY", help="a registry FROM may use (DL3026)")
    check.add_argument("--require-label", action="append", metavar="LABEL:FORMAT", help="a label every image must have")
    check.add_argument("--strict-labels", action="store_true", help="allow no labels other than --require-label ones")
    check.add_argument("--disable-ignore-pragma", action="store_true", help="do not honour # hadolint ignore= comments")
    check.add_argument("--no-color", action="store_true", help="never colour the tty output (also: NO_COLOR)")
    check.add_argument("-V", "--verbose", action="store_true", help="say on stderr which configuration each file uses")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary line, no progress bar")
    check.add_argument("--stdin-filename", metavar="PATH", help="the name of standard input: for messages, config and .dockerignore")
    check.add_argument("--file-path-in-report", metavar="PATH", help="the path every report shows (as hadolint)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place (standard input: fixed text to stdout)")
    check.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N", help="worker processes (default 0: all cores)")
    check.add_argument("--no-gitignore", action="store_true", help="walk folders without honouring .gitignore")


def add_fix_parser(sub: Any) -> None:
    fix = sub.add_parser(
        "fix", help="apply a refactoring or all safe fixes; prints a diff by default ('-': stdin to stdout)"
    )
    fix.add_argument("paths", nargs="+", help="files or folders; '-' reads standard input and prints the result")
    group = fix.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--action",
        help="a refactoring by name (splitStages, cacheMounts, nonRootUser...) or code action kind; an unknown name lists them all",
    )
    group.add_argument("--all", action="store_true", help="apply every safe quick fix (like source.fixAll)")
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff (default)")
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    fix.add_argument("-c", "--config", metavar="FILE", help="the .hadolint.yaml to use (default: looked up per file)")
    fix.add_argument("--stdin-filename", metavar="PATH", help="the name of standard input, for config lookup")
