"""Run a command in a fresh process and measure it: wall time, CPU time, the peak RSS of that process or of any one
child it waited for (the system reports them together), and the peak of the summed PSS of it and every process it
starts (sampled from ``/proc/<pid>/smaps_rollup``: memory shared after a fork counts once, divided among those who
share it, not once per process).

Sizes are decimal: a MB is 10⁶ bytes and a KB 10³, as the issue's limits (1.5 GB, 500 KB) read. Until 2026-12-01
the harness divided by 2²⁰ and 2¹⁰ and called the results MB and KB: its earlier figures are MiB and KiB, 4.9 % and
2.4 % below these."""

from __future__ import annotations

import compileall
import contextlib
import ctypes
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

# Reading a process's smaps_rollup walks its memory: every 50 ms, the sampler took 1.6–1.8 CPU-s of a 13 s full build
# at 10,000 items, from the two cores the build uses (the naive build uses one, and was not slowed). Every 0.2 s the
# build took 11.6 s against 12.7 s (medians of three, alternating) and the peaks were the same within 2 MB: memory
# rises and falls over seconds. Even so, a change at 100,000 items (a ~1 GB process to walk) took 3.56 s sampled
# against 3.44 s not (medians of 14 alternating pairs, slower in 10; median difference 0.2 s): builds whose memory no
# goal asks for are timed unsampled (``run_measured``'s ``sample_memory``).
SAMPLE_SECONDS = 0.2
# The first samples come sooner, each twice as long after the last until SAMPLE_SECONDS: a command that ended within
# 0.2 s (validating 200 items) was sampled once, while it was still being started, and its peak read 0 MB.
FIRST_SAMPLE_SECONDS = 0.005
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
MB = 10**6
BLOCK = 512  # the unit of getrusage's ru_inblock, whatever the disk's blocks
KB = 10**3
# The packages beside the harness, as bootstrap.sh compiles them: what `python -m builder` runs from the repository
# (benchmarks/build.py), and the harness's own, which the serve benchmark's measured process imports
CODE_ROOT = Path(__file__).resolve().parent.parent
CODE_PACKAGES = ("builder", "search", "benchmarks")


def compile_code(root: Path = CODE_ROOT) -> None:
    """Bytecode for the packages of ``root`` whose source is newer than it, as pip or bootstrap.sh leave an installed
    gongkai: a command measured runs compiled code, as an office's does. A copy of the repository made to be measured
    has none, and where Python writes none itself (PYTHONDONTWRITEBYTECODE, as on the machines the harness runs on)
    every command compiled gongkai's ~80 modules again: `import builder.cli` 0.86–0.91 s against 0.53–0.70 s
    compiled, in an hour when one change at 10,000 items took ~2.6 s (2026-12-04, docs/benchmarks.md). A folder that
    cannot be written is left as it is."""
    for package in CODE_PACKAGES:
        compileall.compile_dir(root / package, quiet=2)


def tree_size(folder: Path) -> tuple[int, float]:
    """The files under ``folder`` (none when it does not exist) and their bytes in MB."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), round(sum(sizes) / MB, 1)


def run_measured(args: list[str], cwd=None, sample_memory: bool = True) -> dict:
    """``args`` run in a fresh process from ``cwd``: its figures (``figures``) and what it printed. Its memory is
    sampled while it runs unless not ``sample_memory`` (then its PSS figures are None: not measured): sampling slows
    a large build (``SAMPLE_SECONDS``)."""
    # What the command leaves running when it ends (the build's cache writer, the search index's fork server)
    # becomes this process's child rather than init's, so it is still sampled and waited for: its memory and its
    # CPU time are the build's too.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    compile_code()
    # What the last command wrote is on the disk before this one starts: its writeback would otherwise be this
    # command's time (a build writes ~300 MB at 10,000 items).
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        others = set(_children(os.getpid()))  # this process's own, not waited for here
        waited = _io_wait_ticks()
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        sampler = PssSampler(process.pid)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait: the rusage is this child's own
        wall = time.perf_counter() - start
        io_wait = (_io_wait_ticks() - waited) / os.sysconf("SC_CLK_TCK")
        sampler.outlived = others
        user, kernel, read = usage.ru_utime, usage.ru_stime, usage.ru_inblock
        while left := set(_children(os.getpid())) - others:  # until what it left running has ended
            for pid in left:
                with contextlib.suppress(ChildProcessError):
                    # Its CPU time counts too: the search index's fork server outlives the build, and the index
                    # process and its writers are its children, not the build's (wait4 gives their time with its).
                    _, _, left_usage = os.wait4(pid, 0)
                    user, kernel = user + left_usage.ru_utime, kernel + left_usage.ru_stime
                    read += left_usage.ru_inblock
        outlived = time.perf_counter() - start - wall
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": round(wall, 2),
            # Its own and its waited-for children's, and that of what it left running (and their children).
            "cpu_s": round(user + kernel, 2),
            "kernel_cpu_s": round(kernel, 2),  # of which in the kernel (for our builds: creating files, disk.py)
            # While it ran, the time the system's cores sat idle with a read or write of the disk outstanding: on this
            # disk, after many files were deleted, a full build of 10,000 items spent ~14 s of its 25 with both cores
            # waiting (docs/benchmarks.md). A figure of the whole system, which runs nothing else meanwhile.
            "io_wait_s": round(io_wait, 2),
            # What it (and what it left running) read from the disk, not from the system's cache: what decides how
            # much its state at the start matters. This machine pages out a file's cached pages once nothing has read
            # them for a minute (docs/benchmarks.md, 2026-12-07), so a build after a long other one reads its cache
            # again: a change at 100,000 items ~450 MB, against ~0 MB just after the last build.
            "read_mb": round(read * BLOCK / MB, 1),
            "peak_rss_mb": round(usage.ru_maxrss * 1024 / MB, 1),  # the largest of it and its waited-for children
            "peak_pss_mb": round(sampler.peak_kib * 1024 / MB, 1) if sample_memory else None,
            "peak_pss_by_process": sampler.peak_parts if sample_memory else None,
            "outlived_s": round(outlived, 2),  # how long what it left running went on after it
            "exit": process.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def _io_wait_ticks() -> int:
    """The system's I/O wait so far, in clock ticks summed over its cores (the fifth figure of /proc/stat's first line,
    ``cpu  user nice system idle iowait …``)."""
    with open("/proc/stat", encoding="ascii") as file:
        return int(file.readline().split()[5])


class PssSampler:
    """Samples the summed PSS of a process and all its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        # Once the process has ended: this process's children before it started. What it left running has been
        # reparented to this one, and is sampled instead.
        self.outlived: set[int] | None = None
        self.peak_kib = 0
        self.peak_parts: list[list] = []  # at the peak: [role, PSS in MB] of each process, largest first
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join()

    def _run(self) -> None:
        wait = FIRST_SAMPLE_SECONDS
        while not self._stop.is_set():
            outlived = self.outlived
            pids = _tree(self.pid) if outlived is None else [
                pid for child in set(_children(os.getpid())) - outlived for pid in _tree(child)]
            parts = [(pid, _pss_kib(pid)) for pid in pids]
            total = sum(kib for _, kib in parts)
            if total > self.peak_kib:
                self.peak_kib = total
                self.peak_parts = sorted(([_role(pid, self.pid) if outlived is None else OUTLIVED,
                                           round(kib * 1024 / MB)]
                                          for pid, kib in parts if kib), key=lambda part: -part[1])
            self._stop.wait(wait)
            wait = min(2 * wait, SAMPLE_SECONDS)


OUTLIVED = "left running after it"


def _tree(root: int) -> list[int]:
    """``root`` and its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return found


def _children(pid: int) -> list[int]:
    """From each of its tasks' ``children`` list."""
    try:
        children = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as file:
                children += [int(child) for child in file.read().split()]
        return children
    except OSError:  # it ended meanwhile
        return []


def _role(pid: int, root: int) -> str:
    """What a process of the measured command is: the command itself, a fork of it (a pool worker), or a process
    started afresh (the search index's forkserver and what it forks)."""
    if pid == root:
        return "main"
    try:
        with open(f"/proc/{pid}/stat") as file:
            parent = int(file.read().rsplit(")", 1)[1].split()[1])
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            command = file.read()
        with open(f"/proc/{root}/cmdline", "rb") as file:
            same = command == file.read()
    except (OSError, ValueError, IndexError):
        return "ended"
    if b"forkserver" in command:  # the index process and its workers start from the fork server
        return "fork server" if parent == root else "search index"
    return ("fork of main" if parent == root else "fork of a child") if same else "child"


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def count_syscalls(args: list[str], cwd=None) -> dict:
    """The system calls the command and every process it starts make (``strace -f -c``): in all, and the most made
    by name. Tracing slows the command several times over: never measured with its time."""
    compile_code()  # the calls of compiling are none of an office's commands
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "calls"
        subprocess.run(["strace", "-f", "-c", "-qq", "-o", str(table), *args], cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True)
        # % time, seconds, usecs/call, calls, errors (blank when none), the call's name: the last row is the total
        calls = {fields[-1]: int(fields[3]) for fields in map(str.split, table.read_text().splitlines())
                 if len(fields) >= 5 and fields[3].isdigit()}
    total = calls.pop("total")
    return {"total": total, "most": dict(sorted(calls.items(), key=lambda call: -call[1])[:MOST_CALLS])}


MOST_CALLS = 6


def figures(result: dict) -> dict:
    """The figures every benchmark row reports."""
    return {k: result[k] for k in ("wall_s", "cpu_s", "kernel_cpu_s", "io_wait_s", "read_mb", "peak_rss_mb",
                                   "peak_pss_mb", "peak_pss_by_process", "outlived_s", "exit")}
