"""`gongkai serve` after a member of staff saves one item: what the preview makes them wait for.

    python -m benchmarks.serve --items 10000 [--rounds 3]

In a fresh process, measured as every other command (wall, CPU, summed PSS of it and all it starts), the preview
server of a generated catalog builds its site once; then, ``rounds`` times, one item is saved (another each time,
far apart in the catalog and in the search index's ranges) and the server does what it does then: it learns of the
save (``watch.SavedFiles``, the ``detect_s`` from the save) and builds again (``PreviewServer.rebuild``: the
``rebuild_s`` is the time until the pages may reload). A change shows on screen after these two: ``waited_s``.
Every other save comes a second after the pages reloaded, before the server tidies (``serve_forever`` does after
``serve.TIDY_AFTER_SECONDS`` without a save), the others after a pause, once it has tidied: both are staff's day,
and their medians are given apart. ``scan_s``: one look at every watched file, what finding a save costs every
``watch.POLL_SECONDS`` where the system sends no notifications.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from builder.build.pipeline import BuildOptions
from builder.build.serve import PreviewServer
from builder.build.watch import SavedFiles, files_state

from .generate import EXAMPLE, change_items, generate
from .measure import figures, run_measured

TODAY = dt.date(2026, 11, 23)
MARK = "gongkai-serve-benchmark "  # the line of the measured process's output that holds its timings
# A member of staff saves again no sooner than a second after the page has reloaded.
STAFF_PAUSE_S = 1.0
APART = 2311  # items between one round's and the next's (a prime: in another range of the index at any size)


def measure_serve(catalog: Path, site_dir: Path, rounds: int = 4, sample_memory: bool = True) -> dict:
    """The preview server's rebuilds after one item is saved, ``rounds`` (at least 2: one of each kind) times: their
    median and spread. ``sample_memory``: as ``run_measured``."""
    # Started with -c, not -m: the search index's fork server imports the program's main module, and this one would
    # bring mkdocs and the whole builder into it (`gongkai`'s own main module is kept light for that reason).
    result = run_measured([sys.executable, "-c", "from benchmarks.serve import main; main()", "--catalog",
                           str(catalog), "--site-dir", str(site_dir), "--rounds", str(rounds)], cwd=EXAMPLE.parent,
                          sample_memory=sample_memory)
    line = next((line for line in result["stdout"].splitlines() if line.startswith(MARK)), None)
    timings = json.loads(line[len(MARK):]) if line else {"first_s": 0, "rebuild_s": [0, 0], "detect_s": [0, 0],
                                                          "scan_s": [0, 0], "tidied": [False, True]}
    rebuilds, tidied = timings["rebuild_s"], timings["tidied"]
    waited = [detect + rebuild for detect, rebuild in zip(timings["detect_s"], rebuilds)]
    return figures(result) | {
        "first_build_s": timings["first_s"], "rebuild_s": _median(rebuilds), "rebuild_max_s": max(rebuilds),
        "detect_s": _median(timings["detect_s"]), "waited_s": _median(waited), "waited_max_s": round(max(waited), 3),
        "scan_s": _median(timings["scan_s"]),
        "rebuild_quick_s": _median([r for r, t in zip(rebuilds, tidied) if not t]),
        "rebuild_after_pause_s": _median([r for r, t in zip(rebuilds, tidied) if t])}


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _preview(catalog: Path, site_dir: Path, rounds: int) -> dict:
    """The measured process: the preview server's own first build and rebuilds, as `gongkai serve` runs them."""
    log = logging.getLogger("benchmarks.serve")
    watched = [catalog]
    server = PreviewServer(EXAMPLE.parent / "mkdocs.yml", site_dir, BuildOptions(catalog, TODAY), watched, port=0)
    saved = SavedFiles(watched)
    timings = {"first_s": round(server.rebuild(log), 3), "rebuild_s": [], "detect_s": [], "scan_s": [], "tidied": []}
    for round_ in range(rounds):
        tidied = round_ % 2 == 1
        if tidied:  # as the server does once nobody has saved for TIDY_AFTER_SECONDS
            server.tidy()
        timings["tidied"].append(tidied)
        time.sleep(STAFF_PAUSE_S)
        started = time.perf_counter()
        files_state(watched)
        timings["scan_s"].append(round(time.perf_counter() - started, 3))
        change_items(catalog, 1, 1000 + round_, first=round_ * APART)
        started = time.perf_counter()
        saved.wait()
        timings["detect_s"].append(round(time.perf_counter() - started, 3))
        timings["rebuild_s"].append(round(server.rebuild(log), 3))
        if not server.state.ok:
            raise SystemExit(f"the rebuild failed: {server.state.messages}")
    saved.close()
    server.http.server_close()
    server.memory.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="*", default=[10000])
    parser.add_argument("--rounds", type=int, default=4, choices=range(2, 100), metavar="2..99")
    parser.add_argument("--catalog", type=Path, help="measure this catalog in this process (what --items runs)")
    parser.add_argument("--site-dir", type=Path)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if args.catalog:
        print(MARK + json.dumps(_preview(args.catalog, args.site_dir, args.rounds)), flush=True)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for items in args.items:
            catalog = generate(Path(tmp) / f"catalog-{items}", items)
            row = {"items": items, **measure_serve(catalog, Path(tmp) / f"site-{items}", args.rounds)}
            results.append(row)
            print(f"serve {items:>7} items: first build {row['first_build_s']:.2f} s; after saving one item: seen "
                  f"after {row['detect_s']:.2f} s, rebuilt in {row['rebuild_s']:.2f} s (max {row['rebuild_max_s']:.2f}; "
                  f"a second after the last: {row['rebuild_quick_s']:.2f} s, after a pause: "
                  f"{row['rebuild_after_pause_s']:.2f} s), shown {row['waited_s']:.2f} s after the save (max "
                  f"{row['waited_max_s']:.2f}); a look at every file {row['scan_s']:.2f} s; PSS peak "
                  f"{row['peak_pss_mb']} MB, exit {row['exit']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
