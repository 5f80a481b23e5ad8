#!/usr/bin/env bash
# Installs gongkai into .venv and runs the main job on the bundled example catalog:
# validate it and build the disclosure site into site/, then show what needs action.
set -euo pipefail
cd "$(dirname "$0")"
bash bootstrap.sh
.venv/bin/gongkai build --catalog catalog --site-dir site
.venv/bin/gongkai due --catalog catalog
echo
echo "网站已生成在 site/。本地预览：python3 -m http.server --directory site 8000，然后打开 http://127.0.0.1:8000/"
