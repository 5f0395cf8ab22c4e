from ._testing import label_type_tests

test_valid_values_pass, test_invalid_values, test_other_labels_variables_and_no_schema = label_type_tests(
    "DL3052",
    "url",
    valid=["http://example.com", "https://github.com/acme/app", "mailto:x@example.org", "https://example.com/a%20b?q=1#top"],
    invalid=["not-url", "github.com/acme/app", "https://exa mple.com", "http://x/%zz"],
)
