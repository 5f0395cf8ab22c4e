# Every public target creates .venv when it is missing, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: help demo test lint typecheck docs clean

help:
	@echo "make demo      - run the checker and the refactorings on examples/"
	@echo "make test      - lint, type-check and run the test suite"
	@echo "make verify-builds - build and run sample apps before/after every refactoring (Debian, root)"
	@echo "make bench     - compare latency and memory with dockerfile-language-server-nodejs"
	@echo "make fuzz      - long random-edit and coverage-guided fuzzing runs"
	@echo "make vsix      - build the VS Code extension package"
	@echo "make e2e       - drive the extension in code-server with headless Chromium"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev,ws]'
	@# An editable install leaves server/ uncompiled, and with PYTHONDONTWRITEBYTECODE set (as on
	@# CI) every server start compiled all of it again: about 70 ms before the first diagnostics.
	$(PY) -m compileall -q -j 0 server/dockerfile_refactor_ls > /dev/null
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@echo "== dockerfile-refactor-ls check examples/ =="
	$(VENV)/bin/dockerfile-refactor-ls check --exit-zero examples/
	@# Every registered refactoring, by the names `fix --action` lists (no list here to fall behind).
	@for action in $$($(PY) -c 'from dockerfile_refactor_ls.refactors.registry import all_refactorings as a; print(" ".join(r.name for r in a()))'); do \
	  for f in examples/*/Dockerfile; do \
	    out=$$($(VENV)/bin/dockerfile-refactor-ls fix --action $$action --diff $$f 2>/dev/null); \
	    if [ -n "$$out" ]; then echo; echo "== $$action: $$f =="; echo "$$out"; fi; \
	  done; \
	done

lint: $(STAMP)
	$(VENV)/bin/ruff check server tests scripts
	$(VENV)/bin/mypy

docs: $(STAMP)
	$(PY) scripts/gen_rule_docs.py
	$(PY) scripts/gen_image_table.py

test: $(STAMP)
	$(VENV)/bin/ruff check server tests scripts
	$(VENV)/bin/mypy
	$(PY) scripts/gen_rule_docs.py --check
	$(PY) scripts/gen_initialize_result.py --check
	$(PY) scripts/gen_image_table.py --check
	@# worksteal: the slow adversarial cases no longer queue behind one worker while the other idles.
	$(PY) -m pytest -n auto --dist worksteal -p no:cacheprovider

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Feature areas (bench, fuzz, editors) add their own targets here.
-include mk/*.mk
