#!/usr/bin/env bash
# Installs gongkai into .venv and runs the main job on the bundled example catalog:
# validate it and show what needs action.
set -euo pipefail
cd "$(dirname "$0")"
bash bootstrap.sh
.venv/bin/gongkai validate --catalog catalog
.venv/bin/gongkai due --catalog catalog
