"""Ruby: ``bundle install`` into ``GEM_HOME`` (``/usr/local/bundle`` in the official images) or into the
app's ``vendor/bundle`` (``BUNDLE_DEPLOYMENT``/``BUNDLE_PATH``/``--deployment``), copied with the app
into ``ruby:<version>-slim``. Build packages (compilers, ``-dev`` headers) stay in the builder; the
runtime libraries native gems link (``libpq5`` for ``pg``, ...) are installed in the runtime.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..._toolchains import within
from .. import runtimes as rti
from ..analysis import Analysis, Artifact, Cmd, NotOffered, Toolchain
from ..context import context_for
from .c import LIBRARIES, dev_package_libraries, runtime_library_packages

if TYPE_CHECKING:
    from ..plan import Plan

# Gems that link a system library at run time (Gemfile.lock name -> -l name).
_NATIVE_GEMS = {"pg": "pq", "mysql2": "mariadb", "sqlite3": "sqlite3", "rmagick": "MagickCore", "curb": "curl"}
_TRUE = ("1", "true", "yes", "on")


def _is_bundle_install(c: Cmd) -> bool:
    vals = c.values()
    return c.name in ("bundle", "bundler") and (not vals or vals[0] in ("install", "--jobs") or vals[0].startswith("-"))


def detect(a: Analysis, plan: Plan) -> Toolchain | None:
    installs = [c for c in a.all_cmds() if _is_bundle_install(c)]
    if not installs:
        return None
    c = installs[-1]
    wd = a.final.workdir
    if wd is None or wd == "/":
        raise NotOffered("the Ruby app has no WORKDIR to copy")
    gem_home = c.env.get("GEM_HOME") or "/usr/local/bundle"
    path = c.env.get("BUNDLE_PATH")
    deployment = (c.env.get("BUNDLE_DEPLOYMENT") or "").lower() in _TRUE or c.cmd.has_flag("deployment")
    flag_path = c.cmd.flag_values(long="path")
    if flag_path:
        path = flag_path[0]
    if path is None and deployment:
        path = "vendor/bundle"
    target = c.path(path) if path else gem_home
    if target is None or "$" in target:
        raise NotOffered("cannot tell where bundle install puts the gems")
    artifacts: list[Artifact] = []
    if not within(target, wd):
        artifacts.append(Artifact(target, target, True))
    if not within(gem_home, wd) and gem_home != target:
        artifacts.append(Artifact(gem_home, gem_home, True))  # bundler's config (BUNDLE_APP_CONFIG)
    artifacts.append(Artifact(wd, wd, True))
    # Runtime libraries: from the -dev packages the build installs and the native gems it locks.
    libs = dev_package_libraries(plan)
    ctx = context_for(a.doc)
    lock = ctx.read("Gemfile.lock") if ctx.known else None
    for gem, lib in _NATIVE_GEMS.items():
        if lock and re.search(rf"^    {re.escape(gem)} \(", lock, re.M):
            libs.add(lib)
    tag = a.tag
    alpine = tag.alpine is not None
    unknown = sorted(x for x in libs if x not in LIBRARIES and x not in ("c", "m", "pthread", "stdc++"))
    if unknown:
        raise NotOffered(f"native gems link -l{', -l'.join(unknown)}: the runtime package is not known")
    packages = runtime_library_packages(libs, tag)
    if not (not (tag.slim or alpine) or plan.build_packages):
        raise NotOffered("nothing to leave behind: slim image, no build packages")
    rt = rti.ruby_runtime(tag)
    if rt is None:
        raise NotOffered(f"no slim variant of ruby:{tag.tag}")
    return Toolchain(
        "Ruby",
        sorted({x.index for x in installs}),
        artifacts,
        lambda s, f: rti.ruby_runtime(tag),
        tools=rt.tools | {"rails", "puma", "rackup", "sidekiq", "unicorn", "thin"},
        any_tool=True,  # the gems' executables (rails, puma ...) are on PATH through GEM_HOME/bin
        native=False,
        copy_context_dirs=[wd, target],
        runtime_packages=packages,
    )
