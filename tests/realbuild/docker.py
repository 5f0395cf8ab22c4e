"""A small client for the verification's own Docker engine (Debian's 20.10 CLI, BuildKit built in).

Every build uses ``--network=host`` (the daemon has no bridge) and every container ``--network=none``;
an HTTP app is probed from inside its own network namespace, so nothing listens on the host.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

DOCKER = "/usr/bin/docker"  # a newer CLI earlier on PATH has no buildx and falls back or fails
BUSYBOX = "/bin/busybox"  # static: runs `id -u` inside images that have no shell (distroless, scratch)


def default_dir() -> Path:
    return Path(os.environ.get("REALBUILD_DIR") or Path.home() / ".cache/dockerfile-refactor-ls/realbuild")


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    log: str

    def tail(self, lines: int = 25) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


@dataclass
class RunResult:
    ok: bool
    output: str
    detail: str = ""


@dataclass
class HttpResult:
    ok: bool
    bodies: list[str] = field(default_factory=list)
    detail: str = ""


class Docker:
    def __init__(self, state_dir: Path) -> None:
        self.env = dict(os.environ, DOCKER_HOST=f"unix://{state_dir}/docker.sock", DOCKER_BUILDKIT="1")

    def _run(self, *args: str, timeout: float = 120, input_: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [DOCKER, *args], env=self.env, text=True, capture_output=True, timeout=timeout, input=input_
        )

    def available(self) -> bool:
        try:
            return self._run("info", timeout=20).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def networks(self) -> set[str]:
        return set(self._run("network", "ls", "--format", "{{.Name}}").stdout.split())

    def image_exists(self, ref: str) -> bool:
        return self._run("image", "inspect", ref).returncode == 0

    def label(self, ref: str, key: str) -> str | None:
        out = self._run("image", "inspect", "-f", f'{{{{index .Config.Labels "{key}"}}}}', ref)
        value = out.stdout.strip()
        return value if out.returncode == 0 and value and value != "<no value>" else None

    def size(self, ref: str) -> int:
        return int(self._run("image", "inspect", "-f", "{{.Size}}", ref).stdout.strip() or 0)

    def tag(self, src: str, dst: str) -> None:
        self._run("tag", src, dst).check_returncode()

    def remove_image(self, ref: str) -> None:
        self._run("rmi", "-f", ref)

    def import_tar(self, tar: Path, ref: str, changes: list[str]) -> None:
        args = ["import"]
        for change in changes:
            args += ["-c", change]
        self._run(*args, str(tar), ref, timeout=600).check_returncode()

    def build(
        self,
        context: Path,
        dockerfile: Path,
        tag: str,
        *,
        build_args: dict[str, str] | None = None,
        labels: dict[str, str] | None = None,
        timeout: float = 1200,
        target: str | None = None,
        platform: str | None = None,
        output: str | None = None,
        no_cache: bool = False,
    ) -> BuildResult:
        args = ["build", "--network=host", "--progress=plain", "-f", str(dockerfile)]
        if no_cache:
            args.append("--no-cache")
        # An --output build exports files instead of tagging an image.
        args += ["--output", output] if output is not None else ["-t", tag]
        if target is not None:
            args += ["--target", target]
        if platform is not None:
            args += ["--platform", platform]
        for k, v in (build_args or {}).items():
            args += ["--build-arg", f"{k}={v}"]
        for k, v in (labels or {}).items():
            args += ["--label", f"{k}={v}"]
        t0 = time.monotonic()
        try:
            out = self._run(*args, str(context), timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            log = exc.stderr if isinstance(exc.stderr, str) else ""
            return BuildResult(False, time.monotonic() - t0, f"{log}\nbuild timed out after {timeout:.0f} s")
        return BuildResult(out.returncode == 0, time.monotonic() - t0, out.stdout + out.stderr)

    def run_output(self, image: str, timeout: float = 120) -> RunResult:
        try:
            out = self._run("run", "--rm", "--network=none", image, timeout=timeout)
        except subprocess.TimeoutExpired:
            return RunResult(False, "", f"did not exit within {timeout:.0f} s")
        text = (out.stdout + out.stderr).strip()
        return RunResult(out.returncode == 0, text, "" if out.returncode == 0 else f"exit code {out.returncode}")

    def layers(self, image: str) -> list[str]:
        """The image's layer digests (its filesystem, whatever its config or creation time)."""
        out = self._run("image", "inspect", "-f", "{{range .RootFS.Layers}}{{.}} {{end}}", image)
        return out.stdout.split() if out.returncode == 0 else []

    def shell(self, image: str, script: str, timeout: float = 120) -> RunResult:
        """``sh -c script`` in the image (its own shell on PATH), without network."""
        try:
            out = self._run("run", "--rm", "--network=none", "--entrypoint", "sh", image, "-c", script, timeout=timeout)
        except subprocess.TimeoutExpired:
            return RunResult(False, "", f"did not exit within {timeout:.0f} s")
        text = (out.stdout + out.stderr).strip()
        return RunResult(out.returncode == 0, text, "" if out.returncode == 0 else f"exit code {out.returncode}")

    def uid(self, image: str) -> str:
        """`id -u` as the image's USER, with a static busybox mounted in (works without a shell)."""
        out = self._run(
            "run", "--rm", "--network=none", "-v", f"{BUSYBOX}:/.verify/busybox:ro",
            "--entrypoint", "/.verify/busybox", image, "id", "-u",
        )
        return out.stdout.strip() if out.returncode == 0 else f"error: {(out.stderr or out.stdout).strip()[:200]}"

    def http(self, image: str, port: int, paths: list[str], wait: float = 60) -> HttpResult:
        """Start the app with no network and GET each path in order from inside its namespace."""
        started = self._run("run", "-d", "--network=none", image)
        if started.returncode != 0:
            return HttpResult(False, detail=f"did not start: {started.stderr.strip()[:300]}")
        cid = started.stdout.strip()
        try:
            pid = self._run("inspect", "-f", "{{.State.Pid}}", cid).stdout.strip()
            bodies: list[str] = []
            deadline = time.monotonic() + wait
            for i, path in enumerate(paths):
                while True:
                    answer = _curl_in_netns(pid, port, path)
                    if answer is not None:
                        status, body = answer
                        if not 200 <= status < 400:
                            logs = self._run("logs", "--tail", "20", cid)
                            return HttpResult(
                                False, bodies,
                                f"HTTP {status} for {path}; logs: {(logs.stdout + logs.stderr).strip()[-600:]}",
                            )
                        bodies.append(body)
                        break
                    running = self._run("inspect", "-f", "{{.State.Running}}", cid).stdout.strip()
                    if running != "true" or time.monotonic() > deadline or i > 0:
                        logs = self._run("logs", "--tail", "20", cid)
                        why = "exited" if running != "true" else f"no answer on 127.0.0.1:{port}{path}"
                        return HttpResult(False, bodies, f"{why}; logs: {(logs.stdout + logs.stderr).strip()[-600:]}")
                    time.sleep(0.3)
                    pid = self._run("inspect", "-f", "{{.State.Pid}}", cid).stdout.strip()
            return HttpResult(True, bodies)
        finally:
            self._run("rm", "-f", cid)


def _curl_in_netns(pid: str, port: int, path: str) -> tuple[int, str] | None:
    """(HTTP status, body) from inside the container's network namespace, redirects followed as a
    browser would (serve's clean URLs redirect, nginx serves the file); None when nothing answered."""
    if not pid or pid == "0":
        return None
    try:
        out = subprocess.run(
            ["nsenter", f"--net=/proc/{pid}/ns/net", "curl", "-sS", "-L", "-m", "5", "-w", "\\n%{http_code}",
             f"http://127.0.0.1:{port}{path}"],
            text=True, capture_output=True, timeout=10,
        )
    except subprocess.TimeoutExpired:
        return None
    body, _, code = out.stdout.rpartition("\n")
    if out.returncode != 0 or not code.isdigit() or code == "000":
        return None
    return int(code), body


_STEP = re.compile(r"^#(\d+) \[(?:[^\]]*?\s)?\d+/\d+\] (.*)$")


def build_steps(log: str) -> dict[str, bool]:
    """Each build step's text (``RUN npm ci``) and whether BuildKit took it from the cache.

    Read from ``--progress=plain`` output: a step is announced as ``#8 [builder 4/6] RUN npm ci`` and,
    when cached, followed by ``#8 CACHED``.
    """
    names: dict[str, str] = {}
    cached: set[str] = set()
    for line in log.splitlines():
        m = _STEP.match(line)
        if m:
            names[m.group(1)] = m.group(2).strip()
            continue
        num, _, rest = line.partition(" ")
        if rest.strip() == "CACHED" and num.startswith("#"):
            cached.add(num[1:])
    return {text: (num in cached) for num, text in names.items()}
