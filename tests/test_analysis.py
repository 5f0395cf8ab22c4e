"""The analysis front door: hadolint/BuildKit twins are reported once, suppressions still work."""

from __future__ import annotations

from dockerfile_refactor_ls.engine.analysis import diagnose
from dockerfile_refactor_ls.engine.model import Dockerfile


def codes(text: str) -> list[str]:
    return [f.code for f in diagnose(Dockerfile(text))]


def test_twins_are_reported_once_with_both_fixes() -> None:
    findings = diagnose(Dockerfile("FROM alpine:3.20\nUSER app\nCMD node server.js\n"))
    cmd = [f for f in findings if f.code in ("JSONArgsRecommended", "DL3025")]
    assert [f.code for f in cmd] == ["JSONArgsRecommended"]
    assert cmd[0].fixes  # the exec-form fix survives the merge


def test_suppressing_the_buildkit_twin_shows_the_hadolint_one() -> None:
    text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nUSER app\nCMD node server.js\n"
    found = codes(text)
    assert "DL3025" in found and "JSONArgsRecommended" not in found


def test_hadolint_ignore_on_the_twin_leaves_the_buildkit_one() -> None:
    text = "FROM alpine:3.20\nUSER app\n# hadolint ignore=DL4000\nMAINTAINER me\n"
    found = codes(text)
    assert found.count("MaintainerDeprecated") == 1 and "DL4000" not in found
