from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3058",
    "email",
    valid=["abcd@google.com", "first.last+tag@example.co.uk", "x@localhost"],
    invalid=["not-email", "Jane Doe <jane@example.org>", "a@@b", "a@b..c"],
)
