"""What other stages read from a stage: ``COPY --from``, ``RUN --mount=from=`` and ``FROM <stage>``.

A fix is safe to apply unattended only if it cannot change what another stage reads (issue 12's
definition of a safe fix): ``--no-cache-dir`` on a pip install is harmless, unless a later stage
copies the pip cache out of this one. :func:`reads_from` answers that for a set of paths.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .model import CopyFrom, Dockerfile, Stage
from .parser import Instruction


@dataclass(frozen=True, slots=True)
class Read:
    """One thing another stage takes from ``stage``."""

    instruction: Instruction
    path: str | None  # the source path read ("/" for all of it), None for FROM <stage> (everything)


def _normal(path: str) -> str:
    path = path.strip("\"'")
    return posixpath.normpath(path) if path.startswith("/") else path


def _mount_options(value: str) -> dict[str, str]:
    opts: dict[str, str] = {}
    for part in value.split(","):
        k, _, v = part.partition("=")
        opts[k.strip().lower()] = v.strip()
    return opts


def readers(doc: Dockerfile, stage: Stage) -> list[Read]:
    """Every instruction of another stage that reads files of ``stage``."""
    out: list[Read] = []
    for other in doc.stages:
        if other is stage:
            continue
        if other.base_stage is stage:
            out.append(Read(other.from_instruction, None))
        for ins in other.instructions:
            target = ins.sub if ins.sub is not None else ins
            if target.cmd in ("copy", "add"):
                flag = target.flag("from")
                if flag is None or not flag.value:
                    continue
                if doc.stage_named(flag.value.strip("\"'"), before=other.index) is not stage:
                    continue
                sources = [t.value for t in target.args[:-1]] if len(target.args) >= 2 else ["/"]
                out += [Read(ins, _normal(s)) for s in sources]
            elif target.cmd == "run":
                for f in target.flags:
                    if f.name.lower() != "mount" or not f.value:
                        continue
                    opts = _mount_options(f.value)
                    name = opts.get("from")
                    if name and doc.stage_named(name.strip("\"'"), before=other.index, by_index=False) is stage:
                        out.append(Read(ins, _normal(opts.get("source") or opts.get("src") or "/")))
    return out


def index_references(doc: Dockerfile) -> list[CopyFrom]:
    """``COPY --from=<n>`` / ``ADD --from=<n>`` that name an earlier stage by its index (the only
    places BuildKit takes an index: a number in ``FROM`` or ``--mount from=`` is an image name)."""
    return [
        cf
        for stage in doc.stages
        for cf in stage.copies_from
        if cf.stage is not None and (cf.flag.value or "").strip().isdigit()
    ]


def _overlap(a: str, b: str) -> bool:
    a, b = a.rstrip("/") or "/", b.rstrip("/") or "/"
    return a == b or a == "/" or b == "/" or a.startswith(b + "/") or b.startswith(a + "/")


def _names(texts: list[str], paths: list[str], words: tuple[str, ...]) -> bool:
    return any(p in t or p.replace("/root", "~", 1) in t for p in paths for t in texts) or any(
        w in t for w in words for t in texts
    )


def reads_from(
    doc: Dockerfile, stage: Stage, paths: tuple[str, ...], words: tuple[str, ...] = (), after: int | None = None
) -> bool:
    """Whether another stage reads any of ``paths`` (absolute, ``~`` meaning /root) of ``stage``,
    or another instruction of the stage than the one at offset ``after`` names one of them (copies
    a cache in, uses it later) or one of ``words``.

    A stage built ``FROM`` it inherits everything: it counts as reading when one of its
    instructions names one of the paths or one of ``words``. A source path with a variable or a
    wildcard counts as reading everything.
    """
    wanted = [p.replace("~", "/root", 1) if p.startswith("~") else p for p in paths]
    if after is not None:
        others = [i.original for i in stage.instructions if not i.span.start <= after <= i.span.end]
        if _names(others, wanted, words):
            return True
    for read in readers(doc, stage):
        if read.path is None:
            child = doc.stage_of(read.instruction)
            texts = [i.original for i in (child.instructions if child is not None else [])]
            if _names(texts, wanted, words):
                return True
            continue
        src = read.path
        if not src.startswith("/"):
            base = _workdir(stage)
            if base is None:
                return True
            src = posixpath.normpath(posixpath.join(base, src))
        if "$" in src or "*" in src or "?" in src or "[" in src:
            return True
        if any(_overlap(src, p) for p in wanted):
            return True
    return False


def _workdir(stage: Stage) -> str | None:
    """The stage's last working directory ("/" when it sets none), None when a variable hides it.
    (WORKDIRs inherited from an image or a parent stage are not followed: None then too.)"""
    if stage.base_stage is not None:
        return None
    cwd = "/"
    for ins in stage.instructions:
        if ins.cmd == "workdir" and ins.args_text:
            value = ins.args_text.strip("\"'")
            if "$" in value:
                return None
            cwd = posixpath.normpath(posixpath.join(cwd, value))
    return cwd
