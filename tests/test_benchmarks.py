"""The benchmark harness runs at a small size, so it cannot rot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from benchmarks.disk import (
    PROBE_BYTES,
    PROBE_FILES,
    mount_of,
    probe,
    probe_inodes,
    settle,
    settled,
)
from benchmarks.measure import CODE_PACKAGES, OUTLIVED, compile_code, run_measured


def _harness(tmp_path, module: str, *args: str):
    """Run a benchmark module as users do; its stdout and the rows of its --json output."""
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", module, *args, "--json", str(out)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(out.read_text())


def test_generated_catalog_validates_without_errors(tmp_path):
    _, [row] = _harness(tmp_path, "benchmarks.validate", "--items", "200")
    assert row["items"] == 200 and row["exit"] == 0 and row["errors"] == 0
    assert row["peak_rss_mb"] > 0 and row["cpu_s"] > 0


def test_build_benchmark_builds_example_and_generated_sites(tmp_path):
    _, rows = _harness(tmp_path, "benchmarks.build", "--items", "200")
    assert [r["catalog"] for r in rows] == ["example", "200"]
    assert all(r["exit"] == 0 and r["files"] > 100 for r in rows)


def test_serve_benchmark_times_each_rebuild_after_a_save(tmp_path):
    stdout, [row] = _harness(tmp_path, "benchmarks.serve", "--items", "200", "--rounds", "2")
    assert row["items"] == 200 and row["exit"] == 0
    # Two rebuilds, each after the first build, all inside the measured process's run.
    assert 0 < row["rebuild_s"] <= row["rebuild_max_s"] and row["first_build_s"] + 2 * row["rebuild_s"] < row["wall_s"]
    # One save a second after the last, one after a pause (the server tidied), and what staff wait for from the
    # save: seen, then rebuilt (of two saves, the medians are means, and add up).
    assert max(row["rebuild_quick_s"], row["rebuild_after_pause_s"]) == row["rebuild_max_s"]
    assert row["waited_s"] == pytest.approx(row["detect_s"] + row["rebuild_s"], abs=0.002)
    assert "after saving one item" in stdout


def test_harness_runs_ours_and_the_naive_baseline_at_a_small_size(tmp_path):
    # Not waiting for the disk to settle: the tests beside this one create and delete files all the time.
    stdout, [result] = _harness(tmp_path, "benchmarks", "--items", "200", "--runs", "2", "--settle", "0")
    assert len(result["runs"]) == 2
    for row in result["runs"]:
        for name in ("validate", "full", "change_1", "change_1_next", "publish_1", "change_100", "serve_1", "naive"):
            assert row[name]["exit"] == 0 and row[name]["wall_s"] > 0, name
        # Memory sampled where a goal asks for it, and the changes timed alone (sampling slows a large build).
        assert all(row[name]["peak_pss_mb"] > 0 for name in ("validate", "full", "naive"))
        assert all(row[name]["peak_pss_mb"] is None and row[name]["peak_pss_by_process"] is None
                   for name in ("change_1", "change_1_next", "publish_1", "change_100", "serve_1"))
        assert set(row["ratios"]) == {"full", "change_1", "change_1_next", "publish_1", "change_100", "full_cpu"}
        assert row["ratios"]["full_cpu"] == round(row["full"]["cpu_s"] / row["naive"]["cpu_s"], 3)
        assert row["full"]["cache_files"] > 0 and row["full"]["cache_mb"] > 0  # what the next build reads
        # The site after both changes, and after the publication, as a full build of the catalog then makes it.
        assert row["change_1_next"]["identical_to_full"] is True and row["publish_1"]["identical_to_full"] is True
        assert "identical_to_full" not in row["change_1"]  # checked with the next, which changes it again
        # One file more: its page (its search document is packed).
        assert row["publish_1"]["files"] >= row["change_1_next"]["files"] + 1
        assert 0 < row["serve_1"]["rebuild_s"] <= row["serve_1"]["rebuild_max_s"] < row["serve_1"]["wall_s"]
    summary = result["summary"]
    walls = [row["full"]["wall_s"] for row in result["runs"]]
    assert summary["full"]["wall_s"] == {"median": sum(walls) / 2, "min": min(walls), "max": max(walls)}
    assert summary["full"]["files"]["median"] > 200
    assert summary["ratio_of_medians"]["wall_s"] == round(
        summary["full"]["wall_s"]["median"] / summary["naive"]["wall_s"]["median"], 3)
    assert "ours / naive" in stdout and "gongkai serve after saving one item" in stdout
    assert "peak_pss_mb" in summary["full"] and "peak_pss_mb" not in summary["change_1"]
    assert stdout.count("memory not sampled (timed alone)") == 5
    for state in result["disk"]["before"], result["disk"]["after"]:  # what creating a file cost, beside the figures
        assert state["files"] > 0 and state["cpu_s"] >= 0 and state["type"] != "unknown"
    assert result["disk"]["settled"]["waited_s"] < 5 and len(result["disk"]["settled"]["cpu_us_per_inode"]) == 1
    assert all(0 <= row["full"]["kernel_cpu_s"] <= row["full"]["cpu_s"] for row in result["runs"])
    # The I/O wait is the system's, in core-seconds: at most every core for the whole command.
    assert all(0 <= row[name]["io_wait_s"] <= row[name]["wall_s"] * os.cpu_count() + 0.02
               for row in result["runs"] for name in ("full", "naive", "change_1"))
    assert all(row[name]["read_mb"] >= 0 for row in result["runs"] for name in ("full", "naive", "change_1"))
    assert "disk: " in stdout and "in the kernel" in stdout and "waited on the disk" in stdout and "MB from it" in stdout


def test_the_sharding_simulation_builds_every_shard_and_merges_their_search(tmp_path):
    stdout, result = _harness(tmp_path, "benchmarks.shards", "--items", "400", "--shards", "2")
    assert result["exits"] == [0] and result["shards"] == 2
    merged = result["merged_index"]
    assert merged["documents"] >= 400 and merged["files"] > 0  # the items, and each organ's annual report and merged["output_mb"] > 0
    assert result["simulated_wall_s"] == round(result["shard_wall_s"]["max"] + merged["wall_s"], 1)
    assert "on 2 machines" in stdout


def test_the_full_builds_memory_is_shown_by_process_and_its_system_calls_counted(tmp_path):
    # No wait for the disk: the tests beside it create and delete files all the time (it waited up to five minutes).
    stdout, [result] = _harness(tmp_path, "benchmarks", "--items", "200", "--syscalls", "--settle", "0")
    for calls in result["syscalls"].values():  # ours, and the naive build's
        assert calls["total"] > sum(calls["most"].values()) > 0 and "openat" in calls["most"]
    assert result["syscalls"]["ours"]["total"] != result["syscalls"]["naive"]["total"]
    assert "system calls of a full build" in stdout
    parts = result["runs"][0]["full"]["peak_pss_by_process"]
    assert [role for role, _ in parts].count("main") == 1
    assert sum(mb for _, mb in parts) == pytest.approx(result["runs"][0]["full"]["peak_pss_mb"], abs=len(parts))
    assert "by process" in stdout


def test_what_a_command_leaves_running_is_measured_too():
    """The build's cache writer and the search index's fork server outlive it: their memory, their time after the
    build and their CPU time count."""
    left = ("import os, time\n"
            "if os.fork() == 0:\n"
            "    kept = bytearray(80 * 2**20)\n"  # written: its pages are its own
            "    start = time.process_time()\n"
            "    while time.process_time() - start < 0.5:\n"  # work done after the command has ended
            "        sum(range(100_000))\n"  # in user space: asking for the time is a system call
            "    time.sleep(0.5)\n"
            "    os._exit(0)\n")
    result = run_measured([sys.executable, "-c", left])
    assert result["exit"] == 0 and result["wall_s"] < 0.5
    assert result["outlived_s"] >= 0.9
    assert result["cpu_s"] >= 0.5 and result["kernel_cpu_s"] < 0.25
    assert [role for role, mb in result["peak_pss_by_process"] if mb >= 80] == [OUTLIVED]


def test_what_a_command_and_what_it_leaves_running_read_from_the_disk_is_counted(tmp_path):
    """Bytes read from the disk, not from the system's cache: a file dropped from the cache counts once, read again
    it does not."""
    if mount_of(tmp_path)["type"] in ("tmpfs", "ramfs"):
        pytest.skip("no disk under the temporary folder: nothing is read from one")
    data = tmp_path / "data.bin"
    data.write_bytes(os.urandom(8 * 2**20))
    with data.open("rb") as file:
        os.fsync(file.fileno())  # written back, so the system may drop its cached pages
        os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    read = f"import os\nif os.fork() == 0:\n    open({str(data)!r}, 'rb').read()\n    os._exit(0)\n"
    first, again = (run_measured([sys.executable, "-c", read]) for _ in range(2))
    assert first["exit"] == 0 and first["read_mb"] >= 8 * 2**20 / 10**6
    assert again["read_mb"] < 1


def test_the_memory_of_a_command_that_ends_at_once_is_measured():
    """A command of a tenth of a second (validating 200 items) was sampled once, while it was still being started:
    its peak read 0 MB, and the harness's test failed now and then."""
    quick = "import time; kept = bytearray(30 * 10**6); time.sleep(0.05)"  # written: its pages are its own
    for _ in range(3):
        result = run_measured([sys.executable, "-c", quick])
        assert result["exit"] == 0 and result["wall_s"] < 0.5
        assert result["peak_pss_mb"] >= 30


def test_the_code_measured_is_compiled_as_an_installed_gongkai_is(tmp_path):
    """A copy of the repository made to be measured has no bytecode, and Python on these machines writes none itself:
    every command measured compiled gongkai's modules again, which no office's command does."""
    for package in CODE_PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    compile_code(tmp_path)
    imported = subprocess.run([sys.executable, "-v", "-c", "import builder.cli, search.index"], cwd=tmp_path,
                              capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert imported.returncode == 0, imported.stderr
    # Python says where each module's code came from: its bytecode ('…/__pycache__/….pyc'), or its source compiled
    loaded = [line for line in imported.stderr.splitlines()
              if line.startswith("# code object from") and str(tmp_path) in line]
    assert len(loaded) > 50 and all(line.endswith(".pyc'") for line in loaded)


def test_the_disk_probe_creates_its_files_and_names_the_filesystem(tmp_path):
    state = probe(tmp_path / "probe", files=250)
    created = sorted(p.relative_to(tmp_path / "probe").as_posix() for p in (tmp_path / "probe").rglob("*.json"))
    assert len(created) == 250 and created[0] == "0/0.json" and "2/249.json" in created
    assert all(p.stat().st_size == PROBE_BYTES for p in (tmp_path / "probe").rglob("*.json"))
    folders = [p for p in (tmp_path / "probe").iterdir() if p.is_dir()]
    assert state["files"] == 250 and state["inodes"] == 250 + len(folders) == probe_inodes(250) == 253
    assert 0 <= state["kernel_cpu_s"] <= state["cpu_s"]
    assert state == mount_of(tmp_path) | {k: state[k] for k in state if k not in ("mount", "type", "options",
                                                                                 "journal")}
    assert state["type"] != "unknown" and tmp_path.as_posix().startswith(state["mount"])
    with pytest.raises(FileExistsError):  # never into files already there: they are what is being timed
        probe(tmp_path / "probe", files=1)


SMALL_PROBE = 300


def test_the_harness_waits_for_the_disk_to_settle_only_where_deletions_slow_it(tmp_path):
    """ext4 without a journal steps over recently deleted inodes for minutes: the harness probes until creating a
    file costs what it does without (here, asked for less than anything costs, until its limit); elsewhere nothing
    slows it so, and one probe says what creating a file costs."""
    # A small probe: the harness's own (PROBE_FILES) can take longer than this limit on a busy machine.
    state = settle(tmp_path / "settle", settled_us=0, limit=1.2, pause=0.4, files=SMALL_PROBE)
    mount = mount_of(tmp_path)
    probes = len(state["cpu_us_per_inode"])
    assert probes >= 2 if mount["type"] == "ext4" and mount["journal"] is False else probes == 1
    # It paused between probes, and stopped before a pause would pass its limit (a probe's own time comes on top).
    assert 0.4 * (probes - 1) <= state["waited_s"] and probes <= 1 + 1.2 / 0.4
    assert all(cost > 0 for cost in state["cpu_us_per_inode"])
    assert len(list(tmp_path.glob("settle-*/*/*.json"))) == probes * SMALL_PROBE  # left in place
    quick = settle(tmp_path / "settled", settled_us=1e9, pause=0.1)  # settled by the second probe
    assert len(quick["cpu_us_per_inode"]) == (2 if mount["type"] == "ext4" and mount["journal"] is False else 1)
    # its probes as large as the one before the runs: fewer files were created fast while those after them were not
    assert len(list(tmp_path.glob("settled-*/*/*.json"))) == PROBE_FILES * len(quick["cpu_us_per_inode"])


@pytest.mark.parametrize(("costs", "expected"), [
    ([20.0], False),           # one probe says too little: the next one took 140.6 µs (2026-12-05)
    ([19.8, 140.6], False),
    ([140.6, 25.0], False),    # cheap once, after a dear one
    ([25.0, 20.0], True),      # far below SETTLED_US twice
    ([20.0, 54.0], True),      # below it twice, and not falling
    ([61.4, 55.4], True),      # no longer falling
    ([196.0, 61.4], False),    # still falling: the first full build after this spent 1 s more in the kernel
    ([196.0, 61.4, 25.0], True),
    ([150.0, 140.0], False),   # steady, but slow
])
def test_the_disk_is_settled_once_creating_files_is_cheap_twice_and_no_longer_getting_cheaper(costs, expected):
    assert settled(costs, settled_us=100) is expected


MOUNTS = """/dev/vda / ext4 rw,relatime,discard 0 0
proc /proc proc rw,nosuid 0 0
tmpfs /tmp tmpfs rw 0 0
/dev/vdb /tmp/my\\040disk xfs rw 0 0
tmpfs /tmp tmpfs rw,size=1g 0 0
"""


def test_the_filesystem_is_the_longest_mount_point_above_a_path():
    assert mount_of(Path("/proc/self"))["type"] == "proc" and mount_of(Path("/proc/self"))["mount"] == "/proc"
    assert mount_of(Path("/"))["mount"] == "/"
    assert mount_of(Path("/tmp/my disk/site"), MOUNTS)["type"] == "xfs"  # an escaped space in the mount point
    assert mount_of(Path("/tmp/my diskette"), MOUNTS)["options"] == "rw,size=1g"  # a prefix of a name is not a folder
    assert mount_of(Path("/tmpfoo"), MOUNTS)["mount"] == "/" and mount_of(Path("/tmpfoo"), MOUNTS)["type"] == "ext4"
    assert mount_of(Path("/proc/1"), MOUNTS)["journal"] is None  # said of ext4 alone
