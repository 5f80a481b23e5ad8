"""What a build keeps for the next one is read back whole, by the code that wrote it, or not at all."""

from __future__ import annotations

import subprocess
import sys

from search import stored


def test_a_value_comes_back_under_its_tag(tmp_path):
    value = {"ranges": [1, 2, 3], "titles": ("key", 4), "text": "政府信息公开"}
    stored.save(tmp_path / "kept.pickle", value, "code-1")
    assert stored.load(tmp_path / "kept.pickle", "code-1") == value
    assert [p.name for p in tmp_path.iterdir()] == ["kept.pickle"]  # the temporary file became it


def test_another_tag_missing_file_and_damage_read_as_nothing(tmp_path):
    path = tmp_path / "kept.pickle"
    assert stored.load(path, "code-1") is None
    stored.save(path, list(range(1000)), "code-1")
    assert stored.load(path, "code-2") is None
    whole = path.read_bytes()
    for damaged in (whole[:-1], whole[:len(whole) // 2], whole[:-5] + b"xxxxx", b"", b"code-1\n" + whole,
                    whole.split(b"\n", 1)[1]):
        path.write_bytes(damaged)
        assert stored.load(path, "code-1") is None, damaged[:40]


def test_a_new_value_replaces_the_last(tmp_path):
    stored.save(tmp_path / "kept.pickle", "first", "code-1")
    stored.save(tmp_path / "kept.pickle", "second", "code-1")
    assert stored.load(tmp_path / "kept.pickle", "code-1") == "second"


def test_a_temporary_is_abandoned_once_its_writer_has_ended(tmp_path):
    """A writer killed part way leaves its temporary, named by its process: abandoned once that process is gone, not
    while it may still be writing."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for pid in (ended.pid, running.pid):
            (tmp_path / f".items.pickle.{pid}").write_bytes(b"begun")
        stored.save(tmp_path / "items.pickle", {"kept": 1}, "tag")
        assert stored.abandoned(tmp_path) == [tmp_path / f".items.pickle.{ended.pid}"]
    finally:
        running.kill()
        running.wait()
    assert stored.abandoned(tmp_path / "absent") == []
