"""textDocument/signatureHelp -> engine.signatures.

Parameters are sent as label offsets to clients that support them (so the two ``...`` of a label
stay distinct) and as label substrings to the others; documentation is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ..engine.signatures import Signature, SignatureHelp, signature_help
from .requests import position_answer

if TYPE_CHECKING:
    from ..engine.model import Dockerfile
    from .host import FeatureHost

OPTIONS = lsp.SignatureHelpOptions(trigger_characters=[" ", "=", ",", "["], retrigger_characters=[":", "/"])


def _signature(sig: Signature, offsets: bool) -> lsp.SignatureInformation:
    return lsp.SignatureInformation(
        label=sig.label,
        documentation=sig.documentation,
        parameters=[
            lsp.ParameterInformation(
                label=(p.start, p.end) if offsets else p.label,
                documentation=p.documentation or None,
            )
            for p in sig.parameters
        ],
    )


def register(ls: FeatureHost) -> None:
    @position_answer(ls, lsp.TEXT_DOCUMENT_SIGNATURE_HELP, signature_help, OPTIONS)
    def on_signature_help(params: lsp.SignatureHelpParams, _doc: Dockerfile, result: SignatureHelp) -> lsp.SignatureHelp:
        caps = ls.client_capabilities.text_document
        info = caps.signature_help.signature_information if caps and caps.signature_help else None
        offsets = bool(info and info.parameter_information and info.parameter_information.label_offset_support)
        # No active parameter: one past the last, which LSP clients highlight as none.
        active_parameter = result.active_parameter
        if active_parameter is None:
            active_parameter = len(result.signatures[result.active_signature].parameters)
        return lsp.SignatureHelp(
            signatures=[_signature(s, offsets) for s in result.signatures],
            active_signature=result.active_signature,
            active_parameter=active_parameter,
        )
