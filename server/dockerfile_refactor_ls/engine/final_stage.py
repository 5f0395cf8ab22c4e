"""Who the final stage runs as: the analysis behind the non-root rules (DL3002, NoUserInFinalStage)
and the nonRootUser refactoring, which all ask the same questions of the same stage.

The refusal texts (``WINDOWS`` ...) are the reasons the refactoring gives and the rules stay silent
for; they are defined here because :func:`final_stage` decides them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .images import ImageName, is_windows, root_image, stage_chain
from .model import Dockerfile, Stage
from .parser import Instruction
from .users import is_root_user, manages_privileges, non_root_by_default, users_in, uses_privilege_tools

WINDOWS = "the final stage is a Windows image, where USER names a Windows account"
UNRESOLVED = "the base image {image} is an ARG with no default: it could be any image, Windows included"
MANAGES_PRIVILEGES = "{image} starts as root and drops privileges itself: use its unprivileged variant instead"
NEEDS_ROOT = "the final stage {what}: it must start as root"
ONBUILD = ("the final stage has ONBUILD triggers: in the image built from it they would run as the new user, "
           "in folders owned by root")


@dataclass(slots=True)
class FinalStage:
    """Who the final stage runs as, and whether we may change it."""

    stage: Stage
    image: ImageName | None  # the resolved base image (None: unresolvable)
    users: list[Instruction]  # USER instructions in effect (the stages it builds on first)
    own_last_user: Instruction | None  # the last USER of the stage itself
    skip: str | None  # why we leave it alone (one of REASONS, filled in)
    windows: bool = False

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
    windows = is_windows(doc, stage)
    needs_root = None if windows or image is None else uses_privilege_tools(doc, stage)
    if windows:
        skip = WINDOWS
    elif image is None:
        skip = UNRESOLVED.format(image=stage.image.text if stage.image is not None else "?")
    elif manages_privileges(image):
        skip = MANAGES_PRIVILEGES.format(image=image.repository)
    elif needs_root is not None:
        skip = NEEDS_ROOT.format(what=needs_root)
    elif any(ins.cmd == "onbuild" for s in stage_chain(stage, doc) for ins in s.instructions):
        skip = ONBUILD
    return FinalStage(stage, image, users, own[-1] if own else None, skip, windows)


def exposed_low_ports(doc: Dockerfile, stage: Stage) -> list[int]:
    """Ports below 1024 the stage (or what it builds on) EXPOSEs."""
    out: list[int] = []
    for s in stage_chain(stage, doc):
        for ins in s.instructions:
            if ins.cmd != "expose":
                continue
            for tok in ins.args:
                m = re.fullmatch(r"(\d+)(?:-\d+)?(?:/\w+)?", tok.value.strip("\"'"))
                if m and int(m.group(1)) < 1024 and int(m.group(1)) not in out:
                    out.append(int(m.group(1)))
    return sorted(out)


def low_port_note(ports: list[int]) -> str:
    """What to tell the user about EXPOSEd ports below 1024 ("" when there are none)."""
    if not ports:
        return ""
    names = ", ".join(map(str, ports))
    word = "port" if len(ports) == 1 else "ports"
    return f"a non-root process needs CAP_NET_BIND_SERVICE to bind {word} {names} (below 1024)"
