"""Reference data about Dockerfile instructions: one-line docs, snippets and flags.

Shared by completion, hover and the syntax rule so that the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InstructionInfo:
    keyword: str
    summary: str
    snippet: str  # LSP snippet syntax, after the keyword and a space
    syntax: str


INSTRUCTIONS: dict[str, InstructionInfo] = {
    i.keyword.lower(): i
    for i in (
        InstructionInfo("FROM", "Start a build stage from a base image (or an earlier stage).", "${1:image}:${2:tag}${3: AS ${4:name}}", "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]"),
        InstructionInfo("RUN", "Run a command in a new layer at build time.", "${1:command}", "RUN [--mount=...] [--network=...] <command> | [\"executable\", \"arg\"...]"),
        InstructionInfo("CMD", "The default command (or ENTRYPOINT arguments) of the container.", "[\"${1:executable}\"${2:, \"${3:arg}\"}]", "CMD [\"executable\", \"arg\"...]"),
        InstructionInfo("LABEL", "Add metadata to the image.", "${1:key}=\"${2:value}\"", "LABEL <key>=<value> ..."),
        InstructionInfo("EXPOSE", "Document the ports the container listens on.", "${1:port}", "EXPOSE <port>[/<protocol>] ..."),
        InstructionInfo("ENV", "Set environment variables for later instructions and the container.", "${1:NAME}=${2:value}", "ENV <key>=<value> ..."),
        InstructionInfo("ADD", "Copy files, URLs or Git repositories into the image (prefer COPY for local files).", "${1:source} ${2:destination}", "ADD [--chown=...] [--chmod=...] [--link] [--checksum=...] <src>... <dest>"),
        InstructionInfo("COPY", "Copy files from the build context or another stage into the image.", "${1:source} ${2:destination}", "COPY [--from=<stage|image>] [--chown=...] [--chmod=...] [--link] <src>... <dest>"),
        InstructionInfo("ENTRYPOINT", "The executable the container runs.", "[\"${1:executable}\"${2:, \"${3:arg}\"}]", "ENTRYPOINT [\"executable\", \"arg\"...]"),
        InstructionInfo("VOLUME", "Declare a mount point for external volumes.", "[\"${1:/data}\"]", "VOLUME [\"/path\"...]"),
        InstructionInfo("USER", "Set the user (and group) for later RUN, CMD and ENTRYPOINT.", "${1:user}", "USER <user>[:<group>]"),
        InstructionInfo("WORKDIR", "Set the working directory for later instructions.", "${1:/app}", "WORKDIR /path"),
        InstructionInfo("ARG", "Declare a build argument (before FROM: usable in FROM lines).", "${1:NAME}${2:=${3:default}}", "ARG <name>[=<default>]"),
        InstructionInfo("ONBUILD", "Register an instruction to run when this image is used as a base.", "${1:INSTRUCTION}", "ONBUILD <INSTRUCTION>"),
        InstructionInfo("STOPSIGNAL", "The signal that stops the container.", "${1:SIGTERM}", "STOPSIGNAL <signal>"),
        InstructionInfo("HEALTHCHECK", "How to test that the container still works.", "--interval=${1:30s} CMD ${2:command}", "HEALTHCHECK [--interval=...] [--timeout=...] CMD <command> | NONE"),
        InstructionInfo("SHELL", "The shell used by the shell form of RUN, CMD and ENTRYPOINT.", "[\"${1:/bin/bash}\", \"${2:-c}\"]", "SHELL [\"executable\", \"parameters\"]"),
        InstructionInfo("MAINTAINER", "Deprecated: use LABEL org.opencontainers.image.authors.", "${1:name}", "MAINTAINER <name>"),
    )
}

# Flags per instruction: name -> (takes a value, description). A flag that takes no value is boolean.
FLAGS: dict[str, dict[str, tuple[bool, str]]] = {
    "from": {"platform": (True, "Platform of the base image, e.g. linux/amd64 or $BUILDPLATFORM")},
    "copy": {
        "from": (True, "Copy from an earlier stage, an image or a named context"),
        "chown": (True, "Owner user:group of the copied files"),
        "chmod": (True, "Permissions of the copied files, e.g. 755"),
        "link": (False, "Copy into an independent layer (better cache reuse)"),
        "parents": (False, "Keep the parent directories of the sources"),
        "exclude": (True, "Leave out paths matching this pattern"),
    },
    "add": {
        "chown": (True, "Owner user:group of the added files"),
        "chmod": (True, "Permissions of the added files"),
        "link": (False, "Add into an independent layer"),
        "keep-git-dir": (False, "Keep the .git directory of an added Git repository"),
        "checksum": (True, "Expected checksum of a remote source, e.g. sha256:..."),
        "exclude": (True, "Leave out paths matching this pattern"),
        "unpack": (False, "Unpack an archive source (true/false)"),
    },
    "run": {
        "mount": (True, "Mount a cache, secret, ssh agent, bind or tmpfs: type=cache,target=/root/.cache"),
        "network": (True, "Network for this command: default, none or host"),
        "security": (True, "insecure or sandbox"),
        "device": (True, "Expose a CDI device"),
    },
    "healthcheck": {
        "interval": (True, "Time between checks (default 30s)"),
        "timeout": (True, "Time a check may take (default 30s)"),
        "start-period": (True, "Grace period after start (default 0s)"),
        "start-interval": (True, "Time between checks during the start period (default 5s)"),
        "retries": (True, "Failures before unhealthy (default 3)"),
    },
}

MOUNT_TYPES = ("bind", "cache", "secret", "ssh", "tmpfs")
