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
# The next step last, framed, and in bold on a terminal: it is what the reader needs after the lists above.
BOLD=$([ -t 1 ] && printf '\033[1m' || true)
PLAIN=$([ -t 1 ] && printf '\033[0m' || true)
RULE="=================================================================="
echo
echo "$RULE"
echo "${BOLD}完成 (done)：网站已生成在 site/。下一步，边改目录边预览网站：${PLAIN}"
echo
echo "    .venv/bin/gongkai serve --today $EXAMPLE_DAY"
echo
echo "${BOLD}然后用浏览器打开 http://127.0.0.1:8000/ ：保存目录文件后页面自动更新（按 Ctrl+C 结束预览）${PLAIN}"
echo "$RULE"
