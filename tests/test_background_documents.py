"""Documents analysed by the server's worker thread (``DocumentState.background``).

There a change only records its edit; the worker takes a snapshot, re-parses incrementally from
its last parse over the one region all edits since then touched (``combine_edits``), and hands the
parse back when it is done with it. The parse must equal a full parse of the text, and the findings
(computed with the rule caches kept across versions) those of a fresh analysis, whatever the edits.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_refactor_ls.documents import ChangeRange, DocumentState, analyse_snapshot, combine_edits
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.parser import parse
from dockerfile_refactor_ls.engine.text import LineIndex, PositionEncoding
from dockerfile_refactor_ls.rules.analysis import diagnose
from dockerfile_refactor_ls.workspace import WorkspaceConfig

from .conftest import corpus_files, read_corpus, requires_corpus
from .test_incremental_parse import BASE, PIECES, UNSAVED_URI, _finding_keys, snapshot

Batch = list[tuple[int, int, str]]


def full(text: str) -> object:
    """A full parse, as the worker's is compared: after a model was built on it (the model keeps
    per-instruction values on the instructions)."""
    return snapshot(Dockerfile(text, parsed=parse(text)).parsed)


def _apply(state: DocumentState, pos: int, length: int, new: str) -> None:
    start = min(pos, len(state.text))
    end = min(start + length, len(state.text))
    idx = LineIndex(state.text)
    state.apply_change(new, ChangeRange(idx.position(start), idx.position(end)))


def _analyse(state: DocumentState) -> tuple[Dockerfile, bool]:
    """What the worker does for one job: snapshot, model, hand-back; and whether it re-parsed
    incrementally."""
    snap = state.take_snapshot()
    model = analyse_snapshot(state.uri, state.encoding, snap)
    assert state.install_model(snap.text, model) == (state.text is snap.text)
    state.return_lineage(model.parsed)
    return model, snap.base is not None and snap.edit is not None


def test_combine_edits_covers_both() -> None:
    base = "0123456789"
    # "234" -> "ab" (offsets 2..5 of base), then insert "Z" at 6 of the result.
    first = (2, 5, 4)
    mid = base[:2] + "ab" + base[5:]
    new = mid[:6] + "Z" + mid[6:]
    start, old_end, new_end = combine_edits(first, (6, 6, 7))
    assert base[:start] == new[:start] and base[old_end:] == new[new_end:]
    assert combine_edits(None, (1, 2, 3)) == (1, 2, 3)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30), st.lists(PIECES, max_size=4).map("".join)),
                         min_size=1, max_size=4), max_size=6))
def test_batches_of_edits_reparse_to_the_full_parse(batches: list[Batch]) -> None:
    state = DocumentState(UNSAVED_URI, BASE, 1, PositionEncoding.UTF16)
    state.attach_worker()
    model, _ = _analyse(state)
    for batch in batches:
        for pos, length, new in batch:  # keystrokes that arrive while the worker is busy
            _apply(state, pos, length, new)
        model, _ = _analyse(state)
        assert model.text == state.text
        assert snapshot(model.parsed) == full(state.text)


def test_the_worker_reparses_incrementally_and_a_full_change_parses_afresh() -> None:
    state = DocumentState(UNSAVED_URI, BASE, 1, PositionEncoding.UTF16)
    state.attach_worker()
    _analyse(state)
    _apply(state, len(BASE), 0, "RUN echo a\n")
    _apply(state, len(state.text), 0, "RUN echo b\n")
    model, incremental = _analyse(state)
    assert incremental and snapshot(model.parsed) == full(state.text)
    # An edit while the worker still holds the parse (not handed back yet): no incremental base
    # for the next snapshot, which parses afresh rather than consume a parse in use.
    snap = state.take_snapshot()
    _apply(state, 0, 0, "# c\n")
    assert state.take_snapshot().base is None
    state.apply_change("FROM scratch\n", None)
    model, incremental = _analyse(state)
    assert not incremental and model.text == "FROM scratch\n"
    assert snap.text is not state.text


def test_a_model_asked_for_on_the_loop_does_not_touch_the_lineage() -> None:
    state = DocumentState(UNSAVED_URI, BASE, 1, PositionEncoding.UTF16)
    state.attach_worker()
    _analyse(state)
    _apply(state, len(BASE), 0, "ENV A=1\n")
    inline = state.model  # a request that could not wait: a fresh full parse
    assert inline.text is state.text and state.model_ready
    snap = state.take_snapshot()
    assert snap.model is inline  # the worker reuses it rather than parse again
    assert snapshot(analyse_snapshot(state.uri, state.encoding, snap).parsed) == full(state.text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10), st.lists(PIECES, max_size=3).map("".join)),
                         min_size=1, max_size=3), max_size=4))
def test_findings_with_kept_caches_match_a_fresh_analysis(batches: list[Batch]) -> None:
    text = BASE + "RUN apt-get update && apt-get install -y curl | tee /log\nUSER app\nCOPY . /src\n"
    state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
    state.attach_worker()
    config = WorkspaceConfig()
    inputs = config.inputs_for(state.uri)
    for batch in [[], *batches]:
        for pos, length, new in batch:
            _apply(state, pos, length, new)
        model, _ = _analyse(state)
        got = config.diagnose_version(state.uri, model.text, lambda m=model: m, inputs, state.kept)  # type: ignore[misc]
        assert _finding_keys(got) == _finding_keys(diagnose(Dockerfile(model.text), *inputs))


@requires_corpus
def test_random_edit_batches_on_corpus_files() -> None:
    rng = random.Random(18)
    pieces = ["x", "", "\n", "\\", "RUN a \\\n", "# c\n", "FROM x AS y\n", "<<EOF\n", "EOF\n", '"', " "]
    checked = 0
    for path in corpus_files()[::7]:
        text = read_corpus(path)
        if not text:
            continue
        state = DocumentState(UNSAVED_URI, text, 1, PositionEncoding.UTF16)
        state.attach_worker()
        _analyse(state)
        for _ in range(4):
            for _ in range(rng.randint(1, 4)):
                _apply(state, rng.randrange(len(state.text) + 1), rng.randint(0, 5), rng.choice(pieces))
            model, _ = _analyse(state)
            assert snapshot(model.parsed) == full(state.text), path.name
            checked += 1
    assert checked > 300


def test_a_change_to_a_document_a_worker_analyses_leaves_the_old_results_to_the_worker() -> None:
    """Freed on the loop, the old version's line index and results held it 80 ms a keystroke at
    10 MB before it could answer from the edited lines' head: the worker drops them instead."""
    import weakref

    from dockerfile_refactor_ls.documents import DROPPED_VERSIONS

    state = DocumentState("untitled:Dockerfile", "FROM alpine\nRUN echo one\n", 1, PositionEncoding.UTF16)
    state.attach_worker()
    assert state.lines is not None

    class Result:
        pass

    result = Result()
    state.cache["outline"] = result
    gone = weakref.ref(result)
    del result
    state.apply_change("!", ChangeRange(LineIndex(state.text).position(11), LineIndex(state.text).position(11)))
    assert state.cache == {} and state._lines is None
    assert gone() is not None  # still held, for the worker
    dropped = state.take_dropped()
    assert len(dropped) == 1 and state.take_dropped() == []
    del dropped
    assert gone() is None
    for _ in range(DROPPED_VERSIONS + 3):  # a worker that never comes holds only a few versions
        state.apply_change("x", None)
    assert len(state.take_dropped()) == DROPPED_VERSIONS
