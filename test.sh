#!/usr/bin/env bash
# Runs every test: installs what the tests need, checks the generated docs, runs pytest.
set -euo pipefail
cd "$(dirname "$0")"
bash bootstrap.sh
.venv/bin/cog --check -q docs/cli.md
.venv/bin/python -m pytest -q "$@"
