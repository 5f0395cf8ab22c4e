"""Regenerate server/dockerfile_refactor_ls/initialize_result.json from the server's real features.

fast_start.py answers `initialize` from this file before pygls is imported; it must equal what pygls
computes. `--check` exits 1 when the file is stale (run by `make test`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pygls.capabilities import ServerCapabilitiesBuilder

from dockerfile_refactor_ls.server import create_server

TARGET = Path(__file__).resolve().parent.parent / "server" / "dockerfile_refactor_ls" / "initialize_result.json"


def compute() -> dict[str, object]:
    ls = create_server()
    fm = ls.protocol.fm
    caps = ServerCapabilitiesBuilder(
        lsp.ClientCapabilities(),
        set({**fm.features, **fm.builtin_features}.keys()),
        fm.feature_options,
        list(fm.commands.keys()),
        ls._text_document_sync_kind,
        ls._notebook_document_sync,
        lsp.PositionEncodingKind.Utf16,
    ).build()
    result = ls.protocol._converter.unstructure(lsp.InitializeResult(capabilities=caps))
    result["capabilities"].pop("positionEncoding", None)
    # Whether prepareRename is registered: fast_start needs it for clients with prepareSupport.
    result["capabilities"]["_prepareRename"] = lsp.TEXT_DOCUMENT_PREPARE_RENAME in fm.features
    result.pop("serverInfo", None)
    return result


def main() -> int:
    text = json.dumps(compute(), indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run python scripts/gen_initialize_result.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
