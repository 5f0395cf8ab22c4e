import pytest

from ._testing import findings, flagged

CODE = "DL3053"
SCHEMA = {"lbl": "rfc3339", "other": "text"}


@pytest.mark.parametrize("value", ["2021-03-10T10:26:33.564595127+01:00", "2024-05-01T12:00:00Z", "2016-12-31T23:59:60z"])
def test_valid_values_pass(value: str) -> None:
    assert flagged(CODE, f'FROM a:1\nLABEL lbl="{value}"\n', label_schema=SCHEMA) == []


@pytest.mark.parametrize("value", ["not-date", "2024-05-01", "2024-02-30T00:00:00Z", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00+25:00"])
def test_invalid_values(value: str) -> None:
    text = f'FROM a:1\nLABEL lbl="{value}"\n'
    assert flagged(CODE, text, label_schema=SCHEMA) == [f'"{value}"']
    assert "`lbl`" in findings(CODE, text, label_schema=SCHEMA)[0].message
    # ONBUILD LABEL and a fragment without FROM are checked too.
    assert len(findings(CODE, f'FROM a:1\nONBUILD LABEL lbl="{value}"\n', label_schema=SCHEMA)) == 1
    assert len(findings(CODE, f'LABEL lbl="{value}"\n', label_schema=SCHEMA)) == 1


def test_other_labels_variables_and_no_schema() -> None:
    assert flagged(CODE, 'FROM a:1\nLABEL other="-- not checked --"\n', label_schema=SCHEMA) == []
    assert flagged(CODE, 'FROM a:1\nLABEL lbl="${VALUE}"\n', label_schema=SCHEMA) == []
    assert flagged(CODE, 'FROM a:1\nLABEL lbl="-- not checked --"\n') == []
