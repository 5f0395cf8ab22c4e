"""Toolchain -> runtime images for splitStages: how the runtime image is derived from the builder.

The runtime image is derived from the builder's own tag wherever that is possible, so that what was
compiled or installed in the builder (a glibc-linked binary, a virtualenv, native Node addons) runs on
the same C library, the same interpreter version and the same distribution release. Tags are pinned:
to the builder's version when it has one, otherwise to the defaults below. ``docs/refactorings/
split-stages.md`` carries a copy of this table (a test checks that the copy matches). The defaults
and version tables, and what each runtime image provides (users, tools, packages, size), are read
from the one image table, ``engine/data/images.toml``.

RUNTIME IMAGE TABLE
===================

| Toolchain (builder)                  | Runtime image                                        | Derived from the builder |
|--------------------------------------|------------------------------------------------------|--------------------------|
| Go, static (`CGO_ENABLED=0`)         | `gcr.io/distroless/static-debian<N>`                         | N = builder's Debian release when it is 12 or 13, else 13 |
| Go, cgo on a Debian builder          | `gcr.io/distroless/base-debian<N>` (bookworm/trixie), else `debian:<codename>-slim` | codename from the tag (`-bookworm`) or from the Go version (below); unknown -> not offered |
| Go on an Alpine builder (static or musl) | `alpine:<X.Y>`                                   | `-alpineX.Y` of the tag, else the default Alpine |
| Rust, `*-musl` target                | `gcr.io/distroless/static-debian<N>`                         | - |
| Rust, glibc target                   | `gcr.io/distroless/cc-debian<N>` (bookworm/trixie), else `debian:<codename>-slim` | codename from the tag or from the Rust version (below); unknown -> not offered |
| Rust on an Alpine builder            | `alpine:<X.Y>`                                       | as for Go |
| Node, static site (`build/`, `dist/`) | `nginx:<stable>` (`nginx:<stable>-alpine` for Alpine builders) | the files served depend on neither Node nor the builder's Debian release |
| Node server                          | `node:<builder tag>-slim`, Alpine/slim builders keep their tag | `node:18` -> `node:18-slim`, `node:20-bookworm` -> `node:20-bookworm-slim`, `node:lts` -> `node:lts-slim`, `node:18-alpine3.18` -> same |
| Python                               | `python:<builder tag>-slim`, Alpine/slim builders keep their tag | `python:3.11` -> `python:3.11-slim`, `python:3.12-bookworm` -> `python:3.12-slim-bookworm` |
| Python, conda/mamba (`continuumio/miniconda3`, `condaforge/miniforge3`) | the table's `runtime` of the image: `debian:bookworm-slim` (Miniconda is built on Debian 12), `ubuntu:24.04` (Miniforge: Ubuntu noble) | same release as the conda image; a CMD that runs conda keeps the conda image |
| Python, micromamba (`mambaorg/micromamba`) | the same `mambaorg/micromamba:<tag>` | its entrypoint activates the copied environment |
| Java (Maven, Gradle)                 | `eclipse-temurin:<LTS>-jre` (`-jre-alpine` for Alpine builders) | LTS = smallest of 8, 11, 17, 21, 25 that is >= the builder's JDK; unknown JDK -> not offered |

When the runtime stage must run shell commands (a shell-form CMD, a script entrypoint, a user to
create, OS packages to install), a distroless choice is replaced by the builder's distribution:
`alpine:<X.Y>` for static binaries that only need a shell, `debian:<codename>-slim` when Debian
tooling (`apt-get`, `useradd`) is needed.

A builder pulled through a Docker Hub mirror (`public.ecr.aws/docker/library/golang:1.22`,
`mirror.gcr.io/library/node:20`, a Harbor or Artifactory `.../library/<name>`, a GitLab dependency
proxy) gets its runtime through the same mirror (`public.ecr.aws/docker/library/debian:bookworm-slim`):
a build that cannot reach Docker Hub cannot pull the runtime from it either. A mirror of Docker Hub does
not serve `gcr.io/distroless`, so a distroless choice becomes the official image a shell would have
chosen (`debian:<codename>-slim`, `alpine:<X.Y>`) through the mirror.

Defaults: Debian `trixie` (13); Alpine and nginx: the base-image table's current stable tags, as pinBaseImage uses them.

An unpinned Node or Python builder (`node`, `node:lts`, `python:3`) gets the slim tag of the same
channel (`node:slim`, `node:lts-slim`, `python:3-slim`), never a version we pick: native addons and
compiled wheels must match the builder's Node major / Python minor. Pin the builder to pin both.

Debian release of an untagged-variant builder (the newest release any patch version of that line was
published on, since a binary linked against an older glibc runs on a newer one, never the reverse):

| Go          | Debian    | Rust        | Debian    |
|-------------|-----------|-------------|-----------|
| <= 1.10     | stretch   | <= 1.54     | buster    |
| 1.11 - 1.15 | buster    | 1.55 - 1.69 | bullseye  |
| 1.16 - 1.18 | bullseye  | 1.70 - 1.88 | bookworm  |
| 1.19 - 1.23 | bookworm  | >= 1.89     | trixie    |
| >= 1.24     | trixie    |             |           |

Distroless images carry no version tags other than ``latest``/``nonroot``/``debug``; they are pinned by
the Debian release in their name (``-debian12``). Pin a digest on top if you need byte-for-byte
reproducible builds. ``:nonroot`` is not chosen because it would change the user the program runs
as (and with it file permissions and privileged ports): the runtime keeps the builder's user, and
adding an unprivileged one is the nonRootUser action's job.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from ...engine.image_facts import facts_for, runtime_settings, stable_table
from ...engine.images import DEBIAN_CODENAMES, ImageName, ImageTag, parse_image, parse_tag

# The current Alpine release and nginx stable line come from the table pinBaseImage uses
# ([stable] in engine/data/images.toml, compared with the official images' tag lists), so the two
# never disagree about what is current.
DEFAULT_ALPINE = str(stable_table()["alpine"]["latest"])
DEFAULT_DEBIAN = str(runtime_settings()["debian"])
NGINX_VERSION = str(stable_table()["nginx"]["stable"])
JAVA_LTS: tuple[int, ...] = tuple(int(x) for x in runtime_settings()["java_lts"])
# (highest minor, codename): the first row whose bound is >= the minor applies.
GO_DEBIAN: tuple[tuple[int, str], ...] = tuple((int(b), str(c)) for b, c in runtime_settings()["go_debian"])
RUST_DEBIAN: tuple[tuple[int, str], ...] = tuple((int(b), str(c)) for b, c in runtime_settings()["rust_debian"])
# (highest GCC major, codename) for the gcc image.
GCC_DEBIAN: tuple[tuple[int, str], ...] = tuple((int(b), str(c)) for b, c in runtime_settings()["gcc_debian"])


@dataclass(frozen=True, slots=True)
class RuntimeImage:
    """A runtime image the split can emit, with what the image table says it provides."""

    ref: str  # the image reference to write after FROM
    family: str | None  # "apt", "apk" or None (distroless: no package manager)
    shell: bool
    tools: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset(("root",))
    packages: frozenset[str] = frozenset()  # OS packages it already has
    size_mb: float | None = None

    @property
    def distroless(self) -> bool:
        return self.ref.startswith("gcr.io/distroless/")

    def size_text(self) -> str:
        f = facts_for(self.ref)
        return f.size_text() if f is not None else ""


@cache
def runtime_image(ref: str, extra_tools: frozenset[str] = frozenset()) -> RuntimeImage:
    """The runtime image ``ref`` as the image table describes it."""
    f = facts_for(ref)
    if f is None:
        raise KeyError(f"{ref} is not in engine/data/images.toml")
    return RuntimeImage(
        ref,
        f.package_manager or None,
        bool(f.shell),
        f.tools | extra_tools,
        frozenset(f.users) | {"root"},
        f.packages,
        f.size_mb,
    )


def through_mirror(rt: RuntimeImage, builder: ImageName) -> RuntimeImage | None:
    """``rt`` as the registry the builder comes from serves it. A builder pulled through a Docker Hub
    mirror (``public.ecr.aws/docker/library/golang``) says the build cannot or should not pull from
    Docker Hub, so an official runtime image comes through the same mirror
    (``public.ecr.aws/docker/library/debian:trixie-slim``). None when the mirror does not serve it:
    a mirror of Docker Hub holds Docker Hub's images, not ``gcr.io/distroless`` (ECR Public's Docker
    library is the official images only, https://gallery.ecr.aws/docker/); the caller then picks an
    official runtime instead. The builder's own image (PHP, micromamba) stays as written. Microsoft's
    mirror holds a selection of the official images, which is not known here: a runtime it lacks fails
    to pull, and the FROM line shows which one to change."""
    if builder.mirror is None or rt.ref == builder.text:
        return rt
    image = parse_image(rt.ref)
    if image.registry is not None or not image.official:
        return None
    return dataclasses.replace(rt, ref=builder.official_image(rt.ref))


def _alpine(version: str | None) -> RuntimeImage:
    return runtime_image(f"alpine:{version or DEFAULT_ALPINE}")


def _debian_slim(codename: str) -> RuntimeImage:
    return runtime_image(f"debian:{codename}-slim")


def _distroless(kind: str, debian: int) -> RuntimeImage:
    # Distroless publishes no version tags: the Debian release in the name pins it. Not ``:nonroot``:
    # that would change the user the program runs as.
    return runtime_image(f"gcr.io/distroless/{kind}-debian{debian}")


def parse_codename(codename: str) -> ImageTag:
    """A tag that names only a Debian release (for builders whose release comes from elsewhere)."""
    return parse_tag(f"0-{codename}")


def debian_for(table: tuple[tuple[int, str], ...], tag: ImageTag) -> str | None:
    """The Debian release of a builder: from its tag, else from the version table (None: unknown)."""
    if tag.codename is not None:
        return tag.codename
    minor = tag.minor()
    if minor is None or minor[0] != 1:
        return None
    for bound, codename in table:
        if minor[1] <= bound:
            return codename
    return None


def native_runtime(
    linkage: str,
    builder: ImageTag,
    table: tuple[tuple[int, str], ...],
    *,
    shell: bool,
    family: str | None,
    cc: bool = False,
) -> RuntimeImage | None:
    """The runtime for a compiled binary (Go, Rust, C/C++).

    ``linkage`` is "static", "glibc" or "musl"; ``shell`` and ``family`` are what the runtime stage
    needs (a shell; "apt"/"apk" for package installs and user management). ``cc`` picks distroless
    ``cc`` (libgcc, libstdc++: Rust, C++) instead of ``base`` for glibc binaries.
    """
    if builder.alpine is not None:
        # An Alpine builder links against musl (or statically): Alpine runs both.
        if family not in (None, "apk"):
            return None
        return _alpine(builder.alpine or None)
    codename = debian_for(table, builder)
    if linkage in ("static", "musl"):
        if family == "apt":
            return _debian_slim(codename or DEFAULT_DEBIAN)
        if family == "apk" and linkage == "static":
            return None  # apk commands cannot come from a Debian builder
        if shell:
            return _debian_slim(codename or DEFAULT_DEBIAN) if linkage == "static" else None
        release = DEBIAN_CODENAMES.get(codename or "", 13)
        return _distroless("static", release if release in (12, 13) else 13)
    # glibc: the runtime's C library must be at least as new as the builder's.
    if codename is None or family == "apk":
        return None
    release = DEBIAN_CODENAMES[codename]
    if not shell and family is None and release in (12, 13):
        return _distroless("cc" if cc else "base", release)
    return _debian_slim(codename)


def unknown_release_reason(builder: str, language: str, static_hint: str) -> str:
    """Why a glibc binary built on an image whose Debian release is unknown (``golang``, ``rust:latest``)
    gets no runtime, and how to give it one: the runtime needs a glibc at least as new as the builder's."""
    return (
        f"{builder} does not say which Debian release it is built on, and the {language} binary needs that "
        f"release's glibc: pin the builder to a release tag (such as {static_hint})"
    )


def _derived_tag(tag: ImageTag, slim_suffix_last: bool) -> str | None:
    """``18`` -> ``18-slim``, ``3.12-bookworm`` -> ``3.12-slim-bookworm`` (Python) or
    ``20-bookworm-slim`` (Node); Alpine and slim tags stay as they are."""
    if tag.windows:
        return None
    if tag.alpine is not None or tag.slim:
        return tag.tag or None
    known = set(DEBIAN_CODENAMES)
    if any(p not in known for p in tag.parts):
        return None  # a variant we do not know (rc, onbuild, ...)
    head = ".".join(str(x) for x in tag.version) if tag.version is not None else (tag.channel or "")
    if head == "latest":
        head = ""
    codename = tag.codename
    pieces = [head] if head else []
    if codename is not None:
        pieces += [codename, "slim"] if slim_suffix_last else ["slim", codename]
    else:
        pieces.append("slim")
    return "-".join(pieces)


def node_runtime(builder: ImageTag, repository: str = "node") -> RuntimeImage | None:
    tag = _derived_tag(builder, slim_suffix_last=True)
    if tag is None:
        return None
    return runtime_image(f"{repository}:{tag}")


def python_runtime(builder: ImageTag, repository: str = "python") -> RuntimeImage | None:
    tag = _derived_tag(builder, slim_suffix_last=False)
    if tag is None:
        return None
    minor = ".".join(str(x) for x in (builder.version or ())[:2])
    return runtime_image(f"{repository}:{tag}", frozenset((f"python{minor}",)) if minor else frozenset())


def ruby_runtime(builder: ImageTag) -> RuntimeImage | None:
    tag = _derived_tag(builder, slim_suffix_last=False)
    if tag is None:
        return None
    return runtime_image(f"ruby:{tag}")


def nginx_runtime(builder: ImageTag | None = None) -> RuntimeImage:
    """nginx's stable line, on Alpine for an Alpine builder (``1.30-alpine``), else its default
    Debian (``1.30``). The files served do not depend on the builder's Debian release, and the
    official images tag each nginx line only with the release it is built on."""
    if builder is not None and builder.alpine is not None:
        return runtime_image(f"nginx:{NGINX_VERSION}-alpine")
    return runtime_image(f"nginx:{NGINX_VERSION}")


def java_lts(major: int) -> int | None:
    for lts in JAVA_LTS:
        if lts >= major:
            return lts
    return None


def java_runtime(major: int, alpine: bool) -> RuntimeImage | None:
    lts = java_lts(major)
    if lts is None:
        return None
    # The non-Alpine Temurin images are Ubuntu: apt-get and useradd like Debian.
    return runtime_image(f"eclipse-temurin:{lts}-jre-alpine" if alpine else f"eclipse-temurin:{lts}-jre")


def dotnet_runtime(version: str, kind: str, variant: str) -> RuntimeImage:
    """``mcr.microsoft.com/dotnet/<aspnet|runtime>:<version>[-<variant>]`` (the SDK's own version)."""
    tag = f"{version}-{variant}" if variant else version
    return runtime_image(f"mcr.microsoft.com/dotnet/{kind}:{tag}")


_JDK_IN_TAG = re.compile(
    r"(?:^|-)(?:jdk|openjdk|temurin|corretto|amazoncorretto|sapmachine|semeru|liberica|zulu|graalvm|ibmjava)-?(\d+)(?:u\d+)?(?=$|[-.])"
)
_LEADING_MAJOR = re.compile(r"^(\d+)(?:u\d+)?(?=$|[-.])")

# Java toolchain images the image table does not describe (their facts: a JDK, usually Debian/Ubuntu).
JAVA_TOOLCHAIN_IMAGES = frozenset(
    (
        "maven",
        "gradle",
        "openjdk",
        "eclipse-temurin",
        "amazoncorretto",
        "adoptopenjdk",
        "adoptopenjdk/openjdk8",
        "adoptopenjdk/openjdk11",
        "sapmachine",
        "ibm-semeru-runtimes",
        "azul/zulu-openjdk",
        "azul/zulu-openjdk-debian",
        "azul/zulu-openjdk-alpine",
        "bellsoft/liberica-openjdk-debian",
        "bellsoft/liberica-openjdk-alpine",
    )
)


def java_major(repository: str, tag: str | None) -> int | None:
    """The JDK major version a Java toolchain image's tag names (None when it does not say)."""
    if not tag:
        m = re.search(r"openjdk(\d+)$", repository)
        return int(m.group(1)) if m else None
    if repository in ("maven", "gradle"):
        m = _JDK_IN_TAG.search(tag)
        return int(m.group(1)) if m else None
    m = _LEADING_MAJOR.match(tag)
    if m:
        return int(m.group(1))
    m = _JDK_IN_TAG.search(tag)
    return int(m.group(1)) if m else None
