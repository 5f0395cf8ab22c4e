"""What the rule runner keeps from one version of a document for the next.

Incremental parsing (engine/parser.py ``parse_incremental``) re-creates exactly the instructions an
edit touched and reuses the others, shifted to their new offsets. The runner therefore keeps
results per instruction object: a RUN's findings, a stage's findings on its FROM, a stage chain's
identity, ShellCheck's findings per RUN. They live here, in a store the caller holds for one
document's lineage of versions (``DocumentState.kept`` in the server; a fresh one per analysis
otherwise), not on the engine's ``Instruction`` objects: the engine owns its objects, the runner
owns what it remembers about them.

Entries are keyed by the instruction object itself (``Instruction`` compares and hashes by
identity), so a key holds its instruction alive and never matches a new one. Offsets in kept values
stay relative to ``span.start`` at the time they were stored (callers store the start with them and
shift on reuse), because reused instructions move.
"""

from __future__ import annotations

import itertools

from ..engine.model import Dockerfile
from ..engine.parser import Instruction

# Shared by every store: a number handed out never recurs, so a key made of them (a stage chain's
# identity, the context signature) cannot match one made for other objects.
SERIAL = itertools.count()


class KeptResults:
    """Values per (slot, instruction), plus per-instruction serial numbers and named values."""

    __slots__ = ("_slots", "_uids", "values")

    def __init__(self) -> None:
        self._slots: dict[str, dict[Instruction, object]] = {}
        self._uids: dict[Instruction, int] = {}
        # Small values of the lineage as a whole (the last context signature per rule set).
        self.values: dict[object, object] = {}

    def slot(self, name: str) -> dict[Instruction, object]:
        """The values kept under ``name``, by instruction: loops over every RUN read this dict
        directly (a keystroke on a large file looks up thousands of entries)."""
        d = self._slots.get(name)
        if d is None:
            d = self._slots[name] = {}
        return d

    def get(self, name: str, ins: Instruction) -> object | None:
        return self.slot(name).get(ins)

    def put(self, name: str, ins: Instruction, value: object) -> None:
        self.slot(name)[ins] = value

    def uid(self, ins: Instruction) -> int:
        """A number no other instruction object ever gets. Not ``id()``: a version whose
        diagnostics were skipped (a newer change came first) frees instructions whose addresses
        can be reused by new ones, and a key made of addresses would then wrongly match."""
        uid = self._uids.get(ins)
        if uid is None:
            uid = self._uids[ins] = next(SERIAL)
        return uid

    def retain(self, doc: Dockerfile) -> None:
        """Forget the instructions ``doc`` no longer has, once they outnumber the live ones: each
        keystroke re-creates an instruction or two, so pruning at twice the document's size costs
        O(1) per keystroke and keeps at most one document's worth of dead instructions alive."""
        held = max([len(self._uids), *(len(d) for d in self._slots.values())])
        if held <= 2 * len(doc.instructions) + 16:
            return
        live = set(doc.instructions)
        self._uids = {k: v for k, v in self._uids.items() if k in live}
        self._slots = {name: {k: v for k, v in d.items() if k in live} for name, d in self._slots.items()}
