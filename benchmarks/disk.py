"""The state of the disk the benchmarks write to, reported beside their figures.

On the machines we measure on (ext4 without a journal, mounted with ``discard``) up to a third of a full build's
CPU time went to the kernel choosing an inode for each new file and folder: without a journal, ext4 checks each
free inode it considers for a recent deletion (``recently_deleted`` in fs/ext4/ialloc.c), and a loop creating
files measured 18 to 150 µs a file within one hour (docs/benchmarks.md). A ratio measured while creating a file
costs 150 µs is not the ratio measured at 18 µs; so each size's results say what creating a file cost before and
after its runs.

    python -m benchmarks.disk --folder /tmp/probe   # prints the filesystem and what creating files costs there
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import time
from pathlib import Path

from search.output import write_file

PROBE_FILES = 5_000
# Small files, a hundred a folder, as the search documents were kept until they were packed a range a file
# (2026-12-01): unchanged since, so that what the probe measures compares across sessions.
PROBE_BYTES = 3_000
PROBE_FOLDER_FILES = 100


def mount_of(path: Path, mounts: str | None = None) -> dict:
    """The filesystem holding ``path``: its mount point, type and options (the longest mount point above it; the
    last of equal ones, which is mounted over the others), and for ext4 whether it has a journal.
    ``mounts``: the text of /proc/self/mounts (read when not given)."""
    if mounts is None:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8")
    target = os.path.realpath(path)
    best = {"mount": "", "type": "unknown", "options": "", "journal": None}
    for line in mounts.splitlines():
        device, point, kind, options, *_ = [_unescaped(field) for field in line.split()]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best["mount"]):
            best = {"mount": point, "type": kind, "options": options, "journal": _has_journal(device, kind)}
    return best


def _unescaped(field: str) -> str:
    """A field of /proc/self/mounts, where space, tab, newline and backslash are written as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match[1], 8)), field)


def _has_journal(device: str, kind: str) -> bool | None:
    """Whether an ext4 filesystem has a journal (the kernel lists its journal under /proc/fs/jbd2/<device>-<n>); the
    cost of creating files depends on it. None for other filesystems."""
    if kind != "ext4":
        return None
    return any(Path("/proc/fs/jbd2").glob(f"{os.path.basename(device)}-*"))


def probe(folder: Path, files: int = PROBE_FILES) -> dict:
    """Create ``files`` (at least one) small files in new folders under ``folder`` (which must not exist) and time
    it: the CPU time in all, and in the kernel.

    The files are left where they are: deleting them would itself make the next files slower to create
    (the recent deletions are what ext4 then steps over)."""
    folder.mkdir(parents=True)
    data = b"x" * PROBE_BYTES
    # getrusage, not os.times, whose clock ticks (10 ms) counted a quick small probe as no time at all
    before, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for number in range(files):
        if number % PROBE_FOLDER_FILES == 0:
            os.mkdir(folder / str(number // PROBE_FOLDER_FILES))
        # As the build writes its files; each is new, as its folder is (os.mkdir fails on one that exists).
        write_file(folder / str(number // PROBE_FOLDER_FILES) / f"{number}.json", data)
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    inodes = probe_inodes(files)
    return mount_of(folder) | {"files": files, "inodes": inodes, "cpu_s": round(cpu, 3),
                               "kernel_cpu_s": round(after.ru_stime - before.ru_stime, 3), "wall_s": round(wall, 3),
                               "cpu_us_per_inode": round(1e6 * cpu / inodes, 1)}


# What creating a file or folder costs here (µs of CPU) once no recent deletion slows it: 18–54 µs across the fast
# and slow hours of 2026-11-29 to 2026-12-05; within a minute of deleting a site's files, 100–770 µs.
SETTLED_US = 100
# Settled: two probes in a row at most SETTLED_US, the last either at most this share of it or no longer falling (at
# least STEADY_SHARE of the probe before it). At 61 µs a file, falling from 196 µs ten seconds before, the disk was
# called settled and the first full build spent 2.34 s in the kernel against 1.31–1.42 in the next runs, ext4
# stepping over recently deleted inodes (`recently_deleted` and the block look-ups under it: 13 % of a full build's
# samples under `perf` after the test suite had deleted its files). One probe alone says too little: the first
# after deleting a large catalog's site took 19.8 µs a file, the probe before the runs just after it 140.6 µs, and
# the full builds spent 2.43 s in the kernel (2026-12-05, late night).
FAST_SHARE = 0.3
STEADY_SHARE = 0.8
# The longest ext4 without a journal steps over a deleted inode: five minutes while its inode-table block waits to be
# written (RECENTCY_DIRTY in fs/ext4/ialloc.c), one once it is written (RECENTCY_MIN).
SETTLE_SECONDS = 300
SETTLE_PAUSE = 10


def settle(folder: Path, settled_us: float = SETTLED_US, limit: float = SETTLE_SECONDS,
           pause: float = SETTLE_PAUSE, files: int = PROBE_FILES) -> dict:
    """Wait until creating files costs what it does on a disk no deletion has just slowed, about ``limit`` seconds at
    most: probe ``files`` (in new folders named after ``folder``) every ``pause`` seconds until two in a row cost
    ``settled_us`` or less a file or folder and the last no longer falls (``settled``), or the next pause would pass
    ``limit`` (a probe's own time comes on top). Only on ext4 without a journal, which steps over recently
    deleted inodes; elsewhere one probe. A harness run begun half a minute after its measurer deleted old sites
    (~300,000 files) measured its first full build at 8.32 s, 8.46 s of its CPU in the kernel, against 4.83 s and
    1.52 s two runs later (docs/benchmarks.md, 2026-12-05); a run just after another, which deletes its temporary
    folder at its end, starts the same way."""
    start = time.monotonic()
    costs = []
    while True:
        # Beside ``folder``, as the runs' folders and the probe before them are, and as many files as that probe:
        # probed in folders below one of its own, a disk read 47.5 µs a file while the probe beside it took 552.5 µs
        # just after; 1,000 files were created at 19.8 µs each and the 5,000 after them at 318.8 µs (2026-12-05).
        state = probe(folder.with_name(f"{folder.name}-{len(costs)}"), files)
        costs.append(state["cpu_us_per_inode"])
        waited = time.monotonic() - start
        # ``journal`` is False only for ext4 without one (None for other filesystems: ``mount_of``).
        if state["journal"] is not False or settled(costs, settled_us) or waited + pause > limit:
            return {"waited_s": round(waited, 1), "cpu_us_per_inode": costs}
        time.sleep(pause)


def settled(costs: list[float], settled_us: float = SETTLED_US) -> bool:
    """Whether the probes so far (µs a file or folder, one after another) say the disk has settled: the last two at
    most ``settled_us``, and the last either far below it or no longer falling."""
    if len(costs) < 2:
        return False
    before, last = costs[-2:]
    steady = last <= FAST_SHARE * settled_us or last >= STEADY_SHARE * before
    return before <= settled_us and last <= settled_us and steady


def probe_inodes(files: int) -> int:
    """The files and folders ``probe`` creates for ``files``."""
    return files + -(-files // PROBE_FOLDER_FILES)


def shown(state: dict) -> str:
    return (f"creating {state['files']:,} files took {state['cpu_s']} s CPU, {state['kernel_cpu_s']} s of it in "
            f"the kernel ({state['cpu_us_per_inode']} µs for each file or folder)")


def _count(text: str) -> int:
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.disk", description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="a folder to create (left in place)")
    parser.add_argument("--files", type=_count, default=PROBE_FILES)
    args = parser.parse_args()
    state = probe(args.folder, args.files)
    print(f"{state['type']} at {state['mount']} ({state['options']}; journal: {state['journal']}): {shown(state)}")
    print(json.dumps(state))


if __name__ == "__main__":
    main()
