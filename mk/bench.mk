# `make bench`: latency and memory of dockerfile-refactor-ls side by side with
# dockerfile-language-server-nodejs (installed from npm into .cache/bench-node/ on first use).
# Pass options through BENCH_ARGS, e.g. `make bench BENCH_ARGS=--quick`.
BENCH_ARGS ?=

.PHONY: bench bench-generate

bench: $(STAMP)
	$(PY) scripts/bench/run_bench.py $(BENCH_ARGS)
	$(PY) scripts/bench/cli_throughput.py

bench-generate: $(STAMP)
	$(PY) scripts/bench/generate.py
