# VS Code extension (editors/vscode) and its end-to-end test in code-server (tests/e2e_vscode).
#
#   make vsix   - editors/vscode/dockerfile-refactor-ls.vsix: the esbuild bundle of the TypeScript
#                 client plus a pure-Python copy of the server in bundled/libs (installs offline)
#   make vscode-unit - the extension's unit tests (node:test), no VS Code needed
#   make e2e    - scripts/e2e_vscode.sh: installs Chromium/ripgrep (apt) and code-server (npm, cached
#                 under .cache/) when missing, builds the .vsix, and drives it in code-server

VSCODE_DIR := editors/vscode
VSIX := $(VSCODE_DIR)/dockerfile-refactor-ls.vsix
VSCODE_NODE_STAMP := $(VSCODE_DIR)/node_modules/.install-stamp

.PHONY: vsix e2e vscode-typecheck vscode-unit

$(VSCODE_NODE_STAMP): $(VSCODE_DIR)/package.json $(VSCODE_DIR)/package-lock.json
	cd $(VSCODE_DIR) && npm ci --no-audit --no-fund
	touch $@

vscode-typecheck: $(VSCODE_NODE_STAMP)
	cd $(VSCODE_DIR) && npx tsc --noEmit -p .

# The extension's unit tests (node:test; src/*.test.ts), without VS Code.
vscode-unit: $(VSCODE_NODE_STAMP)
	cd $(VSCODE_DIR) && npm run --silent unit

# vsce runs the package's vscode:prepublish script (typecheck + minified esbuild bundle) first.
vsix: $(STAMP) $(VSCODE_NODE_STAMP)
	$(PY) $(VSCODE_DIR)/scripts/bundle_server.py --python $(PY)
	@# With a native ShellCheck in the bundle the package is for this platform (bundled/vsce-target).
	cd $(VSCODE_DIR) && npx vsce package --no-dependencies --no-rewrite-relative-links \
	  --allow-missing-repository $$(test -f bundled/vsce-target && echo --target $$(cat bundled/vsce-target)) \
	  --out dockerfile-refactor-ls.vsix
	@ls -l $(VSIX)

e2e:
	bash scripts/e2e_vscode.sh
