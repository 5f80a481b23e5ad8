"""What a build keeps for the next one is read back whole, by the code that wrote it, or not at all."""

from __future__ import annotations

import errno
import fcntl
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def test_buffers_are_stored_after_the_pickle_once_and_read_back_as_views_of_the_file(tmp_path):
    path = tmp_path / "kept.pickle"
    blobs = [b"a" * 1000, b"", "政府信息公开".encode()]
    stored.save(path, {"blobs": [pickle.PickleBuffer(blob) for blob in blobs], "count": 3}, "code-1")
    back = stored.load(path, "code-1")
    assert back["count"] == 3 and all(isinstance(view, memoryview) for view in back["blobs"])
    assert [bytes(view) for view in back["blobs"]] == blobs
    stored.save(tmp_path / "again.pickle", {"blobs": [pickle.PickleBuffer(v) for v in back["blobs"]], "count": 3},
                "code-1")
    del back  # the views keep the file mapped; it is written over below
    whole = path.read_bytes()
    assert whole.count(b"a" * 1000) == 1 and (tmp_path / "again.pickle").read_bytes() == whole
    path.write_bytes(whole.replace(b"a" * 1000, b"a" * 999 + b"b"))  # damage where the buffers are
    assert stored.load(path, "code-1") is None


def test_a_new_value_replaces_the_last(tmp_path):
    stored.save(tmp_path / "kept.pickle", "first", "code-1")
    stored.save(tmp_path / "kept.pickle", "second", "code-1")
    assert stored.load(tmp_path / "kept.pickle", "code-1") == "second"


@pytest.fixture
def writer(tmp_path):
    """Starts processes that begin writing a value (``stored.begin``) and then run the lines given; each is ended and
    its pipes closed after the test, whatever happened."""
    started: list[subprocess.Popen] = []

    def start(path: Path, *then: str) -> tuple[subprocess.Popen, Path]:
        """The process, and the temporary file it began, once it has."""
        code = "\n".join(["import sys, time", "from pathlib import Path", "from search import stored",
                          "path = Path(sys.argv[1])", "file = stored.begin(path)", "print(file.name, flush=True)",
                          *then])
        process = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        started.append(process)
        return process, Path(process.stdout.readline().strip())

    yield start
    for process in started:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()


WAITS_FOR_A_LINE = "sys.stdin.readline()"  # a writer that goes on when told, and not before


def _elapsed(call) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def test_a_temporary_is_abandoned_once_its_writer_has_ended(tmp_path, writer):
    """A writer killed part way leaves its temporary: abandoned once that process is gone, not while it may still be
    writing, whatever the process's number (the system gives it to another process in time)."""
    killed, left = writer(tmp_path / "items.pickle", WAITS_FOR_A_LINE)
    running, begun = writer(tmp_path / "items.pickle", WAITS_FOR_A_LINE)
    killed.kill()
    killed.wait()
    stored.save(tmp_path / "items.pickle", {"kept": 1}, "tag")
    assert stored.abandoned(tmp_path) == [left]
    assert sorted(tmp_path.iterdir()) == sorted([tmp_path / "items.pickle", left, begun])
    older = tmp_path / f".items.pickle.{killed.pid}"  # as releases before the lock named theirs
    older.write_bytes(b"begun")
    assert stored.abandoned(tmp_path) == sorted([left, older])
    older.unlink()
    running.kill()
    running.wait()
    assert stored.abandoned(tmp_path) == sorted([left, begun])
    assert stored.abandoned(tmp_path / "absent") == []


def test_a_reader_waits_for_the_value_being_written(tmp_path, writer):
    """A value begun by another process (a build's writer in the background) is waited for, and read once it is
    written: read before, it is not there yet."""
    path = tmp_path / "items.pickle"
    stored.save(path, "the last build's", "tag")
    process, _ = writer(path, WAITS_FOR_A_LINE, "stored.finish(file, path, {'parts': 'this build'}, 'tag')")
    assert stored.load(path, "tag") == "the last build's"
    process.stdin.write("go\n")
    process.stdin.flush()
    stored.wait_for_writers(path, 60)
    assert stored.load(path, "tag") == {"parts": "this build"}
    assert stored.abandoned(tmp_path) == [] and [p.name for p in tmp_path.iterdir()] == ["items.pickle"]


def test_a_reader_waits_no_longer_than_it_is_told(tmp_path, writer):
    """A writer that never finishes (stopped, or hung on a disk) is waited for as long as told and no longer; the
    value read is then the last one written. A writer of another value is not waited for."""
    path = tmp_path / "items.pickle"
    stored.save(path, "the last build's", "tag")
    _, begun = writer(path, WAITS_FOR_A_LINE)
    writer(tmp_path / "manifest.pickle", WAITS_FOR_A_LINE)
    assert _elapsed(lambda: stored.wait_for_writers(tmp_path / "manifest.pickle.other", 5)) < 5  # none of it
    assert 0.2 <= _elapsed(lambda: stored.wait_for_writers(path, 0.2)) < 5
    assert stored.load(path, "tag") == "the last build's" and begun.exists()


def test_a_value_is_kept_where_files_cannot_be_locked(tmp_path, monkeypatch):
    """Some network file systems refuse locks: a value is written and read back all the same (the next build then
    does not wait for its writer, and may read the value before it). A temporary whose lock cannot be looked at may be
    being written: abandoned only once it has not been written to for an hour."""

    def refused(*args):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refused)
    stored.save(tmp_path / "items.pickle", {"kept": 1}, "tag")
    assert stored.load(tmp_path / "items.pickle", "tag") == {"kept": 1}
    with stored.begin(tmp_path / "items.pickle") as begun:
        assert _elapsed(lambda: stored.wait_for_writers(tmp_path / "items.pickle", 5)) < 5  # nothing tells
        assert stored.abandoned(tmp_path) == []
        an_hour_ago = time.time() - stored.STALE_SECONDS - 60
        os.utime(begun.name, (an_hour_ago, an_hour_ago))
        assert stored.abandoned(tmp_path) == [Path(begun.name)]


def test_a_lock_refused_for_another_reason_is_an_error(tmp_path, monkeypatch):
    """Only a file system without locks is written unlocked: any other refusal is raised, and leaves no file."""

    def refused(*args):
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(fcntl, "flock", refused)
    with pytest.raises(OSError):
        stored.begin(tmp_path / "items.pickle")
    assert list(tmp_path.iterdir()) == []
