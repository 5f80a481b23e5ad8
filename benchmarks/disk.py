"""The state of the disk the benchmarks write to, reported beside their figures.

On this machine kind (ext4 without a journal, mounted with ``discard``) a third of a full build's CPU time went to
the kernel choosing an inode for each new file and folder: without a journal, ext4 checks each free inode it
considers for a recent deletion (``recently_deleted`` in fs/ext4/ialloc.c), and that cost moved between 20 and
130 µs a file within one hour (docs/benchmarks.md). A ratio measured while creating a file costs 130 µs is not
the ratio measured at 20 µs; so each size's results say what creating a file cost before and after its runs.

    python -m benchmarks.disk --folder /tmp/probe   # prints the filesystem and what creating files costs there
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

PROBE_FILES = 5_000
PROBE_BYTES = 3_000      # about a search document's size
PROBE_FOLDER_FILES = 100  # files a folder, as the search documents are kept (search/index.py DOC_FOLDER)


def mount_of(path: Path) -> dict:
    """The filesystem holding ``path``: its mount point, type and options (the longest mount point above it)."""
    target = os.path.realpath(path)
    best = {"mount": "", "type": "unknown", "options": ""}
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            _, point, kind, options, *_ = line.split()
            point = point.replace("\\040", " ")
            inside = target == point or target.startswith(point.rstrip("/") + "/")
            if inside and len(point) >= len(best["mount"]):
                best = {"mount": point, "type": kind, "options": options}
    return best


def probe(folder: Path, files: int = PROBE_FILES) -> dict:
    """Create ``files`` small files in new folders under ``folder`` (which must not exist) and time it.

    The files are left where they are: deleting them would itself make the next files slower to create
    (the recent deletions are what ext4 then steps over)."""
    folder.mkdir(parents=True)
    data = b"x" * PROBE_BYTES
    cpu, wall = time.process_time(), time.perf_counter()  # process_time counts the kernel's time for us too
    for number in range(files):
        if number % PROBE_FOLDER_FILES == 0:
            os.mkdir(folder / str(number // PROBE_FOLDER_FILES))
        descriptor = os.open(folder / str(number // PROBE_FOLDER_FILES) / f"{number}.json",
                             os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    inodes = files + -(-files // PROBE_FOLDER_FILES)
    return mount_of(folder) | {"files": files, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
                               "cpu_us_per_inode": round(1e6 * cpu / inodes, 1)}


def shown(state: dict) -> str:
    return (f"creating {state['files']:,} files took {state['cpu_s']} s CPU "
            f"({state['cpu_us_per_inode']} µs for each file or folder)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.disk", description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="a folder to create (left in place)")
    parser.add_argument("--files", type=int, default=PROBE_FILES)
    args = parser.parse_args()
    state = probe(args.folder, args.files)
    print(f"{state['type']} at {state['mount']} ({state['options']}): {shown(state)}")
    print(json.dumps(state))


if __name__ == "__main__":
    main()
