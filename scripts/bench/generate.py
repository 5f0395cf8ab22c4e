#!/usr/bin/env python3
"""Deterministic generator of large, realistic Dockerfiles for `make bench`.

Each file has: global ARGs before the first FROM and per-stage re-declarations, many named
stages (some based on an earlier stage), long RUN chains with `&& \\` continuations and comments
inside the continuations, `${VAR}` references, `COPY --from=<stage>`, ENV/LABEL, a few heredocs
(`RUN <<EOF`) and some lint problems (apt-get install without --no-install-recommends, FROM without
a tag, MAINTAINER, a relative WORKDIR, CMD in shell form, a lowercase instruction).

Two lines are planted for the benchmark driver (scripts/bench/run_bench.py):
  * a bare `COPY --from=` line in a stage past the middle (completion is asked at its end);
  * a `RUN echo "edit-target ..."` line near the middle (keystrokes are typed inside its string).

The output depends only on the seed and the requested size (standard library only).

Usage: python scripts/bench/generate.py [--out DIR] [--seed N] [--sizes 50,500,5000,50000]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

DEFAULT_SIZES = (50, 500, 5_000, 50_000)
DEFAULT_SEED = 20_240_601
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "bench" / "generated"

BASES = [
    ("debian", "bookworm-slim"),
    ("ubuntu", "22.04"),
    ("python", "3.12-slim"),
    ("node", "20-bookworm"),
    ("golang", "1.22"),
    ("alpine", "${ALPINE_VERSION}"),
    ("eclipse-temurin", "21-jdk"),
    ("rust", "1.78"),
]
UNTAGGED = ["ubuntu", "debian", "busybox", "nginx"]
ROLES = ["deps", "build", "test", "lint", "assets", "docs", "tools", "runtime", "compile", "bundle"]
APT_PACKAGES = [
    "ca-certificates", "curl", "git", "build-essential", "pkg-config", "libssl-dev", "zlib1g-dev",
    "libffi-dev", "make", "gcc", "g++", "unzip", "xz-utils", "gnupg", "jq", "openssh-client",
    "libpq-dev", "libxml2-dev", "libjpeg-dev", "tzdata", "locales", "less", "procps", "wget",
]
APK_PACKAGES = ["bash", "curl", "git", "build-base", "openssl-dev", "musl-dev", "ca-certificates"]
GLOBAL_ARGS = [
    ("ALPINE_VERSION", "3.19"),
    ("APP_VERSION", "1.4.2"),
    ("PYTHON_VERSION", "3.12"),
    ("NODE_ENV", "production"),
    ("BUILD_DATE", "2024-06-01"),
]
SHELL_STEPS = [
    "mkdir -p /opt/${{APP_NAME}}/{n}",
    "cd /opt/${{APP_NAME}}",
    "echo \"step {n} for ${{APP_VERSION}}\" >> /var/log/build.log",
    "curl -fsSL https://example.invalid/pkg-{n}.tar.gz -o /tmp/pkg-{n}.tar.gz",
    "tar -xzf /tmp/pkg-{n}.tar.gz -C /opt",
    "rm -f /tmp/pkg-{n}.tar.gz",
    "make -j\"$(nproc)\" target-{n}",
    "ln -sf /opt/bin/tool-{n} /usr/local/bin/tool-{n}",
    "chmod 0755 /usr/local/bin/tool-{n}",
    # A four-digit uid at every size: past 99999 it becomes a DL3046 finding, and a workload whose
    # problems per line grow with its length would make the 5,000 → 50,000 growth look superlinear.
    "useradd --system --uid {uid} svc{n} || true",
    "sed -i 's/debug=1/debug=0/' /etc/app-{n}.conf",
    "find /opt -name '*.pyc' -delete",
]


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def __len__(self) -> int:
        return len(self.lines)


def _apt_chain(w: Writer, n: int, length: int, lint_problem: bool) -> None:
    rng = w.rng
    pkgs = rng.sample(APT_PACKAGES, k=min(len(APT_PACKAGES), max(2, length)))
    flag = "" if lint_problem else " --no-install-recommends"
    w.add("RUN apt-get update \\")
    w.add(f"    && apt-get install -y{flag} \\")
    for i, pkg in enumerate(pkgs):
        if i and i % 4 == 0:
            w.add(f"    # group {i // 4} of the packages for step {n}")
        w.add(f"        {pkg} \\")
    w.add("    && rm -rf /var/lib/apt/lists/*")


def _apk_chain(w: Writer, n: int) -> None:
    pkgs = " ".join(w.rng.sample(APK_PACKAGES, k=3))
    w.add(f"RUN apk add --no-cache {pkgs} \\", f"    && echo \"apk step {n}\"")


def _shell_chain(w: Writer, n: int, length: int, comment: bool = False) -> None:
    rng = w.rng
    steps = [rng.choice(SHELL_STEPS).format(n=n * 10 + i, uid=1000 + (n * 10 + i) % 9000) for i in range(max(2, length))]
    w.add("RUN set -eux; \\")
    for i, step in enumerate(steps):
        if i and (rng.random() < 0.2 or (comment and i == 1)):
            w.add("    # a comment inside the continuation")
        prefix = "" if i == 0 else "&& "
        suffix = "" if i == len(steps) - 1 else " \\"
        w.add(f"    {prefix}{step}{suffix}")


def _heredoc(w: Writer, n: int) -> None:
    w.add(
        "RUN <<EOF",
        "set -e",
        f"echo \"heredoc {n}\" > /etc/motd-{n}",
        f"mkdir -p /srv/data-{n}",
        "EOF",
    )


def _copy_from(w: Writer, stages: list[str], n: int) -> None:
    src = w.rng.choice(stages)
    w.add(f"COPY --from={src} /opt/${{APP_NAME}}/ /opt/{src}/")


def generate(lines: int, seed: int = DEFAULT_SEED) -> str:
    """Return Dockerfile text of about `lines` lines (deterministic for a given seed and size)."""
    rng = random.Random(f"{seed}:{lines}")
    w = Writer(rng)
    w.add("# syntax=docker/dockerfile:1", f"# Generated by scripts/bench/generate.py (seed {seed}, {lines} lines)")
    for name, value in GLOBAL_ARGS:
        w.add(f"ARG {name}={value}")
    w.add("")

    # Stage sizes grow a little with the file so that a 50-line file still has several stages.
    stage_target = max(14, min(60, lines // 6))
    stages: list[str] = []
    completion_planted = False
    edit_planted = False
    features = {"apt": False, "heredoc": False, "shell": False}  # each at least once per file
    from_stage_used = False
    n = 0
    while len(w) < lines - 6 or len(stages) < 2:
        n += 1
        role = ROLES[n % len(ROLES)]
        name = f"{role}-{n}"
        start = len(w)
        r = rng.random()
        if n == 2:
            w.add(f"FROM {rng.choice(UNTAGGED)} AS {name}")  # lint: no tag (always once)
            apt_ok = True
        elif stages and r < 0.25:
            w.add(f"FROM {rng.choice(stages)} AS {name}")
            apt_ok = True
            from_stage_used = True
        elif r < 0.31:
            w.add(f"FROM {rng.choice(UNTAGGED)} AS {name}")  # lint: no tag
            apt_ok = True
        else:
            image, tag = rng.choice(BASES)
            w.add(f"FROM {image}:{tag} AS {name}")
            apt_ok = image != "alpine"
        w.add("ARG APP_VERSION", "ARG APP_NAME=app")
        if rng.random() < 0.5:
            w.add(f'LABEL org.opencontainers.image.version="${{APP_VERSION}}" stage="{name}"')
        if n == 1 or rng.random() < 0.08:
            w.add("MAINTAINER someone@example.invalid")  # lint: deprecated
        if n == 1 or rng.random() < 0.05:
            w.add(f"env LEGACY_MODE_{n}=1")  # lint: lowercase instruction (has a quick fix)
        if rng.random() < 0.6:
            w.add(f"ENV PATH=/opt/${{APP_NAME}}/bin:$PATH STAGE_{n}={name}")
        relative = n == 1 or rng.random() < 0.1
        w.add("WORKDIR app" if relative else "WORKDIR /opt/${APP_NAME}")  # lint: relative

        budget_end = min(lines - 3, start + stage_target + rng.randint(-4, 8))
        while len(w) < budget_end:
            left = budget_end - len(w)
            k = rng.random()
            if not edit_planted and len(w) >= lines // 2 - 10:
                w.add(f'RUN echo "edit-target for stage {name}" > /tmp/edit-target.txt')
                edit_planted = True
            elif not completion_planted and stages and len(w) >= (lines * 3) // 5:
                w.add("COPY --from=")  # completion is asked at the end of this line
                completion_planted = True
            elif not features["apt"] and apt_ok and left >= 6:
                _apt_chain(w, n, 3, lint_problem=True)  # lint: no --no-install-recommends
                features["apt"] = True
            elif not features["heredoc"] and left >= 5:
                _heredoc(w, n)
                features["heredoc"] = True
            elif not features["shell"] and left >= 4:
                _shell_chain(w, n, 2, comment=True)
                features["shell"] = True
            elif k < 0.30 and apt_ok and left >= 6:
                _apt_chain(w, n, rng.randint(3, min(14, left - 3)), lint_problem=rng.random() < 0.15)
            elif k < 0.36 and not apt_ok:
                _apk_chain(w, n)
            elif k < 0.60 and left >= 4:
                _shell_chain(w, n, rng.randint(2, min(10, left - 1)))
            elif k < 0.66 and left >= 5:
                _heredoc(w, n)
            elif k < 0.82 and stages:
                _copy_from(w, stages, n)
            elif k < 0.90:
                w.add(f"COPY src-{n}-{len(w)}/ ./src-{len(w)}/")
            else:
                w.add(f"ENV FEATURE_{n}_ENABLED=1")
        if n == 1 or rng.random() < 0.3:
            w.add("CMD run-app --stage " + name)  # lint: shell form
        elif rng.random() < 0.3:
            w.add(f'CMD ["run-app", "--stage", "{name}"]')
        w.add("")
        stages.append(name)

    # A final runtime stage that copies from earlier stages, so every file ends the same way.
    if not edit_planted:
        w.add('RUN echo "edit-target for the last stage" > /tmp/edit-target.txt')
    final = f"final-{n + 1}"
    # (based on the first stage when no stage so far was based on an earlier one)
    w.add(f"FROM {'debian:bookworm-slim' if from_stage_used else stages[0]} AS {final}")
    if not completion_planted:
        w.add("COPY --from=")
    w.add(f"COPY --from={stages[-1]} /opt/app/ /opt/app/", "USER 10001", 'CMD ["/opt/app/bin/app"]')
    return "\n".join(w.lines) + "\n"


def write_all(out: Path, sizes: tuple[int, ...] = DEFAULT_SIZES, seed: int = DEFAULT_SEED) -> dict[int, Path]:
    """Write one `Dockerfile` per size into `out/lines-NNNNN/` and return the paths."""
    paths: dict[int, Path] = {}
    for size in sizes:
        path = out / f"lines-{size:05d}" / "Dockerfile"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = generate(size, seed)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths[size] = path
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default bench/generated)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated line counts")
    args = ap.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(",") if s)
    for size, path in write_all(args.out, sizes, args.seed).items():
        print(f"{path}: {len(path.read_text().splitlines())} lines (asked {size})")


if __name__ == "__main__":
    main()
