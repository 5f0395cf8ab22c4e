"""## What it does
Flags keys, tokens and passwords written into the Dockerfile: in `ENV` and `ARG` values (global ARGs
too), in `RUN` commands and in heredocs. Detection uses the patterns of
[detect-secrets](https://github.com/Yelp/detect-secrets) (AWS, GitHub, GitLab, Slack, Stripe, npm,
PyPI, OpenAI, Azure, Twilio, SendGrid, JWTs, private keys, credentials in URLs, high-entropy
strings, values of secret-sounding names such as `DB_PASSWORD="..."`) and its false-positive
filters (templates, `$VARIABLES`, UUIDs, sequential strings, indirect references).

The diagnostic covers the secret itself and the message names only its kind, never its value.
Two pattern families are left out because Dockerfiles are full of their false positives:
hexadecimal high-entropy strings (checksums such as `NODE_SHA256`, GPG key fingerprints) and
public IP addresses. A hexadecimal token under a secret-sounding name is still caught by the
keyword patterns. Names that hold a path or a name rather than the secret (`*_FILE`, `*_PATH`,
`*_DIR`, `*_NAME`) are not reported, nor are values that are file paths.

## Why is this bad?
Everything in a Dockerfile ends up in the image or its history: `ENV` and `ARG` values are visible
to anyone who can pull the image (`docker history`, `docker inspect`), `RUN` command lines are
stored in the layer metadata, and heredoc files are in the layers. The Dockerfile itself is usually
in version control. A secret written there has to be considered leaked.

## Example
```dockerfile
FROM node:20-slim
# the value: "npm_" and 36 letters and digits (not spelled out here, so that no secret scanner,
# vsce's included, takes this page for a leaked token)
ENV NPM_TOKEN=npm_<36 letters and digits>
RUN npm ci
```

## Fix
Rotate the secret, then pass it at build time without storing it:
```dockerfile
# syntax=docker/dockerfile:1
FROM node:20-slim
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
```
(`docker build --secret id=npm_token,env=NPM_TOKEN .`), or give it to the container at run time.

## Fix safety
No automatic fix: removing the value would break the build, and the secret has to be rotated
anyway, which no edit can do.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from ...engine.findings import Finding, Severity
from ...engine.model import Dockerfile
from ...engine.parser import Instruction
from ...engine.text import Span
from ..base import Rule, RuleContext

log = logging.getLogger(__name__)

# detect-secrets plugins left out (see the docstring).
_SKIPPED_PLUGINS = frozenset(("HexHighEntropyString", "IPPublicDetector"))
# Filters of detect-secrets' defaults that need only the secret, its line and the plugin (the others
# look at files on disk).
_FILTER_ARGS = frozenset(("secret", "line", "plugin"))
# Generic families: a value one of the specific plugins also matched is reported under that name.
_GENERIC = ("Secret Keyword", "Base64 High Entropy String")
_NOT_A_SECRET_SUFFIXES = ("_file", "_path", "_dir", "_name", "_filename", "_location")


class _OfflineRequests(types.ModuleType):
    """What detect-secrets' modules need of ``requests`` when they are imported: names for
    annotations and ``except`` clauses. detect-secrets uses requests only to verify a secret
    online, which this rule never asks for (no network, ever), and importing the real one costs
    about 70 ms and opens a socket (urllib3 probes IPv6 by binding ``::1``)."""

    class exceptions:
        class RequestException(Exception):
            pass

    class Response:
        pass

    def __getattr__(self, name: str) -> object:
        raise AttributeError(f"requests.{name}: detect-secrets' online verification is not used here")


@contextmanager
def _offline_requests() -> Iterator[None]:
    """Import detect-secrets without the real ``requests`` (unless it is already imported)."""
    if "requests" in sys.modules:
        yield
        return
    sys.modules["requests"] = _OfflineRequests("requests")
    try:
        yield
    finally:
        # Later importers of requests get the real module; detect-secrets keeps the stand-in.
        del sys.modules["requests"]


class _Detector:
    """detect-secrets' plugins and filters, with quick gates so that the common line (no secret in
    it) costs one regex search per pattern family instead of one call per plugin."""

    def __init__(self) -> None:
        with _offline_requests():
            from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
            from detect_secrets.plugins import keyword
            from detect_secrets.plugins.base import RegexBasedDetector
            from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
            from detect_secrets.settings import get_filters
            from detect_secrets.util.inject import call_function_with_arguments

            classes: list[Any] = list(get_mapping_from_secret_type_to_class().values())
            filters = get_filters()
        self._call = call_function_with_arguments
        plugins = [cls() for cls in classes if cls.__name__ not in _SKIPPED_PLUGINS]
        self.filters = [f for f in filters if set(f.injectable_variables) <= _FILTER_ARGS]
        # Regex plugins grouped by their patterns' flags, each group behind one combined pattern.
        by_flags: dict[int, tuple[list[str], list[Any]]] = {}
        self.others: list[Any] = []
        for plugin in plugins:
            if isinstance(plugin, RegexBasedDetector):
                for pattern in plugin.denylist:
                    texts, members = by_flags.setdefault(pattern.flags, ([], []))
                    texts.append(f"(?:{pattern.pattern})")
                    if plugin not in members:
                        members.append(plugin)
            else:
                self.others.append(plugin)
        self.gated = [(re.compile("|".join(texts), flags), members) for flags, (texts, members) in by_flags.items()]
        # The keyword patterns all need one of detect-secrets' denylisted words; a substring test
        # on the longest literal part of each ("key" of "api_?key") is a much cheaper first look.
        self.keyword_literals = tuple(sorted({max(re.split(r"[^a-zñ]+", w), key=len) for w in keyword.DENYLIST}))
        self.entropy_type = HighEntropyStringsPlugin

    def filtered(self, secret: str, line: str, plugin: object) -> bool:
        return any(self._call(f, secret=secret, line=line, plugin=plugin) for f in self.filters)

    def plugins_for(self, line: str) -> Iterator[Any]:
        """The plugins that may find something in ``line``."""
        for gate, members in self.gated:
            if gate.search(line):
                yield from members
        low = line.lower()
        for plugin in self.others:
            if isinstance(plugin, self.entropy_type):
                if "'" in line or '"' in line:
                    yield plugin
            elif plugin.secret_type != "Secret Keyword" or any(w in low for w in self.keyword_literals):
                yield plugin


@cache
def _detector() -> _Detector | None:
    """Loaded on first use: importing detect-secrets takes about 50 ms."""
    try:
        return _Detector()
    except ImportError:  # pragma: no cover - it is a declared dependency
        log.warning("detect-secrets is not installed; SecretsInCode is silent")
        return None


class _NotReady(Exception):
    """The detector is still being built in the background: this analysis goes without the rule."""


class Loader:
    """Builds the detector off the first-diagnostics path in the language server (about 70 ms of
    imports and plugin set-up, a third of spawn → first diagnostics when it was built inline).

    The server calls :meth:`start` once the client's first burst is answered; until the detector is
    ready the rule finds nothing (and caches nothing), and the listeners are called when it is, so
    the server diagnoses the documents again, as ShellCheck's results are published. The CLI never
    starts it: there the detector is built on first use and every run has the rule's findings."""

    def __init__(self) -> None:
        self.deferred = False  # set by the server: do not build the detector inline
        self.ready = False
        self.skipped = False  # an analysis went without the rule; listeners are owed a call
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._texts: Callable[[], list[str]] | None = None

    def defer(self) -> None:
        self.deferred = True

    def start(self, listener: Callable[[], None] | None = None, texts: Callable[[], list[str]] | None = None) -> None:
        """Build the detector in a thread; then, still there, scan ``texts()`` (the open documents)
        into the text cache, so that the first analyses with the rule find their instructions
        scanned; then tell the listeners."""
        call_now = False
        with self._lock:
            self.deferred = True
            if listener is not None:
                self._listeners.append(listener)
                call_now = self.ready and self.skipped
            if texts is not None:
                self._texts = texts
            if self._thread is None and not self.ready:
                self._thread = threading.Thread(target=self._load, name="secrets-detector", daemon=True)
                self._thread.start()
        if call_now and listener is not None:
            listener()  # it became ready before this listener came (fast_start's phase)

    def _load(self) -> None:
        det = _detector()
        texts = self._texts
        if det is not None and texts is not None:
            # The first pass over a big file (600 ms at 5,000 lines on a loaded machine) ran on
            # the server's thread when the detector arrived, and a keystroke made then waited
            # for all of it. Here it shares the interpreter with the server's thread instead of
            # holding it up; keystrokes meanwhile still skip the rule.
            try:
                prescan(texts(), det)
            except Exception:  # only a head start: the analyses scan what is missing
                log.exception("secrets pre-scan failed")
        with self._lock:
            self.ready = True
            listeners = list(self._listeners) if self.skipped else []
        for listener in listeners:
            try:
                listener()
            except Exception:
                log.exception("secrets detector listener failed")

    def detector(self) -> _Detector | None:
        if self.deferred and not self.ready:
            self.skipped = True
            raise _NotReady
        return _detector()


LOADER = Loader()

_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/=")


def _regex_matches(plugin: Any, line: str, values: set[str]) -> Iterator[tuple[int, int]]:
    """Where a regex-based plugin's patterns matched what it reported: the captured secret when a
    pattern captures one (``aws...key = "<secret>"``), else the whole match (``ghp_...``, whose
    group is only the prefix)."""
    for pattern in plugin.denylist:
        for m in pattern.finditer(line):
            if not any(g in values for g in (m.group(0), *m.groups()) if g):
                continue  # the plugin's own validation rejected this match
            k = m.lastindex
            if k and m.end(k) - m.start(k) >= 8:
                yield m.start(k), m.end(k)
            else:
                yield m.start(), m.end()


def scan(line: str, det: _Detector | None = None) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every secret detect-secrets finds in ``line`` (after its filters).
    Without ``det``, raises :class:`_NotReady` while the server still builds the detector in the
    background."""
    if det is None:
        det = LOADER.detector()
    if det is None:
        return []
    found: dict[tuple[int, int], str] = {}
    for plugin in det.plugins_for(line):
        values = {v for v in plugin.analyze_string(line) if v}
        if isinstance(plugin, det.entropy_type):
            values = {v for v in values if plugin.calculate_shannon_entropy(v) > plugin.entropy_limit}
        if not values:
            continue
        if hasattr(plugin, "denylist"):
            spans = list(_regex_matches(plugin, line, values))
        else:
            spans = []
            for value in values:
                start = line.find(value)
                while start >= 0:
                    spans.append((start, start + len(value)))
                    start = line.find(value, start + len(value))
        for a, b in spans:
            if plugin.secret_type == "JSON Web Token":  # its pattern stops before the signature
                while b < len(line) and line[b] in _TOKEN_CHARS:
                    b += 1
            secret = line[a:b]
            if not secret or det.filtered(secret, line, plugin):
                continue
            if (a, b) not in found or found[(a, b)] in _GENERIC:
                found[(a, b)] = plugin.secret_type
    return [(kind, a, b) for (a, b), kind in found.items()]


# --- where secrets can be ---------------------------------------------------------------------


def _unquote(value: str) -> tuple[str, int]:
    """A value without the quotes around it, and where it starts in the source."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1], 1
    return value, 0


def _instruction_secrets(doc: Dockerfile, ins: Instruction, det: _Detector | None = None) -> list[tuple[Span, str, str]]:
    """(span, kind, where) of every secret in one instruction."""
    target = ins.sub if ins.sub is not None else ins
    out: list[tuple[Span, str, str]] = []
    text = doc.text
    if target.cmd in ("env", "arg"):
        for kv in target.pairs:
            val = kv.value
            if val is None or not val.value:
                continue
            key = kv.key.value
            if key.lower().endswith(_NOT_A_SECRET_SUFFIXES) or val.value.startswith(("/", "./", "~/")):
                continue
            source = text[val.span.start : val.span.end]
            value, skip = _unquote(source)
            if value != val.value and _unquote(val.value)[0] != value:
                continue  # escapes or continuations: the value does not map onto its source
            prefix = f'{key}="'
            where = f"{target.cmd.upper()} {key}"
            for kind, a, b in scan(f'{prefix}{value}"', det):
                a, b = a - len(prefix), b - len(prefix)
                if a < 0 or b > len(value):
                    continue  # the name itself, not the value
                out.append((Span(val.span.start + skip + a, val.span.start + skip + b), kind, where))
    elif target.cmd == "run" and not target.json:
        end = target.line_span.end if target.line_span is not None else target.args_span.end
        out += _scan_lines(text, target.args_span.start, end, "RUN", det)
    elif target.cmd == "run":
        for tok in target.args:
            source = text[tok.span.start : tok.span.end]
            for kind, a, b in scan(source, det):
                out.append((Span(tok.span.start + a, tok.span.start + b), kind, "RUN"))
    for h in target.heredocs:
        found = _scan_lines(text, h.body.start, h.body.end, f"the heredoc <<{h.name}", det)
        for k, (sp, kind, where) in enumerate(found):
            if kind == "Private Key":  # the whole key block, not its header
                begin = text.rfind("-----BEGIN", h.body.start, sp.end)
                end = text.find("-----END", sp.end, h.body.end)
                stop = text.find("-----", end + 8, h.body.end) if end >= 0 else -1
                if stop >= 0:
                    found[k] = (Span(begin if begin >= 0 else sp.start, stop + 5), kind, where)
        out += found
    # One finding per secret: a specific kind (GitHub Token) over a generic one (high entropy) that
    # overlaps it, and nothing inside a secret already reported (a key inside a URL's credentials).
    kept: list[tuple[Span, str, str]] = []
    for sp, kind, where in sorted(out, key=lambda x: (x[1] in _GENERIC, -len(x[0]), x[0].start)):
        if any(k.start < sp.end and sp.start < k.end for k, _, _ in kept):
            continue
        kept.append((sp, kind, where))
    return sorted(kept, key=lambda x: x[0].start)


def _scan_lines(text: str, start: int, end: int, where: str, det: _Detector | None) -> list[tuple[Span, str, str]]:
    out: list[tuple[Span, str, str]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        if line.strip() and not line.lstrip().startswith("#"):
            for kind, a, b in scan(line, det):
                out.append((Span(pos + a, pos + b), kind, where))
        pos = line_end + 1
    return out


# What an instruction's text holds, relative to its start, by (escape character, instruction text):
# the findings depend on nothing else. Fills the gaps of the per-instruction cache: instructions
# parsed anew with the same text (a reopened file, a client that sends the full text, a re-parse)
# and the server's first analyses, which find what the pre-scan (Loader) put here.
_BY_TEXT: OrderedDict[tuple[str, str], list[tuple[int, int, str, str]]] = OrderedDict()
_BY_TEXT_SIZE = 50_000


def _relevant(ins: Instruction) -> bool:
    target = ins.sub if ins.sub is not None else ins
    return target.cmd in ("env", "arg", "run") or bool(target.heredocs)


def _by_text(doc: Dockerfile, ins: Instruction, det: _Detector | None = None) -> list[tuple[Span, str, str]]:
    base = ins.span.start
    key = (doc.escape, doc.text[base : ins.span.end])
    rel = _BY_TEXT.get(key)
    if rel is None:
        found = _instruction_secrets(doc, ins, det)
        _BY_TEXT[key] = [(sp.start - base, sp.end - base, k, w) for sp, k, w in found]
        while len(_BY_TEXT) > _BY_TEXT_SIZE:
            try:
                _BY_TEXT.popitem(last=False)
            except KeyError:  # emptied by the pre-scan's thread meanwhile
                break
        return found
    try:
        _BY_TEXT.move_to_end(key)
    except KeyError:  # evicted by the other thread meanwhile
        pass
    return [(Span(base + a, base + b), k, w) for a, b, k, w in rel]


# The pre-scan reads at most this much of each document (to the end of the line) and puts at most
# this many instructions in the cache in all. A whole 4 MB file was parsed a second time beside the
# analysis thread's parse (2.4 s of the interpreter at 50,000 stages), and its 100,000 relevant
# instructions went through a cache of 50,000, so the rules found none of them there.
PRESCAN_CHARS = 200_000
PRESCAN_INSTRUCTIONS = _BY_TEXT_SIZE // 2


def prescan(texts: Iterable[str], det: _Detector) -> int:
    """Scan the instructions of ``texts`` into the text cache (see :class:`Loader`), within the
    limits above: how many were scanned. A text cut short may end in an instruction cut short;
    its entry is a true one for that text, which the rules never ask for."""
    budget = PRESCAN_INSTRUCTIONS
    for text in texts:
        if len(text) > PRESCAN_CHARS:
            cut = text.find("\n", PRESCAN_CHARS)
            text = text if cut < 0 else text[: cut + 1]
        doc = Dockerfile(text)
        for ins in doc.instructions:
            if _relevant(ins):
                if budget == 0:
                    return PRESCAN_INSTRUCTIONS
                budget -= 1
                _by_text(doc, ins, det)
    return PRESCAN_INSTRUCTIONS - budget


def _cached(doc: Dockerfile, kept: dict[Instruction, object], ins: Instruction) -> list[tuple[Span, str, str]]:
    # Kept per instruction in the runner's store (incremental parsing reuses unchanged ones): a
    # keystroke rescans only the instructions it touched, and those only when their text is new.
    base = ins.span.start
    saved = kept.get(ins)
    if isinstance(saved, tuple):
        old, found = saved
        d = base - old
        return [(Span(sp.start + d, sp.end + d), k, w) for sp, k, w in found] if d else found
    found = _by_text(doc, ins)
    kept[ins] = (base, found)
    return found


def _describe(kind: str) -> str:
    if kind == "Secret Keyword":
        return "A hard-coded secret"
    if kind == "Base64 High Entropy String":
        return "A high-entropy string that looks like a hard-coded secret"
    if kind == "Basic Auth Credentials":
        return "A password in a URL"
    return f"A hard-coded {kind}"


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    found: list[tuple[Span, str, str]] = []
    kept = ctx.kept.slot("secrets")
    try:
        # Nothing while the server's detector is being built, not even what the text cache knows:
        # one complete list is published once it is ready.
        LOADER.detector()
        for ins in doc.instructions:
            if _relevant(ins):
                found += _cached(doc, kept, ins)
    except _NotReady:
        return  # the server publishes again once the detector is ready
    for span, kind, where in found:
        yield RULE.finding(
            span,
            f"{_describe(kind)} in {where}: it stays in the image and its history; pass it with a "
            "secret mount (RUN --mount=type=secret) or at run time instead",
        )


RULE = Rule(
    code="SecretsInCode",
    name="secrets-in-code",
    summary="Keys, tokens and passwords written into ENV, ARG, RUN or heredocs",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
    # Nothing is found until the server's detector is built.
    outside_state=lambda: LOADER.ready,
)
