"""Toolchain -> runtime images for the splitStages refactoring: the one table, with pinned tags.

The runtime image is derived from the builder's own tag wherever that is possible, so that what was
compiled or installed in the builder (a glibc-linked binary, a virtualenv, native Node addons) runs on
the same C library, the same interpreter version and the same distribution release. Tags are pinned:
to the builder's version when it has one, otherwise to the defaults below. ``docs/refactorings/
split-stages.md`` carries a copy of this table (a test checks that the copy matches).

RUNTIME IMAGE TABLE
===================

| Toolchain (builder)                  | Runtime image                                        | Derived from the builder |
|--------------------------------------|------------------------------------------------------|--------------------------|
| Go, static (`CGO_ENABLED=0`)         | `gcr.io/distroless/static-debian<N>:nonroot`                 | N = builder's Debian release when it is 12 or 13, else 13 |
| Go, cgo on a Debian builder          | `gcr.io/distroless/base-debian<N>:nonroot` (bookworm/trixie), else `debian:<codename>-slim` | codename from the tag (`-bookworm`) or from the Go version (below); unknown -> not offered |
| Go on an Alpine builder (static or musl) | `alpine:<X.Y>`                                   | `-alpineX.Y` of the tag, else the default Alpine |
| Rust, `*-musl` target                | `gcr.io/distroless/static-debian13:nonroot`                  | - |
| Rust, glibc target                   | `gcr.io/distroless/cc-debian<N>:nonroot` (bookworm/trixie), else `debian:<codename>-slim` | codename from the tag or from the Rust version (below); unknown -> not offered |
| Rust on an Alpine builder            | `alpine:<X.Y>`                                       | as for Go |
| Node, static site (`build/`, `dist/`) | `nginx:1.28-alpine`                                 | - (serves files; the Node version does not matter) |
| Node server                          | `node:<builder tag>-slim`, Alpine/slim builders keep their tag | `node:18` -> `node:18-slim`, `node:20-bookworm` -> `node:20-bookworm-slim`, `node:lts` -> `node:lts-slim`, `node:18-alpine3.18` -> same |
| Python                               | `python:<builder tag>-slim`, Alpine/slim builders keep their tag | `python:3.11` -> `python:3.11-slim`, `python:3.12-bookworm` -> `python:3.12-slim-bookworm` |
| Java (Maven, Gradle)                 | `eclipse-temurin:<LTS>-jre` (`-jre-alpine` for Alpine builders) | LTS = smallest of 8, 11, 17, 21, 25 that is >= the builder's JDK; unknown JDK -> not offered |

When the runtime stage must run shell commands (a shell-form CMD, a script entrypoint, a user to
create, OS packages to install), a distroless choice is replaced by the builder's distribution:
`alpine:<X.Y>` for static binaries that only need a shell, `debian:<codename>-slim` when Debian
tooling (`apt-get`, `useradd`) is needed.

Defaults: Alpine `3.22`, Debian `trixie` (13), nginx `1.28-alpine`.

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
as (and with it file permissions and privileged ports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine.images import DEBIAN_CODENAMES, ImageTag

DEFAULT_ALPINE = "3.22"
DEFAULT_DEBIAN = "trixie"
NGINX_IMAGE = "nginx:1.28-alpine"
JAVA_LTS = (8, 11, 17, 21, 25)


# (highest minor, codename): the first row whose bound is >= the minor applies.
GO_DEBIAN = ((10, "stretch"), (15, "buster"), (18, "bullseye"), (23, "bookworm"), (10**6, "trixie"))
RUST_DEBIAN = ((54, "buster"), (69, "bullseye"), (88, "bookworm"), (10**6, "trixie"))

# Executables the runtime images bring (beyond a POSIX shell and its utilities where there is one).
_NODE_TOOLS = frozenset(("node", "npm", "npx", "yarn", "yarnpkg", "corepack", "docker-entrypoint.sh"))
_PYTHON_TOOLS = frozenset(("python", "python3", "pip", "pip3"))
_JAVA_TOOLS = frozenset(("java", "keytool", "jcmd", "jfr", "jrunscript"))
_NGINX_TOOLS = frozenset(("nginx", "nginx-debug", "envsubst", "docker-entrypoint.sh"))


@dataclass(frozen=True, slots=True)
class RuntimeImage:
    ref: str  # the image reference to write after FROM
    family: str | None  # "apt", "apk" or None (distroless: no package manager)
    shell: bool
    tools: frozenset[str] = field(default_factory=frozenset)
    users: frozenset[str] = frozenset(("root",))
    packages: frozenset[str] = frozenset()  # OS packages it already has

    @property
    def distroless(self) -> bool:
        return self.ref.startswith("gcr.io/distroless/")


def _alpine(version: str | None) -> RuntimeImage:
    return RuntimeImage(
        f"alpine:{version or DEFAULT_ALPINE}",
        "apk",
        True,
        users=frozenset(("root", "nobody")),
        packages=frozenset(("ca-certificates", "ca-certificates-bundle", "busybox", "musl")),
    )


def _debian_slim(codename: str) -> RuntimeImage:
    return RuntimeImage(f"debian:{codename}-slim", "apt", True, users=frozenset(("root", "nobody")))


def _distroless(kind: str, debian: int) -> RuntimeImage:
    return RuntimeImage(
        # Distroless publishes no version tags; ``nonroot`` is the pinned variant that also runs
        # as an unprivileged user (uid 65532), as the final stage should.
        f"gcr.io/distroless/{kind}-debian{debian}:nonroot",
        None,
        False,
        users=frozenset(("root", "nonroot", "nobody")),
        packages=frozenset(("ca-certificates", "tzdata")),
    )


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
    """The runtime for a compiled binary (Go, Rust).

    ``linkage`` is "static", "glibc" or "musl"; ``shell`` and ``family`` are what the runtime stage
    needs (a shell; "apt"/"apk" for package installs and user management). ``cc`` picks distroless
    ``cc`` (libgcc, for Rust) instead of ``base`` for glibc binaries.
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
            return _alpine(None) if linkage == "static" else None
        release = DEBIAN_CODENAMES.get(codename or "", 13)
        return _distroless("static", release if release in (12, 13) else 13)
    # glibc: the runtime's C library must be at least as new as the builder's.
    if codename is None or family == "apk":
        return None
    release = DEBIAN_CODENAMES[codename]
    if not shell and family is None and release in (12, 13):
        return _distroless("cc" if cc else "base", release)
    return _debian_slim(codename)


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
    family = "apk" if builder.alpine is not None else "apt"
    return RuntimeImage(
        f"{repository}:{tag}",
        family,
        True,
        _NODE_TOOLS,
        frozenset(("root", "node", "nobody")),
        frozenset(("ca-certificates",)) if family == "apk" else frozenset(),
    )


def python_runtime(builder: ImageTag, repository: str = "python") -> RuntimeImage | None:
    tag = _derived_tag(builder, slim_suffix_last=False)
    if tag is None:
        return None
    family = "apk" if builder.alpine is not None else "apt"
    tools = _PYTHON_TOOLS | frozenset(
        f"python{v}" for v in (".".join(str(x) for x in (builder.version or ())[:2]),) if v
    )
    return RuntimeImage(
        f"{repository}:{tag}",
        family,
        True,
        tools,
        frozenset(("root", "nobody")),
        frozenset(("ca-certificates",)),
    )


def nginx_runtime() -> RuntimeImage:
    return RuntimeImage(
        NGINX_IMAGE,
        "apk",
        True,
        _NGINX_TOOLS,
        frozenset(("root", "nginx", "nobody")),
        frozenset(("ca-certificates",)),
    )


def java_lts(major: int) -> int | None:
    for lts in JAVA_LTS:
        if lts >= major:
            return lts
    return None


def java_runtime(major: int, alpine: bool) -> RuntimeImage | None:
    lts = java_lts(major)
    if lts is None:
        return None
    if alpine:
        return RuntimeImage(
            f"eclipse-temurin:{lts}-jre-alpine",
            "apk",
            True,
            _JAVA_TOOLS,
            frozenset(("root", "nobody")),
            frozenset(("ca-certificates",)),
        )
    # The non-Alpine Temurin images are Ubuntu: apt-get and useradd like Debian.
    return RuntimeImage(
        f"eclipse-temurin:{lts}-jre",
        "apt",
        True,
        _JAVA_TOOLS,
        frozenset(("root", "nobody")),
        frozenset(("ca-certificates",)),
    )


_JDK_IN_TAG = re.compile(
    r"(?:^|-)(?:jdk|openjdk|temurin|corretto|amazoncorretto|sapmachine|semeru|liberica|zulu|graalvm|ibmjava)-?(\d+)(?:u\d+)?(?=$|[-.])"
)
_LEADING_MAJOR = re.compile(r"^(\d+)(?:u\d+)?(?=$|[-.])")

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
