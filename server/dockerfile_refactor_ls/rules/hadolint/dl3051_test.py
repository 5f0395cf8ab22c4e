from ._testing import flagged

SCHEMA = {"emptylabel": "text", "version": "semver"}


def test_empty_schema_label() -> None:
    assert flagged("DL3051", 'FROM a:1\nLABEL emptylabel=""\n', label_schema=SCHEMA) == ['emptylabel=""']
    assert flagged("DL3051", "FROM a:1\nLABEL version=''\n", label_schema=SCHEMA) == ["version=''"]
    assert flagged("DL3051", 'LABEL emptylabel=""\n', label_schema=SCHEMA) == ['emptylabel=""']


def test_non_empty_or_other_labels_pass() -> None:
    assert flagged("DL3051", 'FROM a:1\nLABEL emptylabel="foo"\n', label_schema=SCHEMA) == []
    assert flagged("DL3051", 'FROM a:1\nLABEL other=""\n', label_schema=SCHEMA) == []
    assert flagged("DL3051", 'FROM a:1\nLABEL emptylabel=""\n') == []
