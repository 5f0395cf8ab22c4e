"""What we know about base images and their users, for the nonRootUser refactoring and its rules.

Only knowledge we are sure of goes here. An image family is recognised from the repository and tag
(``python:3.12-slim`` is Debian, ``node:20-alpine`` is Alpine, ``gcr.io/distroless/...`` has no
shell but a ``nonroot`` user); anything else is "unknown", and then the refactoring only uses a
numeric ``USER 65534:65534``, which needs no account in the image and no RUN.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .ecosystems import Command, commands_in
from .images import ImageName, global_values, is_windows_reference, stage_chain, substitute
from .model import Dockerfile, Stage
from .parser import Instruction
from .shell import command_words

NUMERIC_NOBODY = "65534:65534"

# Official images that are Debian or Ubuntu unless the tag names another variant.
_DEBIAN_BY_DEFAULT = frozenset(
    ("debian", "ubuntu", "python", "golang", "ruby", "perl", "rust", "buildpack-deps", "gcc", "haskell", "erlang",
     "elixir", "julia", "r-base", "php", "eclipse-temurin", "pypy", "node", "swift", "dart",
     # docker-maven and docker-gradle build on eclipse-temurin (Ubuntu) unless the tag names another
     # base (amazoncorretto, openjdk, graal, alpine: matched above by _OTHER_DISTRO_TAGS or alpine).
     "maven", "gradle")
)
_DEBIAN_TAGS = ("bookworm", "bullseye", "buster", "stretch", "jessie", "trixie", "sid", "slim", "jammy", "focal",
                "noble", "bionic", "xenial", "oracular", "plucky", "debian", "ubuntu")
_OTHER_DISTRO_TAGS = ("ubi", "centos", "fedora", "rocky", "alma", "amazon", "amzn", "oracle", "corretto", "mariner",
                      "azurelinux", "cbl", "wolfi", "busybox", "photon", "suse", "sles", "leap", "clear",
                      "distroless", "chiseled", "musl", "glibc", "openjdk", "graal")

# Images whose entrypoint starts as root and drops privileges itself, or that write root-owned
# directories at start-up (nginx's cache and pid file, postgres' data directory...). A USER line
# breaks them; use their unprivileged variants instead.
_MANAGES_PRIVILEGES = frozenset(
    ("nginx", "httpd", "postgres", "postgis/postgis", "mysql", "mariadb", "mongo", "redis", "rabbitmq",
     "elasticsearch", "wordpress", "drupal", "joomla", "nextcloud", "tomcat", "docker", "caddy",
     "openresty/openresty", "percona", "cassandra", "neo4j", "couchdb", "influxdb", "zookeeper", "solr", "odoo",
     "ghost", "matomo", "mediawiki", "owncloud", "redmine", "phpmyadmin", "bitnami/nginx")
)
_PRIVILEGE_TOOLS = re.compile(r"\b(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|setuser)\b|chroot\s+--userspec")

# Images that already run as a non-root user.
_NON_ROOT_BY_DEFAULT = frozenset(
    ("nginxinc/nginx-unprivileged", "jenkins/jenkins", "jenkins/inbound-agent", "jenkins/agent", "grafana/grafana",
     "prom/prometheus", "prom/alertmanager", "prom/node-exporter", "sonarqube", "haproxy", "memcached",
     "bitnami/nginx")
)

# "root", "0", "root:<group>", "0:<group>" (hadolint's reading of DL3002).
_ROOT_USER = re.compile(r"^(root|0)(:.*)?$")


def is_root_user(value: str) -> bool:
    return bool(_ROOT_USER.match(value.strip().strip("\"'")))


def _tag_words(tag: str) -> list[str]:
    return [w for w in re.split(r"[-_.]", tag) if w]


def family(image: ImageName) -> str:
    """"scratch", "distroless", "alpine", "debian" (Debian or Ubuntu), "windows" or "unknown"."""
    low = image.text.lower()
    if low == "scratch":
        return "scratch"
    if is_windows_reference(low):
        return "windows"
    if image.repository.startswith("distroless/") and image.registry == "gcr.io":
        return "distroless"
    if "chiseled" in image.tag_lower:
        return "distroless"
    words = _tag_words(image.tag_lower)
    if image.last == "alpine" or image.last.startswith("alpine-") or any(w.startswith("alpine") for w in words):
        return "alpine"
    if any(any(w.startswith(o) for o in _OTHER_DISTRO_TAGS) for w in words):
        return "unknown"
    if any(w in _DEBIAN_TAGS for w in words):
        return "debian"
    if image.last in ("debian", "ubuntu") and image.on_docker_hub:
        return "debian"
    if image.official and image.repository in _DEBIAN_BY_DEFAULT:
        return "debian"
    if image.repository.startswith("bitnami/") and image.on_docker_hub:
        return "debian"  # Bitnami's images are built on their minideb
    if _dotnet_major(image) is not None:
        return "debian"  # Microsoft's .NET images are Debian (or Ubuntu, by tag) unless tagged otherwise
    return "unknown"


def _dotnet_major(image: ImageName) -> int | None:
    if image.registry != "mcr.microsoft.com" or not image.repository.startswith("dotnet/"):
        return None
    if image.repository.split("/", 1)[1] not in ("runtime", "aspnet", "runtime-deps", "sdk"):
        return None
    m = re.match(r"(\d+)", image.tag_lower)
    return int(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class ShippedUser:
    """A non-root account an image ships: what ``USER`` names, what ``--chown`` names, and its home."""

    user: str
    chown: str
    home: str | None


# Images that ship an unprivileged account (checked against their official Dockerfiles). Until the
# base-image facts table (engine/images.py) lands this is the one place that knows them.
_SHIPPED = {
    "node": ShippedUser("node", "node:node", "/home/node"),  # uid 1000, Debian and Alpine variants
    "gradle": ShippedUser("gradle", "gradle:gradle", "/home/gradle"),  # uid 1000
    "oven/bun": ShippedUser("bun", "bun:bun", "/home/bun"),  # uid 1000
    "denoland/deno": ShippedUser("deno", "deno:deno", "/home/deno"),  # uid 1993
}
# Bitnami images are built to run as uid 1001 (no passwd entry, group root, OpenShift style).
_BITNAMI = ShippedUser("1001", "1001", None)
_DISTROLESS = ShippedUser("nonroot:nonroot", "nonroot:nonroot", "/home/nonroot")  # uid 65532
_DOTNET = ShippedUser("app", "app:app", "/home/app")  # uid 1654, .NET 8 and later


def shipped_user(image: ImageName) -> ShippedUser | None:
    """The non-root account the image is known to ship."""
    fam = family(image)
    if fam == "distroless" and image.registry == "gcr.io":
        return _DISTROLESS
    # on_docker_hub: Docker Hub or a mirror of it (public.ecr.aws/docker/library/node is the same image).
    if image.on_docker_hub:
        if image.repository in _SHIPPED:
            return _SHIPPED[image.repository]
        if image.repository.startswith("bitnami/"):
            return _BITNAMI
    major = _dotnet_major(image)
    if major is not None and major >= 8:
        return _DOTNET
    return None


# The WORKDIR official images start in (their Dockerfiles' last WORKDIR; "/" when they set none).
# Until the base-image facts table (engine/images.py) lands this is the one place that knows them.
_DEFAULT_WORKDIR = {
    "golang": "/go", "gradle": "/home/gradle", "php": "/var/www/html", "composer": "/app", "httpd": "/usr/local/apache2",
    "tomcat": "/usr/local/tomcat", "wordpress": "/var/www/html", "drupal": "/opt/drupal/web", "ghost":
    "/var/lib/ghost", "jenkins/jenkins": "/", "rust": "/", "node": "/", "python": "/", "ruby": "/", "debian": "/",
    "ubuntu": "/", "alpine": "/", "buildpack-deps": "/", "gcc": "/", "eclipse-temurin": "/", "maven": "/",
    "openjdk": "/", "amazoncorretto": "/", "elixir": "/", "erlang": "/", "haskell": "/", "perl": "/", "swift": "/",
    "pypy": "/", "julia": "/", "r-base": "/", "busybox": "/", "scratch": "/",
}


def default_workdir(image: ImageName) -> str | None:
    """The working directory the image starts in, when we know it."""
    if image.text.lower() == "scratch":
        return "/"
    if image.on_docker_hub and image.repository in _DEFAULT_WORKDIR:
        if image.repository == "php" and "apache" not in (image.tag or "") and "fpm" not in (image.tag or ""):
            return "/"  # only the apache and fpm variants set /var/www/html
        return _DEFAULT_WORKDIR[image.repository]
    if image.repository.startswith("dotnet/") and image.registry == "mcr.microsoft.com":
        return "/"
    return None


def has_shell(doc: Dockerfile, stage: Stage, image: ImageName) -> bool:
    """Whether a shell-form RUN can run in the stage: the distribution has one, or the file already
    runs shell commands there."""
    fam = family(image)
    if fam in ("alpine", "debian"):
        return True
    if fam in ("scratch", "distroless"):
        return False
    return any(ins.cmd == "run" and not ins.json for s in stage_chain(stage, doc) for ins in s.instructions)


def non_root_by_default(image: ImageName) -> bool:
    if image.repository in _NON_ROOT_BY_DEFAULT:
        return True
    if family(image) == "distroless" and "nonroot" in image.tag_lower:
        return True
    major = _dotnet_major(image)
    return major is not None and major >= 8 and "chiseled" in image.tag_lower


def manages_privileges(image: ImageName) -> bool:
    repo = image.repository
    if repo in _MANAGES_PRIVILEGES or (image.official and image.last in _MANAGES_PRIVILEGES):
        return True
    return repo == "php" and "apache" in image.tag_lower


# --- the final stage ------------------------------------------------------------------------


def _shell_texts(ins: Instruction) -> Iterator[str]:
    yield ins.args_text
    for h in ins.heredocs:
        yield h.content


# Programs that start as root by design (bind, then drop to a worker user; or manage services).
_ROOT_SERVICES = frozenset(
    ("nginx", "httpd", "httpd-foreground", "apache2", "apache2-foreground", "apachectl", "lighttpd", "sshd",
     "cron", "crond", "supervisord", "systemd", "init", "runit", "s6-svscan", "rsyslogd", "dockerd",
     "containerd", "postfix", "dovecot", "named", "squid", "openvpn", "php-fpm", "unitd")
)


def _start_commands(doc: Dockerfile, stage: Stage) -> list[Instruction]:
    """The CMD and ENTRYPOINT in effect for the stage (its own, else inherited through FROM <stage>)."""
    found: dict[str, Instruction] = {}
    for s in stage_chain(stage, doc):
        for ins in reversed(s.instructions):
            if ins.cmd in ("cmd", "entrypoint") and ins.cmd not in found:
                found[ins.cmd] = ins
    return list(found.values())


def uses_privilege_tools(doc: Dockerfile, stage: Stage) -> str | None:
    """What in the stage needs to start as root: a privilege-dropping tool (gosu, su-exec, ...) or a
    service that starts as root (nginx, apache, sshd, cron, supervisord, ...); None when nothing does."""
    for s in stage_chain(stage, doc):
        for ins in s.instructions:
            if ins.cmd in ("run", "entrypoint", "cmd"):
                for t in _shell_texts(ins):
                    m = _PRIVILEGE_TOOLS.search(t)
                    if m:
                        return f"drops privileges itself with {m.group(1) or 'chroot --userspec'}"
    for ins in _start_commands(doc, stage):
        words = command_words(ins)
        for word in words[:3]:
            name = posixpath.basename(word.strip("\"'"))
            if re.sub(r"[0-9.]+$", "", name) in _ROOT_SERVICES:
                return f"starts {name}, which starts as root and drops privileges itself"
    return None


def start_commands(doc: Dockerfile, stage: Stage) -> list[Instruction]:
    return _start_commands(doc, stage)


@dataclass(frozen=True, slots=True)
class CreatedUser:
    name: str
    group: str | None  # None when we cannot be sure of the primary group's name
    instruction: Instruction


_USERADD_VALUE = frozenset(("-u", "-g", "-G", "-d", "-s", "-c", "-k", "-e", "-f", "-K", "-p", "-R", "-P", "-b",
                            "-Z", "--uid", "--gid", "--groups", "--home-dir", "--home", "--shell", "--comment",
                            "--skel", "--expiredate", "--inactive", "--key", "--password", "--root", "--prefix",
                            "--base-dir", "--selinux-user"))
_ADDUSER_VALUE = frozenset(("-h", "-g", "-s", "-G", "-u", "-k", "--home", "--shell", "--ingroup", "--uid", "--gid",
                            "--gecos", "--firstuid", "--lastuid", "--conf", "--comment", "--firstgid", "--lastgid"))


def _parse_user_command(cmd: Command) -> tuple[str, str | None] | None:
    prog = cmd.prog
    takes = _USERADD_VALUE if prog == "useradd" else _ADDUSER_VALUE
    positional: list[str] = []
    opts: dict[str, str] = {}
    flags: set[str] = set()
    args = cmd.args
    i = 0
    while i < len(args):
        v = args[i].value
        if v.startswith("-") and len(v) > 1:
            name, eq, value = v.partition("=")
            if eq:
                opts[name] = value
            elif v in takes and i + 1 < len(args):
                opts[v] = args[i + 1].value
                i += 1
            else:
                flags.add(v)
                if not v.startswith("--") and len(v) > 2:
                    flags.update(f"-{c}" for c in v[1:])
        else:
            positional.append(v)
        i += 1
    if not positional:
        return None
    name = positional[0]
    if prog == "useradd":
        if "-N" in flags or "--no-user-group" in flags:
            return name, None
        return name, opts.get("-g") or opts.get("--gid") or name
    # adduser: Debian's (long options) or BusyBox's (short ones).
    if "--ingroup" in opts:
        return name, opts["--ingroup"]
    if "--gid" in opts:
        return name, opts["--gid"]
    if "--group" in flags:
        return name, name
    if "-G" in opts:
        return name, opts["-G"]
    if "--system" in flags or "-S" in flags or len(positional) > 1:
        # System accounts get "nogroup"; `adduser USER GROUP` only adds an existing user to a group.
        return name, None
    return name, name


def created_users(doc: Dockerfile, stage: Stage) -> list[CreatedUser]:
    """Users created by RUN useradd/adduser in the stage and what it is built on (oldest first)."""
    out: list[CreatedUser] = []
    for s in reversed(stage_chain(stage, doc)):
        values = global_values(doc)
        for ins in s.instructions:
            if ins.cmd in ("arg", "env"):
                for kv in ins.pairs:
                    values[kv.key.value] = kv.value.value if kv.value is not None else values.get(kv.key.value)
                continue
            if ins.cmd != "run":
                continue
            for text in _shell_texts(ins):
                if "useradd" not in text and "adduser" not in text:
                    continue
                for cmd in commands_in(text, ("useradd", "adduser")):
                    if cmd.prog not in ("useradd", "adduser"):
                        continue
                    parsed = _parse_user_command(cmd)
                    if parsed is None:
                        continue
                    name, group = parsed
                    if "$" in name:
                        sub = substitute(name, values)
                        if sub is None:
                            continue
                        name = sub
                    if group is not None and "$" in group:
                        group = substitute(group, values)
                    if name and not is_root_user(name):
                        out.append(CreatedUser(name, group, ins))
    return out


def users_in(doc: Dockerfile, stage: Stage) -> list[Instruction]:
    """USER instructions in effect for the stage: those of the stages it builds on, then its own."""
    out: list[Instruction] = []
    for s in reversed(stage_chain(stage, doc)):
        out += [ins for ins in s.instructions if ins.cmd == "user" and ins.args_text]
    return out
