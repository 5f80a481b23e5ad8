"""Run a command in a fresh process and measure it: wall time, CPU time and peak RSS of that process alone."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time


def run_measured(args: list[str], cwd=None) -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait: the rusage is this child's own
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": process.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def figures(result: dict) -> dict:
    """The figures every benchmark row reports."""
    return {k: result[k] for k in ("wall_s", "cpu_s", "peak_rss_mb", "exit")}
