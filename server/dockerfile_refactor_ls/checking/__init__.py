"""The ``check`` command's machinery: configuration lookup, file discovery, running files (in
parallel for large trees) and the progress bar. Output formats live in ``report``."""
