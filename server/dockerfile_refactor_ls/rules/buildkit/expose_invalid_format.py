"""## What it does
Flags an `EXPOSE` port with an IP address or a host port (`EXPOSE 127.0.0.1:80:80`,
`EXPOSE 8080:80`). BuildKit check `ExposeInvalidFormat`, with its message word for word; one
finding per port.

## Why is this bad?
`EXPOSE` only documents which ports the container listens on; publishing them on the host is
decided by `docker run -p`. BuildKit drops the address and the host port, so the line does not do
what it seems to, and a future release will refuse it.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 127.0.0.1:8080:80 443:443/tcp
```

## Fix
```dockerfile
FROM nginx:1.27
EXPOSE 80 443/tcp
```
The quick fix keeps the container port and protocol; it is safe (BuildKit exposes exactly those
today). Matches BuildKit's check and message. Deliberate difference: a port written with a variable
is not checked, since its value is only known at build time.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ..base import Rule, RuleContext
from ._expose import port_specs, rewrite_fixes


def check(ctx: RuleContext) -> Iterator[Finding]:
    for spec in port_specs(ctx):
        if not spec.ip and not spec.host_port:
            continue
        new = spec.container_port + (f"/{spec.proto}" if spec.proto else "")
        yield RULE.finding(
            spec.token.span,
            f"EXPOSE instruction should not define an IP address or host-port mapping, found '{spec.raw}'",
            fixes=rewrite_fixes(ctx, spec, new),
        )


RULE = Rule(
    code="ExposeInvalidFormat",
    name="expose-invalid-format",
    summary="EXPOSE with an IP address or a host port",
    severity=Severity.WARNING,
    origin="buildkit",
    check=check,
)
