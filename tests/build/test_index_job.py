"""The search index's process (build/index_job.py): `gongkai serve` keeps one from build to build; each job gets its
own answer, a job stopped half-way takes its process with it, and an error in the index reaches the build."""

import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
import platform
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO, TODAY, gongkai, tree_digest

import search.index
from benchmarks.generate import change_items, generate
from builder.build import index_job
from builder.build.cache import BuildCache
from builder.build.fingerprint import code_fingerprint
from builder.build.index_job import IndexProcess, SearchIndexJob
from builder.build.pipeline import Memory
from builder.build.pools import INDEX_SERVER_PRELOAD, start_index_server
from builder.errors import CatalogChanged
from builder.model.load import load_catalog
from builder.site.documents import SearchDocuments, search_documents
from builder.site.participation import site_search_documents
from builder.site.views import published_views
from search.hashing import digest
from search.index import RANGE_SIZE, write_index


def _started(documents, keys, cache, code, process=None) -> SearchIndexJob:
    """A job as the build starts one: made, the documents handed over, submitted."""
    job = SearchIndexJob(cache, code, process)
    job.hand_over(documents, keys)
    job.submit()
    return job


@pytest.fixture(scope="module")
def documents() -> SearchDocuments:
    catalog, _ = load_catalog(EXAMPLE)
    return search_documents(published_views(catalog, dt.date(2026, 11, 23)))


def _keys(documents: SearchDocuments) -> list[str]:
    return [digest(repr(documents[n])) for n in range(len(documents))]


def _written(tmp_path, name: str, documents, process: IndexProcess | None) -> dict[str, str]:
    cache = BuildCache(tmp_path / name, read=False)
    job = _started(documents, _keys(documents), cache, "code", process)
    job.move_into(tmp_path / name / "search")
    return tree_digest(tmp_path / name / "search")


def test_the_fork_server_preloads_the_index_process_and_its_writer():
    """Named, not imported, where the fork server is started (before the CLI): a name that no longer imports would
    be skipped by the server without a word, and every index process would import it again."""
    assert INDEX_SERVER_PRELOAD == (index_job.__name__, search.index.__name__)


SERVER_THREADS = """
import multiprocessing.forkserver, os, time
from builder.build.pools import start_index_server

def threads(pid):
    return next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("Threads:"))

if __name__ == "__main__":
    start_index_server()
    server = multiprocessing.forkserver._forkserver._forkserver_pid
    started = time.monotonic()
    while not (loaded := "openblas" in open(f"/proc/{server}/maps").read()) and time.monotonic() < started + 30:
        time.sleep(0.005)
    most = 0
    for _ in range(100):  # until it forks an index process (OpenBLAS ends its threads first): what it runs meanwhile
        most = max(most, threads(server))
        time.sleep(0.005)
    environ = open(f"/proc/{server}/environ", "rb").read().split(b"\\0")
    print(loaded, most, b"OPENBLAS_NUM_THREADS=1" in environ, os.environ.get("OPENBLAS_NUM_THREADS"))
"""


@pytest.mark.skipif(platform.system() != "Linux" or len(os.sched_getaffinity(0)) < 2,
                    reason="threads are counted in /proc; numpy's OpenBLAS starts no thread of its own on one core")
def test_the_fork_server_runs_numpy_without_threads_of_its_own():
    """numpy's OpenBLAS would start a thread for each other core, spinning for work the index never gives it (~0.1
    CPU-s of every build's start); the server is started without, and the caller's environment is left as it was."""
    env = {name: value for name, value in os.environ.items() if name != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-c", SERVER_THREADS], capture_output=True, text=True, cwd=REPO,
                            env=env, timeout=60)
    # Counted once OpenBLAS is loaded: before, one thread is all a server has, with or without the setting.
    assert result.stdout.split() == ["True", "1", "True", "None"], result.stdout + result.stderr


def test_a_kept_process_writes_one_index_after_another_as_fresh_ones_do(tmp_path, documents):
    start_index_server()
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        first = _written(tmp_path, "kept-1", documents, kept)
        assert memory.index_process(in_place=True) is kept and kept.usable()  # still there for the next build
        fewer = SearchDocuments(documents.sources[1:])
        second = _written(tmp_path, "kept-2", fewer, kept)
        assert first == _written(tmp_path, "fresh-1", documents, None)
        assert second == _written(tmp_path, "fresh-2", fewer, None) != first
        assert memory.index_process(in_place=False) is None and not kept.usable()  # a whole site: none kept
    finally:
        memory.close()


def test_a_kept_process_is_handed_only_the_documents_it_does_not_hold(tmp_path, documents):
    """After a job it wrote, a kept process holds its documents: the next job's file carries only those changed
    (the others as None), an item file renamed among them (found by the incremental property test: its key is the
    same), and the index is the one a fresh process writes from them all. After a job that failed, every document is
    handed over again."""
    start_index_server()
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        _written(tmp_path, "first", documents, kept)
        assert kept.held == dict(zip(_keys(documents), documents.sources))
        doc, path, body_line, digest_ = documents.sources[3]
        # One document retitled, and one whose item file was renamed: the same key, its body read from the new file.
        renamed = next(n for n, source in enumerate(documents.sources) if source.body_line)
        moved = tmp_path / "renamed.md"
        moved.write_bytes(Path(documents.sources[renamed].path).read_bytes())
        changed = [*documents.sources[:3], (doc._replace(title=doc.title + "（修订）"), path, body_line, digest_),
                   *documents.sources[4:]]
        changed[renamed] = documents.sources[renamed]._replace(path=str(moved))
        changed = SearchDocuments(changed)
        assert _keys(changed)[renamed] == _keys(documents)[renamed]
        job = SearchIndexJob(BuildCache(tmp_path / "second", read=False), "code", kept)
        job.hand_over(changed, _keys(changed))
        with job._handed.open("rb") as file:
            handed, _ = pickle.load(file)
        assert [n for n, source in enumerate(handed.sources) if source is not None] == sorted({3, renamed})
        job.submit()
        job.move_into(tmp_path / "second" / "search")
        assert tree_digest(tmp_path / "second" / "search") == _written(tmp_path, "fresh", changed, None)
        failed = _started(SearchDocuments([(doc, str(tmp_path / "gone.md"), max(body_line, 1), digest_)]), ["gone"],
                          BuildCache(tmp_path / "failed", read=False), "code", kept)
        with pytest.raises(CatalogChanged, match="gone.md：文件在生成网站期间被修改"):  # its body gone since validation
            failed.move_into(tmp_path / "failed" / "search")
        failed.stop()
        assert kept.held == {}  # the next job hands every document over
        assert _written(tmp_path, "after", documents, kept) == _written(tmp_path, "fresh-after", documents, None)
    finally:
        memory.close()


def test_a_job_stopped_before_its_answer_ends_the_kept_process(tmp_path, documents):
    start_index_server()
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        job = _started(documents, _keys(documents), BuildCache(tmp_path / "site", read=False), "code", kept)
        job.stop()  # a build that failed while its index was being written
        assert not kept.usable()  # its answer must not reach the next build
        again = memory.index_process(in_place=True)
        assert again is not kept
        assert _written(tmp_path, "next", documents, again) == _written(tmp_path, "fresh", documents, None)
    finally:
        memory.close()
    assert not [p for p in (tmp_path).iterdir() if p.name.startswith(".site-search-")]  # the job's folder went


def test_a_job_stopped_before_its_documents_leaves_the_kept_process_for_the_next_build(tmp_path, documents):
    """The job begins before its documents are made (its process reads the last index meanwhile): a build that
    fails before it submits the job tells the process, and `gongkai serve`'s process stays for the next save."""
    start_index_server()
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        SearchIndexJob(BuildCache(tmp_path / "site", read=False), "code", kept).stop()
        assert kept.usable() and memory.index_process(in_place=True) is kept
        assert _written(tmp_path, "next", documents, kept) == _written(tmp_path, "fresh", documents, None)
    finally:
        memory.close()


def test_a_job_stopped_after_its_kept_process_died_leaves_nothing_and_the_next_build_starts_another(tmp_path):
    """The kept process may die while a job waits for its documents (the system ends it for memory): stopping the
    job raises nothing that would hide the build's own error, its folder goes, and the next build gets a new
    process."""
    start_index_server()
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        job = SearchIndexJob(BuildCache(tmp_path / "site", read=False), "code", kept)
        kept._process.kill()
        kept._process.join()
        job.stop()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-search-")]
        assert not kept.usable() and memory.index_process(in_place=True) is not kept
    finally:
        memory.close()


def test_what_reading_the_last_index_raised_is_the_jobs_answer(tmp_path):
    """Read as the job begins, outside the job's own outcome: what it raised is raised when the job is written."""
    with pytest.raises(ValueError, match="unreadable"):
        index_job._write(tmp_path / "documents.pickle", tmp_path / "index", None, ValueError("unreadable"), {}, None)


def _two_ranges_one_changed(tmp_path: Path):
    """A site built of two ranges of documents, then one item changed: the site, the views of the catalog now, all
    their search documents and keys, and the range of the changed one."""
    catalog = generate(tmp_path / "catalog", 1500)
    site = tmp_path / "site"
    built = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    change_items(catalog, 1, 1)
    loaded, _ = load_catalog(catalog)
    views = published_views(loaded, dt.date.fromisoformat(TODAY))
    documents, keys = site_search_documents(views, loaded, dt.date.fromisoformat(TODAY))
    changed = next(n for n in range(len(documents)) if "第 1 次更正" in documents[n].body)
    start_index_server()
    return site, loaded, views, documents, keys, changed // RANGE_SIZE


def _written_beside(site: Path, job: SearchIndexJob, documents, keys, folder: Path, every) -> set[str]:
    """The job's index, handed ``documents``, moved into ``folder``: the files it kept of the site's index. With those
    kept files, it is the index written afresh from ``every`` document."""
    job.hand_over(documents, keys)
    job.submit()
    kept = set(job.move_into(folder))
    write_index(every, folder.with_name(f"{folder.name}-fresh"))
    kept_bytes = {path: hashlib.sha256((site / "search" / path).read_bytes()).hexdigest() for path in kept}
    assert (tree_digest(folder, folders=False) | kept_bytes
            == tree_digest(folder.with_name(f"{folder.name}-fresh"), folders=False))
    return kept


def test_a_job_keeps_the_ranges_of_the_index_its_process_read_when_the_job_began(tmp_path):
    """A site of two ranges of documents, one item of the first changed: the job, begun before its documents are
    made, reads the last build's index and keeps the second range whole (its documents' and postings' files), and
    writes the index a full build writes."""
    site, _, _, documents, keys, changed = _two_ranges_one_changed(tmp_path)
    job = SearchIndexJob(BuildCache(site), code_fingerprint(REPO / "overrides"))  # as the build's is
    kept = _written_beside(site, job, documents, keys, tmp_path / "search", documents)
    assert f"d/{1 - changed}.bin" in kept and any(path.startswith(f"b/{1 - changed}/") for path in kept)
    assert f"d/{changed}.bin" not in kept


def test_a_job_of_its_own_is_handed_only_the_documents_of_the_ranges_it_writes(tmp_path):
    """Told the documents' keys first, a job's own process answers with the ranges it writes: after one item of a
    site of two ranges changed, the changed one's, then both after a file of the other was deleted from the site.
    Only those documents are made and handed over (the others None), and the index is a full build's."""
    site, loaded, views, every, _, changed = _two_ranges_one_changed(tmp_path)
    for gone, ranges in ((None, {changed}), (f"d/{1 - changed}.bin", {0, 1})):
        if gone:
            (site / "search" / gone).unlink()
        job = SearchIndexJob(BuildCache(site), code_fingerprint(REPO / "overrides"))
        documents, keys = site_search_documents(views, loaded, dt.date.fromisoformat(TODAY), wanted=job.wanted)
        spans = [(r * RANGE_SIZE, min((r + 1) * RANGE_SIZE, len(keys))) for r in sorted(ranges)]
        assert [n for n, source in enumerate(documents.sources) if source is not None] == \
            [n for first, end in spans for n in range(first, end)]
        kept = _written_beside(site, job, documents, keys, tmp_path / f"search-{len(ranges)}", every)
        assert not any(f"d/{r}.bin" in kept for r in ranges)  # written: changed, or gone from the site


def test_an_error_in_the_index_process_reaches_the_build(tmp_path, documents):
    start_index_server()
    doc, path, body_line, digest = documents.sources[0]
    missing = SearchDocuments([(doc, str(tmp_path / "gone.md"), max(body_line, 1), digest)])
    memory = Memory()
    try:
        kept = memory.index_process(in_place=True)
        job = _started(missing, ["key"], BuildCache(tmp_path / "site", read=False), "code", kept)
        with pytest.raises(CatalogChanged, match="gone.md：文件在生成网站期间被修改"):  # a body gone: said, not lost
            job.move_into(tmp_path / "site" / "search")
        job.stop()
        assert kept.usable()  # it answered: it can write the next index
        assert _written(tmp_path, "next", documents, kept)
    finally:
        memory.close()


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_whole_index_is_written_in_one_process(tmp_path):
    """An index with nothing of the last one to revise is written beside every page of the build, which keeps the
    other core busy: its ranges one after another, no range writer forked (one only competed for a core)."""
    start_index_server()
    catalog, _ = load_catalog(generate(tmp_path / "catalog", 1500))
    documents = search_documents(published_views(catalog, dt.date(2026, 11, 23)))
    assert len(documents) > RANGE_SIZE  # two ranges
    process = IndexProcess()
    try:
        job = _started(documents, _keys(documents), BuildCache(tmp_path / "site", read=False), "code", process)
        pid, forked = process._process.pid, set()
        while job.busy():  # a range takes ~0.1 s: a writer would be seen
            forked.update(_children(pid))
            time.sleep(0.005)
        assert not forked
        job.move_into(tmp_path / "site" / "search")
        assert (tmp_path / "site" / "search" / "meta.json").is_file()
    finally:
        process.close()  # not left running when an assertion fails


def test_a_job_stopped_while_its_ranges_are_revised_leaves_no_writer_behind(tmp_path):
    """Two ranges revised after a change are written by two processes (the build waits for them at its end):
    stopped half-way (a failed build), both end. A range writer left behind blocked for ever sending its range to a
    parent that was gone."""
    catalog = generate(tmp_path / "catalog", 1500)
    site = tmp_path / "site"
    built = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    change_items(catalog, 1500, 1)  # every document: both ranges are written again
    loaded, _ = load_catalog(catalog)
    today = dt.date.fromisoformat(TODAY)
    documents, keys = site_search_documents(published_views(loaded, today), loaded, today)
    start_index_server()
    process = IndexProcess()
    job = _started(documents, keys, BuildCache(site), code_fingerprint(REPO / "overrides"), process)  # as the build's
    pid = process._process.pid  # the index process, whose children are its range writers
    deadline = time.monotonic() + 60
    while not _children(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    writers = _children(pid)
    assert writers, "the index never forked its range writers"
    job.stop()
    deadline = time.monotonic() + 10
    while any(_running(writer) for writer in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(writer) for writer in writers)
    assert not process.usable()


# Run in a fresh interpreter, whose C library has not yet learnt from large blocks freed (glibc raises its threshold
# for mapping a block on its own after freeing one). Prints whether a block of a range's size came from the heap,
# and whether the heap still holds its memory once it is freed.
_HEAP_PROBE = """
import ctypes, sys
from builder.build import index_job


def heap():
    for line in open("/proc/self/maps"):
        if line.rstrip().endswith("[heap]"):
            return tuple(int(bound, 16) for bound in line.split()[0].split("-"))
    return (0, 0)


if sys.argv[1] == "kept":
    index_job._keep_freed_memory()
block = bytearray(16 << 20)  # a range's array of two million integers
address = ctypes.addressof(ctypes.c_char.from_buffer(block))
low, high = heap()
del block
print(low <= address < high, heap()[1] == high)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator is what the setting is for")
def test_keeping_freed_memory_puts_a_range_sized_array_in_a_heap_that_keeps_it():
    """What ``_keep_freed_memory`` sets (the index process calls it as it starts): a large block comes from the heap,
    which keeps it once freed for the next array; without it, glibc maps the block on its own and gives it back when
    freed, and the next array's pages are zeroed again on first use."""
    environment = {name: value for name, value in os.environ.items()  # the allocator's settings are the probe's
                   if name != "GLIBC_TUNABLES" and not name.startswith("MALLOC_")}
    placed = {how: subprocess.run([sys.executable, "-c", _HEAP_PROBE, how], capture_output=True, text=True,
                                  check=True, env=environment).stdout.split() for how in ("kept", "default")}
    assert placed["kept"] == ["True", "True"]
    assert placed["default"][0] == "False"


class _ResetConnection:
    """The build's end of the pipe as the index process finds it when the build failed after the index had
    finished: closed with the answer unread, which the system reports as a reset."""

    def recv(self):
        raise ConnectionResetError(104, "Connection reset by peer")


def test_a_build_gone_with_the_answer_unread_ends_the_index_process_quietly():
    """It printed `Process ForkServerProcess-1: Traceback … ConnectionResetError` under the build's own message."""
    process = multiprocessing.get_context("fork").Process(target=index_job._write_jobs, args=(_ResetConnection(), 0))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == 0, "an exception ended it, with its traceback on the terminal"
