from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3056",
    "semver",
    valid=["1.0.0", "2.0.1-rc1", "1.0.0+build.5", "1.0.0-alpha.1+001"],
    invalid=["not-sem-ver", "1.2", "v1.2.3", "01.2.3", "1.2.3-"],
)
