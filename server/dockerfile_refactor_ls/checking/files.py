"""Which files ``check`` reads: named files as given, folders walked for Dockerfiles while
honouring ``.gitignore`` (every level's, plus ``.git/info/exclude``), as git would list them."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")
# Never descended into, ignored or not: version control internals and dependency trees.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".jj", "node_modules", "__pycache__", ".venv", ".tox"})


def is_dockerfile(name: str) -> bool:
    return (
        name in DOCKERFILE_NAMES
        or name.endswith((".Dockerfile", ".dockerfile", ".Containerfile"))
        or name.startswith(("Dockerfile.", "Containerfile."))
    )


class _Ignores:
    """The stack of ``.gitignore`` specs that apply in one folder (deepest last)."""

    def __init__(self, specs: list[tuple[Path, object]]) -> None:
        self.specs = specs

    def child(self, directory: Path) -> _Ignores:
        spec = _load(directory / ".gitignore")
        return _Ignores([*self.specs, (directory, spec)]) if spec is not None else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        # The deepest file that has a say decides, as in git (a negation in a subfolder wins).
        for base, spec in reversed(self.specs):
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)  # type: ignore[attr-defined]
            if result.include is not None:
                return bool(result.include)
        return False


def _load(path: Path) -> object | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(text.splitlines())


def _git_root(directory: Path) -> Path | None:
    for d in (directory, *directory.parents):
        if (d / ".git").exists():
            return d
    return None


def _ignores_for(directory: Path) -> _Ignores:
    """The specs of ``directory``'s repository that apply above and at ``directory``."""
    directory = directory.resolve()
    root = _git_root(directory)
    if root is None:
        return _Ignores([]).child(directory)
    ignores = _Ignores([])
    exclude = _load(root / ".git" / "info" / "exclude") if (root / ".git").is_dir() else None
    if exclude is not None:
        ignores = _Ignores([(root, exclude)])
    chain = [directory, *directory.parents]
    for d in reversed(chain[: chain.index(root) + 1]):
        ignores = ignores.child(d)
    return ignores


def walk(directory: Path, use_gitignore: bool = True) -> Iterator[Path]:
    """Dockerfiles under ``directory``, sorted, skipping hidden folders and what git ignores."""
    start = _ignores_for(directory) if use_gitignore else _Ignores([])
    # Paths are yielded as the user spelled the folder; ignore rules are matched on resolved ones.
    stack: list[tuple[Path, Path, _Ignores]] = [(directory, directory.resolve(), start)]
    while stack:
        current, real, ignores = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS or entry.name.startswith("."):
                    continue
                if use_gitignore and ignores.ignored(real / entry.name, True):
                    continue
                subdirs.append(entry.name)
            elif is_dockerfile(entry.name) and not (use_gitignore and ignores.ignored(real / entry.name, False)):
                yield current / entry.name
        for name in reversed(subdirs):
            sub_real = real / name
            stack.append((current / name, sub_real, ignores.child(sub_real) if use_gitignore else ignores))


def discover(paths: Sequence[str], use_gitignore: bool = True) -> Iterator[Path]:
    """Files to check: each named file as given (even if ignored), each folder walked."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from walk(p, use_gitignore)
        else:
            yield p
