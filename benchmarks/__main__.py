"""The benchmark harness: our build beside the naive mkdocs-material build, in one run.

    python -m benchmarks --items 1000 10000 [--runs 3] [--json results.json]

For each size it generates a catalog (deterministically), then measures, each in a fresh process after `sync`:
validation alone; our full build and the naive baseline's (each item a plain Markdown page, mkdocs-material with its
built-in search, items out of the navigation), one after the other, in turn first; our build again after changing 1
item, and again after changing the same item again (the next save of an editing session), and after publishing 1 new
item (these two checked identical to a full build of the changed catalog, files, folders and modes), and after changing
100 items; and `gongkai serve`'s rebuilds after one item is saved (benchmarks/serve.py). It prints, as medians with
their spread over ``--runs``, wall time, CPU time, the peak of the summed PSS of all the command's processes (of
validation and the full builds: sampling it slowed a change at 100,000 items by ~0.2 s, and no goal asks for a change's
memory, so those are timed alone), files and bytes written (ours: in the site, and in the cache beside it that the next
build reads), and the ratios ours/naive: the median of each run's own, and for the full build also the ratio of the
medians and of the CPU time; and what creating a file cost on the disk before and after the runs (benchmarks/disk.py),
and what each command read from the disk rather than from the system's cache. With ``--syscalls`` it also counts the
system calls of one full build of each (``strace -f -c``, after the timed runs: tracing slows a build several times
over). `python -m benchmarks.search` measures search quality and cost the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

from .build import REPO, build_command, measure_build
from .disk import SETTLE_SECONDS, probe, settle, shown
from .generate import change_items, generate, publish_items
from .measure import count_syscalls, figures, run_measured, tree_size
from .naive import write_project
from .serve import measure_serve
from .validate import measure_validate


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's bytes and every folder (an empty one left behind is a difference too), each with its mode."""
    return {str(p.relative_to(folder)): f"{p.stat().st_mode:o} "
            + (hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else "folder")
            for p in sorted(folder.rglob("*"))}


def naive_command(catalog: Path, work: Path) -> list[str]:
    """The naive build of ``catalog``, its project written into ``work`` (its site: ``work/site``)."""
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(write_project(catalog, work))]


def measure_naive(catalog: Path, work: Path) -> dict:
    result = run_measured(naive_command(catalog, work))
    files, size = tree_size(work / "site")
    return figures(result) | {"files": files, "output_mb": size}


def measure_against_full(catalog: Path, site: Path, fresh: Path) -> dict:
    """The build of ``site`` after a change, and whether it is byte-identical to a full build into ``fresh``. Timed
    with its memory unsampled (``run_measured``): no goal asks for a change's memory."""
    row = measure_build(catalog, site, sample_memory=False)
    measure_build(catalog, fresh, sample_memory=False)
    return row | {"identical_to_full": tree_digest(site) == tree_digest(fresh)}


def run_size(items: int, tmp: Path, run: int) -> dict:
    catalog = generate(tmp / f"catalog-{items}-{run}", items)
    site = tmp / f"site-{items}-{run}"
    row = {"items": items, "validate": measure_validate(catalog)}
    # The two full builds one after the other, first ours and then the naive one, then the other way round: each
    # finds the disk as the other left it as often (deletions and writes before a build slow it, disk.py).
    for name in ("full", "naive") if run % 2 == 0 else ("naive", "full"):
        row[name] = (measure_build(catalog, site) if name == "full" else
                     measure_naive(catalog, tmp / f"naive-{items}-{run}"))
    change_items(catalog, 1, 1)
    # The first change: in every other run the baseline's build came between it and ours, minutes long, and a host
    # that reclaims idle file pages after a minute (DAMON on our VMs: /sys/kernel/mm/damon/admin) has dropped the kept
    # state from memory, read from the disk again (read_mb). The next change edits the same item again, as an editing
    # session does: what the first read is in memory, and its index range's detail kept by the first.
    row["change_1"] = measure_build(catalog, site, sample_memory=False)
    change_items(catalog, 1, 3)
    row["change_1_next"] = measure_against_full(catalog, site, tmp / f"site-{items}-{run}-full")
    publish_items(catalog, 1, 1)  # an office's most common change: one new publication
    row["publish_1"] = measure_against_full(catalog, site, tmp / f"site-{items}-{run}-published")
    # Not deleted here: on an ext4 disk mounted with `discard` a build just after deleting a site's 40,000 files ran
    # up to 1.5x slower (docs/benchmarks.md). The temporary folder goes at the end.
    change_items(catalog, 100, 2)
    row["change_100"] = measure_build(catalog, site, sample_memory=False)
    row["serve_1"] = measure_serve(catalog, tmp / f"site-{items}-{run}-serve", sample_memory=False)
    naive = row["naive"]["wall_s"] or 1
    row["ratios"] = {name: round(row[name]["wall_s"] / naive, 3)
                     for name in ("full", "change_1", "change_1_next", "publish_1", "change_100")}
    row["ratios"]["full_cpu"] = round(row["full"]["cpu_s"] / (row["naive"]["cpu_s"] or 1), 3)
    return row


MEASURES = ("validate", "full", "change_1", "change_1_next", "publish_1", "change_100", "serve_1", "naive")
_NAME_WIDTH = max(map(len, MEASURES))  # the printed figures line up after the names


def summary(rows: list[dict]) -> dict:
    """Median and spread (min–max) over the runs of one size, for every figure of every measure."""
    result = {"items": rows[0]["items"], "runs": len(rows)}
    for name in MEASURES:
        result[name] = {key: _spread([row[name][key] for row in rows]) for key in rows[0][name]
                        if isinstance(rows[0][name][key], (int, float)) and not isinstance(rows[0][name][key], bool)}
        if "identical_to_full" in rows[0][name]:
            result[name]["identical_to_full"] = all(row[name]["identical_to_full"] for row in rows)
    result["ratios"] = {name: _spread([row["ratios"][name] for row in rows]) for name in rows[0]["ratios"]}
    # Beside the median of each run's own ratio: the ratio of the medians, of the wall and the CPU time.
    result["ratio_of_medians"] = {figure: round(result["full"][figure]["median"] / result["naive"][figure]["median"], 3)
                                  for figure in ("wall_s", "cpu_s")}
    return result


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _shown(figure: dict, unit: str = "") -> str:
    if figure["min"] == figure["max"]:
        return f"{figure['median']}{unit}"
    return f"{figure['median']}{unit} ({figure['min']}–{figure['max']})"


def _memory(figures: dict) -> str:
    """The peak of the summed PSS, or that it was not sampled (``measure.run_measured``)."""
    if "peak_pss_mb" not in figures:
        return "memory not sampled (timed alone)"
    return f"PSS peak {_shown(figures['peak_pss_mb'], ' MB')}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=1, help="runs per size; medians and spreads are reported")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--settle", type=float, default=SETTLE_SECONDS, metavar="SECONDS",
                        help="wait at most this long before each size's runs for the disk to settle after deletions "
                             "(ext4 without a journal: benchmarks/disk.py)")
    parser.add_argument("--syscalls", action="store_true",
                        help="also count the system calls of one full build of each (strace, untimed)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            settled = settle(Path(tmp) / f"disk-{items}-settle", limit=args.settle)
            before = probe(Path(tmp) / f"disk-{items}-before")
            rows = [run_size(items, Path(tmp), run) for run in range(args.runs)]
            after = probe(Path(tmp) / f"disk-{items}-after")
            row = summary(rows)
            results.append({"summary": row, "runs": rows,
                            "disk": {"settled": settled, "before": before, "after": after}})
            print(f"\n{items} items, {args.runs} run(s): median (min–max); ratios are ours / naive wall time, "
                  f"the median of each run's own unless said; MB are 10⁶ bytes")
            print(f"  disk: {before['type']} ({before['options']}); waited {settled['waited_s']} s for it to settle "
                  f"(creating a file or folder: {', '.join(f'{us} µs' for us in settled['cpu_us_per_inode'])}); "
                  f"before the runs {shown(before)}, after them {shown(after)}")
            for name in MEASURES:
                r, label = row[name], f"  {name:<{_NAME_WIDTH}}"
                if name == "serve_1":
                    print(f"{label} gongkai serve after saving one item: seen after {_shown(r['detect_s'], ' s')}, "
                          f"rebuilt in {_shown(r['rebuild_s'], ' s')}, slowest {_shown(r['rebuild_max_s'], ' s')} "
                          f"(a second after the last save {_shown(r['rebuild_quick_s'], ' s')}, after a pause "
                          f"{_shown(r['rebuild_after_pause_s'], ' s')}); shown {_shown(r['waited_s'], ' s')} after the "
                          f"save, slowest {_shown(r['waited_max_s'], ' s')} (first build "
                          f"{_shown(r['first_build_s'], ' s')}), {_memory(r)}",
                          flush=True)
                    continue
                ratio = f"  ratio {_shown(row['ratios'][name])}" if name in row["ratios"] else ""
                if name == "full":
                    medians = row["ratio_of_medians"]
                    ratio += (f" (of the medians {medians['wall_s']}; CPU {_shown(row['ratios']['full_cpu'])}, of the "
                              f"medians {medians['cpu_s']})")
                size = f", {_shown(r['files'])} files, {_shown(r['output_mb'], ' MB')}" if "files" in r else ""
                size += (f" and beside it the cache {_shown(r['cache_files'])} files, {_shown(r['cache_mb'], ' MB')}"
                         if "cache_files" in r else "")
                size += ", identical to a full build" if r.get("identical_to_full") else ""
                print(f"{label} {_shown(r['wall_s'], ' s')} wall, {_shown(r['cpu_s'], ' s')} CPU "
                      f"({_shown(r['kernel_cpu_s'], ' s')} in the kernel; the cores waited on the disk "
                      f"{_shown(r['io_wait_s'], ' s')}, and it read {_shown(r['read_mb'], ' MB')} from it), "
                      f"{_memory(r)}{size}{ratio}", flush=True)
            if args.syscalls:
                catalog = Path(tmp) / f"catalog-{items}-0"
                calls = {"ours": count_syscalls(build_command(catalog, Path(tmp) / f"syscalls-{items}"), cwd=REPO),
                         "naive": count_syscalls(naive_command(catalog, Path(tmp) / f"syscalls-naive-{items}"))}
                results[-1]["syscalls"] = calls
                print("  system calls of a full build (strace -f -c, untimed): "
                      + "; ".join(f"{name} {c['total']:,} (" + ", ".join(f"{call} {n:,}" for call, n in c["most"].items())
                                  + ")" for name, c in calls.items()), flush=True)
            parts = rows[-1]["full"]["peak_pss_by_process"]
            print("  full build's PSS at its peak, by process (last run): "
                  + ", ".join(f"{role} {mb} MB" for role, mb in parts), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
