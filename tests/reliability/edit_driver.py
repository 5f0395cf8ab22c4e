"""Random incremental editing of a document in a real server, checked against the client's own text.

One :class:`EditSession` opens a seed text under a fresh uri, then repeatedly sends a batch of
random ``didChange`` content changes (insertions, deletions, replacements, pastes, occasionally a
full replacement) at random positions, including positions past the end of a line and past the end
of the document, which the server must clamp as the specification says. Between edits it sends
requests at random positions (completion, hover, codeAction with and without ``only``,
documentSymbol, formatting, definition, ...), pipelined the way an editor does.

Checked along the way:

* every request gets a response: a result, or an error other than InternalError (a handler that
  raised is a bug even if pygls turns it into a response); MethodNotFound is accepted for features
  that are not there (yet);
* every range in a response (completion edits, code action edits, formatting edits, symbols,
  hover) names a real position of the text the client had when it sent the request, versioned
  edits carry that version, edits of one document do not overlap;
* every ``publishDiagnostics`` carries a version the client sent, with ranges inside that
  version's text;

and at the end of the session: the diagnostics (and symbols and a few completions) of the
incrementally edited document equal those of the final text opened afresh (in ``reference``, the
same server under another uri or a second server), which can only hold if the server's text is the
client's text.

The choices come from a :class:`Chooser`: ``random.Random`` for the long fuzz run, Hypothesis'
``data.draw`` in the test suite (so a failure shrinks to a short edit script).
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .lsp_client import INTERNAL_ERROR, METHOD_NOT_FOUND, ClientDocument, LspProcess, iter_text_edits

T = TypeVar("T")

# Pieces of text an edit inserts: line breaks of every kind, the characters that matter to the
# splitter (escape, quotes, $, heredoc markers, directives), astral characters and oddities.
FRAGMENTS: tuple[str, ...] = (
    "\n", "\r\n", "\r", "\n\n", "\t", " ", "\\", "\\\n", "\\\r\n", "`", "`\n", "😀", "é", "𝔘", "漢",
    "\u2028", "\x0c", "\x0b", "\x85", "\x00", "\ufeff",
    "<<EOF\n", "<<-EOF\n", "EOF\n", "\tEOF\n", "<<'X' <<\"Y\"\n", "X\nY\n", "<<",
    "# escape=`\n", "# escape=\\\n", "# syntax=docker/dockerfile:1\n", "# check=skip=all\n",
    "# hadolint ignore=DL3008\n", "#", "# comment\n",
    "FROM alpine AS b\n", "FROM ", "from scratch\n", "FROM $BASE AS ${NAME:-x}\n", " AS ", "ONBUILD ",
    "RUN ", "RUN echo $(touch /tmp/x) `id`\n", "RUN apt-get install -y curl\n", "RUN cd /x && make\n",
    "ARG X=1\n", "ARG ", "ENV A=b C=\"d e\"\n", "ENV ", "COPY --from=", "COPY --from=b /a /b\n",
    "--mount=type=cache,target=/x ", "--platform=$BUILDPLATFORM ", "WORKDIR rel\n", "MAINTAINER me\n",
    "CMD [\"a\", \"b\"]\n", "[\"", "\"]", "[", "]", "${a:-${b:-c}}", "${", "}", "$", "$$", "\"", "'",
    "=", "--", "-", ",", ":", "@sha256:", "HEALTHCHECK CMD true\n", "SHELL [\"pwsh\"]\n", "USER 0\n",
    "EXPOSE 80/tcp\n", "LABEL a=b\n", "STOPSIGNAL 9\n", "VOLUME /v\n", "ADD http://x/y /z\n",
)


class Chooser(Protocol):
    def int(self, lo: int, hi: int) -> int: ...
    def pick(self, seq: Sequence[T]) -> T: ...
    def chance(self, p: float) -> bool: ...


class RandomChooser:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


# -- positions and changes -------------------------------------------------------------------------


def random_position(doc: ClientDocument, ch: Chooser, past_end: float = 0.1) -> dict[str, int]:
    """A position the client could send: a UTF-16 (or UTF-8/32) boundary, sometimes past the end."""
    spans = doc.lines()
    if ch.chance(past_end):
        # Past the end of the line, or past the last line.
        if ch.chance(0.5):
            line = ch.int(0, len(spans) - 1)
            return {"line": line, "character": doc.line_length(line) + ch.int(1, 1000)}
        return {"line": len(spans) + ch.int(0, 3), "character": ch.int(0, 5)}
    line = ch.int(0, len(spans) - 1)
    start, end = spans[line]
    k = ch.int(0, end - start)  # a code point boundary, converted to the encoding's units
    return doc.position(start + k)


def _after(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return b if (b["line"], b["character"]) >= (a["line"], a["character"]) else a


def random_text(doc: ClientDocument, ch: Chooser, others: Sequence[str]) -> str:
    roll = ch.int(0, 9)
    if roll <= 5:
        return "".join(ch.pick(FRAGMENTS) for _ in range(ch.int(1, 3)))
    if roll <= 7 and doc.text:
        # Paste a slice of the document itself (copy/paste, duplicated lines).
        a = ch.int(0, len(doc.text))
        return doc.text[a : a + ch.int(0, 200)]
    if roll == 8 and others:
        other = ch.pick(others)
        a = ch.int(0, len(other))
        return other[a : a + ch.int(0, 400)]
    return "".join(chr(ch.int(0x20, 0x7E)) for _ in range(ch.int(1, 8)))


def random_change(doc: ClientDocument, ch: Chooser, others: Sequence[str]) -> dict[str, Any]:
    """One TextDocumentContentChangeEvent (already applied to ``doc``)."""
    roll = ch.int(0, 99)
    if roll == 0:
        # Full replacement with a mutated copy.
        text = ch.pick(others) if others and ch.chance(0.5) else doc.text[: ch.int(0, len(doc.text))]
        doc.apply(None, text)
        return {"text": text}
    start = random_position(doc, ch)
    if roll < 40:  # insertion
        end = start
        new = random_text(doc, ch, others)
    else:
        end = _after(start, random_position(doc, ch, past_end=0.05))
        if (end["line"] - start["line"]) > 20 and not ch.chance(0.2):
            end = {"line": start["line"] + ch.int(0, 3), "character": ch.int(0, 40)}
            end = _after(start, end)
        new = "" if roll < 70 else random_text(doc, ch, others)  # deletion or replacement
    rng = {"start": start, "end": end}
    doc.apply(rng, new)
    return {"range": rng, "text": new}


# -- requests -------------------------------------------------------------------------------------

ONLY_KINDS: tuple[list[str] | None, ...] = (
    None, ["quickfix"], ["refactor"], ["refactor.rewrite"], ["source"], ["source.fixAll"], ["source.organizeImports"],
    ["quickfix", "source.fixAll"],
)


def random_request(doc: ClientDocument, ch: Chooser, diagnostics: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    td = {"uri": doc.uri}
    kind = ch.int(0, 13)
    pos = random_position(doc, ch)
    if kind <= 2:
        ctx: dict[str, Any] = {"triggerKind": 1}
        if ch.chance(0.3):
            ctx = {"triggerKind": 2, "triggerCharacter": ch.pick(["-", "=", "$", "{", " "])}
        return "textDocument/completion", {"textDocument": td, "position": pos, "context": ctx}
    if kind <= 4:
        end = _after(pos, random_position(doc, ch)) if ch.chance(0.7) else pos
        only = ch.pick(ONLY_KINDS)
        context: dict[str, Any] = {"diagnostics": [d for d in diagnostics if ch.chance(0.5)][:20]}
        if only is not None:
            context["only"] = only
        if ch.chance(0.3):
            context["triggerKind"] = ch.int(1, 2)
        return "textDocument/codeAction", {"textDocument": td, "range": {"start": pos, "end": end}, "context": context}
    if kind == 5:
        return "textDocument/hover", {"textDocument": td, "position": pos}
    if kind == 6:
        return "textDocument/documentSymbol", {"textDocument": td}
    if kind == 7:
        opts = {"tabSize": ch.pick([2, 4, 8]), "insertSpaces": ch.chance(0.7)}
        if ch.chance(0.3):
            end = _after(pos, random_position(doc, ch))
            return "textDocument/rangeFormatting", {"textDocument": td, "range": {"start": pos, "end": end}, "options": opts}
        return "textDocument/formatting", {"textDocument": td, "options": opts}
    if kind == 8:
        return "textDocument/definition", {"textDocument": td, "position": pos}
    if kind == 9:
        return "textDocument/references", {"textDocument": td, "position": pos, "context": {"includeDeclaration": True}}
    if kind == 10:
        return "textDocument/documentHighlight", {"textDocument": td, "position": pos}
    if kind == 11:
        return "textDocument/foldingRange", {"textDocument": td}
    if kind == 12:
        return "textDocument/prepareRename", {"textDocument": td, "position": pos}
    new_name = ch.pick(["X", "new_name", "a b", "", "😀", "$(x)", "-", "BUILD", "a" * 300])
    return "textDocument/rename", {"textDocument": td, "position": pos, "newName": new_name}


def _ranges_in(result: Any, uri: str) -> list[dict[str, Any]]:
    """Every LSP Range anywhere in a JSON value (range, selectionRange, ...), but not in parts that
    name another document (a Location or LocationLink elsewhere, a WorkspaceEdit's other files)."""
    out: list[dict[str, Any]] = []
    stack = [result]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if set(v) >= {"start", "end"} and isinstance(v.get("start"), dict) and "line" in v["start"]:
                out.append(v)
                continue
            other = v.get("uri", v.get("targetUri", uri))
            if isinstance(other, str) and other != uri:
                continue
            if isinstance(v.get("changes"), dict):
                stack.extend(es for u, es in v["changes"].items() if u == uri)
                stack.extend(val for k, val in v.items() if k != "changes")
                continue
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def check_response(method: str, resp: Any, doc: ClientDocument) -> list[str]:
    """Problems with one response, judged against the client's text when the request was sent."""
    problems: list[str] = []
    if resp.error is not None:
        code = resp.error.get("code")
        # A handler that raised comes back as InternalError: a crash, even though answered.
        # MethodNotFound (a feature not there), InvalidParams (e.g. a bad new name for rename),
        # RequestCancelled, ContentModified, ServerCancelled and RequestFailed are proper answers.
        if code == INTERNAL_ERROR or not isinstance(code, int):
            problems.append(f"{method}: error response {resp.error}")
        elif code not in (METHOD_NOT_FOUND, -32602, -32800, -32801, -32802, -32803):
            problems.append(f"{method}: unexpected error {resp.error}")
        return problems
    result = resp.result
    if method == "textDocument/foldingRange":
        n = len(doc.lines())
        for fr in result or []:
            if not (0 <= fr["startLine"] <= fr["endLine"] < n):
                problems.append(f"{method}: folding range {fr} outside {n} lines")
        return problems
    for rng in _ranges_in(result, doc.uri):
        if not doc.range_inside(rng):
            problems.append(f"{method}: range {rng} is not inside the document (v{doc.version}, {len(doc.lines())} lines)")
    # Edits: for this document, with its version, not overlapping, and applicable.
    if method == "textDocument/codeAction":
        for action in result or []:
            edit = action.get("edit") if isinstance(action, dict) else None
            if edit:
                problems += _check_workspace_edit(method, edit, doc)
    elif method == "textDocument/rename" and result:
        problems += _check_workspace_edit(method, result, doc)
    elif method in ("textDocument/formatting", "textDocument/rangeFormatting"):
        problems += _check_edits(method, doc.uri, list(result or []), doc)
    return problems


def _check_workspace_edit(method: str, edit: dict[str, Any], doc: ClientDocument) -> list[str]:
    problems = []
    for dc in edit.get("documentChanges") or []:
        v = dc.get("textDocument", {}).get("version")
        if dc.get("textDocument", {}).get("uri") == doc.uri and v is not None and v != doc.version:
            problems.append(f"{method}: versioned edit for v{v}, the client is at v{doc.version}")
    per: dict[str | None, list[dict[str, Any]]] = {}
    for uri, e in iter_text_edits(edit):
        per.setdefault(uri, []).append(e)
    for uri, es in per.items():
        problems += _check_edits(method, uri, es, doc)
    return problems


def _check_edits(method: str, uri: str | None, edits: list[dict[str, Any]], doc: ClientDocument) -> list[str]:
    if uri is not None and uri != doc.uri:
        return [f"{method}: edit for another document {uri}"]
    problems = []
    spans = []
    for e in edits:
        a = doc.offset(e["range"]["start"]["line"], e["range"]["start"]["character"])
        b = doc.offset(e["range"]["end"]["line"], e["range"]["end"]["character"])
        spans.append((a, b))
    spans.sort()
    for (a1, b1), (a2, b2) in itertools.pairwise(spans):
        if a2 < b1:
            problems.append(f"{method}: overlapping edits {(a1, b1)} and {(a2, b2)}")
    return problems


# -- a session ------------------------------------------------------------------------------------

_URIS = itertools.count(1)


@dataclass
class SessionResult:
    edits: int = 0
    requests: int = 0
    responses_by_outcome: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class EditSession:
    """Random edits to one document in ``server``; ``reference`` opens the final text afresh."""

    def __init__(
        self,
        server: LspProcess,
        seed_text: str,
        ch: Chooser,
        others: Sequence[str] = (),
        reference: LspProcess | None = None,
        directory: str = "/tmp/dockerfile-refactor-ls-fuzz",
        encoding: str = "utf-16",
        request_rate: float = 0.5,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.server = server
        self.reference = reference or server
        self.ch = ch
        self.others = others
        n = next(_URIS)
        self.uri = f"file://{directory}/edited-{n}/Dockerfile"
        self.ref_uri = f"file://{directory}/fresh-{n}/Dockerfile"
        self.doc = ClientDocument(self.uri, seed_text, 1, encoding)
        self.request_rate = request_rate
        self.result = SessionResult()
        self.snapshots: dict[int, str] = {1: seed_text}
        self.pending: dict[Any, tuple[str, dict[str, Any], ClientDocument]] = {}
        self.log = log

    # Diagnostics for any version must have ranges inside that version's text.
    def _check_published(self) -> None:
        pub = self.server.diagnostics.get(self.uri)
        if pub is None:
            return
        v = pub.get("version")
        text = self.snapshots.get(v) if v is not None else None
        if v is not None and v not in self.snapshots and v > self.doc.version:
            self.result.problems.append(f"diagnostics for version {v} that the client never sent")
        if text is None:
            return
        snap = ClientDocument(self.uri, text, v, self.doc.encoding)
        for d in pub["diagnostics"]:
            if not snap.range_inside(d["range"]):
                self.result.problems.append(f"diagnostic {d.get('code')} range {d['range']} outside v{v}")

    def _collect(self, block: bool) -> None:
        srv = self.server
        if block and self.pending:
            pending_ids = list(self.pending)
            srv.wait_until(lambda: all(i in srv.responses for i in pending_ids), 120, "pending responses")
        else:
            srv.pump(0)
        for rid in [r for r in self.pending if r in srv.responses]:
            method, params, snap = self.pending.pop(rid)
            resp = srv.responses.pop(rid)
            outcome = "result" if resp.error is None else f"error {resp.error.get('code')}"
            key = f"{method.split('/')[-1]}: {outcome}"
            self.result.responses_by_outcome[key] = self.result.responses_by_outcome.get(key, 0) + 1
            for p in check_response(method, resp, snap):
                self.result.problems.append(f"{p}\n  request params: {params!r}"[:2000])
        self._check_published()

    def run(self, steps: int) -> SessionResult:
        srv, doc, ch = self.server, self.doc, self.ch
        srv.open(self.uri, doc.text, doc.version)
        for _ in range(steps):
            changes = [random_change(doc, ch, self.others) for _ in range(1 if ch.chance(0.8) else ch.int(2, 4))]
            doc.version += 1 if ch.chance(0.9) else ch.int(2, 5)
            srv.change(self.uri, doc.version, changes)
            self.snapshots[doc.version] = doc.text
            self.result.edits += len(changes)
            while ch.chance(self.request_rate):
                diags = (srv.diagnostics.get(self.uri) or {}).get("diagnostics") or []
                method, params = random_request(doc, ch, diags)
                rid = srv.send_request(method, params)
                self.pending[rid] = (method, params, ClientDocument(doc.uri, doc.text, doc.version, doc.encoding))
                self.result.requests += 1
            self._collect(block=len(self.pending) > 8)
            if len(self.snapshots) > 64:
                # Keep the versions diagnostics may still arrive for (the newest ones).
                for v in sorted(self.snapshots)[:-32]:
                    del self.snapshots[v]
        self._collect(block=True)
        self.finish()
        return self.result

    def finish(self) -> None:
        srv, doc, ref = self.server, self.doc, self.reference
        final = srv.wait_diagnostics(self.uri, doc.version, timeout=300)
        self._check_published()
        ref.open(self.ref_uri, doc.text, 1)
        fresh = ref.wait_diagnostics(self.ref_uri, 1, timeout=300)
        if final != fresh:
            self.result.problems.append(
                "diagnostics of the edited document differ from those of its final text opened afresh:\n"
                f"  edited: {final!r}\n  fresh:  {fresh!r}\n  final text: {doc.text!r}"[:6000]
            )
        # Symbols and completions at a few positions must agree as well.
        probes: list[tuple[str, dict[str, Any]]] = [("textDocument/documentSymbol", {})]
        for _ in range(3):
            probes.append(("textDocument/completion", {"position": random_position(doc, self.ch, past_end=0.0)}))
        for method, extra in probes:
            a = srv.request(method, {"textDocument": {"uri": self.uri}, **extra}, timeout=120)
            b = ref.request(method, {"textDocument": {"uri": self.ref_uri}, **extra}, timeout=120)
            # The fresh copy has another uri; results that name the document (symbols) must differ
            # only there.
            b_result = json.loads(json.dumps(b.result).replace(json.dumps(self.ref_uri)[1:-1],
                                                                 json.dumps(self.uri)[1:-1]))
            if (a.error is None) != (b.error is None) or (a.error is None and a.result != b_result):
                self.result.problems.append(
                    f"{method} {extra} differs between the edited document and its final text opened afresh:\n"
                    f"  edited: {a.result if a.error is None else a.error!r}\n"
                    f"  fresh:  {b.result if b.error is None else b.error!r}"[:4000]
                )
        srv.close_doc(self.uri)
        ref.close_doc(self.ref_uri)
