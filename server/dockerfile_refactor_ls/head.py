"""A long file's first lines, modelled on their own while the whole file is parsed.

At 50,000 stages (4 MB) the first parse and model take 2-4 s after didOpen and a keystroke's
0.5-0.8 s; the first 40,000 characters take 20-40 ms. Two things are served from them meanwhile:

- the findings of the stage-local rules there (``rules.analysis.diagnose_head``), published before
  the whole file's diagnosis (``Core.publish_head``);
- requests about a position (or a range) before the head's last stage, of the kinds in
  :data:`HEAD_REQUESTS`: their answers there read nothing after the stage chain of the position,
  so the head's are the whole file's (``tests/test_head_answers.py`` checks each kind on the
  corpus). The head's last stage may go on past the head, and is the final stage only there.

A head stays valid for later versions as long as the text still starts with it (an edit further
down leaves it as it is). This module imports no pygls and no lsprotocol.
"""

from __future__ import annotations

from dataclasses import dataclass

from .documents import DocumentState, build_model
from .engine.completion import seed_document_facts
from .engine.hover import hover_tells_of_later_text
from .engine.model import Dockerfile, ReusableStages
from .engine.parser import ParseResult, parse
from .engine.text import PositionEncoding
from .rules.analysis import head_cut

# A file longer than this gets a head: its whole diagnosis takes seconds (about 5 µs a character,
# 21 s at 50,000 stages) and its parse and model half a second or more.
HEAD_FIRST_CHARS = 200_000
# How long a head is (to the end of the line that holds this character): the screenful an editor
# shows on opening, and more; 20-40 ms to parse and model, 0.1 s for its rules.
HEAD_CHARS = 40_000
# After an edit, how far past it the edited lines' head reaches at least (to the end of the stage
# there): the screenfuls below the edit, which an editor asks about next (semantic tokens and
# inlay hints for the visible range, a hover). Only up to the stage after the edited one, a
# request on a line of the next stage waited for the whole model (0.4-0.6 s at 50,000 stages).
EDIT_HEAD_AFTER_CHARS = 20_000

# The requests answered from the head while the whole file has no model: those about a position
# or a range whose answer reads the stage chain there and what comes before (hover only where it
# does: see ``serves``). Not references, highlights or rename (they look at later stages too),
# not selection ranges (the outermost is the whole document), not code actions (they need the
# whole file's findings), not the whole-document kinds.
HEAD_REQUESTS = frozenset(
    (
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/signatureHelp",
        "textDocument/definition",
        "textDocument/inlayHint",
        "textDocument/semanticTokens/range",
    )
)


def answerable_before(head: Dockerfile) -> int | None:
    """Where the part of ``head`` ends that a request may be answered from: the start of its last
    stage (None when it has fewer than two stages)."""
    if len(head.stages) < 2:
        return None
    return head.stages[-1].from_instruction.span.start


@dataclass(frozen=True, slots=True)
class Head:
    """The first lines of one version of a document, as a document of their own."""

    state: DocumentState  # its model built
    answerable_end: int  # requests about offsets before this may be answered from ``state``
    # The line index's line of ``answerable_end``: a request position on an earlier line is
    # inside the answerable part whatever its character.
    answerable_line: int
    # Built after an edit (``build_edit_head``), not from the first lines.
    after_edit: bool = False
    # Its keyword completions take the case of the whole file's keywords (which it was told).
    whole_keyword_case: bool = False

    @property
    def text(self) -> str:
        return self.state.text

    @property
    def model(self) -> Dockerfile:
        return self.state.model

    def valid_for(self, text: str) -> bool:
        """Whether ``text`` (a later version, perhaps) still starts with this head."""
        return len(text) > len(self.state.text) and text.startswith(self.state.text)

    def serves(self, method: str, start: int, end: int) -> bool:
        """Whether a ``method`` request about ``[start, end]`` (offsets; the same for a position)
        is answered from this head as the whole file would answer it."""
        if method not in HEAD_REQUESTS or end >= self.answerable_end:
            return False
        if method == "textDocument/hover":
            return not hover_tells_of_later_text(self.model, start)
        if method == "textDocument/completion":
            # Keywords offered before anything is typed take the case most of the file's
            # keywords have: the whole file's, not the head's.
            text = self.state.text
            before = text[text.rfind("\n", 0, start) + 1 : start]
            nothing_typed = not before or before[-1].isspace()
            return self.whole_keyword_case or not (nothing_typed and before.strip().lower() in ("", "onbuild"))
        return True


def build_edit_head(
    uri: str,
    prefix: ParseResult,
    reuse: ReusableStages | None,
    keyword_counts: tuple[int, int] | None,
    version: int,
    encoding: PositionEncoding,
) -> Head | None:
    """The head of a version just edited, from the parse of its text up to the end of the stage
    after the edited one (``parse_incremental``'s ``on_prefix``) and the edited version's stages
    before the edit (``reuse``): tens of milliseconds at 50,000 stages, where the whole file's
    parse and model take half a second. ``keyword_counts``: the whole new version's (see
    ``documents.EditedModel``), for keyword completions in its case; unknown, they are not served."""
    model = build_model(uri, prefix.text, encoding, prefix, reuse)
    end = answerable_before(model)
    if end is None:
        return None
    if keyword_counts is not None:
        seed_document_facts(model, *keyword_counts)
    state = DocumentState(uri, prefix.text, version, encoding)
    state._model = model
    return Head(state, end, model.lines.line_of(end), after_edit=True, whole_keyword_case=keyword_counts is not None)


def build_head(uri: str, text: str, version: int, encoding: PositionEncoding) -> Head | None:
    """The head of ``text`` (a version of the document at ``uri``), or None when the text is not
    long enough or the head holds no stage before its last."""
    if len(text) <= HEAD_FIRST_CHARS:
        return None
    cut = head_cut(text, HEAD_CHARS)
    if cut is None:
        return None
    head_text = text[:cut]
    model = build_model(uri, head_text, encoding, parse(head_text))
    end = answerable_before(model)
    if end is None:
        return None
    state = DocumentState(uri, head_text, version, encoding)
    state._model = model
    return Head(state, end, model.lines.line_of(end))
