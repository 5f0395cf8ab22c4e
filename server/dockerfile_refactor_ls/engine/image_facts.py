"""What official and widely used base images provide, from the bundled table ``data/images.toml``.

One table, read once, for every consumer: :func:`facts_for` answers for an image reference,
:func:`facts_for_stage` for the image a stage really starts from (through ``FROM <stage>`` and global
ARGs, see :mod:`.images`). The table's header documents the fields and how tags select variants;
each entry names the published Dockerfile its facts come from.

An absent field is "not known" (``None``), never "none": a consumer that needs a fact falls back to
what it can prove from the Dockerfile itself.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .images import ImageName, parse_image, root_image

if TYPE_CHECKING:
    from .model import Dockerfile, Stage


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What one image (repository and tag family) provides; None fields are unknown."""

    key: str  # the table entry that matched ("golang", "gcr.io/distroless/static*")
    image: ImageName
    os: str | None = None
    libc: str | None = None
    workdir: str | None = None
    user: str | None = None
    users: dict[str, int] = field(default_factory=dict)
    env: frozenset[str] = frozenset()
    env_values: dict[str, str] = field(default_factory=dict)
    shell: str | None = None  # "" when the image has no shell
    package_manager: str | None = None  # "" when it has none
    toolchain: str | None = None  # "" when it is not one
    runtime: str | None = None
    tools: frozenset[str] = frozenset()
    packages: frozenset[str] = frozenset()
    size_mb: float | None = None
    source: str | None = None
    variants: tuple[str, ...] = ()  # the variants that applied

    @property
    def has_shell(self) -> bool | None:
        return None if self.shell is None else bool(self.shell)

    @property
    def family(self) -> str | None:
        """The package family ("apt", "apk", "dnf", ...), "" without one, None when unknown."""
        return self.package_manager

    def size_text(self) -> str:
        """``≈ 290 MB`` (``≈ 3.5 MB`` below 10 MB), ``""`` when unknown."""
        if self.size_mb is None:
            return ""
        size = self.size_mb
        return f"≈ {size:g} MB" if size < 10 else f"≈ {round(size)} MB"


_FIELDS = (
    "os",
    "libc",
    "workdir",
    "user",
    "users",
    "env",
    "env_values",
    "shell",
    "package_manager",
    "toolchain",
    "runtime",
    "tools",
    "packages",
    "size_mb",
    "source",
)


TABLE_SOURCE = "data/images.toml"
# images.toml parsed, as JSON (scripts/gen_image_table.py writes it, `make test` checks it): tomllib
# took about 20 ms of the first diagnostics, json.loads takes 0.2 ms.
TABLE_PARSED = "data/images.json"


def source_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_source(data: bytes) -> dict[str, Any]:
    return tomllib.loads(data.decode("utf-8"))


@cache
def table() -> dict[str, Any]:
    """The whole parsed table (read from the package once per process): the JSON copy when it was
    made from this very images.toml, else the TOML itself (an edit not yet regenerated stays right)."""
    files = resources.files(__package__)
    data = files.joinpath(TABLE_SOURCE).read_bytes()
    try:
        parsed = json.loads(files.joinpath(TABLE_PARSED).read_bytes())
    except (OSError, ValueError):
        parsed = None
    if isinstance(parsed, dict) and parsed.get("source_sha256") == source_digest(data):
        return dict(parsed["table"])
    return parse_source(data)


@cache
def runtime_settings() -> dict[str, Any]:
    """The ``[runtime]`` section: defaults and version tables the splitStages runtimes use."""
    return dict(table().get("runtime", {}))


def stable_table() -> dict[str, dict[str, str]]:
    """The ``[stable]`` section by image key: the tag each written tag (``latest``, ``alpine``...) pins to."""
    return {k: v for k, v in table().get("stable", {}).items() if isinstance(v, dict)}


def _entry_for(key: str) -> tuple[str, dict[str, Any]] | None:
    images: dict[str, dict[str, Any]] = table()["images"]
    if key in images:
        return key, images[key]
    best: tuple[str, dict[str, Any]] | None = None
    for pattern, entry in images.items():
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            if best is None or len(pattern) > len(best[0]):
                best = (pattern, entry)
    return best


def _variant_matches(name: str, tag: str) -> bool:
    if name.startswith("="):
        return tag == name[1:]
    if "-" in name:  # a combination of parts, e.g. "jre-alpine"
        return name in tag
    return any(part.startswith(name) for part in tag.split("-"))


@cache
def _facts(key: str, tag: str) -> tuple[str, dict[str, Any], tuple[str, ...]] | None:
    found = _entry_for(key)
    if found is None:
        return None
    pattern, entry = found
    merged = {k: v for k, v in entry.items() if k != "variant"}
    applied: list[str] = []
    for name, over in entry.get("variant", {}).items():
        if _variant_matches(name, tag):
            merged.update(over)
            applied.append(name)
    return pattern, merged, tuple(applied)


def facts_for(image: ImageName | str) -> ImageFacts | None:
    """The table's facts for an image reference (None when the table has no entry for it)."""
    if isinstance(image, str):
        image = parse_image(image)
    found = _facts(image.key, (image.effective_tag or "").lower())
    if found is None:
        return None
    pattern, merged, applied = found
    values = {k: merged[k] for k in _FIELDS if k in merged}
    for name in ("env", "tools", "packages"):
        if name in values:
            values[name] = frozenset(values[name])
    for name in ("users", "env_values"):
        if name in values:
            values[name] = dict(values[name])
    if "size_mb" in values:
        values["size_mb"] = float(values["size_mb"])
    return ImageFacts(pattern, image, variants=applied, **values)


def facts_for_stage(doc: Dockerfile, stage: Stage) -> ImageFacts | None:
    """The facts of the image ``stage`` really starts from (None when unresolvable or not in the table)."""
    image = root_image(doc, stage)
    if image is None:
        return None
    return facts_for(image)


def known_keys() -> list[str]:
    """Every entry of the table (for documentation and tests)."""
    return list(table()["images"])


def stable_tag(image: ImageName) -> str | None:
    """The current stable tag of the same variant (``node:alpine`` -> ``24-alpine``), from the table's
    ``[stable]`` section; None when the image is not there or the tag is not a version-less one."""
    if image.digest is not None:
        return None
    tags: dict[str, str] = table().get("stable", {}).get(image.key, {})
    written = image.tag_lower or "latest"
    return tags.get(written) if isinstance(tags, dict) else None


def stable_checked() -> str:
    """The date the ``[stable]`` tags were last compared with the official images."""
    return str(table().get("stable", {}).get("checked", ""))
