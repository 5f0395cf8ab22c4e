"""Add non-root user: make the final stage run as an unprivileged user.

The final stage's real base image is found by following ``FROM <stage>`` chains and substituting
global ARGs. Then, in this order of preference:

1. a non-root user the Dockerfile already switched to earlier (``USER app`` ... ``USER root``), or
   created with ``useradd``/``adduser`` in a RUN, is reused;
2. a user the base image ships is used: ``node`` in the official node images, ``nonroot`` in
   ``gcr.io/distroless`` images (no shell, so no RUN), ``app`` in .NET 8+ images;
3. on Alpine (``addgroup -S app && adduser -S app -G app``) or Debian/Ubuntu
   (``groupadd --system app && useradd --system --gid app --create-home app``) a user ``app`` is
   created by a RUN right after FROM;
4. on ``scratch`` and on images whose distribution we cannot tell, ``USER 65534:65534`` (nobody):
   a numeric user needs no entry in /etc/passwd, so it is valid in any Linux image, and no RUN is
   needed.

``USER`` goes after the last RUN (or explicit ``USER root``) of the stage, before the first CMD or
ENTRYPOINT that follows; application files copied into the stage (anything not copied into system
directories such as /usr, /etc or /) get ``--chown``. Not offered when the stage already ends as a
non-root user, for Windows images, for bases whose image cannot be resolved, and for images that
start as root by design (nginx, postgres, ... and entrypoints using gosu or su-exec).
See docs/refactorings/non-root-user.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.findings import Edit
from ..engine.images import ImageName, is_windows, root_image
from ..engine.model import Dockerfile, Stage
from ..engine.parser import Instruction
from ..engine.text import Span
from ._ecosystems import (
    Inserts,
    comment_block_start,
    ends_in_continuation,
    indentation,
    keyword_case,
    overlaps,
)
from ._users import (
    NUMERIC_NOBODY,
    created_users,
    family,
    is_root_user,
    manages_privileges,
    non_root_by_default,
    shipped_user,
    users_in,
    uses_privilege_tools,
)
from .base import Refactoring, RefactorResult
from .cache_dependencies import stage_cwds

KIND = "refactor.rewrite.nonRootUser"
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys", "/proc", "/dev",
                "/boot", "/root", "/run", "/var/run")
_CREATE = {
    "alpine": "addgroup -S app && adduser -S app -G app",
    "debian": "groupadd --system app && useradd --system --gid app --create-home app",
}


@dataclass(slots=True)
class FinalStage:
    """Who the final stage runs as, and whether we may change it."""

    stage: Stage
    image: ImageName | None  # the resolved base image (None: unresolvable)
    users: list[Instruction]  # USER instructions in effect (the stages it builds on first)
    own_last_user: Instruction | None  # the last USER of the stage itself
    skip: str | None  # why we leave it alone (Windows, unresolvable base, root by design)

    @property
    def last_user(self) -> Instruction | None:
        return self.users[-1] if self.users else None

    @property
    def explicit_root(self) -> bool:
        last = self.last_user
        return last is not None and is_root_user(last.args_text)

    @property
    def runs_as_root(self) -> bool:
        """The image ends up running as root (explicitly, or because nothing set a user)."""
        if self.last_user is not None:
            return self.explicit_root
        return self.image is not None and not non_root_by_default(self.image)


def final_stage(doc: Dockerfile) -> FinalStage | None:
    stage = doc.final_stage
    if stage is None or stage.error is not None:
        return None
    image = root_image(doc, stage)
    users = users_in(doc, stage)
    own = [ins for ins in stage.instructions if ins.cmd == "user" and ins.args_text]
    skip: str | None = None
    if is_windows(doc, stage):
        skip = "Windows image"
    elif image is None:
        skip = "the base image cannot be resolved"
    elif manages_privileges(image):
        skip = f"{image.repository} starts as root and drops privileges itself"
    elif uses_privilege_tools(doc, stage):
        skip = "the image drops privileges itself (gosu, su-exec, ...) or starts a service that needs root"
    return FinalStage(stage, image, users, own[-1] if own else None, skip)


@dataclass(slots=True)
class _Choice:
    user: str  # for USER
    chown: str  # for COPY --chown
    create: str | None  # a RUN command creating the user
    after: Instruction | None  # only COPYs after this instruction can name the user
    label: str


def _choose(doc: Dockerfile, info: FinalStage) -> _Choice | None:
    stage = info.stage
    assert info.image is not None
    mine = set(map(id, stage.instructions))
    # 1. A non-root user the file already switched to, or created.
    earlier = [u for u in info.users if not is_root_user(u.args_text)]
    if earlier:
        u = earlier[-1]
        value = u.args_text.strip()
        if "$" not in value:
            return _Choice(value, value, None, u if id(u) in mine else None, value)
    created = created_users(doc, stage)
    if created:
        c = created[-1]
        chown = f"{c.name}:{c.group}" if c.group else c.name
        return _Choice(c.name, chown, None, c.instruction if id(c.instruction) in mine else None, c.name)
    # 2. A user the base image ships.
    shipped = shipped_user(info.image)
    if shipped is not None:
        spec = f"{shipped[0]}:{shipped[1]}"
        return _Choice(spec if shipped[0] == "nonroot" else shipped[0], spec, None, None, shipped[0])
    # 3. Create one where we know the distribution's tools; 4. else a numeric user.
    fam = family(info.image)
    if fam in _CREATE:
        return _Choice("app", "app:app", _CREATE[fam], None, "app")
    if fam == "windows":
        return None
    return _Choice(NUMERIC_NOBODY, NUMERIC_NOBODY, None, None, NUMERIC_NOBODY)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _is_app_destination(cwd: str, dest: str) -> bool:
    dest = _unquote(dest)
    path = dest if dest.startswith(("/", "$")) else (cwd.rstrip("/") + "/" + dest)
    path = path.rstrip("/") or "/"
    if path == "/" or path in ("/.", "/./"):
        return False
    return not any(path == d or path.startswith(d + "/") for d in _SYSTEM_DIRS)


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult | None:
    info = final_stage(doc)
    if info is None or info.skip is not None or not info.runs_as_root:
        return None
    stage = info.stage
    if span is not None and not overlaps(stage.span, span):
        return None
    # A line inserted after an instruction that ends in a continuation (at the end of the file) would
    # become part of it.
    last = stage.instructions[-1] if stage.instructions else stage.from_instruction
    if ends_in_continuation(doc, last) or ends_in_continuation(doc, stage.from_instruction):
        return None
    choice = _choose(doc, info)
    if choice is None:
        return None
    eol = doc.line_ending
    kw = keyword_case(doc)
    ins_list = stage.instructions
    indent = indentation(doc, (ins_list[0] if ins_list else stage.from_instruction).keyword_span.start)
    edits = Inserts()
    from_end = stage.from_instruction.span.end
    if choice.create is not None:
        edits.insert(from_end, eol + indent + kw("RUN") + " " + choice.create)

    # --chown on the application files.
    cwds = stage_cwds(doc, stage)
    started = choice.after is None
    for idx, ins in enumerate(ins_list):
        if ins is choice.after:
            started = True
            continue
        if not started or ins.cmd not in ("copy", "add") or ins.flag("chown") is not None or len(ins.args) < 2:
            continue
        if _is_app_destination(cwds[idx], ins.args[-1].value):
            at = ins.flags[-1].span.end if ins.flags else ins.keyword_span.end
            edits.insert(at, f" --chown={choice.chown}")

    # USER after the last instruction that may need root, before the CMD/ENTRYPOINT that follows.
    anchor = -1
    for idx, ins in enumerate(ins_list):
        if ins.cmd == "run" or (ins.cmd == "user" and is_root_user(ins.args_text)):
            anchor = idx
    user_line = kw("USER") + " " + choice.user
    target = next((ins for ins in ins_list[anchor + 1 :] if ins.cmd in ("cmd", "entrypoint")), None)
    if target is not None:
        edits.insert(comment_block_start(doc, target), indentation(doc, target.keyword_span.start) + user_line + eol)
    else:
        end = ins_list[-1].span.end if ins_list else from_end
        edits.insert(end, eol + indent + user_line)
    result: list[Edit] = edits.edits
    return RefactorResult(f"Add non-root user ({choice.label})", result)


REFACTORING = Refactoring(
    name="nonRootUser",
    kind=KIND,
    title="Add non-root user",
    plan=plan,
)
