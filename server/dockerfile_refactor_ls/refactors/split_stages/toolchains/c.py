"""C and C++: ``make``, ``cmake``, ``gcc``/``g++``/``clang``; the executable the CMD runs, plus the shared
libraries it links (from ``-l`` flags in the command, the Makefile or CMakeLists.txt, and the ``-dev``
packages the build installs), or a static link when the build asks for one.

The runtime is the builder's distribution, slim: ``debian:<codename>-slim`` (with the runtime library
packages installed when the slim image lacks them), ``gcr.io/distroless/static-debian<N>`` for a
``-static`` link, ``alpine:<X.Y>`` for an Alpine builder. C++ built by the ``gcc`` image is refused:
that image links its own, newer libstdc++ from ``/usr/local/lib64``, which no slim runtime has.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from ....engine.images import DEBIAN_CODENAMES, ImageTag
from ..._toolchains import resolve, within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain
from ..context import context_for

if TYPE_CHECKING:
    from ..plan import Plan

_COMPILERS = frozenset(("gcc", "cc", "g++", "c++", "clang", "clang++"))
_CXX = frozenset(("g++", "c++", "clang++"))
_COMPILER_PACKAGES = frozenset(("build-essential", "build-base", "gcc", "g++", "clang", "make", "cmake"))
# Libraries in libc itself, or in every runtime we pick (libgcc, libstdc++ on Debian slim).
_LIBC = frozenset(("c", "m", "pthread", "dl", "rt", "util", "resolv", "crypt", "anl", "gcc_s", "gcc"))
# -l<name> -> (Debian bookworm runtime package, other releases: debian_packages; Alpine package).
LIBRARIES: dict[str, tuple[str, str]] = {
    "z": ("zlib1g", "zlib"),
    "ssl": ("libssl3", "libssl3"),
    "crypto": ("libssl3", "libcrypto3"),
    "curl": ("libcurl4", "libcurl"),
    "sqlite3": ("libsqlite3-0", "sqlite-libs"),
    "pq": ("libpq5", "libpq"),
    "png": ("libpng16-16", "libpng"),
    "png16": ("libpng16-16", "libpng"),
    "jpeg": ("libjpeg62-turbo", "libjpeg-turbo"),
    "xml2": ("libxml2", "libxml2"),
    "yaml": ("libyaml-0-2", "yaml"),
    "uuid": ("libuuid1", "libuuid"),
    "gmp": ("libgmp10", "gmp"),
    "pcre2-8": ("libpcre2-8-0", "pcre2"),
    "ncurses": ("libncurses6", "ncurses-libs"),
    "ncursesw": ("libncursesw6", "ncurses-libs"),
    "readline": ("libreadline8", "readline"),
    "event": ("libevent-2.1-7", "libevent"),
    "ffi": ("libffi8", "libffi"),
    "bz2": ("libbz2-1.0", "libbz2"),
    "lzma": ("liblzma5", "xz-libs"),
    "zstd": ("libzstd1", "zstd-libs"),
    "uv": ("libuv1", "libuv"),
    "jansson": ("libjansson4", "jansson"),
    "stdc++": ("libstdc++6", "libstdc++"),
    "archive": ("libarchive13", "libarchive"),
    "expat": ("libexpat1", "expat"),
    "sodium": ("libsodium23", "libsodium"),
    "mariadb": ("libmariadb3", "mariadb-connector-c"),
    "mysqlclient": ("libmariadb3", "mariadb-connector-c"),
}
# -dev packages -> the -l name they provide (the build installs headers for what it links).
DEV_PACKAGES = {
    "zlib1g-dev": "z", "zlib-dev": "z", "libssl-dev": "ssl", "openssl-dev": "ssl",
    "libcurl4-openssl-dev": "curl", "curl-dev": "curl", "libsqlite3-dev": "sqlite3", "sqlite-dev": "sqlite3",
    "libpq-dev": "pq", "postgresql-dev": "pq", "libpng-dev": "png", "libpng16-dev": "png",
    "libjpeg-dev": "jpeg", "libjpeg62-turbo-dev": "jpeg", "libjpeg-turbo-dev": "jpeg", "libxml2-dev": "xml2",
    "libyaml-dev": "yaml", "yaml-dev": "yaml", "uuid-dev": "uuid", "util-linux-dev": "uuid", "libgmp-dev": "gmp",
    "gmp-dev": "gmp", "libpcre2-dev": "pcre2-8", "pcre2-dev": "pcre2-8", "libncurses-dev": "ncurses",
    "libncurses5-dev": "ncurses", "ncurses-dev": "ncurses", "libreadline-dev": "readline",
    "readline-dev": "readline", "libevent-dev": "event", "libffi-dev": "ffi", "libbz2-dev": "bz2",
    "liblzma-dev": "lzma", "xz-dev": "lzma", "libzstd-dev": "zstd", "zstd-dev": "zstd", "libuv1-dev": "uv",
    "libjansson-dev": "jansson", "libarchive-dev": "archive", "libexpat1-dev": "expat", "libsodium-dev": "sodium",
    "libc6-dev": "c", "libc-dev": "c", "musl-dev": "c", "linux-headers": "c", "linux-libc-dev": "c",
    "libstdc++-12-dev": "stdc++", "default-libmysqlclient-dev": "mysqlclient", "libmariadb-dev": "mariadb",
    "mariadb-dev": "mariadb",
}
# "-dev" packages that are build tools, not library headers.
_BUILD_TOOL_DEV = frozenset(("dpkg-dev", "pkg-config-dev", "python3-dev", "python-dev", "libtool-dev"))
_LFLAG = re.compile(r"(?<![\w-])-l([A-Za-z0-9_+.-]+)")
_CMAKE_LINK = re.compile(r"target_link_libraries\s*\(([^)]*)\)", re.I)
_CMAKE_IMPORTED = {"ZLIB::ZLIB": "z", "OpenSSL::SSL": "ssl", "OpenSSL::Crypto": "crypto", "CURL::libcurl": "curl",
                   "SQLite::SQLite3": "sqlite3", "PNG::PNG": "png", "JPEG::JPEG": "jpeg", "LibXml2::LibXml2": "xml2",
                   "Threads::Threads": "pthread", "PostgreSQL::PostgreSQL": "pq", "BZip2::BZip2": "bz2",
                   "LibLZMA::LibLZMA": "lzma", "EXPAT::EXPAT": "expat"}


# The Debian bullseye names of the runtime packages above that differ from bookworm's and trixie's
# (OpenSSL 1.1, libffi 7); every other package of the table has the same name there.
_BULLSEYE_NAMES = {"libssl3": "libssl1.1", "libffi8": "libffi7"}
# The trixie names of the bookworm packages above that the 64-bit time_t transition renamed (their ABI
# changed on 32-bit architectures, so the binary package got a ``t64`` suffix on every architecture):
# https://wiki.debian.org/ReleaseGoals/64bit-time, and each name on https://packages.debian.org/trixie/
# (libssl3t64, libcurl4t64, libpng16-16t64, libreadline8t64, libevent-2.1-7t64, libuv1t64,
# libarchive13t64). The others of the table kept their names. Checked on 2026-12-04 against the
# installed-package lists of a Debian 13.8 and a Debian 12.4 machine: 25 of the table's 27 runtime
# packages were installed on both, each under the name given here (libstdc++6 and libmariadb3 were not
# installed; neither is on the transition's list).
_TRIXIE_NAMES = {
    "libssl3": "libssl3t64",
    "libcurl4": "libcurl4t64",
    "libpng16-16": "libpng16-16t64",
    "libreadline8": "libreadline8t64",
    "libevent-2.1-7": "libevent-2.1-7t64",
    "libuv1": "libuv1t64",
    "libarchive13": "libarchive13t64",
}
KNOWN_RELEASES = "Debian bullseye, bookworm and trixie"


def runtime_library_packages(libs: set[str], tag: ImageTag) -> list[str]:
    """The packages a slim runtime of ``tag``'s distribution installs for the libraries ``libs``
    (``-l`` names) an extension or gem was linked against in the builder; libstdc++ comes with
    every image. Raises NotOffered where the Debian release's package names are not known."""
    alpine = tag.alpine is not None
    packages = sorted({LIBRARIES[x][1 if alpine else 0] for x in libs if x in LIBRARIES and x != "stdc++"})
    if packages and not alpine:
        named = debian_packages(packages, tag.codename)
        if named is None:
            raise NotOffered(f"the runtime library packages ({', '.join(packages)}) are only known for {KNOWN_RELEASES}")
        packages = named
    return packages


def debian_packages(packages: list[str], codename: str | None) -> list[str] | None:
    """``packages`` (named for bookworm) as the Debian release ``codename`` names them; None when the
    release's names are not known. None for the codename is an image whose default release is
    bookworm or trixie: known only when no package was renamed between the two."""
    if codename == "bookworm" or (codename is None and not set(packages) & set(_TRIXIE_NAMES)):
        return packages
    if codename == "trixie":
        return sorted({_TRIXIE_NAMES.get(p, p) for p in packages})
    if codename == "bullseye":
        return sorted({_BULLSEYE_NAMES.get(p, p) for p in packages})
    return None


# Ubuntu by the runtime's tag: jammy has bookworm's names, noble the t64 ones trixie has (the same
# transition, in the 24.04 release notes; each name as https://packages.ubuntu.com/noble/ and /jammy/
# list it). ``latest`` moves with each LTS, so it is not read as either.
_UBUNTU_RELEASE = {"22.04": "jammy", "jammy": "jammy", "24.04": "noble", "noble": "noble"}
# Ubuntu's -ljpeg is libjpeg-turbo's libjpeg.so.8 (package libjpeg-turbo8); Debian's is libjpeg62-turbo.
_UBUNTU_NAMES = {"libjpeg62-turbo": "libjpeg-turbo8"}


def ubuntu_packages(packages: list[str], tag: str) -> list[str] | None:
    """``packages`` (named for Debian bookworm) as the Ubuntu release of ``tag`` names them; None
    when the release is not one whose names are known."""
    release = _UBUNTU_RELEASE.get(tag)
    if release is None:
        return None
    renames = {**_UBUNTU_NAMES, **(_TRIXIE_NAMES if release == "noble" else {})}
    return sorted({renames.get(p, p) for p in packages})


def dev_package_libraries(plan: Plan, skip: frozenset[str] = frozenset()) -> set[str]:
    """The ``-l`` names of the libraries whose headers the build installs (``libpq-dev`` -> ``pq``).

    A native extension (a Python wheel, a Ruby gem) built against those headers links the library, so
    the runtime needs its runtime package. Raises when a ``-dev`` package is not in the table: the
    runtime would then lack a library nobody can name.
    """
    libs: set[str] = set()
    for _c, pi in plan.installs:
        for w in pi.packages:
            name = w.value.split("=", 1)[0]
            if name in skip or not name.endswith(("-dev", "-devel")):
                continue
            lib = DEV_PACKAGES.get(name)
            if lib is None:
                raise NotOffered(
                    f"the build installs {name}: the runtime package of its library is not known, so the "
                    "runtime stage could not install it"
                )
            libs.add(lib)
    return libs


def _build_dir(c: Cmd) -> str | None:
    """The directory a make/cmake/ninja/compiler command builds in (``make -C dir``, ``cmake --build dir``)."""
    vals = c.values()
    if c.name in ("make", "gmake", "ninja"):
        d = c.cmd.flag_values("C", "directory")
        return c.path(d[0]) if d else c.cwd
    if c.name == "cmake" and "--build" in vals:
        k = vals.index("--build")
        return c.path(vals[k + 1]) if k + 1 < len(vals) else None
    return c.cwd


def _is_build(c: Cmd) -> bool:
    vals = c.values()
    if c.name in ("make", "gmake", "ninja"):
        return not any(v in ("clean", "distclean", "test", "check", "help") for v in vals)
    if c.name == "cmake":
        return "--build" in vals
    if c.name in _COMPILERS:
        return "-o" in vals or any(v.startswith("-o") and len(v) > 2 for v in vals)
    return False


def _compiler_output(c: Cmd) -> str | None:
    vals = c.values()
    for i, v in enumerate(vals):
        if v == "-o" and i + 1 < len(vals):
            return c.path(vals[i + 1])
        if v.startswith("-o") and len(v) > 2:
            return c.path(v[2:])
    return None


def _cmake_libs(text: str) -> set[str]:
    out: set[str] = set()
    for m in _CMAKE_LINK.finditer(text):
        for word in m.group(1).split()[1:]:
            if word in ("PRIVATE", "PUBLIC", "INTERFACE"):
                continue
            if word in _CMAKE_IMPORTED:
                out.add(_CMAKE_IMPORTED[word])
            elif re.fullmatch(r"[A-Za-z0-9_+.-]+", word) and "$" not in word:
                out.add(word.removeprefix("lib"))
    return out


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    builds = [c for c in a.all_cmds() if _is_build(c)]
    if not builds:
        return None
    installs_compiler = any(
        p.value in _COMPILER_PACKAGES or p.value.startswith(("gcc-", "g++-", "clang-"))
        for _c, pi in plan.installs
        for p in pi.packages
    )
    facts = a.facts
    if (facts is None or facts.toolchain != "c") and not installs_compiler:
        return None  # a plain distribution image that does not install a compiler
    ctx = context_for(a.doc)
    libs: set[str] = set()
    static = False
    cxx = False
    artifacts: list[Artifact] = []
    installed = False
    for c in builds:
        vals = c.values()
        if c.name in _COMPILERS:
            libs |= {m.group(1) for v in vals for m in [_LFLAG.match(v)] if m}
            static = static or "-static" in vals
            cxx = cxx or c.name in _CXX or any(v.endswith((".cpp", ".cc", ".cxx")) for v in vals)
            out = _compiler_output(c)
            if out is None:
                raise NotOffered("cannot tell where the compiler writes the program (no -o)")
            artifacts.append(Artifact(out, out))
        elif c.name in ("make", "gmake") and "install" in vals:
            installed = True
    # What the Makefile / CMakeLists.txt in the context says it links.
    for rel in ctx.files():
        base = posixpath.basename(rel)
        if base in ("Makefile", "makefile", "GNUmakefile") or base.endswith(".mk"):
            text = ctx.read(rel) or ""
            libs |= {m.group(1) for m in _LFLAG.finditer(text)}
            static = static or bool(re.search(r"^\s*LDFLAGS\s*[+:?]?=.*(?<![\w-])-static\b", text, re.M))
            cxx = cxx or bool(re.search(r"\$\(CXX\)|\bg\+\+\b|\.cpp\b", text))
        elif base == "CMakeLists.txt":
            text = ctx.read(rel) or ""
            libs |= _cmake_libs(text)
            cxx = cxx or bool(re.search(r"\.(cpp|cc|cxx)\b", text))
    if any(f.endswith((".cpp", ".cc", ".cxx", ".hpp")) for f in ctx.files()):
        cxx = True
    # make, cmake and ninja say nothing about the language: without the sources to read, the program
    # may be C++, and the runtime must have the libstdc++ it would link.
    unsure = not ctx.known and not cxx and any(c.name in ("make", "gmake", "cmake", "ninja") for c in builds)
    if unsure:
        if facts is not None and facts.key == "gcc" and not static:
            raise NotOffered(
                "without the build context it is unknown whether make builds C or C++, and C++ from the gcc "
                "image links that image's own libstdc++ (/usr/local/lib64), which no slim runtime has"
            )
        cxx = True
    # Headers the build installs name the libraries it links.
    for _c, pi in plan.installs:
        for w in pi.packages:
            name = w.value.split("=", 1)[0]
            if name.endswith(("-dev", "-devel", "-headers")) and name not in _BUILD_TOOL_DEV:
                lib = DEV_PACKAGES.get(name)
                if lib is None:
                    raise NotOffered(f"the build installs {name}: its runtime library is not known")
                libs.add(lib)
    if not artifacts:
        entry: str | None = None
        for c in builds:
            d = _build_dir(c)
            if d is None:
                continue
            entry = plan.entry_in(d) or _entry_below(plan, d)
            if entry is None and installed:
                entry = plan.entry_in("/usr/local/bin", bare_ok=True)
            if entry is not None:
                break
        if entry is None:
            raise NotOffered("cannot tell which program the build makes (no CMD that runs it)")
        artifacts.append(Artifact(entry, entry))
    if cxx:
        libs.add("stdc++")
        if facts is not None and facts.key == "gcc" and not static:
            raise NotOffered(
                "C++ built by the gcc image links its own libstdc++ (/usr/local/lib64), which no slim runtime has"
            )
    tag = a.tag
    alpine = tag.alpine is not None or (facts is not None and facts.os == "alpine")
    unknown = sorted(x for x in libs - _LIBC if x not in LIBRARIES)
    if unknown and not static:
        raise NotOffered(f"the program links -l{', -l'.join(unknown)}: its runtime package is not known")
    packages = sorted({LIBRARIES[x][1 if alpine else 0] for x in libs - _LIBC if x in LIBRARIES})
    codename = _debian_of(a)
    ubuntu = _ubuntu_runtime(a)
    if ubuntu is not None:
        # The same Ubuntu release, which has libc, libstdc++ and libgcc; other libraries' packages are
        # named for Debian only (Ubuntu's t64 renames differ).
        packages = [p for p in packages if p not in ubuntu.packages]
    if not alpine and packages and not static:
        if ubuntu is not None:
            named = ubuntu_packages(packages, ubuntu.ref.rpartition(":")[2])
        else:
            named = debian_packages(packages, codename) if codename is not None else None
        if named is None:
            raise NotOffered(f"the runtime library packages are only known for {KNOWN_RELEASES} and Ubuntu 22.04 and 24.04")
        packages = named
    linkage = "static" if static else ("musl" if alpine else "glibc")

    def runtime(shell: bool, family: str | None) -> rti.RuntimeImage | None:
        if alpine:
            if family not in (None, "apk"):
                return None
            if tag.alpine is None and a.repository == "alpine" and tag.version:
                return rti.runtime_image(f"alpine:{tag.tag}")  # the builder's own release
            return rti.native_runtime("musl", tag, rti.GO_DEBIAN, shell=shell, family=family)
        if ubuntu is not None:
            return ubuntu if family in (None, "apt") else None
        if codename is None:
            return None
        fake = rti.parse_codename(codename)
        return rti.native_runtime(linkage, fake, rti.GO_DEBIAN, shell=shell, family=family, cc=cxx)

    names = {posixpath.basename(x.dest) for x in artifacts}
    return Toolchain(
        "C/C++" if unsure else "C++" if cxx else "C",
        sorted({c.index for c in builds}),
        artifacts,
        runtime,
        path_tools=frozenset(names),
        native=False,  # the -dev packages were mapped to runtime libraries above
        copy_context_dirs=[d for c in builds if (d := _build_dir(c))],
        runtime_packages=[] if static else packages,
        variant="static" if static else "",
    )


def _entry_below(plan: Plan, directory: str) -> str | None:
    """A CMD program in a subdirectory of the build directory (``build/app`` after ``cmake --build build``)."""
    for e in plan.a.entries(plan.runtime_side()):
        if "/" in e.exe and e.workdir is not None and "$" not in e.exe:
            p = resolve(e.workdir, e.exe)
            if within(p, directory):
                return p
    return None


_UBUNTU_RELEASES = {"bionic": "18.04", "focal": "20.04", "jammy": "22.04", "noble": "24.04"}


def _ubuntu_runtime(a: Analysis) -> rti.RuntimeImage | None:
    """An Ubuntu builder's runtime: the ``ubuntu`` image of the same release (None for other builders).

    The program was linked against that release's glibc and libstdc++; a Debian runtime may be older
    (Ubuntu 24.04 has GCC 14's libstdc++, bookworm GCC 12's), so the release stays the same.
    """
    facts = a.facts
    if facts is None or facts.os != "ubuntu":
        return None
    if a.repository == "ubuntu":
        tag = a.image.effective_tag or "latest"
    else:
        tag = next((_UBUNTU_RELEASES[p] for p in (*a.tag.parts, a.tag.channel or "") if p in _UBUNTU_RELEASES), "")
    if not tag or "$" in tag:
        return None
    try:
        return rti.runtime_image(f"ubuntu:{tag}")
    except KeyError:
        return None


def _debian_of(a: Analysis) -> str | None:
    """The Debian release of the builder: from the tag, the gcc version, or a Debian image's version."""
    tag = a.tag
    if tag.codename is not None:
        return tag.codename
    facts = a.facts
    key = facts.key if facts is not None else a.repository
    if key == "gcc" and tag.version:
        for bound, codename in rti.GCC_DEBIAN:
            if tag.version[0] <= bound:
                return codename
    if key in ("debian", "buildpack-deps") and tag.version:
        return {10: "buster", 11: "bullseye", 12: "bookworm", 13: "trixie"}.get(tag.version[0])
    if key in ("debian", "buildpack-deps") and tag.channel in DEBIAN_CODENAMES:
        return tag.channel
    return None
