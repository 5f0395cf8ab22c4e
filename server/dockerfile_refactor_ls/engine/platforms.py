"""Platform specifiers (``linux/amd64``, ``arm64``, ``windows``) as containerd reads them."""

from __future__ import annotations

_OSES = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos".split()
)
# containerd's normalizeArch.
_ARCH_ALIASES = {
    "i386": "386",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armhf": "arm",
    "armel": "arm",
    "arm": "arm",
}
_ARCHES = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le "
    "ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)


def parse_platform(value: str) -> tuple[str, str] | None:
    """(os, architecture) of a platform specifier as containerd's ``platforms.Parse`` reads it."""
    parts = value.lower().split("/")
    if not all(parts) or len(parts) > 3:
        return None
    if len(parts) == 1:
        p = parts[0]
        if p in _OSES:
            return p, "amd64"
        arch = _ARCH_ALIASES.get(p, p)
        return ("linux", arch) if arch in _ARCHES else None
    os_, arch = parts[0], _ARCH_ALIASES.get(parts[1], parts[1])
    if os_ not in _OSES or arch not in _ARCHES:
        return None
    return os_, arch
