"""## What it does
Flags images from a registry that is not in the list of trusted registries. hadolint rule
`DL3026`, with hadolint 2.15's semantics: the images of `FROM`, of `COPY --from=<image>` and of
`RUN --mount=type=bind|cache,from=<image>` (the image a mount reads files from) are checked.

The rule does nothing until trusted registries are configured: `trustedRegistries` in
`.hadolint.yaml` (for example `[docker.io, my-company.com:5000, "*.gcr.io"]`; a leading or trailing
`*` matches any suffix or prefix, `*` alone every registry). Images without a registry host come
from Docker Hub and are trusted when `docker.io` or `hub.docker.com` is. `scratch` and earlier
stages are not checked; a stage defined *later* is no stage to `--from` and is checked as an image.

Deliberate differences from hadolint, each where BuildKit reads the Dockerfile differently:
stage names are compared case-insensitively (`FROM build` after `AS Build` is the stage);
`COPY --from=<n>` is stage index `n`, not an image (`RUN --mount=from=<n>` is an image, as
BuildKit reads it, and is checked); an image given by a variable is checked with the global
`ARG` defaults substituted, and not at all when they do not settle it; registries are compared
case-insensitively, as host names are.

## Why is this bad?
Base images, and the images files are copied or mounted from, run with full control over the
build and the final image. Organisations that mirror and vet their images want to be sure a
Dockerfile does not pull from anywhere else.

## Example
```dockerfile
# .hadolint.yaml: trustedRegistries: [my-company.com:5000]
FROM randomguy/python:3.12
COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv
```

## Fix
```dockerfile
FROM my-company.com:5000/python:3.12
COPY --from=my-company.com:5000/uv:0.5 /uv /bin/uv
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...engine.findings import Finding, Severity
from ...engine.images import remove_quotes, resolve_image_text, split_name, split_reference
from ...engine.model import Dockerfile
from ...engine.parser import Flag
from ..base import Rule, RuleContext

MESSAGE = "Use only an allowed registry in the FROM image"
# The registries an image without a host is pulled from, as hadolint names them.
_DOCKER_HUB = ("docker.io", "hub.docker.com")
# The mount types that take files from= an image or stage; others (tmpfs, secret, ssh) read none.
_MOUNTS_WITH_SOURCE = ("bind", "cache")


def _matches(pattern: str, registry: str) -> bool:
    """hadolint's registry match: ``*`` alone, ``*suffix``, ``prefix*``, or the exact name."""
    pattern, registry = pattern.lower(), registry.lower()
    if pattern == "*":
        return True
    if pattern.startswith("*"):
        return registry.endswith(pattern[1:])
    if pattern.endswith("*"):
        return registry.startswith(pattern[:-1])
    return registry == pattern


def _allowed(image: str, trusted: list[str]) -> bool:
    name_end, _, _ = split_reference(image)
    registry, repository = split_name(image[:name_end])
    if registry is None and repository == "scratch":
        return True
    candidates = [registry] if registry is not None else list(_DOCKER_HUB)
    return any(_matches(t, c) for c in candidates for t in trusted)


def _mount_image(flag: Flag) -> str | None:
    """The ``from=`` of a bind or cache mount (the default type is bind), None for other mounts."""
    if flag.name.lower() != "mount" or not flag.value:
        return None
    fields = dict(part.partition("=")[::2] for part in flag.value.split(","))
    options = {k.strip().lower(): v.strip() for k, v in fields.items()}
    if options.get("type", "bind").lower() not in _MOUNTS_WITH_SOURCE:
        return None
    return options.get("from") or None


def _is_stage(doc: Dockerfile, name: str, before: int, by_index: bool) -> bool:
    return doc.stage_named(name, before=before, by_index=by_index) is not None


def check(ctx: RuleContext) -> Iterator[Finding]:
    raw = ctx.options.get("trusted_registries") or ()
    trusted = [str(t) for t in raw] if isinstance(raw, Iterable) and not isinstance(raw, str) else []
    if not trusted:
        return
    doc = ctx.doc
    for stage, ins in doc.iter_instructions():
        # The stages up to this instruction's, its own included (as hadolint does: a name the file
        # defines is no image to check); none in a fragment without FROM.
        before = stage.index + 1 if stage is not None else 0
        if ins.cmd == "from":
            if stage is None or stage.image is None or stage.base_stage is not None:
                continue
            text = resolve_image_text(doc, stage)
            if text is None or _is_stage(doc, text, before - 1, by_index=False):
                continue  # a variable the ARG defaults do not settle, or a stage through an ARG
            if not _allowed(text, trusted):
                yield RULE.finding(stage.image.name_span, MESSAGE)
        elif ins.cmd == "copy":
            flag = ins.flag("from")
            if flag is None or not flag.value or "$" in flag.value:
                continue
            value = remove_quotes(flag.value, doc.escape)
            if _is_stage(doc, value, before, by_index=True) or _allowed(value, trusted):
                continue
            yield RULE.finding(flag.value_span or flag.span, MESSAGE)
        elif ins.cmd == "run":
            for flag in ins.flags:
                image = _mount_image(flag)
                if image is None or "$" in image:
                    continue
                image = remove_quotes(image, doc.escape)
                # By name only: BuildKit reads a number in from= as an image name.
                if _is_stage(doc, image, before, by_index=False) or _allowed(image, trusted):
                    continue
                yield RULE.finding(flag.value_span or flag.span, MESSAGE)


RULE = Rule(
    code="DL3026",
    name="trusted-registries",
    summary=MESSAGE,
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
