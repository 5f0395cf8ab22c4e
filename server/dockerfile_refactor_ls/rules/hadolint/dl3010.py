"""## What it does
Flags a `COPY` of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.bz2`, ...) that a later
`RUN` of the same stage extracts (`tar -x`, `tar --extract`, `gunzip`, `unxz`, `zcat`, ...).
hadolint rule `DL3010`.

The archive is recognised by its file name: the `RUN` must extract a file with the same name as
the copied one (or as the `COPY` destination, when that is an archive name). `COPY --from` is not
reported: `ADD` cannot extract from another stage.

## Why is this bad?
`ADD <local archive> <dir>` extracts the archive in one step. Copying it and extracting it in a
`RUN` keeps the archive in the `COPY` layer: the image carries it twice.

## Example
```dockerfile
COPY app.tar.gz /opt/
RUN tar -xzf /opt/app.tar.gz -C /opt && rm /opt/app.tar.gz
```

## Fix
```dockerfile
ADD app.tar.gz /opt/
```
No quick fix: the `RUN` may do more than extract, and `ADD` extracts into the destination
directory, which may not be where the `RUN` extracted.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Finding, Severity
from ...engine.parser import Token
from ...engine.shell import SimpleCommand, run_script
from ..base import Rule, RuleContext

ARCHIVE_EXTENSIONS = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
)  # fmt: skip
_DECOMPRESSORS = ("unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat")


def basename(path: str) -> str:
    path = path.strip("'\"")
    for sep in ("/", "\\"):
        path = path.rsplit(sep, 1)[-1]
    return path


def is_archive(path: str) -> bool:
    return path.strip("'\"").endswith(ARCHIVE_EXTENSIONS)


def _extracts(cmd: SimpleCommand) -> bool:
    if cmd.name in _DECOMPRESSORS:
        return True
    if cmd.name != "tar":
        return False
    return any(
        v in ("--extract", "--get") or (v.startswith("-") and not v.startswith("--") and "x" in v)
        for v in cmd.values
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    doc = ctx.doc
    # archive name -> the COPY arguments that put it there, for the current stage
    copied: dict[str, list[Token]] = {}
    for ins in doc.instructions:
        if ins.cmd == "from":
            copied = {}
        elif ins.cmd == "copy" and ins.flag("from") is None and len(ins.args) >= 2 and not ins.heredocs:
            *sources, dest = ins.args
            if is_archive(dest.value):
                copied.setdefault(basename(dest.value), []).append(dest)
            else:
                for src in sources:
                    if is_archive(src.value):
                        copied.setdefault(basename(src.value), []).append(src)
        elif ins.cmd == "run" and copied:
            script = run_script(doc, ins)
            if script is None:
                continue
            for cmd in script.commands:
                if not _extracts(cmd):
                    continue
                for w in cmd.args:
                    if w.value.startswith("-"):
                        continue
                    for token in copied.pop(basename(w.value), ()):
                        yield RULE.finding(token.span, "Use `ADD` for extracting archives into an image")


RULE = Rule(
    code="DL3010",
    name="use-add-for-archives",
    summary="Use ADD for extracting archives into an image",
    severity=Severity.INFORMATION,
    origin="hadolint",
    check=check,
)
