from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3055",
    "hash",
    valid=["2dbfae9", "43c572f1272b6b3171dd1db9e41b7027128ce080"],
    invalid=["not-git-hash", "main", "2DBFAE9", "2dbfae", "43c572f1272b6b3171dd1db9e41b7027128ce08"],
)
