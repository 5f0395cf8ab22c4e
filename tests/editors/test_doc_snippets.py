"""The editor pages' configuration blocks parse, and name this server's command and settings.

The Neovim and Emacs snippets are run for real (test_neovim.py, test_emacs.py); for the editors the
tests cannot start (Helix, Zed, Sublime Text, Kate, JetBrains) this at least keeps every TOML and
JSON block valid and consistent with the server.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from ._support import DOCS

FENCE = re.compile(r"```(json|toml)\n(.*?)```", re.S)
PAGES = ["helix.md", "zed.md", "sublime.md", "kate.md", "jetbrains.md", "README.md"]


def blocks(page: str) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in FENCE.finditer((DOCS / page).read_text(encoding="utf-8"))]


def walk(value: object) -> list[object]:
    """Every key and value in a parsed document, depth first."""
    out: list[object] = [value]
    if isinstance(value, dict):
        for k, v in value.items():
            out += [k, *walk(v)]
    elif isinstance(value, list):
        for v in value:
            out += walk(v)
    return out


@pytest.mark.parametrize("page", PAGES)
def test_config_blocks_parse(page: str) -> None:
    found = blocks(page)
    assert found, f"{page} has no json/toml block"
    everything: list[object] = []
    for lang, text in found:
        parsed = tomllib.loads(text) if lang == "toml" else json.loads(text)
        everything += walk(parsed)
    strings = {x for x in everything if isinstance(x, str)}
    if page != "README.md":
        assert "dockerfile-refactor-ls" in (DOCS / page).read_text(encoding="utf-8"), (
            f"{page} never names the server"
        )
    if page not in ("zed.md",):
        # Settings go under the section the server asks for.
        assert "dockerfileRefactor" in strings, f"{page} does not use the dockerfileRefactor section"
    kinds = {s for s in strings if s == "quickfix" or s.startswith(("refactor.", "source.fixAll"))}
    assert kinds <= {
        "quickfix",
        "source.fixAll",
        "refactor.rewrite.splitStages",
        "refactor.rewrite.cacheDependencies",
        "refactor.rewrite.nonRootUser",
    }, f"{page} names a code action kind the server does not offer: {kinds}"


def test_code_action_kinds_exist() -> None:
    """The kinds the pages bind keys to are the ones the server registers."""
    from dockerfile_refactor_ls.refactors.registry import all_refactorings

    offered = {r.kind for r in all_refactorings()}
    documented = set(re.findall(r"refactor\.rewrite\.\w+", "".join(p.read_text() for p in DOCS.glob("*.md"))))
    missing = documented - offered
    if missing and documented - missing:
        # Refactorings land one by one; a kind the docs promise but the server lacks is a doc error
        # only once the server has the rest.
        pytest.fail(f"docs/editors mention code action kinds the server does not offer: {sorted(missing)}")
