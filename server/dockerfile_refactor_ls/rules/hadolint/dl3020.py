"""## What it does
Flags `ADD` used for plain files and folders: sources that are neither URLs nor local archives.
hadolint rule `DL3020`.

Differs from hadolint: BuildKit's `ADD` also fetches Git repositories, so a Git source
(`git@host:org/repo.git`, `ssh://`, `git://`) is not reported (hadolint accepts only `http(s)://`
URLs), and neither is a source given by a variable (`ADD ${LINK} /tmp/`), which BuildKit expands
and may be a URL.

## Why is this bad?
`ADD` does more than copy: it downloads URLs and unpacks local tar archives. Using it for ordinary
files hides that magic in a place where a reader does not expect it, and a file that happens to
be an archive gets unpacked by surprise. `COPY` does exactly one thing.

## Example
```dockerfile
ADD requirements.txt /app/
```

## Fix
```dockerfile
COPY requirements.txt /app/
```
The quick fix replaces `ADD` with `COPY`; it is not offered when the instruction uses flags only
`ADD` knows (`--checksum`, `--keep-git-dir`, `--unpack`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.findings import Edit, Finding, Fix, Severity
from ..base import Rule, RuleContext, instructions_of
from ._common import has_variable

ARCHIVE_SUFFIXES = (
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".bz2", ".gz", ".xz", ".txz",
    ".lz", ".lzma", ".tlz", ".z", ".tz", ".zst", ".tzst", ".lz4",
)  # fmt: skip
_ADD_ONLY_FLAGS = frozenset(("checksum", "keep-git-dir", "unpack"))


def is_remote_or_archive(src: str) -> bool:
    s = src.strip("'\"")
    if "://" in s or s.startswith("git@"):
        return True
    return s.lower().endswith(ARCHIVE_SUFFIXES)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for target in instructions_of(ctx.doc, "add"):
        if len(target.args) < 2:
            continue
        sources = [t.value for t in target.args[:-1]]
        if any(has_variable(s) or is_remote_or_archive(s) for s in sources):
            continue
        fixes = []
        if not any(f.name.lower() in _ADD_ONLY_FLAGS for f in target.flags):
            new = "COPY" if not target.keyword.islower() else "copy"
            fixes.append(Fix("Replace ADD with COPY", [Edit(target.keyword_span, new)], preferred=True))
        yield RULE.finding(target.keyword_span, "Use COPY instead of ADD for files and folders", fixes=fixes)


RULE = Rule(
    code="DL3020",
    name="copy-instead-of-add",
    summary="Use COPY instead of ADD for files and folders",
    severity=Severity.ERROR,
    origin="hadolint",
    check=check,
)
