# `make fuzz`: the long reliability runs (docs/reliability.md). `make test` runs the short versions.
#   1. random incremental edits through the real server: FUZZ_EDITS (10,000) edits with requests,
#      each session compared with a fresh server; then a soak of FUZZ_SOAK_EDITS (100,000) edits
#      whose RSS growth after warm-up must stay under 10%;
#   2. coverage-guided fuzzing of the engine with atheris, FUZZ_TIME seconds per harness, seeded
#      with the shared corpus (work files in .cache/fuzz/, crashes in .cache/fuzz/crashes/);
#   3. adversarial inputs at the issue's full sizes (10 MB, 100,000 lines, ...), then the growth
#      of the engine's cost on them at n, 2n, 4n;
#   4. random frames, headers and bodies at the server over stdio, TCP and WebSocket,
#      FUZZ_PROTOCOL_TIME (60) seconds each; a well-formed request must be answered every 25 frames
#      and at the end (scripts/fuzz/protocol_fuzz.py; FUZZ_SEED replays a run).
# Pieces: make fuzz-edits, fuzz-soak, fuzz-engine, fuzz-sizes, fuzz-growth, fuzz-protocol.
# E.g. `make fuzz FUZZ_TIME=30`.
FUZZ_EDITS ?= 10000
FUZZ_SOAK_EDITS ?= 100000
FUZZ_TIME ?= 120
FUZZ_TARGETS ?= parse model diagnose complete refactor
FUZZ_OUT ?= .cache/fuzz
FUZZ_PROTOCOL_TIME ?= 60
FUZZ_SEED ?=
ATHERIS_STAMP := $(VENV)/.atheris-stamp

.PHONY: fuzz fuzz-edits fuzz-soak fuzz-engine fuzz-sizes fuzz-growth fuzz-protocol

# atheris is for fuzzing only: installed here, not in pyproject (it needs a wheel for this Python).
$(ATHERIS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet 'atheris>=2.3'
	touch $(ATHERIS_STAMP)

fuzz: fuzz-edits fuzz-soak fuzz-engine fuzz-sizes fuzz-growth fuzz-protocol
	@echo "fuzz: all runs passed (reports in $(FUZZ_OUT)/)"

fuzz-edits: $(STAMP)
	@mkdir -p $(FUZZ_OUT)
	$(PY) scripts/fuzz/random_edits.py --edits $(FUZZ_EDITS) --report $(FUZZ_OUT)/edits.json
	$(PY) scripts/fuzz/random_edits.py --edits $$(( $(FUZZ_EDITS) / 5 )) --encoding utf-8 --report $(FUZZ_OUT)/edits-utf8.json

fuzz-soak: $(STAMP)
	@mkdir -p $(FUZZ_OUT)
	$(PY) scripts/fuzz/random_edits.py --edits $(FUZZ_SOAK_EDITS) --request-rate 0.2 --max-rss-growth 0.10 \
	  --report $(FUZZ_OUT)/soak.json

fuzz-engine: $(ATHERIS_STAMP)
	@mkdir -p $(FUZZ_OUT)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== atheris: $$t ($(FUZZ_TIME) s) =="; \
	  $(PY) scripts/fuzz/fuzz_engine.py $$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    > $(FUZZ_OUT)/atheris-$$t.log 2>&1 || { tail -60 $(FUZZ_OUT)/atheris-$$t.log; exit 1; }; \
	  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_OUT)/atheris-$$t.log || true; \
	done

fuzz-sizes: $(STAMP)
	DRLS_FULL_ADVERSARIAL=1 $(PY) -m pytest -q -p no:cacheprovider -n auto tests/reliability/test_adversarial.py

fuzz-growth: $(STAMP)
	@mkdir -p $(FUZZ_OUT)
	$(PY) scripts/fuzz/growth.py --markdown $(FUZZ_OUT)/growth.md

fuzz-protocol: $(STAMP)
	@mkdir -p $(FUZZ_OUT)
	@$(PY) scripts/fuzz/protocol_fuzz.py --transport all --time $(FUZZ_PROTOCOL_TIME) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) \
	  > $(FUZZ_OUT)/protocol.txt 2>&1; status=$$?; grep -v '^[0-9]\{4\}-' $(FUZZ_OUT)/protocol.txt | tail -20; exit $$status
