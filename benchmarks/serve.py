"""`gongkai serve` after a member of staff saves one item: what the preview makes them wait for.

    python -m benchmarks.serve --items 10000 [--rounds 3]

In a fresh process, measured as every other command (wall, CPU, summed PSS of it and all it starts), the preview
server of a generated catalog builds its site once; then, ``rounds`` times, one item is saved and the server does
what it does then: it learns of the save (``watch.SavedFiles``, the ``detect_s`` from the save) and builds again
(``PreviewServer.rebuild``: the ``rebuild_s`` is the time until the pages may reload). A change shows on screen
after these two. ``scan_s``: one look at every watched file, what finding a save costs every
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
# The server tidies up once nobody has saved for a while (serve.TIDY_AFTER_SECONDS); a member of staff saves again
# no sooner than a second after the page has reloaded, not the instant it is tidied: the next save comes then.
STAFF_PAUSE_S = 1.0


def measure_serve(catalog: Path, site_dir: Path, rounds: int = 3) -> dict:
    """The preview server's rebuilds after one item is saved, ``rounds`` times: their median and spread."""
    # Started with -c, not -m: the search index's fork server imports the program's main module, and this one would
    # bring mkdocs and the whole builder into it (`gongkai`'s own main module is kept light for that reason).
    result = run_measured([sys.executable, "-c", "from benchmarks.serve import main; main()", "--catalog",
                           str(catalog), "--site-dir", str(site_dir), "--rounds", str(rounds)], cwd=EXAMPLE.parent)
    line = next((line for line in result["stdout"].splitlines() if line.startswith(MARK)), None)
    timings = json.loads(line[len(MARK):]) if line else {"first_s": 0, "rebuild_s": [0], "detect_s": [0],
                                                          "scan_s": [0]}
    rebuilds = timings["rebuild_s"]
    return figures(result) | {"first_build_s": timings["first_s"], "rebuild_s": statistics.median(rebuilds),
                              "rebuild_max_s": max(rebuilds), "detect_s": statistics.median(timings["detect_s"]),
                              "scan_s": statistics.median(timings["scan_s"])}


def _preview(catalog: Path, site_dir: Path, rounds: int) -> dict:
    """The measured process: the preview server's own first build and rebuilds, as `gongkai serve` runs them."""
    log = logging.getLogger("benchmarks.serve")
    watched = [catalog]
    server = PreviewServer(EXAMPLE.parent / "mkdocs.yml", site_dir, BuildOptions(catalog, TODAY), watched, port=0)
    saved = SavedFiles(watched)
    timings = {"first_s": round(server.rebuild(log), 3), "rebuild_s": [], "detect_s": [], "scan_s": []}
    for round_ in range(rounds):
        server.tidy()  # as the server does once the pages have reloaded
        time.sleep(STAFF_PAUSE_S)
        started = time.perf_counter()
        files_state(watched)
        timings["scan_s"].append(round(time.perf_counter() - started, 3))
        change_items(catalog, 1, 1000 + round_)
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
    parser.add_argument("--rounds", type=int, default=3)
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
                  f"after {row['detect_s']:.2f} s, rebuilt in {row['rebuild_s']:.2f} s (max {row['rebuild_max_s']:.2f}); "
                  f"a look at every file {row['scan_s']:.2f} s; PSS peak {row['peak_pss_mb']} MB, exit {row['exit']}",
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
