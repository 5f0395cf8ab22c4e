"""One module per toolchain: how to recognise its build in the stage walk, the artifact, the runtime
image and the files the program needs. Each module defines ``detect(analysis, plan)``, returning a
:class:`..analysis.Toolchain` (or None when the stage has no build step of it) and raising
``NotApplicable(reason)`` when it sees the build but cannot split it safely.

The image table (``engine/data/images.toml``) says which toolchain an image is (its ``toolchain``
field); :data:`DETECTORS` maps that name to the module. Adding a toolchain is adding a module, its
entry here and its goldens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ....engine.image_facts import ImageFacts
from ....engine.images import ImageName
from ..runtimes import JAVA_TOOLCHAIN_IMAGES
from . import c, conda, dotnet, go, java, node, php, python, ruby, rust

if TYPE_CHECKING:
    from ..analysis import Analysis, Toolchain
    from ..plan import Plan

Detector = Callable[["Analysis", "Plan"], "Toolchain | None"]

# A word every build step of the toolchain has (a RUN without one cannot be the build).
BUILD_WORDS: dict[str, re.Pattern[str]] = {
    # make, a script: a Makefile's recipe or a build script runs `go build` (Analysis.with_build_steps).
    "go": re.compile(r"\b(go|make|gmake)\b|\.sh\b"),
    "rust": re.compile(r"\b(cargo|make|gmake)\b|\.sh\b"),
    "c": re.compile(r"\b(make|gmake|cmake|ninja|gcc|g\+\+|cc|c\+\+|clang|clang\+\+)\b"),
    "node": re.compile(r"\b(npm|yarn|pnpm|npx|tsc|vite|ng|next|webpack|esbuild|rollup|parcel|nuxt|gatsby|astro|react-scripts|vue-cli-service)\b"),
    "python": re.compile(r"\b(pip|pip3|poetry|uv|pipenv|python|python3|virtualenv)\b"),
    "java": re.compile(r"\b(mvn|mvnw|gradle|gradlew|javac)\b"),
    "dotnet": re.compile(r"\bdotnet\b"),
    "ruby": re.compile(r"\b(bundle|bundler)\b"),
    "php": re.compile(r"\bcomposer\b"),
    "conda": re.compile(r"\b(conda|mamba|micromamba)\b"),
}

DETECTORS: dict[str, Detector] = {
    "go": go.detect,
    "rust": rust.detect,
    "java": java.detect,
    "node": node.detect,
    "python": python.detect,
    "c": c.detect,
    "dotnet": dotnet.detect,
    "ruby": ruby.detect,
    "php": php.detect,
    "conda": conda.detect,
}


def toolchain_of(image: ImageName, facts: ImageFacts | None) -> str | None:
    """The toolchain an image is, from the image table (Java images it does not list by name too)."""
    if facts is not None and facts.toolchain:
        return facts.toolchain if facts.toolchain in DETECTORS else None
    if facts is not None and not facts.toolchain and facts.os in ("debian", "ubuntu", "alpine"):
        return "c"  # a distribution image: a C/C++ build when the stage installs a compiler
    if facts is None and image.key in JAVA_TOOLCHAIN_IMAGES:
        return "java"
    return None
