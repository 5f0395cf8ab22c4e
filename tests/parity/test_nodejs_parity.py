"""The cases ported from the Node Dockerfile language service (tests/parity/nodejs_cases.py): each
must give what their suite expects, or, where we deliberately differ, our documented behaviour."""

from __future__ import annotations

import pytest

from .nodejs_cases import CASES, Case, evaluate, matches


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    got = evaluate(case)
    if case.differs is None:
        assert matches(case, got, case.expected), got
    else:
        assert not matches(case, got, case.expected), "now agrees with the Node server: drop `differs`"
        assert matches(case, got, case.ours), got


def test_the_sample_covers_every_ported_feature() -> None:
    features = {c.feature for c in CASES}
    assert features == {"highlight", "definition", "rename", "complete", "no_complete", "hover", "links", "signature"}
    assert len(CASES) >= 100
