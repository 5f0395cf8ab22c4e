"""## What it does
Flags `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK CMD`, `COPY`, `ADD` and `VOLUME` arguments that are
meant as a JSON array (exec form) but are not valid JSON: single or typographic quotes
(`CMD ["node", 'server.js']`), a trailing comma (`["a", "b",]`), a missing closing bracket
(`["a", "b"`), unquoted words (`[node, server.js]`). `ONBUILD` instructions are checked too.

A valid array followed by more text (`RUN ["echo", "hi"] && make`) is reported too, as a warning:
BuildKit runs the array and drops the rest without a word.

Only text that reads as a list (items separated by commas, or one quoted item right inside the
brackets) is reported, so a shell test such as `RUN [ -f /etc/os-release ] && ...` is not.

## Why is this bad?
BuildKit does not report invalid JSON: it silently takes the whole text as the shell form. `CMD
["node", 'server.js']` becomes `/bin/sh -c '["node", '"'"'server.js'"'"']'`, which runs a command
called `[node,` and fails when the container starts (for `RUN`, when the image is built), and in an
image without a shell it cannot run at all. `COPY ["a", 'b/']` copies files literally named `["a",`.

## Example
```dockerfile
FROM node:20-slim
COPY . /app
CMD ["node", 'server.js',]
```

## Fix
```dockerfile
CMD ["node", "server.js"]
```
The quick fix "Use the exec form" writes the array as valid JSON, with the items the text lists.

## Fix safety
The fix is offered as a quick fix but is not applied by `source.fixAll` or `fix --all`: it changes
what the instruction runs (from the shell form BuildKit uses now to the exec form that was meant).
In the exec form no shell expands variables; when an item contains `$`, the message says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.parser import Instruction
from ...engine.text import Span
from ..base import Rule, RuleContext

_CHECKED = frozenset(("run", "cmd", "entrypoint", "copy", "add", "volume"))
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201d": "\u201d", "\u2019": "\u2019"}
_SPACE = " \t"


def repair(text: str) -> list[str] | None:
    """The items of a JSON-array-like ``text`` BuildKit could not decode, or None when the text does
    not read as a list (a shell ``[ test ]``, prose, a valid array)."""
    s = text.strip()
    if not s.startswith("["):
        return None
    try:
        value = json.loads(s)
    except ValueError:
        pass
    else:
        if isinstance(value, list):
            return None  # valid JSON (BuildKit reports non-string items itself)
    i, n = 1, len(s)
    items: list[str] = []
    commas = 0
    closed = False
    single_tight = False
    while i < n:
        while i < n and s[i] in _SPACE:
            i += 1
        if i >= n:
            break
        c = s[i]
        if c == "]":
            closed = True
            i += 1
            break
        if c in _QUOTES:
            close = _QUOTES[c]
            j = i + 1
            buf: list[str] = []
            while j < n and s[j] != close:
                if s[j] == "\\" and c == '"' and j + 1 < n:
                    try:
                        buf.append(json.loads(f'"{s[j:j + 2]}"'))
                    except ValueError:
                        buf.append(s[j + 1])
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            if j >= n:
                return None  # an unterminated string: too ambiguous to repair
            if i == 1 and not items:
                single_tight = True
            items.append("".join(buf))
            i = j + 1
        else:
            j = i
            while j < n and s[j] not in ",]" and s[j] not in _SPACE:
                j += 1
            word = s[i:j]
            k = j
            while k < n and s[k] in _SPACE:
                k += 1
            if not word or (k < n and s[k] not in ",]"):
                return None  # words separated by spaces: shell syntax, not a list
            if any(q in word for q in _QUOTES):
                return None
            items.append(word)
            i = j
        while i < n and s[i] in _SPACE:
            i += 1
        if i < n and s[i] == ",":
            commas += 1
            i += 1
            continue
        if i < n and s[i] == "]":
            closed = True
            i += 1
            break
        if i < n:
            return None
    if i < n and s[i:].strip():
        return None  # text after the closing bracket: `[ a ] && b`
    if not items:
        return None
    if commas == 0:
        # One item: only `['x']` or `["x"` (quoted, right after the bracket) reads as a list.
        if not single_tight or (closed and s[-2:-1] in _SPACE):
            return None
    return items


def check(ctx: RuleContext) -> Iterator[Finding]:
    for stage in ctx.stages():
        for ins in stage.instructions:
            yield from _check(ins, ins)


def _check(top: Instruction, ins: Instruction) -> Iterator[Finding]:
    if ins.sub is not None:
        yield from _check(top, ins.sub)
        return
    cmd = ins.cmd
    target = ins
    if cmd == "healthcheck":
        if not ins.args or ins.args[0].value.upper() != "CMD":
            return
    elif cmd not in _CHECKED:
        return
    if ins.error is not None or ins.heredocs:
        return
    text = target.args_text
    span = target.args_span
    if ins.json:
        yield from _trailing(ins, text, span)
        return
    if cmd == "healthcheck":
        rest = text[len(ins.args[0].value) :]
        offset = len(text) - len(rest.lstrip())
        text = rest.lstrip()
        span = Span(span.start + offset, span.end)
    items = repair(text)
    if items is None:
        return
    fixed = json.dumps(items, ensure_ascii=False)
    message = (
        f"{ins.keyword.upper()} arguments are not valid JSON, so BuildKit runs them in the shell form; "
        f"write {fixed}"
    )
    if any("$" in it for it in items) and cmd in ("run", "cmd", "entrypoint", "healthcheck"):
        message += " (in the exec form no shell expands $variables)"
    yield RULE.finding(
        span,
        message,
        fixes=[Fix("Use the exec form (valid JSON)", [Edit(span, fixed)], safe=False, preferred=True)],
    )


_DECODER = json.JSONDecoder()


def _trailing(ins: Instruction, text: str, span: Span) -> Iterator[Finding]:
    """Text after a valid JSON array, which BuildKit drops without a word."""
    if ins.cmd == "healthcheck":
        return  # its args hold "CMD" first; rare enough not to re-slice here
    lead = len(text) - len(text.lstrip())
    try:
        _value, end = _DECODER.raw_decode(text, lead)
    except ValueError:
        return
    rest = text[end:]
    if not rest.strip():
        return
    start = span.start + end + (len(rest) - len(rest.lstrip()))
    extra = Span(start, span.end)
    yield RULE.finding(
        extra,
        f"BuildKit ignores the text after the JSON array of {ins.keyword.upper()} "
        "(the instruction runs only what the array lists)",
        severity=Severity.WARNING,
        fixes=[Fix("Remove the ignored text", [Edit(Span(span.start + end, span.end), "")], safe=False)],
    )


RULE = Rule(
    code="InvalidJsonForm",
    name="invalid-json-form",
    summary="Exec-form arguments that are not valid JSON silently become the shell form",
    severity=Severity.ERROR,
    origin="dockerfile-refactor-ls",
    check=check,
    per_stage=True,
)
