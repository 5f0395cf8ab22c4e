"""Make the stand-in base images listed in ``images/images.toml``, locally, from Debian packages.

No container registry is reachable, so every image a sample or a refactoring names is made here:
a minbase Debian rootfs from ``mmdebstrap`` (the host's own apt sources), ``docker import``-ed, then
the toolchain images built FROM it with apt-get. Each image carries a label with the hash of its
recipe (and of this machine's CA files, which go into the base): an unchanged recipe is not rebuilt,
so a second run costs seconds. The CA files are this machine's: the images are made per machine,
never shipped.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .docker import Docker

HERE = Path(__file__).parent / "images"
RECIPE_LABEL = "org.dockerfile-refactor-ls.recipe"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
LOCAL_CA_DIR = Path("/usr/local/share/ca-certificates")


@dataclass
class ImageSpec:
    name: str
    tags: list[str]
    kind: str = "dockerfile"
    file: str | None = None
    context: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    # Files of images/ the build COPYs (configuration, scripts), put in its context under the same path.
    files: list[str] = field(default_factory=list)


def load_specs(path: Path = HERE / "images.toml") -> list[ImageSpec]:
    data = tomllib.loads(path.read_text())
    return [ImageSpec(**entry) for entry in data["image"]]


def all_tags(specs: list[ImageSpec]) -> set[str]:
    return {t for s in specs for t in s.tags}


def _ca_files() -> list[Path]:
    extra = sorted(LOCAL_CA_DIR.glob("*.crt")) if LOCAL_CA_DIR.is_dir() else []
    return [CA_BUNDLE, *extra] if CA_BUNDLE.exists() else extra


def _recipe_hash(spec: ImageSpec, parent_hashes: list[str]) -> str:
    h = hashlib.sha256()
    h.update(repr((spec.name, spec.kind, spec.file, spec.context, sorted(spec.args.items()))).encode())
    if spec.file:
        h.update((HERE / spec.file).read_bytes())
    for name in spec.files:
        h.update(name.encode() + b"\0" + (HERE / name).read_bytes())
    if spec.context == "host-ca" or spec.kind == "distroless-static":
        for ca in _ca_files():
            h.update(ca.read_bytes())
    for p in parent_hashes:
        h.update(p.encode())
    return h.hexdigest()[:16]


class ImageMaker:
    def __init__(self, docker: Docker, state_dir: Path, log: Callable[[str], None] = print) -> None:
        self.docker = docker
        self.state = state_dir
        self.log = log

    def ensure(self, specs: list[ImageSpec]) -> dict[str, float]:
        """Build what is missing or stale, in order; returns seconds spent per image."""
        spent: dict[str, float] = {}
        chain: list[str] = []  # later images build on earlier ones: a changed base rebuilds them all
        for spec in specs:
            recipe = _recipe_hash(spec, chain)
            chain.append(recipe)
            first = spec.tags[0]
            if self.docker.label(first, RECIPE_LABEL) == recipe and all(self.docker.image_exists(t) for t in spec.tags):
                continue
            t0 = time.monotonic()
            self.log(f"making {first} ...")
            if spec.kind == "rootfs":
                self._rootfs(first, recipe)
            elif spec.kind == "distroless-static":
                self._distroless_static(first, recipe)
            else:
                self._dockerfile(spec, recipe)
            for t in spec.tags[1:]:
                self.docker.tag(first, t)
            spent[first] = time.monotonic() - t0
            self.log(f"made {first} in {spent[first]:.0f} s")
        return spent

    def _rootfs(self, ref: str, recipe: str) -> None:
        tar = self.state / "rootfs-bookworm.tar"
        if not tar.exists():
            sources = Path("/etc/apt/sources.list.d/debian.sources")
            if not sources.exists():
                sources = Path("/etc/apt/sources.list")
            partial = tar.with_suffix(".partial")
            subprocess.run(
                [
                    "mmdebstrap", "--quiet", "--variant=minbase", "--format=tar",
                    "--aptopt=APT::Install-Recommends \"false\"",
                    "--dpkgopt=path-exclude=/usr/share/man/*",
                    "--dpkgopt=path-exclude=/usr/share/doc/*",
                    "--dpkgopt=path-include=/usr/share/doc/*/copyright",
                    "--dpkgopt=path-exclude=/usr/share/locale/*",
                    "--customize-hook=rm -rf \"$1\"/var/lib/apt/lists/* \"$1\"/var/cache/apt/*.bin",
                    "bookworm", str(partial), str(sources),
                ],
                check=True,
            )
            partial.rename(tar)
        self.docker.import_tar(
            tar, ref,
            [
                'CMD ["bash"]',
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                f"LABEL {RECIPE_LABEL}={recipe}",
            ],
        )

    def _distroless_static(self, ref: str, recipe: str) -> None:
        # gcr.io/distroless/static: /etc/passwd with root, nobody and nonroot (65532), CA bundle, /tmp,
        # /home/nonroot; no shell, no libc (GoogleContainerTools/distroless base/base.bzl).
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "root"
            for d in ("etc/ssl/certs", "tmp", "home/nonroot", "root", "var/lib"):
                (root / d).mkdir(parents=True)
            (root / "etc/passwd").write_text(
                "root:x:0:0:root:/root:/sbin/nologin\n"
                "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
                "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
            )
            (root / "etc/group").write_text("root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n")
            (root / "etc/nsswitch.conf").write_text("hosts: files dns\n")
            if CA_BUNDLE.exists():
                shutil.copy(CA_BUNDLE, root / "etc/ssl/certs/ca-certificates.crt")
            tar_path = Path(tmp) / "rootfs.tar"

            def owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
                home = info.name.lstrip("./") == "home/nonroot"
                info.uid = info.gid = 65532 if home else 0
                info.uname = info.gname = ""
                if info.name.lstrip("./") == "tmp":
                    info.mode = 0o1777
                return info

            with tarfile.open(tar_path, "w") as tar:
                tar.add(root, arcname=".", filter=owner)
            self.docker.import_tar(
                tar_path, ref,
                [
                    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                    f"LABEL {RECIPE_LABEL}={recipe}",
                ],
            )

    def _dockerfile(self, spec: ImageSpec, recipe: str) -> None:
        assert spec.file
        with tempfile.TemporaryDirectory() as tmp:
            ctx = Path(tmp)
            if spec.context == "host-ca":
                (ctx / "certs").mkdir()
                if CA_BUNDLE.exists():
                    shutil.copy(CA_BUNDLE, ctx / "ca-certificates.crt")
                for ca in _ca_files()[1:]:
                    shutil.copy(ca, ctx / "certs" / ca.name)
            for name in spec.files:
                (ctx / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(HERE / name, ctx / name)
            result = self.docker.build(
                ctx, HERE / spec.file, spec.tags[0], build_args=spec.args, labels={RECIPE_LABEL: recipe}
            )
            if not result.ok:
                raise RuntimeError(f"could not make {spec.tags[0]}:\n{result.tail(30)}")
