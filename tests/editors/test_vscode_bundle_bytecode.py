"""The VS Code bundle ships bytecode that stays valid after the .vsix is extracted.

scripts/bundle_server.py compiles the bundled server with ``--invalidation-mode unchecked-hash``:
extraction gives the sources new mtimes, and timestamp-checked .pyc files would then be ignored (and
every module compiled again on the first start, which is what the bytecode is there to avoid).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BUNDLER = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "scripts" / "bundle_server.py"


def _bundler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_server", BUNDLER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_bytecode_is_used_after_the_sources_get_new_mtimes(tmp_path: Path) -> None:
    libs = tmp_path / "libs"
    pkg = libs / "bundled_pkg"
    pkg.mkdir(parents=True)
    source = pkg / "__init__.py"
    source.write_text("VALUE = 'from the source'\n")
    stale = pkg / "__pycache__"
    stale.mkdir()
    (stale / "leftover.cpython-311.pyc").write_bytes(b"not bytecode")  # what a smoke test may leave

    _bundler().compile_bytecode(sys.executable, libs)

    assert not (stale / "leftover.cpython-311.pyc").exists(), "earlier caches are removed first"
    cached = Path(importlib.util.cache_from_source(str(source)))
    header = cached.read_bytes()[:16]
    flags = int.from_bytes(header[4:8], "little")
    assert flags == 0b01, f"hash-based and unchecked (flags {flags:#b})"

    # As after extraction: the source's mtime changes and the bytecode must still be taken. A
    # different source text with the old bytecode proves which one Python ran.
    source.write_text("VALUE = 'recompiled'\n")
    os.utime(source, (1_000_000_000, 1_000_000_000))
    env = {**os.environ, "PYTHONPATH": str(libs)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", "import bundled_pkg; print(bundled_pkg.VALUE)"],
        capture_output=True, text=True, env=env, check=True, timeout=60,
    ).stdout.strip()
    assert out == "from the source"


@pytest.mark.parametrize("pattern", ["**/*.pyc", "**/__pycache__/**"])
def test_the_vsix_does_not_exclude_the_bytecode(pattern: str) -> None:
    ignore = (BUNDLER.parents[1] / ".vscodeignore").read_text().splitlines()
    assert pattern not in ignore
