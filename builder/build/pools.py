"""The build's worker processes, in one place: how many, and how work reaches them.

Workers are forked, so what they share (the catalog, the pages to render, the documents to index) is
inherited rather than sent: pickling 100,000 pages to a pool costs more than rendering them. Each task's
result comes back through a pipe. The search index process is the exception: it starts from a small
fork server (``start_index_server``) so that it carries none of the catalog and starts at once.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

Shared = TypeVar("Shared")
Task = TypeVar("Task")
Result = TypeVar("Result")

# Two cores is what the machines this runs on have; more workers than cores only adds start-up.
MAX_WORKERS = 2
# What the index's fork server imports once for every index process it starts: the process's module, and the index
# writer (with numpy) that it imports. Named, not imported: this module is imported before the CLI (``__main__``).
INDEX_SERVER_PRELOAD = ("builder.build.index_job", "search.index")
# numpy's OpenBLAS starts a thread per core when it is loaded, which spins waiting for matrix work the index never
# gives it (it multiplies no matrices): ~0.1 CPU-s of the fork server's start, taken from the other core while this
# one imports the CLI and loads the catalog. One thread: the library runs what it is given in the calling one.
INDEX_SERVER_ENVIRONMENT = (("OPENBLAS_NUM_THREADS", "1"),)


def start_index_server() -> None:
    """Start the search index's fork server, if it is not running. ``python -m builder`` starts it before it
    imports the CLI for the commands that index: its interpreter imports numpy and the index writer (~0.3 s) on the
    other core while this one imports the CLI, rather than beside the catalog's loading, where it took half a core
    from the loading worker (a full build of 10,000 items on tmpfs, six alternating pairs: 5.80 s against 5.36,
    faster in five)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(INDEX_SERVER_PRELOAD))
    with _environment(INDEX_SERVER_ENVIRONMENT):  # the server's own: spawned now, it copies this process's
        multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def _environment(values: tuple[tuple[str, str], ...]) -> Iterator[None]:
    """``values`` (name, value) in this process's environment while the block runs, what was there before
    afterwards."""
    before = {name: os.environ.get(name) for name, _ in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def worker_count() -> int:
    """Workers for a CPU-bound stage: one per core the process may use, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def fork_map(function: Callable[[Shared, Task], Result], shared: Shared, tasks: list[Task],
             workers: int | None = None) -> Iterator[Result]:
    """``function(shared, task)`` for each task, in the order of ``tasks``, on forked workers.

    ``shared`` is inherited by the workers, never pickled; each result is pickled back. An exception in a
    worker is raised here (gongkai's own errors keep their type). This process is one of the workers: a forked
    worker's memory is its own once it touches what it inherited (the reference counts of every object it
    renders), ~500 MB at 100,000 items, so one fewer fork is that much less. With one worker or one task, or
    where fork is not available, everything runs in this process."""
    workers = min(workers or worker_count(), len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(shared, task) for task in tasks)
        return
    context = multiprocessing.get_context("fork")
    readers, processes = [], []
    for number in range(1, workers):  # this process is worker 0
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, shared, tasks, number, workers, writer),
                                  daemon=True)
        process.start()
        writer.close()
        readers.append(reader)
        processes.append(process)
    try:
        yield from _in_order(readers, len(tasks), workers, lambda index: function(shared, tasks[index]))
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for reader in readers:
            reader.close()


def _work(function, shared, tasks, number: int, workers: int, writer) -> None:
    """A worker's share: every ``workers``-th task from ``number`` on (tasks are of similar size)."""
    try:
        for index in range(number, len(tasks), workers):
            if not send_outcome(writer, functools.partial(function, shared, tasks[index]), index):
                break
    finally:
        writer.close()
        os._exit(0)  # the worker's copy of the build is left to the operating system


def send_outcome(connection, call: Callable[[], object], *header) -> bool:
    """Send ``(*header, True, call())`` to the process that waits for it, or ``(*header, False, the exception)`` for
    it to raise (as its text when the exception cannot be pickled). Returns whether ``call`` succeeded."""
    try:
        connection.send((*header, True, call()))
        return True
    except BaseException as error:
        try:
            connection.send((*header, False, error))
        except Exception:
            connection.send((*header, False, RuntimeError("".join(traceback.format_exception(error)))))
        return False


def send_in_background(connection, call: Callable[[], object]) -> None:
    """``call()`` sent through ``connection`` (``send_outcome``) by a process forked for it, which nobody waits for:
    a worker's last step, which the build reads later, when it needs it (``received``). Only a small process forks
    this way (a worker forked before the catalog was read): a fork of the build itself would copy every page it
    touched afterwards."""
    if os.fork() == 0:
        try:
            send_outcome(connection, call)
        finally:
            os._exit(0)


def received(connection) -> object:
    """What ``send_in_background`` sent through ``connection``, which is closed then; its exception raised."""
    with connection:
        ok, value = connection.recv()
    if not ok:
        raise value
    return value


def _in_order(readers: list, count: int, workers: int, own: Callable[[int], object]) -> Iterator:
    """The results in order: this process's share (every ``workers``-th from 0) made by ``own`` when its turn
    comes, the others' as they arrive."""
    results: dict[int, object] = {}
    following = 0
    open_readers = list(readers)
    while following < count:
        if following % workers == 0:
            yield own(following)
            following += 1
            continue
        if following in results:
            yield results.pop(following)
            following += 1
            continue
        if not open_readers:
            raise RuntimeError("a worker process ended without its results")
        for reader in multiprocessing.connection.wait(open_readers):
            try:
                index, ok, value = reader.recv()
            except EOFError:
                open_readers.remove(reader)
                continue
            if not ok:
                raise value
            results[index] = value
