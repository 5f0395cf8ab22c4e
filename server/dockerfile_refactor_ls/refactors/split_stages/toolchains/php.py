"""PHP: Composer's ``vendor/`` built in a ``composer`` stage and copied into the php image, as the guides do.

The php stage stays the runtime (its extensions, Apache or FPM configuration and user are what the app
runs with); what leaves it is Composer itself and its cache. The edits: a ``FROM composer:<tag> AS
vendor`` stage before it that copies the same sources and runs the same ``composer install`` (with
``--no-scripts``, since the app's scripts need the app's runtime, and ``--ignore-platform-reqs``, since
the composer image lacks the php image's extensions); the ``composer install`` RUN becomes ``COPY
--from=vendor``, and the ``COPY --from=composer`` of the binary goes.

Offered when Composer comes from ``COPY --from=composer[:tag]``, the install RUN runs nothing else,
and the app's ``composer.json`` (in the build context) has no install/autoload scripts (or the
original already passed ``--no-scripts``).
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.findings import Edit
from ....engine.parser import Instruction
from ....engine.text import Span
from ..._toolchains import within
from .. import runtimes as rti
from ..analysis import Analysis, Cmd, NotOffered, Toolchain
from ..context import context_for

if TYPE_CHECKING:
    from ..plan import Plan

_SCRIPT_HOOKS = ("post-install-cmd", "post-autoload-dump", "pre-install-cmd", "pre-autoload-dump", "post-update-cmd")


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    if a.repository != "php":
        return None
    installs = [c for c in a.all_cmds() if c.name == "composer" and a.subcommand(c) == "install"]
    if not installs:
        return None
    if len(installs) > 1:
        raise NotOffered("composer install runs more than once")
    c = installs[0]
    run = a.ins[c.index]
    if len(a.cmds[c.index]) != 1 or run.heredocs or run.flags:
        raise NotOffered("the composer install RUN runs other commands too")
    others = [x for x in a.all_cmds() if x.name == "composer" and x is not c]
    if others:
        raise NotOffered("Composer runs other commands in the stage (dump-autoload, require ...)")
    binary = [
        ins
        for ins in a.ins
        if ins.cmd == "copy" and (f := ins.flag("from")) is not None and (f.value or "").split(":")[0] == "composer"
    ]
    installers = [(ins, v) for i, ins in enumerate(a.ins) if (v := _installer_version(a.cmds[i])) is not None]
    if len(binary) + len(installers) != 1:
        raise NotOffered(
            "Composer is neither copied from the composer image (COPY --from=composer ...) nor installed by a "
            "RUN of only getcomposer.org's installer"
        )
    if binary:
        composer_ref = binary[0].flag("from")
        composer_image = (composer_ref.value if composer_ref is not None else None) or "composer:2"
        if ":" not in composer_image:
            composer_image += ":2"
    else:
        # The installer fetches the newest Composer of its line: the composer image of that line.
        binary = [installers[0][0]]
        # An image the file did not name: through the Docker Hub mirror the php image comes from, if any.
        composer_image = a.image.official_image(f"composer:{installers[0][1]}")
    wd = a.states[c.index].workdir
    if wd is None or c.cwd != wd:
        raise NotOffered("composer install does not run in the WORKDIR")
    vals = c.values()
    ctx = context_for(a.doc)
    if "--no-scripts" not in vals:
        text = ctx.read("composer.json") if ctx.known else None
        if text is None:
            raise NotOffered("composer.json is not in the build context: its install scripts are unknown")
        try:
            scripts = json.loads(text).get("scripts", {})
        except (ValueError, AttributeError):
            raise NotOffered("composer.json does not parse") from None
        hooks = [h for h in _SCRIPT_HOOKS if isinstance(scripts, dict) and h in scripts]
        if hooks:
            raise NotOffered(f"composer.json runs {hooks[0]} scripts, which need the app's runtime")
    # The sources the install saw, copied the same way into the vendor stage's /app.
    copies: list[str] = []
    for i, ins in enumerate(a.ins[: c.index]):
        if ins.cmd not in ("copy", "add") or ins.flag("from") is not None:
            continue
        if ins.cmd == "add" or ins.heredocs or ins.flags:
            raise NotOffered("a source ADD or COPY with flags before composer install")
        st = a.states[i]
        dest_raw = ins.args[-1].value
        dest = posixpath.normpath(posixpath.join(st.workdir or "/", dest_raw))
        if not within(dest, wd):
            continue  # configuration elsewhere (php.ini, vhosts): not what composer reads
        rel = posixpath.relpath(dest, wd)
        if not dest_raw.startswith("/"):
            target = dest_raw  # relative to the WORKDIR there, relative to /app here
        else:
            target = ("." if rel == "." else rel) + ("/" if dest_raw.endswith("/") and rel != "." else "")
        srcs = " ".join(a.doc.text[t.span.start : t.span.end] for t in ins.args[:-1])
        copies.append(f"{plan.kw('copy')}{srcs} {target}")
    if not copies:
        raise NotOffered("no COPY brings composer.json before composer install")
    words = [a.doc.text[w.span.start : w.span.end] for w in c.cmd.args]
    args = words[[w.value for w in c.cmd.args].index("install") + 1 :]
    for flag in ("--no-scripts", "--ignore-platform-reqs"):
        if flag not in vals:
            args.append(flag)
    try:
        runtime = rti.runtime_image(a.image.text)
    except KeyError:
        runtime = rti.RuntimeImage(a.image.text, a.family, True)
    tc = Toolchain("PHP", [c.index], [], lambda s, f: runtime, native=False)
    tc.custom_runtime = runtime
    tc.custom_title = f"vendor/ built in {composer_image} → {a.image.text} without Composer and its cache"

    def emit() -> list[Edit]:
        return _edits(plan, composer_image, copies, args, run, binary[0], wd)

    tc.custom_edits = emit
    return tc


def _installer_version(cmds: list[Cmd]) -> str | None:
    """The Composer line a RUN of only getcomposer.org's installer installs (``2``, or its
    ``--version=``/``--1``), None when the RUN does anything else."""
    if not cmds or not any("getcomposer.org" in v for c in cmds for v in c.values()):
        return None
    version = "2"
    for c in cmds:
        vals = c.values()
        if c.name in ("curl", "wget"):
            if not any("getcomposer.org" in v for v in vals):
                return None
        elif c.name == "php":
            for v in vals:
                if v.startswith("--version="):
                    version = v.split("=", 1)[1]
                elif v in ("--1", "--2"):
                    version = v[2:]
        elif c.name not in ("mv", "rm", "chmod", "ln"):
            return None  # the installer shares its RUN with other work, which must stay
    return version if re.fullmatch(r"[\w.-]+", version) else None


def _edits(
    plan: Plan, image: str, copies: list[str], args: list[str], run: Instruction, binary: Instruction, wd: str
) -> list[Edit]:
    text, nl, ind = plan.text, plan.nl, plan.indent
    stage = plan.stage
    taken = {s.key for s in plan.doc.stages if s.key}
    name = next(n for n in ("vendor", "composer-vendor", "vendor-stage") if n not in taken)
    as_kw = "as" if stage.from_instruction.keyword.islower() else "AS"
    start = text.rfind("\n", 0, stage.from_instruction.span.start) + 1
    # Comments right above the FROM stay with it.
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not text[prev:start].strip().startswith("#"):
            break
        start = prev
    lines = [f"{plan.kw('from')}{image} {as_kw} {name}", f"{plan.kw('workdir')}/app", *copies]
    lines.append(f"{plan.kw('run')}composer install {' '.join(args)}".rstrip())
    block = "".join(ind + ln + nl for ln in lines) + nl
    edits = [Edit(Span(start, start), block)]
    dest = posixpath.join(wd, "vendor")
    edits.append(Edit(run.span, f"{plan.kw('copy')}--from={name} /app/vendor {dest}".rstrip()))
    b0 = text.rfind("\n", 0, binary.span.start) + 1
    # The comment lines right above the Composer install describe it: they go with it.
    while b0 > 0:
        prev = text.rfind("\n", 0, b0 - 1) + 1
        if not text[prev:b0].strip().startswith("#") or prev <= stage.from_instruction.span.end:
            break
        b0 = prev
    b1 = text.find("\n", binary.span.end)
    edits.append(Edit(Span(b0, len(text) if b1 < 0 else b1 + 1), ""))
    plan.changed += [run, binary]
    return edits
