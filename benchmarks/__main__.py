"""The benchmark harness: our build beside the naive mkdocs-material build, in one run.

    python -m benchmarks --items 1000 10000 [--runs 3] [--json results.json]

For each size it generates a catalog (deterministically), then measures, each in a fresh process:
validation alone; our full build; our build again after changing 1 item, and after publishing 1 new item (each checked
byte-identical to a full build of the changed catalog), and after changing 100 items; `gongkai serve`'s rebuilds
after one item is saved (benchmarks/serve.py); and the naive baseline (each item a plain Markdown page, mkdocs-material with its built-in search, items out
of the navigation). It prints, as medians with their spread over ``--runs``, wall time, CPU time, the peak of
the summed PSS of all the command's processes, files and bytes written, and the ratios ours/naive; and what creating
a file cost on the disk before and after the runs (benchmarks/disk.py). `python -m benchmarks.search` measures search
quality and cost the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

from .build import measure_build
from .disk import probe, shown
from .generate import change_items, generate, publish_items
from .measure import figures, run_measured
from .naive import write_project
from .serve import measure_serve
from .validate import measure_validate


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_size(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), round(sum(p.stat().st_size for p in files) / 2**20, 1)


def measure_naive(catalog: Path, work: Path) -> dict:
    mkdocs_yml = write_project(catalog, work)
    result = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_yml)])
    files, size = tree_size(work / "site")
    return figures(result) | {"files": files, "output_mb": size}


def measure_against_full(catalog: Path, site: Path, fresh: Path) -> dict:
    """The build of ``site`` after a change, and whether it is byte-identical to a full build into ``fresh``."""
    row = measure_build(catalog, site)
    measure_build(catalog, fresh)
    return row | {"identical_to_full": tree_digest(site) == tree_digest(fresh)}


def run_size(items: int, tmp: Path, run: int) -> dict:
    catalog = generate(tmp / f"catalog-{items}-{run}", items)
    site = tmp / f"site-{items}-{run}"
    row = {"items": items, "validate": measure_validate(catalog), "full": measure_build(catalog, site)}
    change_items(catalog, 1, 1)
    row["change_1"] = measure_against_full(catalog, site, tmp / f"site-{items}-{run}-full")
    publish_items(catalog, 1, 1)  # an office's most common change: one new publication
    row["publish_1"] = measure_against_full(catalog, site, tmp / f"site-{items}-{run}-published")
    # Not deleted here: on an ext4 disk mounted with `discard` a build just after deleting a site's 40,000 files ran
    # up to 1.5x slower (docs/benchmarks.md). The temporary folder goes at the end.
    change_items(catalog, 100, 2)
    row["change_100"] = measure_build(catalog, site)
    row["serve_1"] = measure_serve(catalog, tmp / f"site-{items}-{run}-serve")
    row["naive"] = measure_naive(catalog, tmp / f"naive-{items}-{run}")
    naive = row["naive"]["wall_s"] or 1
    row["ratios"] = {name: round(row[name]["wall_s"] / naive, 3)
                     for name in ("full", "change_1", "publish_1", "change_100")}
    return row


MEASURES = ("validate", "full", "change_1", "publish_1", "change_100", "serve_1", "naive")


def summary(rows: list[dict]) -> dict:
    """Median and spread (min–max) over the runs of one size, for every figure of every measure."""
    result = {"items": rows[0]["items"], "runs": len(rows)}
    for name in MEASURES:
        result[name] = {key: _spread([row[name][key] for row in rows]) for key in rows[0][name]
                        if isinstance(rows[0][name][key], (int, float)) and not isinstance(rows[0][name][key], bool)}
        if "identical_to_full" in rows[0][name]:
            result[name]["identical_to_full"] = all(row[name]["identical_to_full"] for row in rows)
    result["ratios"] = {name: _spread([row["ratios"][name] for row in rows]) for name in rows[0]["ratios"]}
    return result


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _shown(figure: dict, unit: str = "") -> str:
    if figure["min"] == figure["max"]:
        return f"{figure['median']}{unit}"
    return f"{figure['median']}{unit} ({figure['min']}–{figure['max']})"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=1, help="runs per size; medians and spreads are reported")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            before = probe(Path(tmp) / f"disk-{items}-before")
            rows = [run_size(items, Path(tmp), run) for run in range(args.runs)]
            after = probe(Path(tmp) / f"disk-{items}-after")
            row = summary(rows)
            results.append({"summary": row, "runs": rows, "disk": {"before": before, "after": after}})
            print(f"\n{items} items, {args.runs} run(s): median (min–max); ratios are ours / naive wall time")
            print(f"  disk: {before['type']} ({before['options']}); before the runs {shown(before)}, "
                  f"after them {shown(after)}")
            for name in MEASURES:
                r = row[name]
                if name == "serve_1":
                    print(f"  {name:<11} gongkai serve after saving one item: seen after {_shown(r['detect_s'], ' s')}, "
                          f"rebuilt in {_shown(r['rebuild_s'], ' s')}, slowest {_shown(r['rebuild_max_s'], ' s')} "
                          f"(first build {_shown(r['first_build_s'], ' s')}), PSS peak {_shown(r['peak_pss_mb'], ' MB')}",
                          flush=True)
                    continue
                ratio = f"  ratio {_shown(row['ratios'][name])}" if name in row["ratios"] else ""
                size = f", {_shown(r['files'])} files, {_shown(r['output_mb'], ' MB')}" if "files" in r else ""
                size += ", identical to a full build" if r.get("identical_to_full") else ""
                print(f"  {name:<11} {_shown(r['wall_s'], ' s')} wall, {_shown(r['cpu_s'], ' s')} CPU "
                      f"({_shown(r['kernel_cpu_s'], ' s')} in the kernel), "
                      f"PSS peak {_shown(r['peak_pss_mb'], ' MB')}{size}{ratio}", flush=True)
            parts = rows[-1]["full"]["peak_pss_by_process"]
            print("  full build's PSS at its peak, by process (last run): "
                  + ", ".join(f"{role} {mb} MB" for role, mb in parts), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
