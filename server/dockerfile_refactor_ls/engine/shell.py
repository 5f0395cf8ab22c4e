"""What a ``RUN`` instruction runs: its simple commands, their words and pipes, with document spans.

Rules ask questions such as "does this RUN call ``apt-get install`` without ``-y``?" and want to point
at the exact word. This module answers them:

- :func:`run_script` turns one RUN (shell form, exec form, or a heredoc script) into a
  :class:`ShellScript`: a list of :class:`SimpleCommand` (``name``, ``args``, assignments, spans) and
  the pipelines it contains. Every span is an absolute offset into the document.
- The shell text is what BuildKit hands to ``/bin/sh -c``: the logical line with line continuations
  and the comment lines inside them removed. An offset map keeps every character tied to where it
  came from in the document, so a word split over a continuation still maps back exactly.
- Parsing is a quote-aware tokenizer that splits the text at control operators (``&&``, ``||``,
  ``;``, ``|``, newlines, subshells, ``$(...)``) and reads compound commands (``if``, ``for``,
  ``case``, ``[[ ]]``, ``$(( ))``). ``bashlex`` was the first choice and was measured against it:
  bashlex rebuilds its LR tables on every import (0.3-0.9 s before the first diagnostics), costs
  about 2.8 ms per RUN against 0.9 ms (1,596 corpus RUNs), and cannot read ``case``, ``[[ ]]`` or
  ``$(( ))``; where both read a corpus RUN (1,313 cases) they found the same commands in all but
  22, and in those 22 the tokenizer was right. It is therefore not a dependency.
- :func:`tokens` is that tokenizer's public face, the one every shell reading in the project uses:
  lenient for the rules, strict (None rather than a guess) for the refactorings that cut a RUN at
  token bounds (``engine/ecosystems.py``).
- Wrappers are looked through: ``sudo apt-get install`` is an ``apt-get`` command whose
  ``wrappers`` are ``("sudo",)``; ``sh -c '...'`` with a plain quoted script is analysed too.

Nothing here imports pygls, and results are cached per document and instruction.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .images import is_windows_reference
from .model import Dockerfile, Stage
from .parser import Instruction
from .text import GO_SPACE_CHARS, Span

SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"))
NON_POSIX_SHELLS = ("pwsh", "powershell", "cmd")


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: its value with quotes removed (as far as a static reading can) and its span."""

    value: str
    span: Span
    raw: str  # the source text of the word in the analysed shell text


@dataclass(slots=True)
class SimpleCommand:
    """A simple command: ``[assignments] [wrappers] name args...``."""

    name: str  # basename of the command word, e.g. "apt-get" for "/usr/bin/apt-get"
    word: Word  # the command word itself
    args: list[Word]  # the words after it
    span: Span  # the whole command, wrappers and assignments included
    assignments: list[Word] = field(default_factory=list)
    wrappers: tuple[str, ...] = ()  # e.g. ("sudo",) for `sudo apt-get ...`
    index: int = 0  # position in the script (textual order)

    # -- arguments, the way hadolint reads them ------------------------------------------------

    @property
    def values(self) -> list[str]:
        return [w.value for w in self.args]

    def flags(self) -> list[str]:
        """Flag names: ``--name[=v]`` gives ``name``; ``-abc`` gives ``a``, ``b``, ``c``."""
        out: list[str] = []
        for w in self.args:
            v = w.value
            if v in ("-", "--") or not v.startswith("-"):
                continue
            if v.startswith("--"):
                out.append(v[2:].split("=", 1)[0])
            else:
                out.extend(v[1:])
        return out

    def has_flag(self, *names: str) -> bool:
        fl = self.flags()
        return any(n in fl for n in names)

    def has_arg(self, *values: str) -> bool:
        return any(w.value in values for w in self.args)

    def arg_startswith(self, *prefixes: str) -> bool:
        return any(w.value.startswith(prefixes) for w in self.args)

    def flag_values(self, short: str = "", long: str = "") -> list[str]:
        """Values given to ``-s VALUE``, ``-sVALUE``, ``--long VALUE`` or ``--long=VALUE``."""
        out: list[str] = []
        args = self.args
        for i, w in enumerate(args):
            v = w.value
            nxt = args[i + 1].value if i + 1 < len(args) else None
            if long and v.startswith("--" + long):
                rest = v[2 + len(long) :]
                if rest.startswith("="):
                    out.append(rest[1:])
                elif rest == "" and nxt is not None:
                    out.append(nxt)
            elif short and v.startswith("-") and not v.startswith("--") and short in v[1:]:
                k = v.index(short, 1)
                tail = v[k + 1 :]
                if tail:
                    out.append(tail)
                elif nxt is not None:
                    out.append(nxt)
        return out

    def positional(self, takes_value: Iterable[str] = ()) -> list[Word]:
        """Arguments that are not flags, skipping the value of flags listed in ``takes_value``.

        ``takes_value`` holds flag names as :meth:`flags` reports them (``"t"``, ``"target-release"``).
        A ``--`` ends the flags.
        """
        tv = set(takes_value)
        out: list[Word] = []
        skip = False
        ended = False
        for w in self.args:
            v = w.value
            if skip:
                skip = False
                continue
            if ended or not v.startswith("-") or v == "-":
                out.append(w)
                continue
            if v == "--":
                ended = True
                continue
            if v.startswith("--"):
                if "=" not in v and v[2:] in tv:
                    skip = True
            elif v[-1] in tv:
                # `-t foo` or `-yt foo`: the last letter takes the next word.
                skip = True
        return out

    def subcommand(self, takes_value: Iterable[str] = ()) -> Word | None:
        pos = self.positional(takes_value)
        return pos[0] if pos else None

    def head_span(self, last: Word | None = None) -> Span:
        """From the command word to ``last`` (e.g. the subcommand), for a compact diagnostic."""
        end = last.span.end if last is not None and last.span.end >= self.word.span.start else self.word.span.end
        return Span(self.word.span.start, end)


@dataclass(slots=True)
class ShellScript:
    """The commands of one RUN (or one shell script)."""

    commands: list[SimpleCommand]
    pipelines: list[Span]  # document spans of pipelines with at least one `|`
    parser: str  # "tokenizer", or "exec" for the JSON form
    source: str = ""  # the analysed shell text (continuations removed)
    # Where ``&& more`` can be appended to the whole script without changing how it parses (None
    # when the script ends in a comment, a background `&`, a heredoc, or did not parse cleanly).
    append_at: int | None = None
    heredoc: bool = False

    @property
    def has_pipes(self) -> bool:
        return bool(self.pipelines)

    def named(self, *names: str) -> Iterator[SimpleCommand]:
        for c in self.commands:
            if c.name in names:
                yield c

    def uses(self, name: str) -> bool:
        return any(c.name == name or name in c.wrappers for c in self.commands)


# --- the analysis of one piece of shell text -----------------------------------------------------


class _Text:
    """Shell text with, for every character, its document offset."""

    __slots__ = ("offsets", "text")

    def __init__(self, text: str, offsets: list[int]) -> None:
        assert len(text) == len(offsets)
        self.text = text
        self.offsets = offsets

    def span(self, start: int, end: int) -> Span:
        offs = self.offsets
        if not offs:
            return Span(0, 0)
        start = max(0, min(start, len(offs)))
        end = max(start, min(end, len(offs)))
        if end <= start:
            a = offs[start] if start < len(offs) else offs[-1] + 1
            return Span(a, a)
        return Span(offs[start], offs[end - 1] + 1)

    def sub(self, start: int, end: int) -> _Text:
        return _Text(self.text[start:end], self.offsets[start:end])


def analyse(text: str, offsets: list[int] | int = 0) -> ShellScript:
    """Analyse shell ``text``; ``offsets`` maps each character to a document offset (or a base)."""
    if isinstance(offsets, int):
        offsets = list(range(offsets, offsets + len(text)))
    return _analyse(_Text(text, offsets), depth=0)


def _analyse(src: _Text, depth: int) -> ShellScript:
    commands: list[SimpleCommand] = []
    pipelines: list[Span] = []
    parser = "tokenizer"
    commands, pipelines = _with_fallback(src, depth)
    append_at = _append_point(src)
    commands.sort(key=lambda c: (c.span.start, c.span.end))
    for i, c in enumerate(commands):
        c.index = i
    return ShellScript(commands, pipelines, parser, src.text, append_at)


def _append_point(src: _Text) -> int | None:
    """Where ``&& more`` can be appended to the whole script without changing how it parses.

    Not after a comment, a background ``&``, a trailing ``;``/``|``/``\\``, a heredoc, an
    unterminated quote or bracket, or a script of several lines.
    """
    text = src.text
    stripped = text.rstrip()
    if not stripped or stripped[-1] in ";&|\\" or "<<" in text or "\n" in stripped:
        return None
    quote = ""
    depth = 0
    prev = " "
    i = 0
    while i < len(stripped):
        ch = stripped[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch == "\\":
            i += 2
            prev = "x"
            continue
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and prev in " \t;&|(":
            return None  # a comment runs to the end of the line
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        prev = ch
        i += 1
    if quote or depth != 0:
        return None
    return src.offsets[len(stripped) - 1] + 1


_OPERATORS = ("&&", "||", ";;&", ";;", ";&", "|&", "&>>", "&>", ">>", "<<<", "<<-", "<<", ">&", "<&", ">|", "<>")
_CONTROL = frozenset(("&&", "||", ";;&", ";;", ";&", ";", "&", "|", "|&", "(", ")", "\n"))
_REDIRECTS = frozenset(("&>>", "&>", ">>", "<<<", "<<-", "<<", ">&", "<&", ">|", "<>", ">", "<"))
_RESERVED_START = frozenset(("if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"))
_RESERVED_END = frozenset(("fi", "done", "}", "esac"))


@dataclass(slots=True)  # not frozen: a frozen one costs the RUN analysis about 8 % (corpus, measured)
class Token:
    """One word or operator of shell text, as :func:`tokens` reads it.

    ``start``/``end`` index the text given to :func:`tokens`. A redirection written with a file
    descriptor number (``2>``) is one operator whose ``value`` is the operator (``">"``) and whose
    ``raw`` and span include the number, so cutting the text at token bounds never separates them.
    """

    kind: str  # "word" or "op"
    value: str  # a word: quotes and escapes removed (as far as a static reading can); an op: its text
    raw: str  # the source text
    start: int
    end: int


class Refused(Exception):
    """Raised inside :func:`_lex` in strict mode: the text holds something a static reading must not edit."""


# Characters Go's unicode.IsSpace (and so the refactorings' old reading) treats as blanks but the
# shell does not split words at: a word holding one reads differently depending on who reads it.
_ODD_BLANKS = frozenset(GO_SPACE_CHARS) - frozenset(" \t\r\n")
# What may stand between the first `}` of a `${...}` and its balanced end without a reader that stops
# at the first `}` seeing other words or other quoting.
_BRACE_TAIL_UNSAFE = frozenset(" \t\r\n;&|()<>'\"\\`") | _ODD_BLANKS
_UNESCAPED_IN_DOUBLE = re.compile(r'\\([$`"\\])')  # what a backslash escapes inside "..."


def _scan_balanced(text: str, i: int, open_: str, close: str) -> int:
    """Index after the ``close`` matching the ``open_`` at ``text[i]`` (quote-aware); -1 when unclosed."""
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "'" and open_ != "{":
            j = text.find("'", i + 1)
            if j < 0:
                return -1
            i = j + 1
            continue
        if ch == '"':
            i = _scan_double(text, i)
            if i < 0:
                return -1
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _scan_double(text: str, i: int) -> int:
    """Index after the double-quoted string starting at ``text[i] == '"'``; -1 when unclosed."""
    n = len(text)
    i += 1
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i + 1
        if ch == "$" and i + 1 < n and text[i + 1] == "(":
            i = _scan_balanced(text, i + 1, "(", ")")
            if i < 0:
                return -1
            continue
        if ch == "`":
            j = text.find("`", i + 1)
            if j < 0:
                return -1
            i = j + 1
            continue
        i += 1
    return -1


def _strict_substitution(body: str, in_double: bool) -> None:
    """Refuse a ``$(...)`` body that readers disagree on.

    Inside double quotes the word's value unescapes ``\\"`` and friends in the whole string, the
    substitution included, which is not what the shell runs. A double-quoted string inside the body
    ends, for a reader that does not nest substitutions in it, at its first unescaped ``"``: where
    that is not where it really ends, the two readings disagree on the words that follow.
    """
    if in_double and _UNESCAPED_IN_DOUBLE.search(body):
        raise Refused("an escaped character inside a substitution inside double quotes")
    k, n = 0, len(body)
    while k < n:
        ch = body[k]
        if ch == "\\":
            k += 2
        elif ch == "'":
            j = body.find("'", k + 1)
            k = n if j < 0 else j + 1
        elif ch == '"':
            flat = k + 1
            while flat < n and body[flat] != '"':
                flat += 2 if body[flat] == "\\" else 1
            nested = _scan_double(body, k)
            if nested != flat + 1:
                raise Refused("a quoted string inside a substitution that ends where a flat reading does not")
            k = nested
        else:
            k += 1


def _strict_double(text: str, i: int, j: int) -> None:
    """Refuse the double-quoted string ``text[i:j]`` when its substitutions read differently (see above)."""
    k = i + 1
    while k < j - 1:
        ch = text[k]
        if ch == "\\":
            k += 2
        elif ch == "$" and text.startswith("(", k + 1):
            e = _scan_balanced(text, k + 1, "(", ")")
            _strict_substitution(text[k + 2 : e - 1], in_double=True)
            k = e
        elif ch == "`":
            e = text.find("`", k + 1)
            if any(c in text[k + 1 : e] for c in '\\"'):
                raise Refused("an escape or a quote inside backticks inside double quotes")
            k = e + 1
        else:
            k += 1


def _closed(j: int, n: int, strict: bool, what: str) -> int:
    """``j``, the end of a quote or substitution, or -1 when it is unclosed: then the end of the text
    (the lenient reading runs it to the end) or a refusal."""
    if j >= 0:
        return j
    if strict:
        raise Refused(what)
    return n


def tokens(text: str, strict: bool = False) -> list[Token] | None:
    """The words and operators of shell ``text``, the one tokenizer of the shell model.

    Quotes, escapes, ``$(...)``, ``${...}``, backticks and ``$((...))`` stay inside their word; a
    comment is skipped; a heredoc body (after the newline that ends its ``<<WORD`` line) is skipped;
    ``<(...)`` is read as the operators ``<`` and ``(``, its words and ``)``. Lenient mode (the
    default, what the rules read) reads anything: an unterminated quote runs to the end.

    ``strict`` is for code that edits the text at token bounds (the refactorings). It returns None
    rather than guess, for: an unterminated quote, backtick, ``$(`` or ``${``; a ``#`` where a
    token starts (a comment, or a ``#`` after a redirection); process substitution; a heredoc
    body in the text (the delimiter is then read as an ordinary word); a blank the shell does not
    split words at (``\\v``, a no-break space…); and the substitutions whose reading depends on how
    a reader nests them: an escaped ``"``, ``$``, ``\\`` or backtick inside a ``$(...)`` in double
    quotes, a quote or backslash inside backticks in double quotes, a quoted string inside a
    ``$(...)`` that ends elsewhere for a reader that does not nest, and a ``${...}`` whose first
    ``}`` is not its end with a blank, operator, quote or backslash in between.
    """
    try:
        return _lex(text, strict)[0]
    except Refused:
        return None


def script_words(text: str) -> list[str]:
    """Every word of shell ``text`` as the shell splits them (quotes removed), operators kept as
    words: for code that looks for a command anywhere in a script (``cd /app && java -jar x.jar``)."""
    return [t.value for t in tokens(text) or ()]


def command_words(ins: Instruction) -> list[str]:
    """What a CMD, ENTRYPOINT, HEALTHCHECK or RUN starts: the exec form's strings, or the words of
    the shell form's first simple command (``[]`` when it has none)."""
    if ins.json:
        return [t.value for t in ins.args]
    commands = analyse(ins.args_text).commands
    return [commands[0].word.value, *commands[0].values] if commands else []


def _lex(text: str, strict: bool = False) -> tuple[list[Token], list[tuple[int, int]]]:
    """Tokens, and the inner ranges of command substitutions (to analyse as well)."""
    toks: list[Token] = []
    subs: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    pending_heredocs: list[tuple[str, bool]] = []
    fd_start = -1  # where the file-descriptor number of the redirection that follows starts
    while i < n:
        ch = text[i]
        if ch == "\n":
            if pending_heredocs and strict:
                raise Refused("a heredoc body")
            toks.append(Token("op", "\n", "\n", i, i + 1))
            i += 1
            if pending_heredocs:
                i = _skip_heredoc_bodies(text, i, pending_heredocs)
                pending_heredocs = []
            continue
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#":
            if strict:
                raise Refused("a comment, or a # where a token starts")
            if i == 0 or text[i - 1] in " \t\n;&|()":
                j = text.find("\n", i)
                i = n if j < 0 else j
                continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is None and ch in ";&|()<>":
            op = ch
        if op is not None:
            if strict and op in "<>" and text.startswith("(", i + 1):
                raise Refused("process substitution")
            start = i if fd_start < 0 else fd_start
            fd_start = -1
            toks.append(Token("op", op, text[start : i + len(op)], start, i + len(op)))
            i += len(op)
            if op in ("<<", "<<-") and strict:
                # The delimiter is the next word, read as any word is (the shell removes its quotes);
                # the body is refused when it follows (below).
                pending_heredocs.append(("", False))
            elif op in ("<<", "<<-"):
                # Read the delimiter word now so that its body can be skipped at the next newline.
                while i < n and text[i] in " \t":
                    i += 1
                j = i
                while j < n and text[j] not in " \t\n;&|()<>":
                    j += 1
                delim = text[i:j].replace("'", "").replace('"', "").replace("\\", "")
                if delim:
                    pending_heredocs.append((delim, op == "<<-"))
                    toks.append(Token("word", delim, text[i:j], i, j))
                i = j
            continue
        # A word.
        start = i
        buf: list[str] = []
        while i < n:
            ch = text[i]
            if ch in " \t\r\n;&|()<>":
                break
            if ch == "\\":
                if i + 1 < n:
                    buf.append(text[i + 1])
                i += 2
                continue
            if ch == "'":
                j = text.find("'", i + 1)
                j = _closed(j, n, strict, "an unterminated single quote")
                buf.append(text[i + 1 : j])
                i = j + 1
                continue
            if ch == '"':
                j = _scan_double(text, i)
                j = _closed(j, n, strict, "an unterminated double quote")
                if strict:
                    _strict_double(text, i, j)
                inner = text[i + 1 : j - 1] if j <= n and text[j - 1 : j] == '"' else text[i + 1 : j]
                k = inner.find("$(")
                while k >= 0:
                    if not inner.startswith("$((", k):
                        e = _scan_balanced(inner, k + 1, "(", ")")
                        e = len(inner) if e < 0 else e
                        subs.append((i + 1 + k + 2, i + 1 + e - 1))
                        k = inner.find("$(", e)
                    else:
                        k = inner.find("$(", k + 3)
                buf.append(_UNESCAPED_IN_DOUBLE.sub(r"\1", inner))
                i = j
                continue
            if ch == "$" and i + 1 < n and text[i + 1] in "({":
                paren = text[i + 1] == "("
                j = _scan_balanced(text, i + 1, *("()" if paren else "{}"))
                j = _closed(j, n, strict, "an unterminated $(" if paren else "an unterminated ${")
                if strict and paren:
                    _strict_substitution(text[i + 2 : j - 1], in_double=False)
                elif strict:
                    first = text.find("}", i)
                    if any(c in _BRACE_TAIL_UNSAFE for c in text[first + 1 : j]):
                        raise Refused("a ${...} whose first } is not its end")
                if paren and not text.startswith("$((", i):
                    subs.append((i + 2, j - 1))
                buf.append(text[i:j])
                i = j
                continue
            if ch == "`":
                j = text.find("`", i + 1)
                j = _closed(j, n, strict, "an unterminated backtick")
                subs.append((i + 1, j))
                buf.append(text[i : j + 1])
                i = j + 1
                continue
            if strict and ch in _ODD_BLANKS:
                raise Refused("a blank the shell does not split words at")
            buf.append(ch)
            i += 1
        if i < n and text[i] in "<>" and text[start:i].isdigit():
            fd_start = start  # `2>`: the fd number is part of the redirection that follows
            continue
        toks.append(Token("word", "".join(buf), text[start:i], start, i))
    return toks, subs


def _skip_heredoc_bodies(text: str, i: int, docs: list[tuple[str, bool]]) -> int:
    n = len(text)
    for delim, strip_tabs in docs:
        while i < n:
            j = text.find("\n", i)
            line_end = n if j < 0 else j
            line = text[i:line_end]
            i = n if j < 0 else j + 1
            if (line.lstrip("\t") if strip_tabs else line).rstrip("\r") == delim:
                break
    return i


def _with_fallback(src: _Text, depth: int) -> tuple[list[SimpleCommand], list[Span]]:
    text = src.text
    toks, subs = _lex(text)
    commands: list[SimpleCommand] = []
    pipelines: list[Span] = []
    words: list[Token] = []
    cmd_start: int | None = None
    last_start: int | None = None  # analysed-text bounds of the last command
    last_end: int | None = None
    pipe_start: int | None = None  # where the current pipeline began, if in one
    # Parser state for constructs whose words are not commands.
    skip_until: str | None = None  # "do" after for/select, "in" after case
    case_depth = 0
    case_pattern = False  # inside a case, reading a pattern up to `)`
    in_test = False  # inside [[ ... ]]

    def flush(end: int) -> None:
        nonlocal words, cmd_start, last_start, last_end
        if words:
            start = cmd_start if cmd_start is not None else words[0].start
            cmd = _command_from_tokens(words, src, start, end)
            if cmd is not None:
                commands.append(cmd)
                commands.extend(_nested_scripts(cmd, src, depth))
            last_start, last_end = start, end
        words = []
        cmd_start = None

    idx = 0
    while idx < len(toks):
        t = toks[idx]
        idx += 1
        if in_test:
            if t.kind == "word" and t.value == "]]":
                in_test = False
            words.append(t)
            continue
        if t.kind == "op":
            if t.value in _REDIRECTS:
                if idx < len(toks) and toks[idx].kind == "word":
                    idx += 1  # the redirection target is not an argument
                continue
            if case_pattern:
                if t.value == ")":
                    case_pattern = False
                continue
            if skip_until is not None and t.value not in ("\n", ";"):
                continue
            flush(words[-1].end if words else t.start)
            if t.value in ("|", "|&"):
                if pipe_start is None:
                    pipe_start = last_start
            else:
                if pipe_start is not None and last_end is not None:
                    pipelines.append(src.span(pipe_start, last_end))
                pipe_start = None
            if case_depth and t.value in (";;", ";&", ";;&"):
                case_pattern = True
            continue
        # A word.
        if (
            t.value.endswith("=")
            and idx < len(toks)
            and toks[idx].value == "("
            and toks[idx].start == t.end
            and _ASSIGN.match(t.value) is not None
        ):
            # `name=(a b c)`: an array assignment; its elements are not a command.
            while idx < len(toks) and toks[idx].value != ")":
                idx += 1
            idx += 1
            if not words:
                continue
        if skip_until is not None:
            if t.value == skip_until:
                if skip_until == "in" and case_depth:
                    case_pattern = True
                skip_until = None
            continue
        if case_pattern:
            if t.value == "esac":
                case_pattern = False
                case_depth -= 1
            elif t.value.endswith(")"):
                case_pattern = False
            continue
        if not words:
            if t.value in _RESERVED_START:
                continue
            if t.value in _RESERVED_END:
                if t.value == "esac" and case_depth:
                    case_depth -= 1
                continue
            if t.value in ("for", "select"):
                skip_until = "do"
                continue
            if t.value == "case":
                skip_until = "in"
                case_depth += 1
                continue
            if t.value == "function":
                if idx < len(toks) and toks[idx].kind == "word":
                    idx += 1  # function name [()] { ...
                continue
            # `name() {` defines a function; it runs nothing here.
            if idx + 1 < len(toks) and toks[idx].value == "(" and toks[idx + 1].value == ")":
                idx += 2
                continue
            if t.value == "[[":
                in_test = True
            cmd_start = t.start
        words.append(t)
    flush(words[-1].end if words else len(text))
    if pipe_start is not None and last_end is not None:
        pipelines.append(src.span(pipe_start, last_end))
    if depth < 4:
        for s, e in subs:
            if e > s:
                inner = _analyse(src.sub(s, e), depth + 1)
                commands.extend(inner.commands)
                pipelines.extend(inner.pipelines)
    return commands, pipelines


def _command_from_tokens(toks: list[Token], src: _Text, start: int, end: int) -> SimpleCommand | None:
    assignments: list[Word] = []
    words: list[Word] = []
    for t in toks:
        raw = src.text[t.start : t.end]
        w = Word(t.value, src.span(t.start, t.end), raw)
        if not words and _ASSIGN.match(raw) is not None:
            assignments.append(w)
        else:
            words.append(w)
    return _make_command(words, assignments, src.span(start, end))


_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")



# -- common to both parsers -----------------------------------------------------------------------

_WRAPPERS_NO_ARGS = frozenset(("command", "builtin", "nohup", "time", "eatmydata", "busybox"))


def _basename(word: str) -> str:
    if "/" in word and not word.endswith("/"):
        return word.rsplit("/", 1)[1]
    return word


def _make_command(words: list[Word], assignments: list[Word], span: Span) -> SimpleCommand | None:
    if not words:
        return None
    wrappers: list[str] = []
    i = 0
    while i < len(words) - 1:
        name = _basename(words[i].value)
        j = i + 1
        if name == "sudo":
            while j < len(words) and words[j].value.startswith("-"):
                flag = words[j].value
                j += 1
                if flag in ("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T") and j < len(words):
                    j += 1
                if flag == "--":
                    break
        elif name == "env":
            while j < len(words) and (
                words[j].value.startswith("-") or _ASSIGN.match(words[j].value) is not None
            ):
                if words[j].value in ("-u", "--unset", "-C", "--chdir", "-S", "--split-string") and j + 1 < len(words):
                    j += 1
                j += 1
        elif name == "exec":
            while j < len(words) and words[j].value.startswith("-"):
                if words[j].value == "-a" and j + 1 < len(words):
                    j += 1
                j += 1
        elif name == "nice":
            while j < len(words) and words[j].value.startswith("-"):
                if words[j].value == "-n" and j + 1 < len(words):
                    j += 1
                j += 1
        elif name in ("gosu", "su-exec"):
            j = i + 2
        elif name in _WRAPPERS_NO_ARGS:
            if name == "command" and j < len(words) and words[j].value.startswith("-"):
                break  # `command -v foo` asks about foo, it does not run it
        else:
            break
        if j >= len(words):
            break
        wrappers.append(name)
        i = j
    word = words[i]
    return SimpleCommand(
        _basename(word.value),
        word,
        words[i + 1 :],
        span,
        assignments,
        tuple(wrappers),
    )


_SCRIPT_FLAG = re.compile(r"^-[a-zA-Z]*c[a-zA-Z]*$")


def _nested_scripts(cmd: SimpleCommand, src: _Text, depth: int) -> list[SimpleCommand]:
    """The commands of ``sh -c 'script'`` when the script is one plainly quoted word."""
    if depth >= 3 or cmd.name not in SHELLS or cmd.name == "busybox":
        return []
    args = cmd.args
    for k, w in enumerate(args):
        if _SCRIPT_FLAG.match(w.value) and k + 1 < len(args):
            script = args[k + 1]
            raw = script.raw
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" and raw[1:-1] == script.value:
                if raw[0] == '"' and any(c in script.value for c in '\\$`'):
                    return []
                # Find the word in the analysed text by its document span.
                start = _index_of(src, script.span.start)
                if start is None:
                    return []
                inner = _analyse(src.sub(start + 1, start + len(raw) - 1), depth + 1)
                return inner.commands
            return []
        if not w.value.startswith("-"):
            return []
    return []


def _index_of(src: _Text, offset: int) -> int | None:
    from bisect import bisect_left

    k = bisect_left(src.offsets, offset)
    if k < len(src.offsets) and src.offsets[k] == offset:
        return k
    return None


# --- RUN instructions ---------------------------------------------------------------------------

_CACHE: weakref.WeakKeyDictionary[Dockerfile, dict[int, ShellScript | None]] = weakref.WeakKeyDictionary()
_RUNS: weakref.WeakKeyDictionary[Dockerfile, list[tuple[Stage | None, Instruction]]] = weakref.WeakKeyDictionary()


def _continuation_re(esc: str) -> re.Pattern[str]:
    e = re.escape(esc)
    return re.compile(rf"([^{e}]){e}[ \t]*\Z|^{e}[ \t]*\Z")


def shell_source(doc: Dockerfile, ins: Instruction) -> tuple[str, list[int]]:
    """The text the shell runs for ``ins`` (continuations joined) and each character's offset.

    ``ins`` is the RUN itself (for ``ONBUILD RUN`` pass the ``sub`` instruction).
    """
    text = doc.text
    start = ins.args_span.start
    end = ins.line_span.end if ins.line_span is not None else ins.args_span.end
    end = max(end, ins.args_span.end)
    cont = _continuation_re(doc.escape)
    chars: list[str] = []
    offsets: list[int] = []
    pos = start
    first = True
    while pos < end:
        nl = text.find("\n", pos, end)
        raw_end = end if nl < 0 else nl
        line_end = raw_end
        while line_end > pos and text[line_end - 1] == "\r":
            line_end -= 1
        line = text[pos:line_end]
        next_pos = raw_end + 1
        if not first:
            stripped = line.lstrip(" \t\v\f")
            if stripped.startswith("#") or not line.strip():
                pos = next_pos
                continue
        first = False
        m = cont.search(line)
        if m is None:
            chars.append(line)
            offsets.extend(range(pos, line_end))
            break
        keep = m.start() + (len(m.group(1)) if m.group(1) else 0)
        chars.append(line[:keep])
        offsets.extend(range(pos, pos + keep))
        pos = next_pos
    return "".join(chars), offsets


_SHELLS: weakref.WeakKeyDictionary[Dockerfile, dict[int, tuple[list[int], list[list[str]]]]] = (
    weakref.WeakKeyDictionary()
)


def _stage_shells(doc: Dockerfile, stage: Stage) -> tuple[list[int], list[list[str]]]:
    """Start offsets (ascending) and arguments of the SHELL instructions of ``stage``, once per model."""
    per_doc = _SHELLS.setdefault(doc, {})
    got = per_doc.get(id(stage))
    if got is None:
        shells = [ins for ins in stage.instructions if ins.cmd == "shell"]
        got = ([ins.span.start for ins in shells], [[t.value for t in ins.args] for ins in shells])
        per_doc[id(stage)] = got
    return got


# Per model: the SHELL in force where a stage starts (what it inherits from the stages it builds on).
_INHERITED_SHELL: weakref.WeakKeyDictionary[Dockerfile, dict[int, tuple[list[str], int] | None]] = weakref.WeakKeyDictionary()


def effective_shell(doc: Dockerfile, stage: Stage | None, before: int) -> list[str] | None:
    """The SHELL in force at offset ``before`` in ``stage`` (following FROM <stage> chains), or the
    shell a ``# hadolint shell=<name>`` pragma names, when it comes later (as in hadolint)."""
    found: list[str] | None = None
    found_at = -1
    if stage is None:  # a RUN before any FROM (a fragment): the SHELLs written before it
        for ins in doc.preamble:
            if ins.cmd == "shell" and ins.span.start < before:
                found, found_at = [t.value for t in ins.args], ins.span.start
    else:
        starts, args = _stage_shells(doc, stage)
        k = bisect_left(starts, before)  # SHELLs starting before ``before``
        if k:
            found, found_at = args[k - 1], starts[k - 1]
        else:
            inherited = _inherited_shell(doc, stage)
            if inherited is not None:
                found, found_at = inherited
    pragmas = _shell_pragmas(doc)
    if pragmas:
        k = bisect_left(pragmas[0], before)
        if k and pragmas[0][k - 1] > found_at:
            return [pragmas[1][k - 1]]
    return found


def _inherited_shell(doc: Dockerfile, stage: Stage) -> tuple[list[str], int] | None:
    """The last SHELL (and where it starts) of the stage ``stage`` builds on, or what that one
    inherits; computed once per stage.

    (Walking the chain for every RUN made 50,000 stages that each build on the one before
    quadratic.) A stage builds on earlier stages only, whose SHELLs all precede its FROM.
    """
    memo = _INHERITED_SHELL.setdefault(doc, {})
    path: list[Stage] = []
    seen: set[int] = set()
    result: tuple[list[str], int] | None = None
    st: Stage = stage
    while True:
        if id(st) in memo:
            result = memo[id(st)]
            break
        path.append(st)
        seen.add(id(st))
        parent = st.base_stage
        if parent is None or id(parent) in seen:
            break
        parent_starts, parent_args = _stage_shells(doc, parent)
        if parent_args:
            result = (parent_args[-1], parent_starts[-1])
            break
        st = parent
    for s in path:
        memo[id(s)] = result
    return result


def shell_pragmas(doc: Dockerfile) -> tuple[str, ...]:
    """The shells the document's ``# hadolint shell=`` pragmas name, in order (for cache keys)."""
    got = _shell_pragmas(doc)
    return tuple(got[1]) if got else ()


def shell_pragma_places(doc: Dockerfile) -> tuple[tuple[str, int], ...]:
    """Each ``# hadolint shell=`` pragma's shell and how many instructions start before it: which
    RUNs a pragma governs, in terms that typing elsewhere leaves unchanged (for cache keys; the
    shells alone miss a pragma moved past a RUN)."""
    got = _shell_pragmas(doc)
    if not got:
        return ()
    starts = [ins.span.start for ins in doc.instructions]
    return tuple((shell, bisect_left(starts, at)) for at, shell in zip(got[0], got[1], strict=True))


_SHELL_PRAGMA = re.compile(r"#[ \t]*hadolint[ \t]+shell[ \t]*=[ \t]*([^\s#]+)[ \t]*(?:#.*)?")
_PRAGMAS: weakref.WeakKeyDictionary[Dockerfile, tuple[list[int], list[str]]] = weakref.WeakKeyDictionary()


def _shell_pragmas(doc: Dockerfile) -> tuple[list[int], list[str]] | None:
    """Offsets and shells of the ``# hadolint shell=`` comments, once per model (None: there are none)."""
    got = _PRAGMAS.get(doc)
    if got is None:
        starts: list[int] = []
        shells: list[str] = []
        text = doc.text
        for c in doc.parsed.comments:
            if "hadolint" in text[c.start : c.end]:
                m = _SHELL_PRAGMA.fullmatch(text[c.start : c.end].rstrip("\r\n"))
                if m is not None:
                    starts.append(c.start)
                    shells.append(m.group(1))
        got = _PRAGMAS[doc] = (starts, shells)
    return got if got[0] else None


def is_posix_shell_stage(doc: Dockerfile, stage: Stage | None, before: int) -> bool:
    """False when RUN lines at ``before`` go to PowerShell or cmd.exe rather than a POSIX shell."""
    sh = effective_shell(doc, stage, before)
    if sh:
        first = _basename(sh[0].replace("\\", "/")).lower()
        return not first.startswith(NON_POSIX_SHELLS)
    if stage is not None:
        image = stage.root_image()
        if image is not None and is_windows_reference(image.text):
            return False
    return True


# Not in a script cache: no analysis made yet (None is one: not a POSIX shell RUN).
_UNANALYSED: Any = object()


def run_script(doc: Dockerfile, ins: Instruction) -> ShellScript | None:
    """The analysis of a RUN (or an ONBUILD RUN) instruction; None when it is not a POSIX shell RUN."""
    target = ins.sub if ins.sub is not None else ins
    if target.cmd != "run":
        return None
    cache = _CACHE.setdefault(doc, {})
    key = target.keyword_span.start
    if key in cache:
        return cache[key]
    result: ShellScript | None = None
    stage = doc.stage_of(ins)
    if is_posix_shell_stage(doc, stage, ins.span.start):
        # The analysis depends only on the instruction's own text, so it is kept on the
        # instruction, which incremental re-parsing reuses for unchanged text: a keystroke
        # re-analyses only the RUN it touched.
        base = target.keyword_span.start
        saved = target.cache.get("shell")
        if isinstance(saved, tuple):
            old_base, script = saved
            result = script if old_base == base else _shift_script(script, base - old_base)
        else:
            result = _run_script(doc, target)
        target.cache["shell"] = (base, result)
    cache[key] = result
    return result


def _shift_word(w: Word, d: int) -> Word:
    return Word(w.value, Span(w.span.start + d, w.span.end + d), w.raw)


def _shift_script(script: ShellScript, d: int) -> ShellScript:
    """A copy of ``script`` for its instruction moved by ``d`` characters."""
    commands = [
        SimpleCommand(
            c.name,
            _shift_word(c.word, d),
            [_shift_word(a, d) for a in c.args],
            Span(c.span.start + d, c.span.end + d),
            [_shift_word(a, d) for a in c.assignments],
            c.wrappers,
            c.index,
        )
        for c in script.commands
    ]
    return ShellScript(
        commands,
        [Span(p.start + d, p.end + d) for p in script.pipelines],
        script.parser,
        script.source,
        script.append_at + d if script.append_at is not None else None,
        script.heredoc,
    )


def _run_script(doc: Dockerfile, ins: Instruction) -> ShellScript:
    if ins.json:
        return _exec_form(ins)
    text, offsets = shell_source(doc, ins)
    if ins.heredocs:
        blank = [False] * len(text)
        for h in ins.heredocs:
            # ``offsets`` ascend: the marker's characters are one slice of them.
            for k in range(bisect_left(offsets, h.marker.start), bisect_left(offsets, h.marker.end)):
                blank[k] = True
        text = "".join(" " if b else c for c, b in zip(text, blank, strict=True))
    script = _analyse(_Text(text, offsets), depth=0)
    if ins.heredocs:
        script.heredoc = True
        script.append_at = None
        first = script.commands[0] if script.commands else None
        runs_body = first is None or (
            first.name in SHELLS and not any(_SCRIPT_FLAG.match(a.value) for a in first.args)
        )
        if runs_body:
            h = ins.heredocs[0]
            body = doc.text[h.body.start : h.body.end]
            inner = _analyse(_Text(body, list(range(h.body.start, h.body.end))), depth=1)
            script.commands = sorted(script.commands + inner.commands, key=lambda c: c.span.start)
            for i, c in enumerate(script.commands):
                c.index = i
            script.pipelines += inner.pipelines
    return script


def _exec_form(ins: Instruction) -> ShellScript:
    args = ins.args
    if not args:
        return ShellScript([], [], "exec")
    words = [Word(t.value, t.span, t.value) for t in args]
    name = _basename(words[0].value)
    # ["sh", "-c", "script"]: analyse the script when its JSON literal maps 1:1 onto the value.
    if name in SHELLS and len(words) >= 3 and _SCRIPT_FLAG.match(words[-2].value):
        tok = args[-1]
        if len(tok.span) == len(tok.value) + 2:
            inner = analyse(tok.value, tok.span.start + 1)
            inner.parser = "exec"
            inner.append_at = None
            return inner
    cmd = _make_command(words, [], Span(args[0].span.start, args[-1].span.end))
    return ShellScript([cmd] if cmd is not None else [], [], "exec")


def run_instructions(doc: Dockerfile) -> list[tuple[Stage | None, Instruction]]:
    """Every RUN and ``ONBUILD RUN`` with its stage, in document order, whatever shell it goes to.

    Not analysed: callers that need the scripts of a few of them (the RUNs before one in its
    stage chain, say) call :func:`run_script` for just those."""
    runs = _RUNS.get(doc)
    if runs is None:
        runs = []
        for stage, ins in doc.iter_instructions():
            target = ins.sub if ins.sub is not None else ins
            if target.cmd == "run":
                runs.append((stage, ins))
        _RUNS[doc] = runs
    return runs


def iter_runs(
    doc: Dockerfile, onbuild: bool = True, among: Iterable[tuple[Stage | None, Instruction]] | None = None
) -> Iterator[tuple[Stage | None, Instruction, ShellScript]]:
    """Every RUN (and ``ONBUILD RUN`` when ``onbuild``) with its analysis, in document order;
    with ``among`` (entries of :func:`run_instructions`) only those.

    Yields ``(stage, instruction, script)``; ``instruction`` is the top-level instruction (the
    ONBUILD for an ONBUILD RUN), so its ``span`` covers what a suppression comment applies to.
    RUNs that do not go to a POSIX shell are skipped. Only the RUNs yielded are analysed (or
    moved to their new offsets): on a keystroke the rule runner passes the few RUNs whose
    findings it does not keep (through ``RuleContext.runs()``).
    """
    # The analyses already made for this model are looked up here, not through run_script: a
    # whole diagnosis walks every RUN once per rule that reads them (1.6 million at 50,000
    # stages), and run_script's own look-up (a weak-keyed dictionary) was 2.5 s of its 11.
    cache = _CACHE.get(doc)
    if cache is None:
        cache = _CACHE.setdefault(doc, {})
    for stage, ins in run_instructions(doc) if among is None else among:
        target = ins.sub
        if target is None:
            target = ins
        elif not onbuild:
            continue
        script = cache.get(target.keyword_span.start, _UNANALYSED)
        if script is _UNANALYSED:
            script = run_script(doc, ins)
        if script is not None:
            yield stage, ins, script
