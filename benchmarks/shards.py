"""A national library on many machines, simulated on one: builds sharded by organ, and the search index merged.

    python -m benchmarks.shards --items 100000 --shards 10 [--json results.json]

Each shard is an ordinary catalog of its own organs (``items / shards`` items, generated with its own seed) and is
built by `gongkai build` in a fresh process, one after the other: on as many machines as shards they would run at
once, so the simulated wall time is the slowest shard's. What crosses shards is then merged and timed: every
shard's search documents, under the shard's own address prefix (``s<k>/items/…``), into one static index, oldest
first, as a national site would serve it before search moves to a service (docs/scale.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

from builder.build.pools import fork_map
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search.document import SearchDoc
from search.index import write_index

from .build import measure_build
from .generate import generate
from .measure import tree_size

TODAY = dt.date(2026, 11, 23)  # as benchmarks.build builds


def shard_documents(catalog_dir: Path, prefix: str) -> list[SearchDoc]:
    """The shard's search documents as the national index holds them: its addresses under its prefix."""
    catalog, _ = load_catalog(catalog_dir)
    documents = search_documents(published_views(catalog, TODAY))
    return [documents[n]._replace(url=f"{prefix}/{documents[n].url}") for n in range(len(documents))]


def merge_index(catalogs: list[Path], out: Path) -> dict:
    """Every shard's documents in one index, oldest first (the order the index and its client rely on)."""
    started = time.perf_counter()
    documents = [doc for n, catalog in enumerate(catalogs) for doc in shard_documents(catalog, f"s{n}")]
    documents.sort(key=lambda doc: doc.date)  # ISO dates: oldest first; stable within a day
    read = time.perf_counter() - started
    write_index(documents, out, parallel=fork_map)
    files, size = tree_size(out)
    return {"documents": len(documents), "read_s": round(read, 2), "wall_s": round(time.perf_counter() - started, 2),
            "files": files, "output_mb": size}


def simulate(items: int, shards: int, work: Path) -> dict:
    catalogs, builds = [], []
    for n in range(shards):
        catalog = generate(work / f"catalog-{n}", items // shards, seed=n + 1)
        catalogs.append(catalog)
        builds.append(measure_build(catalog, work / f"site-{n}"))
    walls = [build["wall_s"] for build in builds]
    merged = merge_index(catalogs, work / "national-search")
    return {
        "items": items, "shards": shards,
        "shard_wall_s": {"median": statistics.median(walls), "min": min(walls), "max": max(walls)},
        "shard_peak_pss_mb": max(build["peak_pss_mb"] for build in builds),
        "all_shards_one_machine_s": round(sum(walls), 1),
        "merged_index": merged,
        # on as many machines as shards: the slowest shard, then the merge
        "simulated_wall_s": round(max(walls) + merged["wall_s"], 1),
        "exits": sorted({build["exit"] for build in builds}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.shards", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = simulate(args.items, args.shards, Path(tmp))
    walls, merged = result["shard_wall_s"], result["merged_index"]
    print(f"{args.items} items in {args.shards} shards by organ: each shard built in {walls['median']} s "
          f"({walls['min']}–{walls['max']}), peak summed PSS {result['shard_peak_pss_mb']} MB; "
          f"all shards on one machine {result['all_shards_one_machine_s']} s")
    print(f"merged search index: {merged['documents']} documents in {merged['wall_s']} s "
          f"(reading the shards {merged['read_s']} s), {merged['files']} files, {merged['output_mb']} MB")
    print(f"on {args.shards} machines: {result['simulated_wall_s']} s (the slowest shard, then the merge)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
