"""## What it does
Flags `COPY --from=<value>` where `<value>` is not a stage defined earlier in the file.
hadolint rule `DL3022`, with hadolint 2.15's semantics (the BuildKit twin is
`UnknownCopyFromStage`: when both fire on one `COPY`, one diagnostic is shown for both ids):

- a name is accepted when an earlier `FROM ... AS <name>` (or the current stage's own) defines it;
  a stage defined *later* does not count;
- a value containing `:` (`nginx:1.27`, `img@sha256:...`) is an image and is not reported; an image
  without a tag or digest (`--from=busybox`, `--from=ghcr.io/org/tool`) is reported, as hadolint
  does: it names no stage, and an untagged image is the unpinned copy source DL3006 warns about;
- a number is a stage index, accepted when it is below the count of `FROM`s so far (the current
  one included);
- a file with no `FROM` yet (a fragment) is checked too: every `--from` there names no stage.

Only `COPY`: `ADD` takes no `--from`, an `ONBUILD COPY` runs in another file's build, and
`RUN --mount=from=` is not checked (hadolint does not either).

Deliberate differences from hadolint: names are compared case-insensitively and with quotes
removed, as BuildKit resolves them (`--from="Build"` copies from `AS build`; hadolint reports it),
and a value with a variable (`--from=$STAGE`) is not reported, since it is only known at build time.

## Why is this bad?
`--from` takes a stage name, a stage index, an image, or a named build context. A bare name that
is none of the earlier stages is most often a typo or a stage defined further down; BuildKit then
tries to pull an image of that name from Docker Hub. (If you pass it as a named build context with
`docker build --build-context <name>=...`, ignore this rule for the line.)

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=builder /out/app /usr/local/bin/app
```

## Fix
```dockerfile
COPY --from=build /out/app /usr/local/bin/app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext

MESSAGE = "COPY --from should reference a previously defined FROM alias"


def check(ctx: RuleContext) -> Iterator[Finding]:
    aliases: set[str] = set()  # stage names defined so far (lower case, as BuildKit compares them)
    from_count = 0
    for _, ins in ctx.doc.iter_instructions():
        if ins.cmd == "from":
            from_count += 1
            stage = ctx.doc.stage_of(ins)
            if stage is not None and stage.key:
                aliases.add(stage.key)
            continue
        if ins.cmd != "copy":
            continue
        flag = ins.flag("from")
        if flag is None or flag.value is None:
            continue
        value = flag.value.strip().replace('"', "").replace("'", "")
        if ":" in value or "$" in value or value.lower() in aliases:
            continue
        if value.isdigit() and int(value) < from_count:
            continue
        yield RULE.finding(flag.value_span or flag.span, MESSAGE)


RULE = Rule(
    code="DL3022",
    name="copy-from-previous-stage",
    summary=MESSAGE,
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
)
