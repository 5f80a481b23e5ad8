#!/usr/bin/env bash
# Runs every test: installs what the tests need into .venv, then pytest
# (which also checks that the generated docs and JSON Schemas are current).
set -euo pipefail
cd "$(dirname "$0")"
bash bootstrap.sh
.venv/bin/python -m pytest -q "$@"
