#!/usr/bin/env bash
# Runs every test. Installs what the tests need: gongkai and its Python test tools in .venv,
# Debian's chromium for the browser tests, strace for the harness's count of system calls and npm (each when
# missing), and axe-core from npm.
# pytest also checks that the generated docs and JSON Schemas are current.
set -euo pipefail
cd "$(dirname "$0")"
bash bootstrap.sh
# Debian's packages, each only when missing: chromium, strace, and npm for axe-core.
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
command -v strace >/dev/null || MISSING="$MISSING strace"
command -v npm >/dev/null || MISSING="$MISSING npm"
if [ -n "$MISSING" ]; then
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi
.venv/bin/python -m pytest -q "$@"
