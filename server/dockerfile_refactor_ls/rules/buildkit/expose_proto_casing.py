"""## What it does
Flags a protocol in `EXPOSE` that is not lower case (`EXPOSE 80/TCP`). BuildKit check
`ExposeProtoCasing`, with its message word for word; one finding per port.

## Why is this bad?
BuildKit lower-cases the protocol anyway; the upper-case spelling is inconsistent with every other
tool (`docker run -p 80:80/tcp`) and with the image configuration it produces.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 80/TCP 53/Udp
```

## Fix
```dockerfile
FROM nginx:1.27
EXPOSE 80/tcp 53/udp
```
The quick fix lower-cases the protocol; it is safe (the image is the same). Matches BuildKit's check
and message. Deliberate difference: a port written with a variable (`$PORT/TCP`) is not checked,
since its value is only known at build time.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._expose import port_specs, rewrite_fixes


def check(ctx: RuleContext) -> Iterator[Finding]:
    for spec in port_specs(ctx):
        if spec.proto == spec.proto.lower():
            continue
        new = spec.token.value[: -len(spec.proto)] + spec.proto.lower()
        yield RULE.finding(
            spec.token.span,
            f"Defined protocol '{spec.raw}' in EXPOSE instruction should be lowercase",
            fixes=rewrite_fixes(ctx, spec, new),
        )


RULE = Rule(
    code="ExposeProtoCasing",
    name="expose-proto-casing",
    summary="EXPOSE protocol not in lower case",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
