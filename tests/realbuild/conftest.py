# The sample apps' own tests (test_app.py…) run inside their images with `--target test`, not here.
collect_ignore = ["apps"]
