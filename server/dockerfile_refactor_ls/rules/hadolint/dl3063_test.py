from ...engine.model import Dockerfile
from ..analysis import diagnose
from ._testing import flagged


def test_reserved_names() -> None:
    assert flagged("DL3063", "FROM foo:bar AS scratch\n") == ["scratch"]
    assert flagged("DL3063", "FROM foo:bar AS context\n") == ["context"]
    assert flagged("DL3063", "FROM foo:bar AS Scratch\n") == ["Scratch"]
    assert flagged("DL3063", "FROM foo:bar AS foobar\nFROM scratch\n") == []


def test_reported_once_with_its_buildkit_twin() -> None:
    found = [f for f in diagnose(Dockerfile("FROM foo:bar AS scratch\n")) if f.code in ("DL3063", "ReservedStageName")]
    assert [f.code for f in found] == ["ReservedStageName"]
    assert found[0].also == ("DL3063",) and "DL3063" not in found[0].message
