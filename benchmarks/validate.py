"""Validation speed on generated catalogs: wall time, CPU time and peak memory of `gongkai validate`.

    python -m benchmarks.validate --items 1000 10000

Each size runs in a fresh process (as users run it), so peak RSS is that run's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .generate import generate


def measure(catalog: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog),
                             "--today", "2026-11-23", "--format", "json"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    problems = json.loads(result.stdout) if result.stdout.strip().startswith("[") else []
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "exit": result.returncode,
        "errors": sum(p["severity"] == "error" for p in problems),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            catalog = generate(Path(tmp) / f"catalog-{items}", items)
            row = {"items": items, **measure(catalog)}
            results.append(row)
            print(f"validate {items:>7} items: {row['wall_s']:>6.2f} s wall, {row['cpu_s']:>6.2f} s CPU, "
                  f"peak {row['peak_rss_mb']:>7.1f} MB, exit {row['exit']}, {row['errors']} errors", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
