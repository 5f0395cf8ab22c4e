"""EXPOSE port specifications as BuildKit splits them (convert_expose.go); not a rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...engine.findings import Fix
from ...engine.images import remove_quotes
from ...engine.parser import Token
from ..base import RuleContext, instructions_of
from ._common import write_fix


@dataclass(frozen=True, slots=True)
class PortSpec:
    token: Token
    raw: str  # the word after quote removal, as BuildKit's message shows it
    ip: str
    host_port: str
    container_port: str  # without the protocol
    proto: str  # as written; "" when absent


def split(raw: str) -> tuple[str, str, str, str]:
    """``splitParts`` then ``splitProtoPort``: (ip, host port, container port, protocol)."""
    parts = raw.split(":")
    if len(parts) == 1:
        ip, host, container = "", "", parts[0]
    elif len(parts) == 2:
        ip, host, container = "", parts[0], parts[1]
    else:
        ip, host, container = ":".join(parts[:-2]), parts[-2], parts[-1]
    port, _, proto = container.partition("/")
    return ip, host, port, proto


def port_specs(ctx: RuleContext) -> Iterator[PortSpec]:
    """Every literal port of every EXPOSE (words with variables are left out: their value is only
    known at build time)."""
    doc = ctx.doc
    for target in instructions_of(doc, "expose"):
        if target.json:
            continue
        for tok in target.args:
            if "$" in tok.value:
                continue
            raw = remove_quotes(tok.value, doc.escape)
            ip, host, port, proto = split(raw)
            if not port or proto.lower() not in ("", "tcp", "udp", "sctp"):
                continue  # BuildKit fails the build on these
            yield PortSpec(tok, raw, ip, host, port, proto)


def rewrite_fixes(ctx: RuleContext, spec: PortSpec, new: str) -> list[Fix]:
    """The fix writing ``new`` over the port, when the port's source text is exactly its value
    (no quotes or line continuation inside it that the edit would lose)."""
    tok = spec.token
    if ctx.doc.text[tok.span.start : tok.span.end] != tok.value:
        return []
    return [write_fix(tok.span, new)]
