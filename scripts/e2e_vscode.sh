#!/usr/bin/env bash
# End-to-end test of the VS Code extension in real VS Code: code-server (VS Code in a browser, from
# npm) driven by Debian's headless Chromium through playwright-core.
#
# Set-up is idempotent: Debian packages (chromium, ripgrep, and the headers code-server's native
# modules build against) are installed only when missing, code-server only when its cached copy under
# .cache/code-server/<version> is missing, node_modules only when the lockfile changed. The .vsix is
# always rebuilt (`make vsix`) so the test runs what is in the tree.
#
# Exits 0 with a "SKIP: <reason>" line only when something cannot be installed on this machine.
#
# Environment:
#   CODE_SERVER_VERSION  code-server to test in (default 4.100.3: the last release on Node 20)
#   E2E_CACHE_DIR        where code-server is cached (default <repo>/.cache)
#   CHROMIUM             browser executable (default /usr/bin/chromium)
#   E2E_USER_SETTINGS    extra VS Code user settings as JSON, e.g. '{"dockerfileRefactor.interpreter": ["/usr/bin/python3"]}'
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
START=$(date +%s)

CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.100.3}
CACHE=${E2E_CACHE_DIR:-$REPO/.cache}
CS_DIR=$CACHE/code-server/$CODE_SERVER_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
VSIX=$REPO/editors/vscode/dockerfile-refactor-ls.vsix
E2E_DIR=$REPO/tests/e2e_vscode

log() { echo "[e2e_vscode $(($(date +%s) - START))s] $*"; }
skip() {
    echo "SKIP: $*"
    exit 0
}

# ---- Debian packages ---------------------------------------------------------------------------
APT_UPDATED=
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            return 1
        fi
    fi
    command -v apt-get >/dev/null || return 1
    if [ -z "$APT_UPDATED" ]; then
        log "apt-get update"
        "${sudo[@]}" apt-get update -qq || return 1
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null || return 1
}

command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are not installed"

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
if [ ! -x "$CS_BIN" ]; then
    # Only needed to build code-server's native modules (kerberos, spdlog, ...).
    [ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
    command -v make >/dev/null || missing+=(make)
    command -v g++ >/dev/null || missing+=(g++)
    command -v python3 >/dev/null || missing+=(python3)
fi
if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}" || skip "cannot install the Debian packages ${missing[*]} (need root or sudo, and apt-get)"
fi
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM"

# ---- code-server, cached -----------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]')
cs_node=$(npm view "code-server@$CODE_SERVER_VERSION" engines.node 2>/dev/null || true)

install_code_server() {
    local work staging status=0
    work=$(mktemp -d)
    staging=$CS_DIR.partial.$$
    install_code_server_in "$work" "$staging" || status=$?
    rm -rf "$work" "$staging"
    return $status
}

install_code_server_in() {
    local work=$1 staging=$2 tarball rg_version rg_tag arch target

    log "npm pack code-server@$CODE_SERVER_VERSION"
    (cd "$work" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null) || return 1
    tarball=$(ls "$work"/code-server-*.tgz)

    # @vscode/ripgrep's postinstall downloads a ripgrep binary from GitHub, which this machine cannot
    # reach. It first looks for the archive in $TMPDIR/vscode-ripgrep-cache-<version>/, so put one
    # there holding Debian's rg.
    tar -xzf "$tarball" -C "$work" package/lib/vscode/npm-shrinkwrap.json
    rg_version=$(node -p "require('$work/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")
    (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null) || return 1
    tar -xzf "$work"/vscode-ripgrep-*.tgz -C "$work" package/lib/postinstall.js
    rg_tag=$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$work/package/lib/postinstall.js")
    arch=$(node -p 'process.arch')
    case "$arch" in
        x64) target=x86_64-unknown-linux-musl ;;
        arm64) target=aarch64-unknown-linux-musl ;;
        *) echo "unsupported architecture $arch" >&2; return 1 ;;
    esac
    mkdir -p "$work/tmp/vscode-ripgrep-cache-$rg_version" "$work/rg"
    cp "$(command -v rg)" "$work/rg/rg"
    tar -czf "$work/tmp/vscode-ripgrep-cache-$rg_version/ripgrep-$rg_tag-$target.tar.gz" -C "$work/rg" rg
    log "seeded ripgrep $rg_tag ($target) for @vscode/ripgrep $rg_version"

    rm -rf "$staging"
    mkdir -p "$staging"
    echo '{"private": true}' >"$staging/package.json"
    log "npm install code-server@$CODE_SERVER_VERSION (builds native modules; a few minutes)"
    # Native modules build against the installed Node headers rather than downloading them.
    local nodedir=${npm_config_nodedir:-}
    if [ -z "$nodedir" ] && [ -f /usr/include/node/node.h ]; then
        nodedir=/usr
    fi
    # code-server's postinstall refuses to run as root under npm unless unsafe-perm is set; node-pty's
    # postinstall runs `npx node-gyp`, which must not stop to ask.
    (cd "$staging" && env TMPDIR="$work/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
        ${nodedir:+"npm_config_nodedir=$nodedir"} \
        npm install --no-save --no-package-lock --no-audit --no-fund "$tarball" >"$work/npm.log" 2>&1) || {
        tail -40 "$work/npm.log" >&2
        return 1
    }
    [ -x "$staging/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || {
        echo "code-server installed without its ripgrep" >&2
        return 1
    }
    rm -rf "$CS_DIR"
    mkdir -p "$(dirname "$CS_DIR")"
    mv "$staging" "$CS_DIR"
}

if [ ! -x "$CS_BIN" ]; then
    if [ -n "$cs_node" ] && [ "$cs_node" != "$node_major" ]; then
        skip "code-server $CODE_SERVER_VERSION needs Node $cs_node and this is Node $node_major (set CODE_SERVER_VERSION)"
    fi
    install_code_server || skip "cannot install code-server $CODE_SERVER_VERSION from npm"
fi
cs_home=$(mktemp -d)
cs_version=$(XDG_CONFIG_HOME=$cs_home XDG_DATA_HOME=$cs_home "$CS_BIN" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+' | head -1 || true)
rm -rf "$cs_home"
[ -n "$cs_version" ] || skip "code-server at $CS_BIN does not run"
log "code-server $cs_version"

# ---- the extension and the test's own dependencies -----------------------------------------------
log "make vsix"
make --no-print-directory vsix
log "make vscode-unit"
make --no-print-directory vscode-unit
[ -f "$VSIX" ] || { echo "make vsix did not produce $VSIX" >&2; exit 1; }

if [ ! -f "$E2E_DIR/node_modules/.install-stamp" ] || [ "$E2E_DIR/package-lock.json" -nt "$E2E_DIR/node_modules/.install-stamp" ]; then
    log "npm ci (tests/e2e_vscode)"
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund --silent)
    touch "$E2E_DIR/node_modules/.install-stamp"
fi

# ---- the test ------------------------------------------------------------------------------------
# E2E_TESTS="refactor_reasons" runs only the files whose names contain one of the words.
tests=("$E2E_DIR"/*.test.mjs)
if [ -n "${E2E_TESTS:-}" ]; then
    tests=()
    for f in "$E2E_DIR"/*.test.mjs; do
        for w in $E2E_TESTS; do case "$(basename "$f")" in *"$w"*) tests+=("$f"); break;; esac; done
    done
    [ ${#tests[@]} -gt 0 ] || { echo "E2E_TESTS=$E2E_TESTS matches no test file" >&2; exit 2; }
fi
log "node --test ${tests[*]#"$REPO"/}"
set +e
CODE_SERVER=$CS_BIN VSIX=$VSIX CHROMIUM=$CHROMIUM \
    node --test --test-concurrency=1 "${tests[@]}"
status=$?
set -e
log "done (exit $status)"
exit $status
