from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3053",
    "rfc3339",
    valid=["2021-03-10T10:26:33.564595127+01:00", "2024-05-01T12:00:00Z", "2016-12-31T23:59:60z"],
    invalid=["not-date", "2024-05-01", "2024-02-30T00:00:00Z", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00+25:00"],
)
