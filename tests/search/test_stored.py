"""What a build keeps for the next one is read back whole, by the code that wrote it, or not at all."""

from __future__ import annotations

import errno
import fcntl
import subprocess
import sys
from pathlib import Path

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


def _writer(path, *then: str) -> tuple[subprocess.Popen, object]:
    """A process that begins writing the value of ``path`` (``stored.begin``) and then runs ``then``; with the
    temporary file it began, once it has."""
    code = "\n".join(["import sys, time", "from pathlib import Path", "from search import stored",
                      "path = Path(sys.argv[1])", "file = stored.begin(path)", "print(file.name, flush=True)", *then])
    writer = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    return writer, Path(writer.stdout.readline().strip())


def test_a_temporary_is_abandoned_once_its_writer_has_ended(tmp_path):
    """A writer killed part way leaves its temporary: abandoned once that process is gone, not while it may still be
    writing, whatever the process's number (the system gives it to another process in time)."""
    killed, left = _writer(tmp_path / "items.pickle", "time.sleep(600)")
    running, begun = _writer(tmp_path / "items.pickle", "time.sleep(600)")
    try:
        killed.kill()
        killed.wait()
        stored.save(tmp_path / "items.pickle", {"kept": 1}, "tag")
        assert stored.abandoned(tmp_path) == [left]
        assert sorted(tmp_path.iterdir()) == sorted([tmp_path / "items.pickle", left, begun])
        older = tmp_path / f".items.pickle.{killed.pid}"  # as releases before the lock named theirs
        older.write_bytes(b"begun")
        assert stored.abandoned(tmp_path) == sorted([left, older])
        older.unlink()
    finally:
        running.kill()
        running.wait()
    assert stored.abandoned(tmp_path) == sorted([left, begun])
    assert stored.abandoned(tmp_path / "absent") == []


def test_a_reader_waits_for_the_value_being_written(tmp_path):
    """A value begun by another process (a build's writer in the background) is waited for, and read once it is
    written: read at once, it is not there yet."""
    path = tmp_path / "items.pickle"
    stored.save(path, "the last build's", "tag")
    writer, _ = _writer(path, "time.sleep(1)", "stored.finish(file, path, {'parts': 'this build'}, 'tag')")
    try:
        assert stored.load(path, "tag") == "the last build's"
        stored.wait_for_writers(path, 60)
        assert stored.load(path, "tag") == {"parts": "this build"}
        assert stored.abandoned(tmp_path) == [] and [p.name for p in tmp_path.iterdir()] == ["items.pickle"]
    finally:
        writer.wait()


def test_a_reader_waits_no_longer_than_it_is_told(tmp_path):
    """A writer that never finishes (stopped, or hung on a disk) is waited for no longer than the time given; the
    value read is then the last one written. A writer of another value is not waited for."""
    path = tmp_path / "items.pickle"
    stored.save(path, "the last build's", "tag")
    writer, begun = _writer(path, "time.sleep(600)")
    other, _ = _writer(tmp_path / "manifest.pickle", "time.sleep(600)")
    try:
        stored.wait_for_writers(tmp_path / "manifest.pickle.other", 600)  # returns at once: no writer of it
        stored.wait_for_writers(path, 0.2)
        assert stored.load(path, "tag") == "the last build's" and begun.exists()
    finally:
        for process in (writer, other):
            process.kill()
            process.wait()


def test_a_value_is_kept_where_files_cannot_be_locked(tmp_path, monkeypatch):
    """Some network file systems refuse locks: a value is written and read back all the same (the next build then
    does not wait for its writer, and may read the value before it), and its temporary, unlocked, is not waited for."""

    def refused(*args):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refused)
    stored.save(tmp_path / "items.pickle", {"kept": 1}, "tag")
    assert stored.load(tmp_path / "items.pickle", "tag") == {"kept": 1}
    begun = stored.begin(tmp_path / "items.pickle")
    try:
        stored.wait_for_writers(tmp_path / "items.pickle", 600)  # returns at once: nothing tells it is being written
        assert stored.abandoned(tmp_path) == [Path(begun.name)]
    finally:
        begun.close()
