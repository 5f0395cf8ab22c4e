"""The analysis front door: hadolint/BuildKit twins are reported once, suppressions work as hadolint's."""

from __future__ import annotations

from dockerfile_refactor_ls.engine.findings import Severity
from dockerfile_refactor_ls.engine.model import Dockerfile
from dockerfile_refactor_ls.engine.settings import Settings
from dockerfile_refactor_ls.rules.analysis import diagnose


def codes(text: str) -> list[str]:
    return [f.code for f in diagnose(Dockerfile(text))]


def test_twins_are_reported_once_with_both_fixes() -> None:
    findings = diagnose(Dockerfile("FROM alpine:3.20\nUSER app\nCMD node server.js\n"))
    cmd = [f for f in findings if f.code in ("JSONArgsRecommended", "DL3025")]
    assert [f.code for f in cmd] == ["JSONArgsRecommended"]
    assert cmd[0].fixes  # the exec-form fix survives the merge


def test_the_kept_twin_says_which_hadolint_code_it_stands_for() -> None:
    findings = diagnose(Dockerfile("FROM alpine:3.20\nUSER app\nCMD node server.js\n"))
    cmd = next(f for f in findings if f.code == "JSONArgsRecommended")
    assert cmd.also == ("DL3025",) and "DL3025" not in cmd.message  # BuildKit's text, word for word
    assert cmd.shown_message == f"{cmd.message} (also hadolint DL3025)"


def test_either_twin_code_suppresses_both() -> None:
    for suppression in (
        "# check=skip=JSONArgsRecommended\n",
        "# check=skip=DL3025\n",
        "# hadolint global ignore=DL3025\n",
        "# hadolint global ignore=JSONArgsRecommended\n",
    ):
        found = codes(suppression + "FROM alpine:3.20\nUSER app\nCMD node server.js\n")
        assert "DL3025" not in found and "JSONArgsRecommended" not in found, suppression
    text = "FROM alpine:3.20\nUSER app\n# hadolint ignore=DL4000\nMAINTAINER me\n"
    found = codes(text)
    assert "MaintainerDeprecated" not in found and "DL4000" not in found


def test_either_twin_code_in_settings() -> None:
    text = "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS a\n"
    for code in ("DL3024", "DuplicateStageName"):
        found = [f.code for f in diagnose(Dockerfile(text), Settings(ignore=frozenset({code})))]
        assert "DL3024" not in found and "DuplicateStageName" not in found, code
        yaml = Settings().with_hadolint_yaml(f"override:\n  info: [{code}]\n")
        kept = [f for f in diagnose(Dockerfile(text), yaml) if f.code == "DuplicateStageName"]
        assert [f.severity for f in kept] == [Severity.INFORMATION], code


def test_hadolint_pragma_reach() -> None:
    base = "FROM debian:12\n{}RUN apt-get install -y curl\n"
    assert "DL3008" not in codes(base.format("# hadolint ignore=DL3008\n"))
    assert "DL3008" not in codes(base.format("# hadolint ignore=DL3015, DL3008 # reason\n"))
    # Only the instruction on the next line: a blank line or another comment in between breaks it.
    assert "DL3008" in codes(base.format("# hadolint ignore=DL3008\n\n"))
    assert "DL3008" in codes(base.format("# hadolint ignore=DL3008\n# why\n"))
    # hadolint's grammar: lower-case keywords, and a name it cannot read rejects the pragma whole.
    assert "DL3008" in codes(base.format("# Hadolint ignore=DL3008\n"))
    assert "DL3008" in codes(base.format("# hadolint ignore=DL3008,not-a-rule\n"))
    assert "DL3008" in codes(base.format("# hadolint ignore=DL3008 DL3015\n"))
    # Our own rule codes may be named too.
    assert "NoUserInFinalStage" not in codes("# hadolint global ignore=NoUserInFinalStage\nFROM debian:12\n")


def test_stage_ignore() -> None:
    text = (
        "# hadolint stage ignore=DL3008\nFROM debian:12 AS a\nRUN apt-get install -y curl\n"
        "FROM debian:12\nRUN apt-get install -y wget\n"
    )
    found = [f for f in diagnose(Dockerfile(text)) if f.code == "DL3008"]
    assert [Dockerfile(text).lines.line_of(f.span.start) for f in found] == [4]


def test_disable_ignore_pragma() -> None:
    text = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n"
    settings = Settings().with_hadolint_yaml("disable-ignore-pragma: true\n")
    assert "DL3008" in [f.code for f in diagnose(Dockerfile(text), settings)]
