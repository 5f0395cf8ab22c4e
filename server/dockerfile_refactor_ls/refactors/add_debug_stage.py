"""Add a debug stage: ``FROM <runtime> AS debug`` with a shell and tools on top of the runtime image,
built with ``docker build --target debug``, while the default build (the last stage) stays the image
it was.

The runtime is the final stage (an empty last stage ``FROM <stage>``, as testStage leaves, is that
stage's image: the debug stage then builds on that stage). What it adds depends on what the runtime
image lacks, from the base-image table:

- no shell (distroless, ``scratch``): BusyBox from distroless' ``:debug`` tag of the same image
  (``gcr.io/distroless/static-debian12:debug`` for ``scratch``), ``COPY --from=<image>:debug /busybox
  /busybox`` and ``/busybox`` on ``PATH``; the ``:debug`` images carry a static BusyBox there, which
  runs on any of them;
- Debian or Ubuntu (apt): ``curl iproute2 procps strace`` with ``apt-get``;
- Alpine (apk): ``curl iproute2 strace`` with ``apk add --no-cache`` (BusyBox has ``ps`` and ``top``).

The install carries ``# hadolint ignore=DL3008`` (``DL3018`` for apk): debugging tools want the
distribution's current versions, and the result should not add findings.

A runtime that runs as another user gets ``USER root`` before the install and its own ``USER`` back
after it, so the debug image runs as the runtime does; ENTRYPOINT and CMD are inherited, so it runs
the same program and a shell is one ``docker exec -it CONTAINER sh`` away.

The last stage is the default target, so the debug stage never becomes the last one: after an empty
last stage it goes right before it; otherwise the final stage gets `` AS runtime`` (when unnamed), the
debug stage follows it, and a new last stage ``FROM runtime AS release`` (no instructions) keeps the
default image exactly the one built before. See docs/refactorings/test-stage.md.
"""

from __future__ import annotations

from ..engine.ecosystems import keyword_case
from ..engine.image_facts import facts_for_stage
from ..engine.images import ImageName, is_windows, root_image, stage_chain
from ..engine.model import Dockerfile, Stage
from ..engine.text import Span
from ..engine.users import is_root_user
from ._stages import CONTINUATION, HAS_STAGE, NO_STAGE, SYNTAX, add_stage_from, final_stage_for
from .base import NotApplicable, Refactoring, RefactorResult

KIND = "refactor.extract.debugStage"
TITLE = "Add a debug stage with a shell (docker build --target debug)"
DEBUG_NAME = "debug"
APT_TOOLS = ("curl", "iproute2", "procps", "strace")
APK_TOOLS = ("curl", "iproute2", "strace")
# Where a shell-less image gets BusyBox: distroless' :debug tags ship a static one in /busybox.
BUSYBOX_IMAGE = "gcr.io/distroless/static-debian12:debug"
# The PATH distroless sets (and a Linux image without one gets from Docker at run time).
STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Why it is not offered; docs/refactorings/test-stage.md lists them (a test checks).
HAS_DEBUG = HAS_STAGE
VARIABLE = "the runtime image is given by a variable, so what it lacks is not known"
UNKNOWN = "the base-image table does not know {image}: whether it has a shell and which package manager is not known"
NO_SHELL = "{image} has no shell and no debug variant this knows"
DEBUG_ALREADY = "{image} has a shell ({shell}) already: it is a debug image"
NO_PACKAGES = "{image} has a shell but no package manager this knows (apt, apk) to add tools with"
WINDOWS = "the runtime is a Windows image"
ONBUILD = "the runtime stage has ONBUILD triggers, which a stage built FROM it would run"
REASONS = (NO_STAGE, SYNTAX, HAS_DEBUG, VARIABLE, UNKNOWN, NO_SHELL, DEBUG_ALREADY, NO_PACKAGES, WINDOWS, ONBUILD,
           CONTINUATION)


def _user(doc: Dockerfile, stage: Stage) -> str | None:
    """The USER the runtime ends with, as written (None: the image's default)."""
    for s in stage_chain(stage, doc):
        users = [i for i in s.instructions if i.cmd == "user" and i.args_text]
        if users:
            return users[-1].args_text
    return None


def _body(doc: Dockerfile, runtime: Stage, image: ImageName) -> list[str]:
    """The debug stage's instructions (without FROM), keywords in the file's case."""
    kw = keyword_case(doc)
    if image.is_scratch:
        return [f"{kw('COPY')} --from={BUSYBOX_IMAGE} /busybox /busybox", f"{kw('ENV')} PATH={STANDARD_PATH}:/busybox"]
    facts = facts_for_stage(doc, runtime)
    if facts is None:
        raise NotApplicable(UNKNOWN.format(image=image.text))
    if facts.shell == "":
        if facts.os != "distroless" or not image.repository.startswith("distroless/"):
            raise NotApplicable(NO_SHELL.format(image=image.text))
        return [f"{kw('COPY')} --from={image.with_tag('debug')} /busybox /busybox", f'{kw("ENV")} PATH="${{PATH}}:/busybox"']
    if facts.package_manager == "apt":
        install = ("apt-get update && apt-get install -y --no-install-recommends " + " ".join(APT_TOOLS)
                   + " && rm -rf /var/lib/apt/lists/*")
        pin_rule = "DL3008"
    elif facts.package_manager == "apk":
        install = "apk add --no-cache " + " ".join(APK_TOOLS)
        pin_rule = "DL3018"
    elif facts.shell and "debug" in facts.variants:
        raise NotApplicable(DEBUG_ALREADY.format(image=image.text, shell=facts.shell))
    elif facts.shell is None:
        raise NotApplicable(UNKNOWN.format(image=image.text))
    else:
        raise NotApplicable(NO_PACKAGES.format(image=image.text))
    user = _user(doc, runtime)
    default = facts.user or "root"
    as_root = is_root_user((user or default).split(":")[0])
    # Debugging tools want the distribution's current versions, not pinned ones: say so to the
    # version-pinning rule (hadolint's syntax, which this server and hadolint both read).
    lines = [f"# hadolint ignore={pin_rule}", f"{kw('RUN')} {install}"]
    if not as_root:
        # Installing needs root; the debug image still runs as the runtime does.
        lines = [f"{kw('USER')} root", *lines, f"{kw('USER')} {user or default}"]
    return lines


def plan(doc: Dockerfile, span: Span | None) -> RefactorResult:
    final = final_stage_for(doc, DEBUG_NAME)
    # An empty last stage FROM another stage is that stage's image (testStage's `FROM builder AS runtime`).
    before_final = not final.instructions and final.base_stage is not None
    runtime = final.base_stage if before_final and final.base_stage is not None else final
    if is_windows(doc, runtime):
        raise NotApplicable(WINDOWS)
    if any(i.cmd == "onbuild" for s in stage_chain(runtime, doc) for i in s.instructions):
        raise NotApplicable(ONBUILD)
    image = root_image(doc, runtime)
    if image is None:
        raise NotApplicable(VARIABLE)
    body = _body(doc, runtime, image)
    edits = add_stage_from(doc, runtime, "runtime", DEBUG_NAME, body, "release")
    return RefactorResult(TITLE, edits)


REFACTORING = Refactoring(kind=KIND, title=TITLE, plan=plan)
