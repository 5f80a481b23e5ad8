"""Validation speed on generated catalogs: wall time, CPU time and peak memory of `gongkai validate`.

    python -m benchmarks.validate --items 1000 10000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .generate import generate
from .measure import figures, run_measured


def measure_validate(catalog: Path) -> dict:
    result = run_measured([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog),
                           "--today", "2026-11-23", "--format", "json"])
    problems = json.loads(result["stdout"]) if result["stdout"].strip().startswith("[") else []
    return figures(result) | {
        "errors": sum(p["severity"] == "error" for p in problems)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            row = {"items": items, **measure_validate(generate(Path(tmp) / f"catalog-{items}", items))}
            results.append(row)
            print(f"validate {items:>7} items: {row['wall_s']:>6.2f} s wall, {row['cpu_s']:>6.2f} s CPU, "
                  f"peak {row['peak_rss_mb']:>7.1f} MB, exit {row['exit']}, {row['errors']} errors", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
