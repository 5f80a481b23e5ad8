"""The benchmark harness runs at a small size, so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_generated_catalog_validates_without_errors(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.validate", "--items", "200", "--json", str(out)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(out.read_text())
    assert row["items"] == 200 and row["exit"] == 0 and row["errors"] == 0
