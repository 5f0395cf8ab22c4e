"""Dependencies point one way: engine <- rules/refactors <- diagnostics/actions <- features <- server/CLI.

Reads every module of the package with :mod:`ast` (no import, so a cycle or a slow module cannot hide
an edge) and fails on an import that points up a layer, on a rule importing a refactoring, and on a
refactoring importing another refactoring (shared ``_``-prefixed helpers, ``base`` and ``registry``
excepted). Imports under ``if TYPE_CHECKING:`` count too: a type-only edge still couples the layers.

``KNOWN`` lists the upward edges not yet removed, each with why it is still there; the test fails
both on a new upward edge and on a listed one that no longer exists, so the list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "dockerfile_refactor_ls"
ROOT = Path(__file__).resolve().parents[1] / "server" / PACKAGE

# Layer of each first-level name under the package; a module may import its own layer or lower.
LAYERS: dict[str, int] = {
    "engine": 0,
    "rules": 1,
    "refactors": 1,
    # Diagnostics and actions: the CLI's check/fix pipeline, report formats, and the LSP-side
    # documents/workspace/conversion helpers the features share.
    "checking": 2,
    "report": 2,
    "documents": 2,
    "workspace": 2,
    "convert": 2,
    "wire": 2,
    "core": 2,  # documents, settings and publishing under both LSP front ends (no pygls)
    "analysis_thread": 2,  # the analysis thread both LSP front ends hand documents to (no pygls)
    "head": 2,  # a long document's first lines modelled on their own (no pygls)
    "_pygls_compat": 2,  # pygls' private members in one place; features use it too
    "features": 3,
    "server": 4,
    "fast_start": 4,
    "transport": 4,
    "shellcheck_notice": 4,
    "cli": 4,
    "__main__": 4,
    "": 0,  # the package itself (``__version__``)
}

# Upward edges still to remove, as (importer, imported) without the package prefix -> why it remains.
# Each must disappear from the code before it can be removed from here (see test_known_list_only_shrinks).
KNOWN: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every package module ``path`` imports; ``from x import y`` also yields ``x.y`` (y may be a module)."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}"))
    return out


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:])
    return (ROOT / rel).with_suffix(".py").is_file() or (ROOT / rel / "__init__.py").is_file()


def _parts(module: str) -> list[str]:
    return module.split(".")[1:]


def _layer(module: str) -> int:
    parts = _parts(module)
    top = parts[0] if parts else ""
    assert top in LAYERS, f"{module}: new top-level module, give it a layer in LAYERS"
    return LAYERS[top]


def _refactoring(module: str) -> str | None:
    """The refactoring a ``refactors.*`` module belongs to, or None for shared modules."""
    parts = _parts(module)
    if len(parts) < 2 or parts[0] != "refactors":
        return None
    name = parts[1]
    if name.startswith("_") or name in {"base", "registry"}:
        return None
    return name


def violations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        # A rule's own tests (``*_test.py`` beside it) may drive the refactoring that fixes it: test
        # code is not part of the package's dependency structure.
        if path.stem.endswith("_test"):
            continue
        src = _module_name(path)
        for dst in sorted(_imports(path)):
            if _layer(dst) > _layer(src):
                found[(src, dst)] = "imports a higher layer"
            elif _parts(src)[0] == "rules" and _parts(dst)[:1] == ["refactors"]:
                found[(src, dst)] = "a rule imports refactors"
            elif _parts(src)[0] == "refactors" and _parts(dst)[:1] == ["rules"]:
                found[(src, dst)] = "a refactoring imports rules"
            elif (mine := _refactoring(src)) and (theirs := _refactoring(dst)) and mine != theirs:
                found[(src, dst)] = "a refactoring imports another refactoring"
    prefix = len(PACKAGE) + 1
    return {(a[prefix:], b[prefix:]): why for (a, b), why in found.items()}


def test_no_new_upward_import() -> None:
    new = {edge: why for edge, why in violations().items() if edge not in KNOWN}
    assert not new, "upward imports:\n" + "\n".join(f"  {a} -> {b}: {why}" for (a, b), why in sorted(new.items()))


def test_known_list_only_shrinks() -> None:
    stale = sorted(set(KNOWN) - set(violations()))
    assert not stale, f"remove from KNOWN, these edges are gone: {stale}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ..rules.registry import all_rules\n", "dockerfile_refactor_ls.rules.registry"),
        ("from .. import server\n", "dockerfile_refactor_ls.server"),
        ("import dockerfile_refactor_ls.features.hover\n", "dockerfile_refactor_ls.features.hover"),
    ],
)
def test_reader_resolves_relative_and_absolute_imports(tmp_path: Path, source: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader must see each spelling of an import, or the graph test would pass vacuously.
    fake = ROOT / "engine" / "_import_graph_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source if self == fake else Path.read_bytes(self).decode())
    assert expected in _imports(fake)
    assert _layer(expected) > _layer(_module_name(fake))
