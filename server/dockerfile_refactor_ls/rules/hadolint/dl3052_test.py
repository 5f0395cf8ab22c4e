import pytest

from ._testing import findings, flagged

CODE = "DL3052"
SCHEMA = {"lbl": "url", "other": "text"}


@pytest.mark.parametrize("value", ["http://example.com", "https://github.com/acme/app", "mailto:x@example.org", "https://example.com/a%20b?q=1#top"])
def test_valid_values_pass(value: str) -> None:
    assert flagged(CODE, f'FROM a:1\nLABEL lbl="{value}"\n', label_schema=SCHEMA) == []


@pytest.mark.parametrize("value", ["not-url", "github.com/acme/app", "https://exa mple.com", "http://x/%zz"])
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
