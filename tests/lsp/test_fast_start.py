"""The early `initialize` reply (sent before pygls loads) equals what pygls itself would answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from pytest_lsp import client_capabilities

from dockerfile_refactor_ls.fast_start import DISABLE_ENV


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _initialize(capabilities: dict[str, Any], fast: bool) -> dict[str, Any]:
    env = dict(os.environ)
    if fast:
        env.pop(DISABLE_ENV, None)
    else:
        env[DISABLE_ENV] = "1"
    messages = (
        _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": capabilities}})
        + _frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        + _frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        + _frame({"jsonrpc": "2.0", "method": "exit"})
    )
    proc = subprocess.run(
        [sys.executable, "-m", "dockerfile_refactor_ls"], input=messages, capture_output=True, timeout=60, env=env
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout
    replies = []
    while out:
        header, _, rest = out.partition(b"\r\n\r\n")
        length = next(int(h.split(b":")[1]) for h in header.split(b"\r\n") if h.lower().startswith(b"content-length"))
        replies.append(json.loads(rest[:length]))
        out = rest[length:]
    responses = [r for r in replies if r.get("id") == 1]
    assert len(responses) == 1, replies  # exactly one reply to initialize
    assert any(r.get("id") == 2 for r in replies)  # and the server went on to answer shutdown
    return responses[0]["result"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("client", ["visual-studio-code", "neovim"])
def test_fast_initialize_matches_pygls(client: str) -> None:
    from pygls.protocol import default_converter

    caps = default_converter().unstructure(client_capabilities(client))
    assert _initialize(caps, fast=True) == _initialize(caps, fast=False)


def test_position_encoding_follows_the_client() -> None:
    caps = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
    assert _initialize(caps, fast=True)["capabilities"]["positionEncoding"] == "utf-8"
    assert _initialize(caps, fast=False)["capabilities"]["positionEncoding"] == "utf-8"
    assert _initialize({}, fast=True)["capabilities"]["positionEncoding"] == "utf-16"
