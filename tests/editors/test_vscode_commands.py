"""The VS Code extension offers every refactoring the server has, each as a command in the palette
and in the editor's "Dockerfile Refactor" submenu, with the title refactor.ts shows in its messages.

refactor.ts and package.json are read as text (no Node needed): the command list in refactor.ts is
a literal array of {command, kind, title} objects, which is what the extension registers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from dockerfile_refactor_ls.refactors.registry import all_refactorings

VSCODE = Path(__file__).resolve().parents[2] / "editors" / "vscode"
ENTRY = re.compile(r"\{\s*command:\s*'([^']+)',\s*kind:\s*'([^']+)',\s*title:\s*'([^']+)',?\s*\}")


def refactor_ts() -> list[tuple[str, str, str]]:
    text = (VSCODE / "src" / "refactor.ts").read_text(encoding="utf-8")
    block = text.split("export const REFACTORINGS", 1)[1].split("];", 1)[0]
    return [(m[1], m[2], m[3]) for m in ENTRY.finditer(block)]


def test_every_server_refactoring_has_a_command() -> None:
    entries = refactor_ts()
    kinds = [kind for _, kind, _ in entries]
    assert len(kinds) == len(set(kinds)), "a kind is listed twice in refactor.ts"
    assert set(kinds) == {r.kind for r in all_refactorings()}
    for command, kind, _ in entries:
        name = kind.rsplit(".", 1)[1]
        assert command == f"dockerfileRefactor.{name}", (command, kind)


def test_package_json_contributes_them_in_order() -> None:
    contributes = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))["contributes"]
    entries = refactor_ts()
    commands = {c["command"]: c for c in contributes["commands"]}
    palette = [m["command"] for m in contributes["menus"]["commandPalette"]]
    submenu = [m for m in contributes["menus"]["dockerfileRefactor.editorContext"] if m["group"].startswith("1_refactor")]
    for command, _, title in entries:
        assert commands[command]["title"] == title, command
        assert commands[command]["category"] == "Dockerfile Refactor"
    # Palette and submenu list them as refactor.ts does (the submenu sorts by the @order).
    assert palette == [c for c, _, _ in entries]
    ordered = sorted(submenu, key=lambda m: int(m["group"].split("@")[1]))
    assert [m["command"] for m in ordered] == [c for c, _, _ in entries]
    assert len({m["group"] for m in submenu}) == len(submenu)
    # Palette titles read as a sentence after the category and never end in punctuation.
    for _, _, title in entries:
        assert title[0].isupper() and not title.endswith((".", ":")), title
