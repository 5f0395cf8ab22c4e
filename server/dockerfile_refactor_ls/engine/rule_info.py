"""What the editor features of the engine need to know about a rule, without importing the rules.

Completion of rule ids (``# hadolint ignore=``, ``# check=skip=``) and links to rule docs take the
rules as an argument of this shape; the LSP feature hands in the registry's rules
(``rules.registry.all_rules()``), which have it. The engine stays below the rules
(tests/test_import_graph.py).
"""

from __future__ import annotations

from typing import Protocol


class RuleInfo(Protocol):
    @property
    def code(self) -> str: ...  # "DL3008", "FromAsCasing"

    @property
    def origin(self) -> str: ...  # "buildkit", "hadolint" or "dockerfile-refactor-ls"

    @property
    def summary(self) -> str: ...  # one line

    @property
    def url(self) -> str: ...  # its documentation page
