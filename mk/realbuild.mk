# `make verify-builds`: build and run every sample app in tests/realbuild/apps/ before and after every
# refactoring, on a Docker engine this target starts (bridge-less) and stops by its PID. Stand-in base
# images are made from Debian packages and kept in $(REALBUILD_DIR) between runs. Where docker.io
# cannot be had (not Debian, not root) it prints one "verify-builds: skipped: ..." line and succeeds.
#   make verify-builds VERIFY_ARGS="--app go-web --variant splitStages"   one case
#   make verify-builds UPDATE_DOCS=1                                      rewrite docs/verification.md's table
REALBUILD_DIR ?= $(HOME)/.cache/dockerfile-refactor-ls/realbuild
VERIFY_ARGS ?=
UPDATE_DOCS ?=

.PHONY: verify-builds verify-builds-stop

verify-builds: $(STAMP)
	@export REALBUILD_DIR=$(REALBUILD_DIR); \
	bash scripts/realbuild/dockerd.sh start; rc=$$?; \
	if [ $$rc -eq 3 ]; then exit 0; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	trap 'bash scripts/realbuild/dockerd.sh stop' EXIT; \
	$(PY) -m tests.realbuild.verify $(VERIFY_ARGS) $(if $(UPDATE_DOCS),--update-docs) --json $(REALBUILD_DIR)/results.json

verify-builds-stop:
	REALBUILD_DIR=$(REALBUILD_DIR) bash scripts/realbuild/dockerd.sh stop
