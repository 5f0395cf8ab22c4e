"""## What it does
Flags comments that were meant as parser directives (`# syntax=`, `# escape=`, `# check=`) but that
BuildKit reads as plain comments:

- a misspelled name: `# sytax=docker/dockerfile:1`, `# escpae=\\``, `# chek=skip=all` (a name one or
  two letters away from a directive, with a value that fits that directive);
- a colon instead of `=`: `# syntax: docker/dockerfile:1`;
- a directive in the wrong place: BuildKit reads directives only at the very top of the file, before
  any instruction, blank line or other comment, so `# escape=\\`` after a blank line or a first
  comment is ignored (`# check=` directly above an instruction is left alone: it applies to that
  instruction);
- a misspelled frontend in `# syntax=`: `docker/dockerfil:1` or `dockerfile:1` for
  `docker/dockerfile:1`.

## Why is this bad?
Nothing warns about an ignored directive. A lost `# syntax=` silently builds with the frontend
bundled in the builder (newer Dockerfile features then fail or behave differently), a lost
`# escape=` makes every backtick line continuation of a Windows Dockerfile a literal character, and
a lost `# check=` runs the checks it meant to skip. A misspelled frontend fails the build while
pulling an image that does not exist.

## Example
```dockerfile
# Build the API
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
```

## Fix
```dockerfile
# escape=`
# Build the API
FROM mcr.microsoft.com/windows/servercore:ltsc2022
```
The quick fixes correct the name (`# syntax=`), the separator, the frontend, or move a misplaced
directive to the first line.

## Fix safety
Not applied by `source.fixAll` or `fix --all`: each of them turns a comment into a directive that
takes effect, and a directive changes how the whole file is read or built (a moved `# escape=`
changes what every line continuation means).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ...engine.model import Dockerfile
from ...engine.parser import VALID_DIRECTIVES
from ...engine.text import Span
from ..base import Rule, RuleContext

_DIRECTIVE = re.compile(r"#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(\S.*?)[ \t]*\Z")
_COLON = re.compile(r"#[ \t]*(syntax|escape|check)[ \t]*(:)[ \t]*(\S.*?)[ \t]*\Z", re.IGNORECASE)
_FRONTENDS = ("docker/dockerfile", "docker/dockerfile-upstream")


def _fits(name: str, value: str) -> bool:
    """Whether ``value`` is the kind of value directive ``name`` takes."""
    if name == "escape":
        return value in ("`", "\\")
    if name == "check":
        return bool(re.match(r"(skip|error|experimental)\s*=", value, re.IGNORECASE))
    return "/" in value or "dockerfile" in value.lower()


def _frontend_typo(value: str) -> str | None:
    """The docker/dockerfile frontend a misspelled ``# syntax=`` value meant, if it is one."""
    cut = re.search(r"[:@]", value)
    repo, rest = (value[: cut.start()], value[cut.start() :]) if cut else (value, "")
    repo_l = repo.lower()
    for prefix in ("docker.io/", "index.docker.io/"):
        if repo_l.startswith(prefix):
            repo_l = repo_l[len(prefix) :]
    if repo_l in _FRONTENDS:
        return None
    if repo_l in ("dockerfile", "dockerfile-upstream"):
        return "docker/" + repo_l + rest
    close = difflib.get_close_matches(repo_l, _FRONTENDS, n=1, cutoff=0.85)
    return close[0] + rest if close else None


def _directly_above_instruction(doc: Dockerfile, span: Span) -> bool:
    text = doc.text
    nl = text.find("\n", span.end)
    if nl < 0:
        return False
    ins = doc.instruction_at(nl + 1)
    if ins is not None and ins.span.start >= nl + 1:
        return text[nl + 1 : ins.span.start].strip() == ""
    return False


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    text = doc.text
    active = {d.span.start for d in doc.parsed.directives}
    names = {d.name for d in doc.parsed.directives}
    for d in doc.parsed.directives:
        if d.name == "syntax":
            yield from _check_frontend(d.value, d.value_span)
    for span in doc.parsed.comments:
        if span.start in active:
            continue
        line = text[span.start : span.end].rstrip("\r")
        m = _DIRECTIVE.match(line)
        if m is not None:
            key, value = m.group(1), m.group(2)
            key_span = Span(span.start + m.start(1), span.start + m.end(1))
            low = key.lower()
            if low in VALID_DIRECTIVES:
                if low == "check" and _directly_above_instruction(doc, span):
                    continue
                fixes = []
                if low not in names:
                    fixes.append(_move_to_top(doc, span))
                yield RULE.finding(
                    Span(span.start, span.start + len(line)),
                    f"'# {low}=' is not at the top of the file, so BuildKit reads it as a comment: parser "
                    "directives must come before any instruction, blank line or other comment",
                    fixes=fixes,
                )
                if low == "syntax":
                    yield from _check_frontend(value, Span(span.start + m.start(2), span.start + m.end(2)))
                continue
            close = difflib.get_close_matches(low, VALID_DIRECTIVES, n=1, cutoff=0.75)
            if close and _fits(close[0], value):
                yield RULE.finding(
                    key_span,
                    f"'# {key}=' is not a parser directive, so BuildKit reads it as a comment; did you mean "
                    f"'# {close[0]}='?",
                    fixes=[Fix(f"Change to '{close[0]}'", [Edit(key_span, close[0])], safe=False, preferred=True)],
                )
            continue
        c = _COLON.match(line)
        if c is not None and _fits(c.group(1).lower(), c.group(3)):
            colon = Span(span.start + c.start(2), span.start + c.end(2))
            yield RULE.finding(
                colon,
                f"'# {c.group(1)}:' is a comment to BuildKit: a parser directive needs '=' (# {c.group(1).lower()}=...)",
                fixes=[Fix("Use '='", [Edit(colon, "=")], safe=False, preferred=True)],
            )


def _check_frontend(value: str, span: Span) -> Iterator[Finding]:
    meant = _frontend_typo(value)
    if meant is not None:
        yield RULE.finding(
            span,
            f"The syntax frontend {value!r} looks like a misspelling of {meant!r}; BuildKit would try to pull "
            "an image that does not exist",
            fixes=[Fix(f"Change to {meant!r}", [Edit(span, meant)], safe=False, preferred=True)],
        )


def _move_to_top(doc: Dockerfile, span: Span) -> Fix:
    text = doc.text
    nl = text.find("\n", span.end)
    line_end = len(text) if nl < 0 else nl + 1
    line = text[span.start : span.end].rstrip("\r")
    top = 1 if doc.parsed.bom else 0
    eol = doc.line_ending
    return Fix(
        "Move the directive to the first line",
        [Edit(Span(top, top), line + eol), Edit(Span(doc.lines.line_start(doc.lines.line_of(span.start)), line_end), "")],
        safe=False,
        preferred=True,
    )


RULE = Rule(
    code="SyntaxDirectiveTypo",
    name="syntax-directive-typo",
    summary="A parser directive BuildKit silently reads as a comment (typo, ':' or wrong place)",
    severity=Severity.WARNING,
    origin="dockerfile-refactor-ls",
    check=check,
)
