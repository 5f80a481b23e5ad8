"""The benchmark harness: our build beside the naive mkdocs-material build, in one run.

    python -m benchmarks --items 1000 10000 [--json results.json]

For each size it generates a catalog (deterministically), then measures, each in a fresh process:
validation alone; our full build; our build again after changing 1 item (and checks that the result is
byte-identical to a full build of the changed catalog) and after changing 100 items;
and the naive baseline (each item a plain Markdown page, mkdocs-material with its built-in search, items out
of the navigation). It prints wall time, CPU time, peak RSS and output size for each, and the ratios
ours/naive. `python -m benchmarks.search` measures search quality and cost the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from .build import measure_build
from .generate import generate
from .measure import figures, run_measured
from .naive import write_project
from .validate import measure_validate


def change_items(catalog: Path, count: int, round_: int) -> None:
    """Edit the body of ``count`` items, as an office publishing corrections would."""
    for path in sorted((catalog / "items").rglob("item-*.md"))[:count]:
        with path.open("a", encoding="utf-8") as file:
            file.write(f"\n（第 {round_} 次更正：补充说明。）\n")


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def output_size(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def measure_naive(catalog: Path, work: Path) -> dict:
    mkdocs_yml = write_project(catalog, work)
    result = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_yml)])
    return figures(result) | {
        "output_mb": output_size(work / "site")}


def run_size(items: int, tmp: Path) -> dict:
    catalog = generate(tmp / f"catalog-{items}", items)
    site = tmp / f"site-{items}"
    row = {"items": items, "validate": measure_validate(catalog), "full": measure_build(catalog, site)}
    change_items(catalog, 1, 1)
    row["change_1"] = measure_build(catalog, site)
    full_again = tmp / f"site-{items}-full"
    measure_build(catalog, full_again)
    row["change_1"]["identical_to_full"] = tree_digest(site) == tree_digest(full_again)
    # Not deleted here: on an ext4 disk mounted with `discard` a build just after deleting a site's 40,000 files ran
    # up to 1.5x slower (docs/benchmarks.md). The temporary folder goes at the end.
    change_items(catalog, 100, 2)
    row["change_100"] = measure_build(catalog, site)
    row["naive"] = measure_naive(catalog, tmp / f"naive-{items}")
    naive = row["naive"]["wall_s"] or 1
    row["ratios"] = {name: round(row[name]["wall_s"] / naive, 2) for name in ("full", "change_1", "change_100")}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            row = run_size(items, Path(tmp))
            rows.append(row)
            print(f"\n{items} items (ratios are ours / naive wall time)")
            for name in ("validate", "full", "change_1", "change_100", "naive"):
                r = row[name]
                ratio = f"  ×{row['ratios'][name]}" if name in row["ratios"] else ""
                size = f", {r['output_mb']} MB out" if "output_mb" in r else ""
                size += ", identical to a full build" if r.get("identical_to_full") else ""
                print(f"  {name:<11} {r['wall_s']:>8.2f} s wall {r['cpu_s']:>8.2f} s CPU "
                      f"{r['peak_rss_mb']:>8.1f} MB peak{size}, exit {r['exit']}{ratio}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
