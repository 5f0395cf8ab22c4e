"""## What it does
Flags a stage that does not set a label named in `.hadolint.yaml`'s `label-schema`, one finding per
missing label, on the stage's `FROM`. hadolint rule `DL3049`. Does nothing without a
`label-schema`.

As in hadolint, a stage does not need the label when:
- it is built on a stage that has it (`FROM base` after `FROM ... AS base` with the label); or
- it is only a helper of another stage: an image is made of the stage you build, so a stage that
  another stage copies from (`COPY --from=<stage>`), or that a stage built on it gives the label
  to, is not reported.

Stage names are matched without regard to case, as BuildKit does (hadolint compares them as
written).

## Why is this bad?
The schema lists what every image of the project must tell about itself (version, source,
license, maintainer); an image built from a stage without the label does not.

## Example
With `label-schema: {org.opencontainers.image.source: url}`:
```dockerfile
FROM alpine:3.20
COPY app /app
```

## Fix
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app"
COPY app /app
```
No quick fix: the value is yours to give.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.model import Stage
from ..base import Rule, RuleContext
from ._labels import label_schema, unquote


def _missing(stages: list[Stage], label: str) -> list[Stage]:
    """The stages reported for ``label``, following hadolint's walk through the stages."""
    bad: dict[int, Stage] = {}
    good_names: set[str] = set()  # names of the stages that have the label (set or inherited)
    for stage in stages:
        parent = stage.image.name.lower() if stage.image is not None else None
        current_name = stage.key or parent or ""
        if parent is not None and parent in good_names:
            if stage.key:
                good_names.add(stage.key)
        else:
            bad[id(stage)] = stage
        for ins in stage.instructions:
            target = ins.sub if ins.sub is not None else ins
            if target.cmd == "copy":
                src = target.flag("from")
                if src is not None and src.value:
                    _silence(bad, unquote(src.value).lower())
            elif target.cmd == "label" and any(unquote(kv.key.value) == label for kv in target.pairs):
                _silence(bad, current_name)
                bad.pop(id(stage), None)
                if stage.key:
                    good_names.add(stage.key)
    return list(bad.values())


def _silence(bad: dict[int, Stage], name: str) -> None:
    for k in [k for k, st in bad.items() if st.key is not None and st.key == name]:
        del bad[k]


def check(ctx: RuleContext) -> Iterator[Finding]:
    schema = label_schema(ctx)
    stages = ctx.doc.stages
    for label in schema:
        for stage in _missing(stages, label):
            yield RULE.finding(stage.from_instruction.keyword_span, f"Label `{label}` is missing.")


RULE = Rule(
    code="DL3049",
    name="label-missing",
    summary="A stage lacks a label of the label-schema",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
