"""An offline catalogue of common base images and their usual tags, for FROM completion.

No registry is asked (a language server must answer in milliseconds, offline too): the table
lists the images most Dockerfiles start from, with the tags their maintainers publish as moving
channels (major or minor versions and distribution variants), newest first. Tags outside the table
are of course still valid; completion only offers these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CatalogImage:
    name: str
    summary: str
    tags: tuple[str, ...]


def _variants(versions: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{v}{s}" for v in versions for s in suffixes)


IMAGES: tuple[CatalogImage, ...] = (
    CatalogImage("alpine", "Alpine Linux, a 5 MB musl/busybox base", ("3.22", "3.21", "3.20", "latest", "edge")),
    CatalogImage(
        "debian",
        "Debian",
        ("trixie", "trixie-slim", "bookworm", "bookworm-slim", "13", "13-slim", "12", "12-slim", "stable-slim"),
    ),
    CatalogImage("ubuntu", "Ubuntu", ("24.04", "22.04", "noble", "jammy", "latest")),
    CatalogImage("busybox", "BusyBox, a minimal shell and tools", ("1.37", "1.36", "musl", "glibc", "stable")),
    CatalogImage(
        "golang",
        "Go toolchain",
        (*_variants(("1.25", "1.24"), ("", "-alpine", "-trixie", "-bookworm")), "1", "alpine"),
    ),
    CatalogImage(
        "node",
        "Node.js",
        (*_variants(("24", "22", "20"), ("", "-slim", "-alpine", "-bookworm", "-bookworm-slim")), "lts", "lts-slim", "lts-alpine"),
    ),
    CatalogImage(
        "python",
        "Python",
        (*_variants(("3.13", "3.12", "3.11"), ("", "-slim", "-alpine", "-bookworm", "-slim-bookworm")), "3", "3-slim"),
    ),
    CatalogImage("rust", "Rust toolchain", ("1", "1-slim", "1-alpine", "1-bookworm", "1-slim-bookworm", "slim", "alpine")),
    CatalogImage(
        "eclipse-temurin",
        "Eclipse Temurin OpenJDK builds",
        (*_variants(("25", "21", "17"), ("-jdk", "-jre", "-jdk-alpine", "-jre-alpine")), "11-jdk", "11-jre", "8-jdk", "8-jre"),
    ),
    CatalogImage("maven", "Apache Maven", ("3-eclipse-temurin-21", "3-eclipse-temurin-17", "3-eclipse-temurin-25", "3")),
    CatalogImage("gradle", "Gradle", ("8-jdk21", "8-jdk17", "jdk21", "8")),
    CatalogImage("openjdk", "Deprecated: use eclipse-temurin", ("21-jdk-slim", "17-jdk-slim")),
    CatalogImage("php", "PHP", _variants(("8.4", "8.3"), ("", "-fpm", "-apache", "-cli", "-fpm-alpine"))),
    CatalogImage("composer", "PHP Composer", ("2", "latest")),
    CatalogImage("ruby", "Ruby", _variants(("3.4", "3.3"), ("", "-slim", "-alpine"))),
    CatalogImage("nginx", "nginx web server", ("1.28", "1.28-alpine", "1.29", "1.29-alpine", "stable", "stable-alpine", "alpine")),
    CatalogImage("httpd", "Apache HTTP Server", ("2.4", "2.4-alpine")),
    CatalogImage("caddy", "Caddy web server", ("2", "2-alpine", "2-builder")),
    CatalogImage("postgres", "PostgreSQL", ("17", "17-alpine", "16", "16-alpine")),
    CatalogImage("mysql", "MySQL", ("8.4", "9", "lts")),
    CatalogImage("mariadb", "MariaDB", ("11.4", "lts")),
    CatalogImage("redis", "Redis", ("8", "8-alpine", "7.4", "7.4-alpine")),
    CatalogImage("mongo", "MongoDB", ("8.0", "7.0")),
    CatalogImage("gcc", "GCC", ("14", "13")),
    CatalogImage("bash", "Bash on Alpine", ("5", "5.2")),
    CatalogImage("docker", "Docker CLI and daemon", ("27", "27-cli", "dind", "cli")),
    CatalogImage("gcr.io/distroless/static-debian12", "Distroless: static binaries", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/static-debian13", "Distroless: static binaries", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/base-debian12", "Distroless: glibc binaries", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/cc-debian12", "Distroless: glibc + libgcc binaries", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/java21-debian12", "Distroless: Java 21", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/nodejs22-debian12", "Distroless: Node.js 22", ("nonroot", "latest", "debug")),
    CatalogImage("gcr.io/distroless/python3-debian12", "Distroless: Python 3", ("nonroot", "latest", "debug")),
    CatalogImage("mcr.microsoft.com/dotnet/sdk", ".NET SDK", ("9.0", "8.0", "9.0-alpine", "8.0-alpine")),
    CatalogImage("mcr.microsoft.com/dotnet/aspnet", "ASP.NET Core runtime", ("9.0", "8.0", "9.0-alpine", "8.0-alpine", "8.0-noble-chiseled")),
    CatalogImage("mcr.microsoft.com/dotnet/runtime", ".NET runtime", ("9.0", "8.0", "9.0-alpine", "8.0-alpine")),
    CatalogImage("docker/dockerfile", "The Dockerfile frontend (for # syntax=)", ("1", "1.7", "1-labs")),
)

BY_NAME: dict[str, CatalogImage] = {i.name: i for i in IMAGES}
