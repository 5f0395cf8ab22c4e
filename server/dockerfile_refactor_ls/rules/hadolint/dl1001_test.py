from ...engine.model import Dockerfile
from ...engine.settings import Settings
from ..analysis import diagnose
from ._testing import findings, fixed, flagged

ON: dict[str, object] = {"optional_rules": ("DL1001",)}


def test_inline_pragma() -> None:
    assert flagged("DL1001", "# hadolint ignore=DL3003\nRUN foo bar\n", **ON) == ["# hadolint ignore=DL3003"]
    assert fixed("DL1001", "FROM a:1\n# hadolint ignore=DL3003\nRUN cd x\n", optional_rules=("DL1001",)) == "FROM a:1\nRUN cd x\n"
    assert not findings("DL1001", "# hadolint ignore=DL3003\nRUN x\n", **ON)[0].fixes[0].safe


def test_other_comments_and_pragmas_pass() -> None:
    for text in (
        "# hadolint shell=powershell\nRUN foo bar\n",
        "# foobar\nRUN foo bar\n",
        "FROM debian\nRUN foo bar\n",
        "# hadolint global ignore=DL3003\nFROM debian\n",
        "# hadolint stage ignore=DL3003\nFROM debian\n",
        "# hadolint ignore=not-a-rule\nFROM debian\n",
    ):
        assert flagged("DL1001", text, **ON) == [], text


def test_off_by_default_on_with_an_override() -> None:
    text = "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /x\n"
    assert flagged("DL1001", text) == []
    assert "DL1001" not in [f.code for f in diagnose(Dockerfile(text))]
    settings = Settings().with_hadolint_yaml("override:\n  warning: [DL1001]\n")
    assert "DL1001" in [f.code for f in diagnose(Dockerfile(text), settings)]
