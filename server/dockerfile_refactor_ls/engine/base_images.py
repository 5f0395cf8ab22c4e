"""What image each stage really starts from, after global ARG substitution.

``FROM ${BASE}:${VERSION}`` names an image only once the global ARG defaults are substituted. Our
own resolver below is the source of truth (it understands ``${VAR:-default}`` and friends, heredocs
and stage references); ``dockerfile-parse`` (a required dependency) does the same substitution in
its ``parent_images`` and serves as a cross-check: it is consulted only for documents without
heredocs (which it cannot parse), only when it sees the same number of stages, and its answer is
dropped wherever it disagrees with ours or leaves shell syntax behind.
"""

from __future__ import annotations

import io
import logging
import re

from .model import Dockerfile, Stage

log = logging.getLogger(__name__)

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def substitute(text: str, values: dict[str, str | None]) -> str | None:
    """Expand ``$V``, ``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:+x}``, ``${V+x}``; None if a variable has no value."""
    unresolved = False

    def repl(m: re.Match[str]) -> str:
        nonlocal unresolved
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        value = values.get(name)
        is_set = name in values and value is not None
        if op in (":-", "-"):
            if is_set and (op == "-" or value):
                return value or ""
            return word
        if op in (":+", "+"):
            return word if is_set and (op == "+" or value) else ""
        if not is_set:
            unresolved = True
            return ""
        return value or ""

    out = _REF.sub(repl, text)
    return None if unresolved or "$" in out else out


def remove_quotes(text: str, escape: str) -> str:
    """What BuildKit's lexer makes of a word: quotes group, then disappear; escapes are dropped."""
    if "'" not in text and '"' not in text and escape not in text:
        return text
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == escape and quote != "'" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def resolved_image(doc: Dockerfile, stage: Stage, build_args: dict[str, str] | None = None) -> str | None:
    """The stage's base image text with global ARGs substituted (None when it cannot be known)."""
    if stage.image is None:
        return None
    text = stage.image.text
    if "$" in text:
        values: dict[str, str | None] = {d.name: d.value for d in doc.global_args}
        if build_args:
            values.update(build_args)
        substituted = substitute(text, values)
        if substituted is None:
            return None
        text = substituted
    return remove_quotes(text, doc.escape)


def root_image_text(doc: Dockerfile, stage: Stage) -> str | None:
    """Follow ``FROM <earlier stage>`` chains (also through ARGs) to the real base image."""
    seen: set[int] = set()
    current = stage
    while id(current) not in seen:
        seen.add(id(current))
        text = resolved_image(doc, current)
        if text is None:
            return None
        parent = doc.stage_named(text, before=current.index) if not text.isdigit() else None
        if parent is None:
            return text
        current = parent
    return None


def cross_check_with_dockerfile_parse(doc: Dockerfile) -> list[str | None]:
    """Our resolution of every stage, confirmed (or not) by dockerfile-parse; logs disagreements."""
    ours = [resolved_image(doc, s) for s in doc.stages]
    if any(ins.heredocs or (ins.sub and ins.sub.heredocs) for ins in doc.instructions):
        return ours  # dockerfile-parse reads heredoc bodies as instructions
    try:
        from dockerfile_parse import DockerfileParser

        theirs = DockerfileParser(fileobj=io.BytesIO(doc.text.encode("utf-8", "surrogateescape"))).parent_images
    except Exception as exc:  # it is a second opinion; never let it break us
        log.debug("dockerfile-parse failed: %s", exc)
        return ours
    if len(theirs) != len(ours):
        log.debug("dockerfile-parse sees %d stages, we see %d", len(theirs), len(ours))
        return ours
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a is not None and a != b:
            log.debug("stage %d: we resolve %r, dockerfile-parse %r", i, a, b)
    return ours
