"""Site build speed: `gongkai build` on the example catalog and on generated catalogs.

    python -m benchmarks.build --items 1000 10000

Prints wall time, CPU time, peak RSS and output size for each; `--json FILE` writes them too.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .generate import EXAMPLE, generate
from .measure import figures, run_measured, tree_size

REPO = EXAMPLE.parent


def build_command(catalog: Path, site_dir: Path) -> list[str]:
    """`gongkai build` of ``catalog`` into ``site_dir``, run from the repository (``REPO``)."""
    return [sys.executable, "-m", "builder", "build", "--catalog", str(catalog), "--today", "2026-11-23",
            "--site-dir", str(site_dir)]


def measure_build(catalog: Path, site_dir: Path, sample_memory: bool = True) -> dict:
    """A build into ``site_dir``: its figures, and what it wrote there and into its cache beside it (what the next
    build reads, which the naive build has none of). ``sample_memory``: as ``run_measured``."""
    result = run_measured(build_command(catalog, site_dir), cwd=REPO, sample_memory=sample_memory)
    files, size = tree_size(site_dir)
    cache_files, cache_size = tree_size(site_dir.with_name(f".{site_dir.name}-gongkai-cache"))
    return figures(result) | {"files": files, "output_mb": size, "cache_files": cache_files, "cache_mb": cache_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("example", EXAMPLE)] + [(str(n), None) for n in args.items]
        for name, catalog in runs:
            catalog = catalog or generate(Path(tmp) / f"catalog-{name}", int(name))
            row = {"catalog": name, **measure_build(catalog, Path(tmp) / f"site-{name}")}
            results.append(row)
            print(f"build {name:>8}: {row['wall_s']:>7.2f} s wall, {row['cpu_s']:>7.2f} s CPU, "
                  f"peak {row['peak_rss_mb']:>7.1f} MB, {row['files']} files, {row['output_mb']} MB, "
                  f"exit {row['exit']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
