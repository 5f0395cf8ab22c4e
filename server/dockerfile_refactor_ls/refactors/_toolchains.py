"""What splitStages knows about shells, paths and OS packages (no Dockerfile editing here)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ..engine.images import remove_quotes, substitute
from ..engine.shell import SimpleCommand, Word

# Packages that only serve the build: compilers, headers, fetchers. Not carried into the runtime
# unless the runtime configuration (CMD, ENTRYPOINT, HEALTHCHECK) calls them.
BUILD_ONLY_PACKAGES = frozenset(
    (
        "build-essential",
        "build-base",
        "gcc",
        "g++",
        "clang",
        "make",
        "cmake",
        "ninja-build",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "musl-dev",
        "libc-dev",
        "libc6-dev",
        "linux-headers",
        "python3-dev",
        "python-dev",
        "git",
        "curl",
        "wget",
        "unzip",
        "zip",
        "xz-utils",
        "bzip2",
        "gnupg",
        "gnupg2",
        "dirmngr",
        "apt-transport-https",
        "software-properties-common",
        "lsb-release",
        "openssh-client",
        "patch",
        "bison",
        "flex",
        "upx",
        "upx-ucl",
        "protobuf-compiler",
        "protobuf-dev",
        "protoc",
        "binutils",
        "file",
        "gettext",
        "mercurial",
        "subversion",
        "go",
        "golang",
        "cargo",
        "rust",
        "maven",
        "gradle",
        "nodejs",
        "npm",
        "yarn",
    )
)

# Build-only packages a build uses by running them (the commands that do, by name). Installed but run
# by no RUN of the stage, they are there for the container: a compose or Kubernetes healthcheck that
# runs curl (the Dockerfile cannot show it), ExecJS finding node when a Rails app boots. The runtime
# keeps them. `rails assets:precompile` runs node without naming it.
RUN_BY_NAME: dict[str, frozenset[str]] = {
    "curl": frozenset(("curl",)),
    "wget": frozenset(("wget",)),
    "nodejs": frozenset(("node", "nodejs", "npm", "npx", "yarn", "yarnpkg", "pnpm", "corepack", "assets:precompile")),
    "npm": frozenset(("npm", "npx", "assets:precompile")),
    "yarn": frozenset(("yarn", "yarnpkg", "assets:precompile")),
}

# Development headers whose runtime libraries every runtime image we pick already has (libc, libffi,
# OpenSSL, zlib): installing them in a builder says nothing about what the runtime lacks.
HARMLESS_DEV_PACKAGES = frozenset(
    (
        "libc-dev",
        "libc6-dev",
        "musl-dev",
        "linux-headers",
        "libffi-dev",
        "libssl-dev",
        "openssl-dev",
        "zlib1g-dev",
        "zlib-dev",
        "python3-dev",
        "python-dev",
        "protobuf-dev",
    )
)

SHELL_NAMES = frozenset(("sh", "bash", "ash", "dash"))

# Shell built-ins and the POSIX utilities every image with a shell has (Debian coreutils or BusyBox).
SHELL_UTILITIES = frozenset(
    (
        "cd",
        "exec",
        "echo",
        "export",
        "set",
        "test",
        "[",
        "true",
        "false",
        ":",
        ".",
        "source",
        "exit",
        "printf",
        "read",
        "trap",
        "wait",
        "ulimit",
        "umask",
        "eval",
        "command",
        "type",
        "unset",
        "sleep",
        "cat",
        "ls",
        "cp",
        "mv",
        "rm",
        "mkdir",
        "rmdir",
        "chmod",
        "chown",
        "chgrp",
        "ln",
        "touch",
        "env",
        "sed",
        "grep",
        "find",
        "head",
        "tail",
        "tee",
        "sort",
        "uniq",
        "tr",
        "cut",
        "wc",
        "xargs",
        "date",
        "id",
        "whoami",
        "kill",
        "nohup",
        "tar",
        "gzip",
        "gunzip",
        "dirname",
        "basename",
        "readlink",
        "realpath",
        "expr",
        "seq",
        "stat",
        "du",
        "df",
        "awk",
        "hostname",
        "uname",
        "sh",
        "ash",
        "dash",
        "chroot",
        "sync",
    )
)

# Commands that shape the filesystem or the user database and may need repeating in the runtime.
USER_COMMANDS = frozenset(("useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod"))
FILE_COMMANDS = frozenset(("mkdir", "chown", "chmod", "chgrp", "touch", "ln"))
# Commands that leave nothing behind in the image (or only in the build's own scratch space).
NOOP_COMMANDS = frozenset(("export", "true", ":", "echo", "set", "printf", "sleep", "cd", "unset"))
# Housekeeping that is harmless wherever it runs (used to accept RUNs after the build step).
RUNTIME_SAFE_COMMANDS = SHELL_UTILITIES | USER_COMMANDS | FILE_COMMANDS

OS_INSTALLERS = frozenset(("apt-get", "apt", "apk", "yum", "dnf", "microdnf", "aptitude"))

# Credentials and user configuration a build copies in: never repeated into the runtime.
_PRIVATE = re.compile(r"(^|/)\.(netrc|npmrc|pypirc|gitconfig|ssh|docker|aws|m2|gradle|git-credentials)(/|$)")


def resolve(cwd: str, path: str) -> str:
    """``path`` made absolute against ``cwd`` and normalised (no trailing slash except for ``/``)."""
    p = path if path.startswith("/") else posixpath.join(cwd, path)
    out = posixpath.normpath(p)
    return "/" + out.lstrip("/") if out.startswith("//") else out


def within(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or below it."""
    if root == "/":
        return True
    return path == root or path.startswith(root.rstrip("/") + "/")


def is_private_path(path: str) -> bool:
    return _PRIVATE.search(path) is not None


def expand(text: str, env: dict[str, str | None]) -> str | None:
    """``$VAR``/``${VAR}`` replaced from ``env``; None when a variable's value is unknown."""
    if "$" not in text:
        return text
    return substitute(text, env)


def unquote(value: str) -> str:
    """An ENV/ARG value as written (``"a b"``, ``'x'``) to the string BuildKit stores."""
    return remove_quotes(value, "\\")


@dataclass(slots=True)
class PackageInstall:
    manager: str  # "apt", "apk", "yum"
    packages: list[Word]  # as written, versions included (``curl=7.88*``)


_APT_VALUE_FLAGS = ("o", "t", "c", "target-release", "option", "config-file")
_APK_VALUE_FLAGS = ("t", "virtual", "X", "repository", "p", "root", "cache-dir", "arch", "keys-dir")


def package_install(cmd: SimpleCommand) -> PackageInstall | None:
    """``apt-get install ...``, ``apk add ...``, ``yum install ...`` and the packages they install."""
    name = cmd.name
    if name in ("apt-get", "apt", "aptitude"):
        pos = cmd.positional(_APT_VALUE_FLAGS)
        if pos and pos[0].value == "install":
            return PackageInstall("apt", [w for w in pos[1:] if not w.value.endswith(".deb")])
    elif name == "apk":
        pos = cmd.positional(_APK_VALUE_FLAGS)
        if pos and pos[0].value == "add":
            if cmd.has_flag("t", "virtual"):
                # `apk add --virtual .build-deps ...` names a throw-away group: build-only by intent.
                return PackageInstall("apk", [])
            return PackageInstall("apk", pos[1:])
    elif name in ("yum", "dnf", "microdnf"):
        pos = cmd.positional(("c", "setopt", "enablerepo", "disablerepo"))
        if pos and pos[0].value == "install":
            return PackageInstall("yum", pos[1:])
    return None


def package_name(spec: str) -> str:
    """``curl=7.88.1-10`` / ``curl>=8`` / ``curl~8`` -> ``curl``."""
    return re.split(r"[=<>~]", spec, maxsplit=1)[0]


def is_dev_package(name: str) -> bool:
    return name.endswith(("-dev", "-devel", "-headers")) and name not in HARMLESS_DEV_PACKAGES


def command_text(text: str, cmd: SimpleCommand, escape: str) -> str:
    """The source text of one command on a single line (continuations and comment lines dropped)."""
    raw = text[cmd.span.start : cmd.span.end]
    if "\n" not in raw:
        return raw
    lines = raw.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if not s or (out and s.startswith("#")):
            continue
        if s.endswith(escape) and not s.endswith(escape * 2):
            s = s[:-1].rstrip()
        out.append(s)
    return " ".join(out)


def shell_words(script: str) -> list[list[str]]:
    """A light split of a shell string into commands (for CMD/ENTRYPOINT/HEALTHCHECK shell forms)."""
    from ..engine.shell import analyse

    return [[c.word.value, *c.values] for c in analyse(script).commands]
