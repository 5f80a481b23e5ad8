"""The search index of the published items, written in another process while the pages are planned and rendered.

The process starts from a small fork server that has imported only this module and the index writer
(``pools.start_index_server``), not forked from the build: it carries none of the catalog and starts at once; the
build's own process never imports the writer (nor numpy). It receives one small record per item
(site/documents.py) and reads bodies from the item files itself; a process of the build's own is told every
document's key first, and receives the records of the ranges it writes only.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import multiprocessing
import os
import pickle
import platform
import shutil
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from search.document import IndexReuse, Spans, WrittenIndex

from ..site.documents import DocumentSource, SearchDocuments
from ..util import no_gc
from .cache import BuildCache
from .pools import fork_map, send_outcome

if TYPE_CHECKING:  # the writer (and numpy) is imported by the index process alone
    from search.index import IndexPlan


class IndexProcess:
    """A process that writes search indexes, one job at a time, started from the index's fork server.

    `gongkai build` starts one for its index and ends it when the index is done. `gongkai serve` keeps one from
    build to build (``pipeline.Memory``): its memory stays mapped, and a process that has written an index once
    writes the next faster (after one save at 10,000 items, tokenizing the changed range of 1,000 documents took
    0.45–0.52 s in a fresh process and ~0.2 s in one that had done it, a fresh process faulting in every array)."""

    def __init__(self, mapped: int = 0) -> None:
        """``mapped``: bytes to map first (``mapped_for``), for a process started while nobody waits for it."""
        context = multiprocessing.get_context("forkserver")
        self._connection, theirs = context.Pipe()
        # Not a daemon: it forks the writers of the index's ranges. Ended by ``close``, at the latest as this
        # process exits (before multiprocessing waits for its children: atexit runs the last registered first).
        self._process = context.Process(target=_write_jobs, args=(theirs, mapped))
        self._process.start()
        theirs.close()
        self._waiting = False  # a job begun and not yet answered (or told none come): no other may be given
        # The documents, by key, the process was handed for its last job that it answered without an error: it holds
        # them, and the next job is handed only the others (``SearchDocuments.without``).
        self.held: dict[str, DocumentSource] = {}
        atexit.register(self.close)

    def begin(self, folder: Path, reuse: IndexReuse) -> None:
        """Begin a job: the process reads the last build's index (``reuse``) while the documents are made (at
        100,000 items ~130 MB, which it read only once they were handed over, and the build waited for it)."""
        self._connection.send((folder, reuse))
        self._waiting = True

    def ask(self, keys: list[str]) -> Spans | None:
        """Which of the job's documents the process will read, told each one's key (after ``begin``, before
        ``submit``): the spans (first, end) of the ranges it writes, the others being kept from the site's index;
        None: all of them (nothing usable was kept, or the process cannot say)."""
        try:
            self._connection.send(keys)
            return self._connection.recv()
        except (EOFError, OSError):  # ended meanwhile: ``answer`` says so
            return None

    def submit(self, handed: Path | None) -> None:
        """The job's documents (``SearchIndexJob.hand_over``); None: the build stopped before it had any, and the
        process waits for the next job."""
        self._connection.send(handed)
        self._waiting = handed is not None

    def finished(self) -> bool:
        """Whether the job's answer has arrived (or the process has ended without one)."""
        return self._connection.poll()

    def answer(self) -> WrittenIndex:
        """The job's result, waited for; its exception raised here."""
        try:
            ok, value = self._connection.recv()
            self._waiting = False
        except EOFError:
            self._process.join(timeout=1)  # for its exit code
            raise RuntimeError(f"搜索索引进程意外退出（退出码 {self._process.exitcode}）"
                               f"(the search index process ended without an answer)") from None
        if not ok:
            raise value
        return value

    def usable(self) -> bool:
        """Whether it can take a job: alive, and not in the middle of one, begun and waiting for its documents or
        still owing its answer (which the next job would otherwise receive)."""
        return self._process.is_alive() and not self._waiting

    def close(self) -> None:
        """End the process and the range writers it forked (at once: a job still being written is abandoned, and
        its folder goes with the job's). They are a process group of their own: a writer left behind would block
        forever sending its range to a parent that is gone."""
        if not self._connection.closed:
            self._connection.close()
            with contextlib.suppress(ProcessLookupError):  # a process just started may not lead its group yet
                os.killpg(self._process.pid, signal.SIGTERM)
            self._process.terminate()
            self._process.join()
            atexit.unregister(self.close)


def _write_jobs(connection: Connection, mapped: int) -> None:
    """The index process: each job begins with the last build's index, read at once, then receives its documents
    and is written, its result or exception sent back; a job whose build stopped first receives none, and gets no
    answer. ``mapped``: bytes of memory to map first (``_map_memory``)."""
    # A process group of its own (see ``IndexProcess.close``), which also keeps the terminal's Ctrl+C for the
    # build: the build ends it.
    os.setpgid(0, 0)
    _keep_freed_memory()
    if mapped:
        _map_memory(mapped)
    # Imported here, in the index process alone (the build's own never loads numpy); its fork server preloaded it.
    from search.index import plan_index, previous_ranges

    held: dict[str, tuple] = {}  # the documents of the last job read, by key (``_write``)
    try:
        while True:
            folder, reuse = connection.recv()
            try:
                previous = previous_ranges(reuse)  # read while the build makes the documents
            except Exception as error:  # raised in the build, as the job's answer
                previous = error
            plan = None
            handed = connection.recv()
            if isinstance(handed, list):  # the documents' keys (``IndexProcess.ask``): which ones are needed
                with contextlib.suppress(Exception):  # then all are, and writing raises what planning did
                    plan = None if isinstance(previous, Exception) else plan_index(handed, reuse, previous)
                connection.send(plan and plan.spans())
                handed = connection.recv()
            if handed is not None:
                # An exception is raised by the build.
                send_outcome(connection, functools.partial(_write, handed, folder, reuse, previous, held, plan))
            del previous, plan  # not held until the next job (`gongkai serve` keeps this process between saves)
    except (EOFError, ConnectionError):
        # The build is done with it, or has stopped: one that failed after the index had finished closes the pipe
        # with the answer unread, which is a reset here, not a traceback for staff to read under its message.
        return


# glibc's mallopt(3) parameters, from <malloc.h>.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
ARRAYS_IN_HEAP = 32 << 20  # bytes: the largest block glibc allows in its heap rather than mapped on its own
# Bytes of free heap kept for reuse rather than given back: more than a range's arrays need at once (a first range
# took the same time as with 1 GB), and all that a process kept by `gongkai serve` may hold between saves.
HEAP_KEPT = 256 << 20


def _keep_freed_memory() -> None:
    """Let the index process reuse the memory its arrays free, rather than give it back and map new memory for
    the next ones, every page of which the system then zeroes on first use. A range's tokens make and drop
    arrays of millions of integers, one after the other: in a fresh process its first range took 0.44 s, and
    0.33 s with this (median of six); one change at 10,000 items 1.76 s, and 1.57 s; a save in `gongkai serve`
    0.97 s, and 0.86 s (docs/decisions.md). Its range writers, forked from it, inherit the setting. Only with
    glibc, whose parameters these are."""
    if platform.libc_ver()[0] == "glibc":
        mallopt = ctypes.CDLL(None).mallopt
        mallopt(M_MMAP_THRESHOLD, ARRAYS_IN_HEAP)
        mallopt(M_TRIM_THRESHOLD, HEAP_KEPT)


# A range's arrays at their peak: ~200 MB for its 1,000 documents (search.index.RANGE_SIZE), fewer for fewer.
RANGE_PEAK, RANGE_PEAK_PER_DOCUMENT = 192 << 20, 192 << 10


def mapped_for(documents: int) -> int:
    """What a process that will write a range of ``documents`` documents maps first."""
    return min(RANGE_PEAK, documents * RANGE_PEAK_PER_DOCUMENT)


def _map_memory(size: int) -> None:
    """Take ``size`` bytes of memory from the system and free them again, each page touched, so that the heap keeps
    them (``_keep_freed_memory``): the system zeroes a page the first time it is used, and a fresh process writing its
    first range paid for every one. Only where the heap keeps what is freed."""
    if platform.libc_ver()[0] == "glibc":
        import numpy as np  # preloaded by the fork server with the index writer

        block = ARRAYS_IN_HEAP // 2
        blocks = [np.ones(min(block, size - start), dtype=np.uint8) for start in range(0, size, block)]
        del blocks


class SearchIndexJob:
    """The index of the published items, written into a folder beside the cache's site by ``process`` (kept by the
    caller) or by a process of its own: the job begins when it is made (the process reads the last build's index),
    a process of its own is asked which documents it needs (``wanted``), the documents are handed over
    (``hand_over``; a forked worker may do both), the job is submitted (by that worker too, when the process is the
    job's own: what this object knows of the job is then not told, and need not be, for such a process is ended
    with the job whatever it did), and ``move_into`` waits for it and moves it into the site."""

    def __init__(self, cache: BuildCache, code: str, process: IndexProcess | None = None) -> None:
        reuse = cache.index_reuse(code)
        self._work = cache.folder_beside("search")  # the index's files are moved into the site
        self._folder = self._work / "index"
        self._handed = self._work / "documents.pickle"
        self._own = process is None
        self._submitted = False
        self._answer: WrittenIndex | BaseException | None = None
        self._handed_documents: tuple[SearchDocuments, list[str]] | None = None  # and their keys
        try:
            self._folder.mkdir()
            self._process = process or IndexProcess()
        except BaseException:
            shutil.rmtree(self._work, ignore_errors=True)
            raise
        try:
            self._process.begin(self._folder, reuse)
        except BaseException:
            self._submitted = True  # a send cut short: nothing is known of what the process received, it is ended
            self.stop()
            raise

    def wanted(self, keys: list[str]) -> Spans | None:
        """The spans of the documents the index will read, told every document's key; None: all. A process of the
        job's own is asked (after one change at 100,000 items it reads ~1,000 documents, where all of them took
        ~1 s to make and ~0.7 s to hand over); a kept one (`gongkai serve`) holds the last job's documents and is
        handed only those that changed (``hand_over``)."""
        return self._process.ask(keys) if self._own else None

    def hand_over(self, documents: SearchDocuments, keys: list[str]) -> None:
        """Hand ``documents`` over, with one key per document (equal when it is unchanged), in a file, not in the
        pipe: pickled here at once (~0.05 s at 10,000 items), and read by the index process when the job is submitted
        rather than held by both processes until the answer. A kept process (`gongkai serve`) is handed only the
        documents it does not hold from its last job: after one save at 10,000 items the pickle took 2–3 ms instead
        of 40–70, and the process reads as little."""
        held = {} if self._own else self._process.held
        with self._handed.open("wb") as file:
            pickle.dump((documents.without(keys, held) if held else documents, keys), file,
                        protocol=pickle.HIGHEST_PROTOCOL)
        self._handed_documents = (documents, keys)

    def submit(self) -> None:
        self._submitted = True  # first: a send cut short leaves the process in a state only ending it resolves
        self._process.submit(self._handed)

    def busy(self) -> bool:
        """Whether the index is still being written. Once it is not, a process of its own ends, so that its memory
        (~450 MB at 100,000 items) is given back before page writers are forked."""
        if self._answer is None and not self._process.finished():
            return True
        self._collect()
        return False

    def move_into(self, search_dir: Path) -> list[str]:
        """Wait for the index and move it into ``search_dir``; returns the files it kept of the site's index."""
        self._collect()
        if isinstance(self._answer, BaseException):
            raise self._answer
        search_dir.mkdir(parents=True, exist_ok=True)
        for entry in sorted(self._folder.iterdir()):
            entry.rename(search_dir / entry.name)
        self.stop()
        return self._answer.kept

    def _collect(self) -> None:
        """Receive the answer (waiting for it), and end a process of the job's own."""
        if self._answer is None:
            try:
                self._answer = self._process.answer()
            except Exception as error:  # raised by move_into; Ctrl+C stops the build at once
                self._answer = error
            if self._own:
                self._process.close()
            else:  # what the process holds now is known only when it wrote the job (it may have failed reading it)
                handed = self._handed_documents
                ok = handed is not None and not isinstance(self._answer, BaseException)
                self._process.held = dict(zip(handed[1], handed[0].sources)) if ok else {}  # as ``_write`` keeps them

    def stop(self) -> None:
        """Done with the job: its folder goes. A process still writing it is ended — a kept one too, whose next
        job must not receive this one's answer (``usable`` then says so, and the caller starts another). A kept
        process whose job was never submitted (the build failed before) is told so, and stays."""
        try:
            if self._answer is None:
                self._answer = RuntimeError("the search index job was stopped")
                if self._submitted or self._own:
                    self._process.close()
                else:
                    try:
                        self._process.submit(None)
                    except OSError:  # it died meanwhile: the caller starts another
                        self._process.close()
        finally:
            shutil.rmtree(self._work, ignore_errors=True)


def _write(handed: Path, folder: Path, reuse: IndexReuse, previous: dict | Exception,
           held: dict[str, tuple], plan: IndexPlan | None) -> WrittenIndex:
    """The index process's work: ``handed`` holds the SearchDocuments and each one's key; ``previous`` is what
    ``previous_ranges`` read of the last build's index, or what it raised. ``held``: the documents of the last job,
    by key, where those left out of this one are (``SearchIndexJob.hand_over``), replaced by this job's. ``plan``:
    what was answered when the build asked which documents are needed (``IndexProcess.ask``): only those were
    handed over."""
    from search.index import serial_map, write_index  # as ``_write_jobs`` imports

    if isinstance(previous, Exception):
        raise previous
    with no_gc(), handed.open("rb") as file:  # tuples of strings: nothing for the cyclic collector to find
        documents, keys = pickle.load(file)
    handed.unlink()
    if held:
        documents = documents.filled(keys, held)
    held.clear()
    held.update(zip(keys, documents.sources))
    # A whole index (nothing of the last one to revise: a new site, a build of the whole site) is written while the
    # build writes every page on the other core: its ranges one after another in this process, which a forked
    # writer only competed with for a core. Full builds, tmpfs, alternating pairs: 10,000 items 3.66 s and 7.0
    # CPU-s against 3.82 and 7.4 (eight pairs); 100,000 items 32.7 s against 34.7 (two). Revised ranges, after a
    # change, are what the build waits for at its end: written on every core.
    parallel = fork_map if previous else serial_map
    return write_index(documents, folder, reuse, keys, parallel=parallel, previous=previous, plan=plan)
