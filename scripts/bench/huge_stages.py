#!/usr/bin/env python3
"""Open an N-stage Dockerfile in the real server over stdio and time what an editor asks of it.

The file is ``tests/reliability/adversarial.stages(N)``: every stage built ``FROM`` the one
before, with an ARG, a ``COPY --from=<previous stage>`` and a RUN (50,000 stages: 4.03 M
characters, just over the default ``maxDiagnosedCharacters``). Printed, per size:

  * didOpen → first publishDiagnostics (and how many it held), with the rules' limit as configured
    (``--limit``; ``default`` keeps the server's 4,000,000 characters); a file over 200,000
    characters first gets its first lines' findings, and ``whole_diagnostics_ms`` (and count) is
    when the whole file's came (after the rules' work-done progress ended);
  * a completion sent right after didOpen: how long until its first answer (``completion_right_after_open_ms``;
    ServerCancelled while the file is still being analysed counts, and the answers are counted
    in ``completion_right_after_open_cancelled``) and until a result (asking again at once after
    each ServerCancelled, as a client that retries does: ``completion_result_after_open_ms``);
  * then, with the analysis done, every request kind the server answers (``request_cases``: outline,
    hover, definition, references and highlights on a stage and a variable, completions, signature
    help, a code action, selection range, inlay hints and semantic tokens for a screenful, folding,
    semantic tokens, links, lenses, formatting, and last the pulled diagnostics), each sent
    ``--requests`` times with VS Code's capabilities: the first, median and max milliseconds, the
    result's items and its size in KiB (each printed to stderr as it is measured; ``--only``
    picks some by name);
  * one character typed in the middle: until a hover has a result again (``keystroke_hover_result_ms``,
    the ServerCancelled answers before it counted) and until the outline is the new version's
    (``keystroke_documentSymbol_ms``); then one more, until a completion has a result
    (``keystroke_completion_result_ms``);
  * peak RSS of the server (VmHWM).

With several ``--stages`` it also prints how each time grows from one size to the next (2x the
stages should be about 2x the time). The machine is measured as it is: on a shared box, run it
when the load is low, and read ratios rather than absolute times.

Usage: python scripts/bench/huge_stages.py [--stages 12500,25000,50000] [--limit 100000000] [--requests 5]
                                           [--only 'documentSymbol,hover stage']
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "server"))

from tests.reliability.adversarial import big_file, stages  # noqa: E402
from tests.reliability.lsp_client import SERVER_CANCELLED, LspProcess, Response  # noqa: E402

from dockerfile_refactor_ls.head import HEAD_FIRST_CHARS  # noqa: E402
from dockerfile_refactor_ls.workspace import MAX_DIAGNOSED_CHARS  # noqa: E402

URI = "file:///bench/huge/Dockerfile"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timed(lsp: LspProcess, method: str, params: dict[str, Any], timeout: float) -> tuple[float, Any]:
    """Seconds from sending the request to reading its result (asking again after ServerCancelled)."""
    t0 = time.monotonic()
    while True:
        resp = lsp.response(lsp.send_request(method, params), timeout)
        if resp.ok:
            return resp.received - t0, resp.result
        if (resp.error or {}).get("code") != SERVER_CANCELLED:
            raise AssertionError(f"{method} failed: {resp.error}")


# What VS Code's client announces for the requests timed here (the parts that change answers):
# hierarchical symbols, a folding range limit of 5,000 (editor.foldingMaximumRegions), Markdown
# hover, label offsets in signature help, link tooltips, lazily resolved code actions, pull
# diagnostics.
VSCODE_CAPABILITIES: dict[str, Any] = {
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True}},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}},
            "resolveSupport": {"properties": ["edit"]},
            "dataSupport": True,
            "disabledSupport": True,
        },
        "publishDiagnostics": {"versionSupport": True},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "foldingRange": {"rangeLimit": 5000, "lineFoldingOnly": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "signatureHelp": {"signatureInformation": {"parameterInformation": {"labelOffsetSupport": True}}},
        "documentLink": {"tooltipSupport": True},
        "diagnostic": {"relatedDocumentSupport": False},
    },
    "workspace": {"workspaceEdit": {"documentChanges": True}, "configuration": True},
    "window": {"workDoneProgress": True},
}


def _whole_diagnostics_at(lsp: LspProcess, uri: str, timeout: float) -> float:
    """When the whole file's diagnostics were in (a long file's first list holds its first lines'
    findings only): the first publish for ``uri`` after the rules' work-done progress ended, or
    that end if none follows within a second (the whole list was the same as the first)."""
    found: list[float] = []

    def whole_in() -> bool:
        notes = list(zip(lsp.notifications, lsp.notification_times, strict=True))
        ends = [k for k, (n, _t) in enumerate(notes) if n.get("method") == "$/progress"
                and ((n.get("params") or {}).get("value") or {}).get("kind") == "end"]
        if not ends:
            return False
        end_at = notes[ends[0]][1]
        after = [t for n, t in notes[ends[0]:] if n.get("method") == "textDocument/publishDiagnostics"
                 and (n.get("params") or {}).get("uri") == uri]
        if after or time.monotonic() - end_at > 1.0:
            found.append(after[0] if after else end_at)
            return True
        return False

    lsp.wait_until(whole_in, timeout, "the rules' progress to end")
    return found[0]


def _until_result(lsp: LspProcess, method: str, params: dict[str, Any], timeout: float) -> tuple[Response, int]:
    """Ask until the answer is a result (the server answers ServerCancelled while the version's
    model or index is being built); that answer and how many ServerCancelled came before it."""
    cancels = 0
    while True:
        resp = lsp.response(lsp.send_request(method, params), timeout)
        if resp.ok:
            return resp, cancels
        if (resp.error or {}).get("code") != SERVER_CANCELLED:
            raise AssertionError(f"{method} failed: {resp.error}")
        cancels += 1


def _type_then_ask(
    lsp: LspProcess, version: int, at: dict[str, int], typed: str, request: str, position: dict[str, int],
    out: dict[str, Any], timeout: float,
) -> tuple[float, Response]:
    """Type ``typed`` at ``at`` (making ``version``), then ask ``textDocument/<request>`` at
    ``position`` until it has a result; records ``keystroke_<request>_result_ms`` and
    ``keystroke_<request>_cancelled`` in ``out``. Returns when it typed and the result."""
    lsp.change(URI, version, [{"range": {"start": at, "end": at}, "text": typed}])
    t_typed = time.monotonic()
    params = {"textDocument": {"uri": URI}, "position": position}
    resp, cancels = _until_result(lsp, f"textDocument/{request}", params, timeout)
    out[f"keystroke_{request}_result_ms"] = _ms(resp.received - t_typed)
    out[f"keystroke_{request}_cancelled"] = cancels
    return t_typed, resp


def request_cases(lines: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every request kind the server answers, at a position in the middle of the document. The
    pulled diagnostics come last: once a client pulls, the server stops pushing to it."""
    doc = {"textDocument": {"uri": URI}}
    last = len(lines) - 1
    mid = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("FROM "))
    copy = next(i for i in range(mid, len(lines)) if lines[i].startswith("COPY --from="))
    run = next(i for i in range(mid, len(lines)) if lines[i].startswith("RUN ") and "$" in lines[i])

    def at(line: int, character: int) -> dict[str, Any]:
        return {**doc, "position": {"line": line, "character": character}}

    if lines[mid].startswith("FROM s"):  # stages(): the earlier stage a FROM builds on
        stage_ref = at(mid, len("FROM s"))
    else:  # big_file(): the stage a COPY --from= names
        stage_ref = at(copy, len("COPY --from=b"))
    variable = at(run, lines[run].index("$") + 2)
    screen = {"start": {"line": max(0, mid - 30), "character": 0}, "end": {"line": mid + 30, "character": 0}}
    options = {"tabSize": 4, "insertSpaces": True}
    return {
        "documentSymbol": ("textDocument/documentSymbol", doc),
        "hover FROM": ("textDocument/hover", at(mid, 1)),
        "hover stage": ("textDocument/hover", stage_ref),
        "hover variable": ("textDocument/hover", variable),
        "definition stage": ("textDocument/definition", stage_ref),
        "definition variable": ("textDocument/definition", variable),
        "references stage": ("textDocument/references", {**stage_ref, "context": {"includeDeclaration": True}}),
        "references variable": ("textDocument/references", {**variable, "context": {"includeDeclaration": True}}),
        "documentHighlight stage": ("textDocument/documentHighlight", stage_ref),
        "completion --from=": ("textDocument/completion", at(copy, len("COPY --from="))),
        "completion keyword": ("textDocument/completion", at(last, 0)),
        "completion variable": ("textDocument/completion", variable),
        "signatureHelp": ("textDocument/signatureHelp", at(copy, len("COPY "))),
        "codeAction line": (
            "textDocument/codeAction",
            {**doc, "range": {"start": {"line": copy, "character": 0}, "end": {"line": copy, "character": 0}}, "context": {"diagnostics": []}},
        ),
        "selectionRange": ("textDocument/selectionRange", {**doc, "positions": [{"line": copy, "character": 8}]}),
        "inlayHint screen": ("textDocument/inlayHint", {**doc, "range": screen}),
        "semanticTokens range": ("textDocument/semanticTokens/range", {**doc, "range": screen}),
        "foldingRange": ("textDocument/foldingRange", doc),
        "semanticTokens full": ("textDocument/semanticTokens/full", doc),
        "documentLink": ("textDocument/documentLink", doc),
        "codeLens": ("textDocument/codeLens", doc),
        "formatting": ("textDocument/formatting", {**doc, "options": options}),
        "diagnostic pull": ("textDocument/diagnostic", doc),
    }


def _count(result: Any) -> int:
    if isinstance(result, list):
        return len(result)
    if isinstance(result, dict):
        for key in ("items", "data"):
            if isinstance(result.get(key), list):
                return len(result[key]) // (5 if key == "data" else 1)
        return 1
    return 0


def measure(
    n: int, limit: int | None, requests: int, timeout: float, only: set[str] | None = None, keystroke: bool = True,
    shape: str = "stages",
) -> dict[str, Any]:
    # n stages, or (--shape big_file) n characters of realistic independent stages
    text = big_file(n) if shape == "big_file" else stages(n)
    lines = text.split("\n")
    settings: dict[str, Any] = {} if limit is None else {"maxDiagnosedCharacters": limit}
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "server") + os.pathsep + env.get("PYTHONPATH", "")
    out: dict[str, Any] = {"stages": n, "characters": len(text), "limit": limit or "default"}
    with LspProcess(env=env) as lsp:
        lsp.configuration = settings
        t0 = time.perf_counter()
        lsp.initialize(capabilities=VSCODE_CAPABILITIES, initialization_options=settings or None)
        out["initialize_ms"] = _ms(time.perf_counter() - t0)
        t_open = time.monotonic()
        lsp.open(URI, text)
        # An editor asks at once (completion as the user starts typing): how long does it wait?
        last = len(lines) - 1
        completion = {"textDocument": {"uri": URI}, "position": {"line": last, "character": 0}}
        t_sent = time.monotonic()
        first = lsp.response(lsp.send_request("textDocument/completion", completion), timeout)
        out["completion_right_after_open_ms"] = _ms(first.received - t_sent)
        cancelled = 0
        while not first.ok and (first.error or {}).get("code") == SERVER_CANCELLED:
            cancelled += 1
            first = lsp.response(lsp.send_request("textDocument/completion", completion), timeout)
        if not first.ok:
            raise AssertionError(f"completion failed: {first.error}")
        out["completion_right_after_open_cancelled"] = cancelled
        out["completion_result_after_open_ms"] = _ms(first.received - t_sent)
        diags = lsp.wait_diagnostics(URI, None, timeout)
        out["first_diagnostics_ms"] = _ms(lsp.first_diagnostics_at[URI] - t_open)
        out["first_diagnostics_count"] = len(diags)
        # Rules over a file this long take seconds: they show work-done progress.
        long_run = HEAD_FIRST_CHARS < len(text) <= (limit or MAX_DIAGNOSED_CHARS)
        whole_at = _whole_diagnostics_at(lsp, URI, timeout) if long_run else lsp.first_diagnostics_at[URI]
        out["whole_diagnostics_ms"] = _ms(whole_at - t_open)
        out["whole_diagnostics_count"] = len(lsp.diagnostics[URI]["diagnostics"])
        # Later publishes (ShellCheck's batches, the secrets detector) come while the requests
        # below run; they are part of what a user would see.
        for name, (method, params) in request_cases(lines).items():
            if only and name not in only:
                continue
            times = []
            result: Any = None
            for _ in range(requests):
                took, result = _timed(lsp, method, params, timeout)
                times.append(took)
            out[name] = {
                "first_ms": _ms(times[0]),
                "median_ms": _ms(statistics.median(times)),
                "max_ms": _ms(max(times)),
                "items": _count(result),
                "kib": round(len(json.dumps(result, separators=(",", ":"))) / 1024, 1),
            }
            print(f"  {n:,} stages, {name}: {json.dumps(out[name])}", file=sys.stderr, flush=True)
        if keystroke:
            # One character typed in the middle: how long until a hover gets a result again (the
            # new version's model: ServerCancelled until then) and until the outline is the new
            # version's (documentSymbol waits for it).
            run = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("RUN "))
            end = {"line": run, "character": len(lines[run])}
            position = {"line": run, "character": 1}
            t_typed, resp = _type_then_ask(lsp, 2, end, "x", "hover", position, out, timeout)
            if not only or "definition variable" in only:
                # Go to the definition of the edited line's variable: it reads the instruction and
                # the scopes, not the variable index the analysis thread is still building.
                at_var = {"line": run, "character": lines[run].index("$") + 2} if "$" in lines[run] else position
                params = {"textDocument": {"uri": URI}, "position": at_var}
                resp_def, cancels = _until_result(lsp, "textDocument/definition", params, timeout)
                out["keystroke_definition_result_ms"] = _ms(resp_def.received - t_typed)
                out["keystroke_definition_cancelled"] = cancels
            if not only or "documentSymbol" in only:
                took, _ = _timed(lsp, "textDocument/documentSymbol", {"textDocument": {"uri": URI}}, timeout)
                out["keystroke_documentSymbol_ms"] = _ms(resp.received - t_typed + took)
                # Another character once that version is complete: until a completion there has a
                # result (it reads only the model and completion's document facts).
                position = {"line": run, "character": 0}
                _type_then_ask(lsp, 3, end, "y", "completion", position, out, timeout)
        status = lsp.proc_status()
        out["peak_rss_mib"] = round(int(status["VmHWM"].split()[0]) / 1024, 1)
        out["diagnostics_at_end"] = len(lsp.diagnostics.get(URI, {}).get("diagnostics", []))
        lsp.shutdown_and_exit(timeout)
        tracebacks = lsp.tracebacks()
        if tracebacks:
            out["tracebacks"] = tracebacks[:2]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stages", default="50000", help="comma-separated stage counts")
    ap.add_argument("--limit", default="100000000", help="maxDiagnosedCharacters, or 'default'")
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--only", default="", help="comma-separated request names to time (default: all)")
    ap.add_argument("--no-keystroke", dest="keystroke", action="store_false", help="skip the keystroke at the end")
    ap.add_argument(
        "--shape", choices=("stages", "big_file"), default="stages",
        help="stages: --stages counts FROM <previous stage> stages; big_file: --stages counts characters of "
        "tests/reliability/adversarial.big_file (independent python stages, ENV PATH in each)",
    )
    args = ap.parse_args()
    limit = None if args.limit == "default" else int(args.limit)
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    results = []
    for n in (int(s) for s in args.stages.split(",")):
        only = {x.strip() for x in args.only.split(",") if x.strip()} or None
        r = measure(n, limit, args.requests, args.timeout, only, args.keystroke, args.shape)
        results.append(r)
        print(json.dumps(r), flush=True)
    keys = ["first_diagnostics_ms", "whole_diagnostics_ms", "completion_right_after_open_ms"]
    for small, large in itertools.pairwise(results):
        ratio = large["stages"] / small["stages"]
        growth = {k: round(large[k] / max(small[k], 0.1), 2) for k in keys}
        for name, value in large.items():
            if isinstance(value, dict) and "median_ms" in value and name in small:
                growth[name] = round(large[name]["median_ms"] / max(small[name]["median_ms"], 0.1), 2)
        print(f"growth {small['stages']:,} -> {large['stages']:,} stages (x{ratio:g}): {json.dumps(growth)}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
