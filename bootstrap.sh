#!/usr/bin/env bash
# Shared by setup.sh and test.sh: a virtual environment in .venv with gongkai installed.
# Safe to run again; only the package registries are contacted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# The interpreter: $PYTHON if set; else the system's own Python 3.11+ where it can make a virtual environment, else
# python3 on the PATH. Distributions build theirs with profile-guided and link-time optimisation, which a Python built
# from source (pyenv's, first on this machine's PATH) lacks: every command runs ~12 % faster on Debian's (a full build
# of 10,000 items 4.02 s against 4.59 s; docs/decisions.md, 2026-12-05).
choose_python() {
  local candidate
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import ensurepip, sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo python3  # none can: the venv step below says why in the interpreter's own words
}
PYTHON=${PYTHON:-$(choose_python)}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Twice quiet: only errors. Staff cannot act on pip's and setuptools' notices (an editable install's advice
# about folders, a package index the machine's pip configuration names but does not have).
PIP=(.venv/bin/python -m pip --quiet --quiet --disable-pip-version-check)
echo "正在安装 gongkai 及其依赖到 .venv/（首次需几分钟） (installing into .venv/)"
"${PIP[@]}" install --upgrade pip
"${PIP[@]}" install -e ".[test]"
# An editable install compiles none of gongkai's own modules, and where Python writes no bytecode itself
# (PYTHONDONTWRITEBYTECODE, as on the machines CI and the benchmarks run on) every command compiled them all again:
# ~0.15 s of each. Python compares each file's date with its source's, so an edited module is compiled afresh.
.venv/bin/python -m compileall -q builder search benchmarks
