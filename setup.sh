#!/usr/bin/env bash
# Installs gongkai into .venv and runs the main job on the bundled example catalog:
# validate it and build the disclosure site into site/, then show what needs action.
# The example's data is as of EXAMPLE_DAY (its open requests, due reports and drafts are
# relative to that day); an office runs the same commands without --today.
set -euo pipefail
cd "$(dirname "$0")"
EXAMPLE_DAY=2026-11-23
bash bootstrap.sh
.venv/bin/gongkai build --catalog catalog --site-dir site --today "$EXAMPLE_DAY"
.venv/bin/gongkai due --catalog catalog --today "$EXAMPLE_DAY"
echo
echo "网站已生成在 site/。本地预览：python3 -m http.server --directory site 8000，然后打开 http://127.0.0.1:8000/"
