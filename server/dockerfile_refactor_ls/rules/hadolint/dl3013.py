"""## What it does
Flags `pip install` of packages without a version (`pip install flask` instead of
`pip install flask==3.0.3`). hadolint rule `DL3013`.

Not reported: installs from a requirements file (`-r`), with constraints (`-c`), of the current
project (`.`), of local paths, URLs of archives, wheels and sdists, of VCS URLs pinned with `@`
(`#egg=name` names the package, it does not pin it), and of packages given by a variable. The
values of pip's options (`--root-user-action ignore`, `-i URL`) are not packages.

Differs from hadolint: pip called by its path (`/venv/bin/pip install`, as in a virtual
environment) is checked too; hadolint recognises only the bare names.

## Why is this bad?
An unpinned package installs whatever PyPI serves on the day of the build, so builds are not
reproducible and a new major release can break them without any change to the Dockerfile.

## Example
```dockerfile
RUN pip install --no-cache-dir flask
```

## Fix
```dockerfile
RUN pip install --no-cache-dir flask==3.0.3
```
or pin everything in a requirements file: `pip install --no-cache-dir -r requirements.txt`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.shell import SimpleCommand, Word
from ..base import Rule, RuleContext
from ._common import has_variable, unpinned

PIP_VALUE_FLAGS = (
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url",
    "implementation", "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy",
    "python-version", "root", "src", "t", "target", "trusted-host", "upgrade-strategy", "c",
    "constraint", "r", "requirement", "log", "cache-dir", "timeout", "retries", "exists-action",
    "cert", "client-cert", "report", "config-settings", "C", "global-option", "install-option",
    "root-user-action", "python",
)  # fmt: skip
_VCS = (
    "git+", "hg+", "svn+", "bzr+", "git://", "svn://",
)  # fmt: skip
_VERSION_SYMBOLS = ("==", ">=", "<=", ">", "<", "!=", "~=", "===")


def pip_install(cmd: SimpleCommand) -> Word | None:
    """The ``install`` word of ``pip install`` / ``python -m pip install``, else None."""
    vals = cmd.values
    if cmd.name.startswith("pip") and cmd.name != "pipenv":
        pos = cmd.positional(PIP_VALUE_FLAGS)
        if pos and pos[0].value == "install":
            return pos[0]
        return None
    if cmd.name.startswith("python"):
        for k in range(len(vals) - 2):
            if vals[k] == "-m" and vals[k + 1] in ("pip", "pip3") and vals[k + 2] == "install":
                return cmd.args[k + 2]
    return None


def _from_files(values: list[str]) -> bool:
    """Installs from a requirements/constraints file or of the project itself."""
    for v in values:
        if v in (".", "-r", "--requirement", "-c", "--constraint"):
            return True
        if v.startswith(("--requirement=", "--constraint=")):
            return True
        if v.startswith(("-r", "-c")) and len(v) > 2 and v[2] not in "-":
            return True  # -rrequirements.txt
    return False


def _pinned(pkg: str) -> bool:
    if has_variable(pkg) or any(s in pkg for s in _VERSION_SYMBOLS):
        return True
    if pkg.startswith(_VCS):
        # A VCS URL is pinned by `@<ref>`; `#egg=name` only names the package (hadolint agrees).
        return "@" in pkg.split("://", 1)[-1]
    if pkg.endswith((".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2")):
        return True
    return "/" in pkg or pkg.startswith(".")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for cmd in ctx.commands():
        sub = pip_install(cmd)
        if sub is None:
            continue
        if _from_files(cmd.values):
            continue
        after = [w for w in cmd.positional(PIP_VALUE_FLAGS) if w.span.start > sub.span.start]
        loose = [w.value for w in after if not _pinned(w.value)]
        yield from unpinned(
            RULE, cmd.head_span(sub), loose,
            "Pin versions in pip. Instead of `pip install <package>` use `pip install "
            "<package>==<version>` or `pip install --requirement <requirements file>`",
        )


RULE = Rule(
    code="DL3013",
    name="pip-pin-versions",
    summary="Pin versions in pip install",
    severity=Severity.WARNING,
    origin="hadolint",
    check=check,
    per_run=True,
)
