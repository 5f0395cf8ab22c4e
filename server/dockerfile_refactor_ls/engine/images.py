"""The one model of image references: parsing, ARG resolution, stage chains, Windows detection.

Every feature that asks "what image does this stage start from?" asks here:

- :func:`split_reference` cuts ``[registry/]repository[:tag][@digest]`` at the same places as
  ``distribution/reference`` (a ``:`` after the last ``/`` starts the tag, ``@`` the digest; a ``:``
  inside ``${VAR:-default}`` does not). The document model uses it for its spans, :func:`parse_image`
  for the meaning: registry (``None`` for Docker Hub), repository (lower case, without ``library/``),
  tag (``None`` when absent, and then :attr:`ImageName.effective_tag` is ``latest`` unless a digest
  pins it), digest and platform. A mirror of Docker Hub (``public.ecr.aws/docker/library/golang``,
  ``mirror.gcr.io/library/node``, see :func:`hub_mirror`) names the Hub repository it mirrors, so
  every consumer of the image table (splitStages, nonRootUser, hover) sees the same facts.
- :func:`resolve_image_text` substitutes global ARG defaults (each expanded with the ARGs before it,
  as BuildKit does; ``${V:-x}``, ``${V-x}``, ``${V:+x}``, ``${V+x}``; ``--build-arg`` overrides) and
  removes quotes the way BuildKit's lexer does.
- :func:`stage_chain` follows ``FROM <stage>``, also through ARG-substituted names, and
  :func:`root_image` gives the image at the end of the chain.
- :func:`parse_tag` reads what a tag says (``1.22.3-alpine3.19`` -> version, Alpine 3.19).
- :func:`is_windows` / :func:`is_windows_reference`: Windows images and PowerShell/cmd stages.

``dockerfile-parse`` (a required dependency) does the same ARG substitution in its ``parent_images``
and serves as a cross-check (:func:`cross_check_with_dockerfile_parse`): it is consulted only for
documents without heredocs (which it cannot parse), only when it sees the same number of stages,
and its answer is dropped wherever it disagrees with ours.

Nothing here imports the document model at run time (the model imports this module).
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Dockerfile, Stage

log = logging.getLogger(__name__)

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")
# Registries that serve copies of Docker Hub's repositories under another path: registry -> (the path
# before the Hub repository, whether the mirror holds official images only).
#   public.ecr.aws/docker/library/<name>: the ECR Public Gallery's "Docker Official Images", official
#     images only (https://gallery.ecr.aws/docker/, https://docs.aws.amazon.com/AmazonECR/latest/public/docker-pull-ecr-image.html);
#   mirror.gcr.io/<hub path>: Google's cache of Docker Hub, official images as library/<name>
#     (https://cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images);
#   mcr.microsoft.com/mirror/docker/library/<name>: Microsoft's copies of official images, a selection of
#     them, not every one (the MCR catalog, https://mcr.microsoft.com/en-us/catalog?search=mirror/docker).
# Any other registry is read as a mirror of an official image when its path ends in ``library/<name>``:
# Harbor proxy-cache projects (``harbor.example.com/dockerhub/library/golang``), Artifactory remote
# repositories (``dockerhub.artifactory.example.com/library/golang``), a ``registry:2`` pull-through
# cache (``localhost:5000/library/golang``); ``library/`` is Docker Hub's namespace for official images.
# So is a GitLab dependency proxy (``<host>/<group>/dependency_proxy/containers/<hub path>``,
# https://docs.gitlab.com/user/packages/dependency_proxy/). A private image that only borrows the name
# (Harbor's default project is also called ``library``) gets the facts of the official image of that name.
HUB_MIRRORS: dict[str, tuple[str, bool]] = {
    "public.ecr.aws": ("docker/", True),
    "mirror.gcr.io": ("", False),
    "mcr.microsoft.com": ("mirror/docker/", True),
}
_DEPENDENCY_PROXY = "dependency_proxy/containers/"
# Substrings of an image reference that mean a Windows image.
WINDOWS_HINTS = ("windows", "nanoserver", "servercore", "ltsc20", "dotnet/framework")
_NON_POSIX_SHELLS = ("powershell", "pwsh", "cmd")

DEBIAN_CODENAMES = {"stretch": 9, "buster": 10, "bullseye": 11, "bookworm": 12, "trixie": 13}
UBUNTU_CODENAMES = frozenset(("bionic", "focal", "jammy", "noble"))

# --- references --------------------------------------------------------------------------------


def split_reference(text: str) -> tuple[int, int | None, int | None]:
    """Where the name ends, where the tag starts and where the digest starts (``None``: absent).

    Offsets are into ``text``; the tag starts after its ``:`` and the digest after its ``@``.
    """
    digest: int | None = None
    rest_end = len(text)
    at = text.find("@")
    if at >= 0:
        digest = at + 1
        rest_end = at
    slash = text.rfind("/", 0, rest_end)
    colon = text.rfind(":", slash + 1, rest_end)
    # A ':' inside ${VAR:-default} is not a tag separator.
    brace = text.rfind("${", 0, rest_end)
    if colon >= 0 and 0 <= brace < colon and text.find("}", colon, rest_end) >= 0:
        colon = -1
    if colon >= 0:
        return colon, colon + 1, digest
    return rest_end, None, digest


def split_name(name: str) -> tuple[str | None, str]:
    """``registry`` (None for Docker Hub names without a host) and the repository path."""
    parts = name.split("/")
    registry: str | None = None
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry, parts = parts[0], parts[1:]
    if parts and parts[0] == "library" and registry in (None, *DOCKER_HUB):
        parts = parts[1:]
    return registry, "/".join(parts)


def hub_mirror(registry: str | None, path: str) -> tuple[str, str] | None:
    """``(prefix, Docker Hub repository)`` when ``registry/path`` is a copy of a Docker Hub repository on
    another registry: ``public.ecr.aws`` + ``docker/library/golang`` -> ``("public.ecr.aws/docker/library/",
    "golang")``. ``prefix`` + ``alpine:3.20`` names another official image through the same mirror. None
    for Docker Hub itself and for every other image. ``path`` is the repository path, lower case."""
    if registry is None or registry in DOCKER_HUB:
        return None
    known = HUB_MIRRORS.get(registry.lower())
    if known is not None:
        head, official_only = known
        if not path.startswith(head):
            return None
        rest = path[len(head) :]
        name = rest.removeprefix("library/")
        if name != rest and name and "/" not in name:
            return f"{registry}/{head}library/", name
        if not official_only and rest.count("/") == 1 and all(rest.split("/")):
            return f"{registry}/{head}library/", rest  # another Hub namespace (``bitnami/nginx``)
        return None
    at = path.find(_DEPENDENCY_PROXY)
    if at > 0 and path[at - 1] == "/":
        # The proxy passes the Hub path on as written: ``library/`` is optional for official images.
        head = path[: at + len(_DEPENDENCY_PROXY)]
        rest = path[len(head) :]
        name = rest.removeprefix("library/")
        if not name:
            return None
        return f"{registry}/{head}{'library/' if name != rest else ''}", name
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] == "library" and parts[-1]:
        return f"{registry}/{'/'.join(parts[:-1])}/", parts[-1]
    return None


@dataclass(frozen=True, slots=True)
class ImageTag:
    """What a tag says: ``1.21.5-alpine3.18`` -> version (1, 21, 5), variant parts ("alpine3.18",)."""

    tag: str
    version: tuple[int, ...] | None
    channel: str | None  # "lts", "latest", "current", a Node codename ... (a non-numeric first part)
    parts: tuple[str, ...]  # the variant parts after the version, e.g. ("slim", "bookworm")

    @property
    def alpine(self) -> str | None:
        """``""`` for a plain ``alpine`` variant, ``"3.18"`` for ``alpine3.18``, None if not Alpine."""
        for p in self.parts:
            m = re.fullmatch(r"alpine(\d+\.\d+)?", p)
            if m:
                return m.group(1) or ""
        return None

    @property
    def codename(self) -> str | None:
        """The Debian release the tag names (``bookworm``), None when it names none."""
        for p in self.parts:
            if p in DEBIAN_CODENAMES:
                return p
        return None

    @property
    def slim(self) -> bool:
        return "slim" in self.parts

    @property
    def windows(self) -> bool:
        return is_windows_reference(self.tag) or any(
            p.startswith(("windowsservercore", "nanoserver", "ltsc")) for p in self.parts
        )

    @property
    def family(self) -> str | None:
        """The package family of an official image with this tag: "apt" or "apk" (None: Windows)."""
        if self.alpine is not None:
            return "apk"
        if self.windows:
            return None
        return "apt"

    def minor(self) -> tuple[int, int] | None:
        v = self.version
        if v is None or len(v) < 2:
            return None
        return v[0], v[1]


_VERSION = re.compile(r"^\d+(?:\.\d+)*$")


def parse_tag(tag: str | None) -> ImageTag:
    """Read a tag; an absent tag reads as ``latest``."""
    tag = tag or ""
    parts = tag.split("-") if tag else []
    version: tuple[int, ...] | None = None
    channel: str | None = None
    if parts and _VERSION.match(parts[0]):
        version = tuple(int(x) for x in parts[0].split("."))
        parts = parts[1:]
    elif parts and parts[0] not in DEBIAN_CODENAMES and not parts[0].startswith(("alpine", "slim")):
        channel = parts[0]
        parts = parts[1:]
    elif not parts:
        channel = "latest"
    return ImageTag(tag, version, channel, tuple(parts))


@dataclass(frozen=True, slots=True)
class ImageName:
    """A resolved image reference."""

    text: str  # as resolved (registry, tag and digest included; quotes removed)
    registry: str | None  # None: Docker Hub
    repository: str  # lower case, without registry and ``library/``
    tag: str | None  # as written; None when absent
    digest: str | None = None
    platform: str | None = None  # the FROM's --platform, substituted where it can be
    # A mirror of Docker Hub: what goes before ``<name>:<tag>`` to pull an official image through it
    # ("public.ecr.aws/docker/library/"); ``repository`` is then the Hub repository it mirrors.
    mirror: str | None = None

    @property
    def effective_tag(self) -> str | None:
        """The tag BuildKit pulls: ``latest`` for an untagged reference (None when only a digest pins it)."""
        if self.tag is not None:
            return self.tag
        return None if self.digest is not None else "latest"

    @property
    def tag_lower(self) -> str:
        """The written tag in lower case, ``""`` when absent."""
        return (self.tag or "").lower()

    @property
    def tag_info(self) -> ImageTag:
        return parse_tag(self.effective_tag)

    @property
    def last(self) -> str:
        """The last path component of the repository (``gcr.io/distroless/static`` -> ``static``)."""
        return self.repository.rsplit("/", 1)[-1]

    @property
    def official(self) -> bool:
        """A Docker Hub official image (``golang``, ``library/golang``, ``docker.io/golang``), or a
        mirror of one (``public.ecr.aws/docker/library/golang``)."""
        return self.on_docker_hub and "/" not in self.repository

    @property
    def on_docker_hub(self) -> bool:
        """A Docker Hub repository: pulled from Docker Hub or from a mirror of it (:attr:`mirror`)."""
        return self.registry is None or self.registry in DOCKER_HUB or self.mirror is not None

    def official_image(self, reference: str) -> str:
        """``reference`` (an official image, ``alpine:3.20``) as this image's registry serves it: through
        the same mirror (``public.ecr.aws/docker/library/alpine:3.20``), else as written (Docker Hub)."""
        return reference if self.mirror is None else self.mirror + reference

    @property
    def key(self) -> str:
        """The repository with its registry host where there is one: what the facts table is keyed by."""
        return self.repository if self.on_docker_hub else f"{self.registry}/{self.repository}"

    @property
    def is_scratch(self) -> bool:
        return self.text.lower() == "scratch"

    @property
    def is_windows(self) -> bool:
        return is_windows_reference(self.text)

    def with_tag(self, tag: str) -> str:
        """The reference text with another tag (no digest)."""
        return f"{self.text[: split_reference(self.text)[0]]}:{tag}"


def parse_image(text: str, platform: str | None = None) -> ImageName:
    """Parse a resolved reference (no variables left)."""
    name_end, tag_start, digest_start = split_reference(text)
    tag = text[tag_start : (digest_start - 1 if digest_start is not None else len(text))] if tag_start else None
    digest = text[digest_start:] if digest_start is not None else None
    registry, repository = split_name(text[:name_end])
    repository = repository.lower()
    mirrored = hub_mirror(registry, repository)
    if mirrored is not None:
        return ImageName(text, registry, mirrored[1], tag, digest, platform, mirrored[0])
    return ImageName(text, registry, repository, tag, digest, platform)


def is_windows_reference(text: str) -> bool:
    """Whether an image reference names a Windows image (servercore, nanoserver, ltsc20xx ...)."""
    low = text.lower()
    return any(h in low for h in WINDOWS_HINTS)


# --- ARG substitution --------------------------------------------------------------------------

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def substitute(text: str, values: dict[str, str | None]) -> str | None:
    """Expand ``$V``, ``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:+x}``, ``${V+x}``; None if a variable has no value."""
    unresolved = False

    def repl(m: re.Match[str]) -> str:
        nonlocal unresolved
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        value = values.get(name)
        is_set = name in values and value is not None
        if op in (":-", "-"):
            if is_set and (op == "-" or value):
                return value or ""
            return word
        if op in (":+", "+"):
            return word if is_set and (op == "+" or value) else ""
        if not is_set:
            unresolved = True
            return ""
        return value or ""

    out = _REF.sub(repl, text)
    return None if unresolved or "$" in out else out


def remove_quotes(text: str, escape: str) -> str:
    """What BuildKit's lexer makes of a word: quotes group, then disappear; escapes are dropped."""
    if "'" not in text and '"' not in text and escape not in text:
        return text
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == escape and quote != "'" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def global_values(doc: Dockerfile, build_args: dict[str, str] | None = None) -> dict[str, str | None]:
    """Global ARG defaults, each expanded with the ARGs before it (as BuildKit does)."""
    values: dict[str, str | None] = {}
    for d in doc.global_args:
        value = d.value
        if build_args and d.name in build_args:
            value = build_args[d.name]
        elif value is not None and "$" in value:
            value = substitute(value, values)
        values[d.name] = value
    return values


def resolve_image_text(doc: Dockerfile, stage: Stage, build_args: dict[str, str] | None = None) -> str | None:
    """The stage's FROM image text with global ARGs substituted (None when it cannot be known)."""
    if stage.image is None:
        return None
    text = stage.image.text
    if "$" in text:
        substituted = substitute(text, global_values(doc, build_args))
        if substituted is None:
            return None
        text = substituted
    return remove_quotes(text, doc.escape)


def _platform(doc: Dockerfile, stage: Stage) -> str | None:
    flag = stage.platform
    if flag is None or not flag.value:
        return None
    value = flag.value
    if "$" in value:
        return substitute(value, global_values(doc)) or value
    return value


# --- stage chains ------------------------------------------------------------------------------


def base_stage(stage: Stage, doc: Dockerfile | None = None) -> Stage | None:
    """The earlier stage ``stage`` is built FROM (also through ARGs when ``doc`` is given)."""
    if stage.base_stage is not None:
        return stage.base_stage
    if doc is None or stage.image is None or not stage.image.has_variables:
        return None
    text = resolve_image_text(doc, stage)
    if text is None or text.isdigit():
        return None
    return doc.stage_named(text, before=stage.index)


def stage_chain(stage: Stage | None, doc: Dockerfile | None = None) -> list[Stage]:
    """``stage`` and the stages it is built on (``FROM <stage>``), nearest first.

    With ``doc``, names that only appear once global ARGs are substituted are followed too.
    """
    out: list[Stage] = []
    seen: set[int] = set()
    while stage is not None and id(stage) not in seen:
        seen.add(id(stage))
        out.append(stage)
        stage = base_stage(stage, doc)
    return out


def chain_intervals(stages: list[Stage]) -> dict[int, tuple[int, int]]:
    """Each stage's (entry, exit) clock, by ``id``, in a depth-first walk of the "built on" forest:
    stage A is in B's chain (B is built on A, directly or not) when A's interval holds B's, two
    comparisons instead of a walk up the chain."""
    children: dict[int, list[Stage]] = {}
    roots: list[Stage] = []
    for st in stages:
        if st.base_stage is None:
            roots.append(st)
        else:
            children.setdefault(id(st.base_stage), []).append(st)
    out: dict[int, tuple[int, int]] = {}
    starts: dict[int, int] = {}
    clock = 0
    for root in roots:
        todo: list[tuple[Stage, bool]] = [(root, False)]
        while todo:
            st, done = todo.pop()
            if done:
                out[id(st)] = (starts[id(st)], clock)
                clock += 1
                continue
            if id(st) in starts:
                continue
            starts[id(st)] = clock
            clock += 1
            todo.append((st, True))
            todo.extend((c, False) for c in children.get(id(st), ()))
    return out


class StageForest:
    """The "built on" forest of a file's stages, for asking which of some stages a stage is
    built on (rules: whether any stage of the chain declares a name) with two comparisons per
    candidate instead of a walk up each chain. Navigation's nearest ENV asks per use, so it keeps
    its own sorted intervals (navigation._Scopes): a scan of every candidate per use is quadratic."""

    __slots__ = ("_intervals",)

    def __init__(self, stages: list[Stage]) -> None:
        self._intervals = chain_intervals(stages)

    def in_chain(self, stage: Stage, among: Iterable[Stage], *, include_self: bool) -> Iterator[Stage]:
        """The stages of ``among`` that ``stage`` is built on, directly or not (and ``stage``
        itself if ``include_self`` and it is among them), in their order; none for a stage that is
        not one of the forest's."""
        where = self._intervals.get(id(stage))
        if where is None:
            return
        lo, hi = where
        for st in among:
            start, end = self._intervals[id(st)]
            if (start < lo and hi < end) or (include_self and st is stage):
                yield st


def root_image_text(doc: Dockerfile, stage: Stage) -> str | None:
    """The image the stage really starts from (following FROM <stage>), None if unresolvable."""
    return resolve_image_text(doc, stage_chain(stage, doc)[-1])


def root_image(doc: Dockerfile, stage: Stage, root: Stage | None = None) -> ImageName | None:
    """The parsed image at the end of the stage chain, None when a variable hides it. ``root``:
    that last stage when the caller knows it (rules ask ``RuleContext.chains()``, which remembers
    it per analysis, instead of walking the chain again)."""
    root = root if root is not None else stage_chain(stage, doc)[-1]
    text = resolve_image_text(doc, root)
    if not text or "$" in text:
        return None
    return parse_image(text, _platform(doc, root))


def is_windows(doc: Dockerfile, stage: Stage) -> bool:
    """A Windows stage: a Windows base image, or a SHELL that is PowerShell or cmd (in the stage or
    a stage it is built on).

    Remembered per stage of the document: asked for every stage (cacheMounts, rules) of a chain of
    ``FROM <previous stage>``, walking the whole chain each time was quadratic (a code action on
    5,000 stages took 14 s). Each entry is a final answer, so two threads filling the table at
    once only repeat work."""
    memo = _WINDOWS.get(doc)
    if memo is None:
        memo = _WINDOWS.setdefault(doc, {})
    chain: list[Stage] = []
    seen: set[int] = set()
    current: Stage | None = stage
    known: bool | None = None
    while current is not None and id(current) not in seen:
        known = memo.get(id(current))
        if known is not None:
            break
        seen.add(id(current))
        chain.append(current)
        current = base_stage(current, doc)
    if known is None:
        # The end of the chain: its base image decides, unless a SHELL on the way does.
        root = chain[-1]
        text = resolve_image_text(doc, root)
        if text is None:
            text = root.image.text if root.image is not None else ""
        known = is_windows_reference(text)
    for st in reversed(chain):
        known = known or _non_posix_shell(st)
        memo[id(st)] = known
    return bool(known)


def _non_posix_shell(stage: Stage) -> bool:
    for ins in stage.instructions:
        if ins.cmd == "shell" and ins.args:
            first = posixpath.basename(ins.args[0].value.replace("\\", "/")).lower()
            if first.startswith(_NON_POSIX_SHELLS):
                return True
    return False


_WINDOWS: weakref.WeakKeyDictionary[Dockerfile, dict[int, bool]] = weakref.WeakKeyDictionary()


def cross_check_with_dockerfile_parse(doc: Dockerfile) -> list[str | None]:
    """Our resolution of every stage, confirmed (or not) by dockerfile-parse; logs disagreements."""
    ours = [resolve_image_text(doc, s) for s in doc.stages]
    if any(ins.heredocs or (ins.sub and ins.sub.heredocs) for ins in doc.instructions):
        return ours  # dockerfile-parse reads heredoc bodies as instructions
    try:
        from dockerfile_parse import DockerfileParser

        theirs = DockerfileParser(fileobj=io.BytesIO(doc.text.encode("utf-8", "surrogateescape"))).parent_images
    except Exception as exc:  # it is a second opinion; never let it break us
        log.debug("dockerfile-parse failed: %s", exc)
        return ours
    if len(theirs) != len(ours):
        log.debug("dockerfile-parse sees %d stages, we see %d", len(theirs), len(ours))
        return ours
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a is not None and a != b:
            log.debug("stage %d: we resolve %r, dockerfile-parse %r", i, a, b)
    return ours
