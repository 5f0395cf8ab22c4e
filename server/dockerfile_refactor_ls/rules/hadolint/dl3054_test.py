from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3054",
    "spdx",
    valid=["MIT", "BSD-3-Clause", "Apache-2.0", "apache-2.0"],
    invalid=["not-spdx", "Apache 2", "MIT OR Apache-2.0", "LicenseRef-acme"],
)
