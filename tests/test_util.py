"""Rule-free helpers: the site swap, the cyclic collector kept away."""

from __future__ import annotations

import gc
import threading
from pathlib import PurePosixPath

import pytest

from builder.util import KeptByIdentity, files_below, no_gc, rounded, suffix_of, swap_in, write_atomically


def test_a_swapped_in_site_is_never_missing_while_it_is_read(tmp_path):
    """Readers (the web server) never find the site gone or half there, however the swaps are timed."""
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("0")
    seen, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append((target / "index.html").read_text())
            except FileNotFoundError:
                seen.append(None)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(1, 300):
            fresh = tmp_path / f".site-new-{number}"
            fresh.mkdir()
            (fresh / "index.html").write_text(str(number))
            swap_in(fresh, target)
    finally:
        stop.set()
        reader.join()
    assert (target / "index.html").read_text() == "299"
    assert None not in seen, f"the site was missing in {seen.count(None)} of {len(seen)} reads"


def test_what_was_kept_is_found_again_by_the_very_same_object_only():
    kept = KeptByIdentity()
    first, equal = ["草案"], ["草案"]
    made = []

    def make(key):
        made.append(key)
        return len(made)

    assert kept.made(first, make) == 1
    kept.keep([first], [1])
    assert kept.made(first, make) == 1      # the same object: nothing made again
    assert kept.made(equal, make) == 2      # equal is not the same
    kept.keep([], [])
    assert kept.made(first, make) == 3      # what is no longer kept is made again
    # Objects that only the kept hold: new objects made after them never take one's id, and are found as nothing.
    kept.keep([["草案"] for _ in range(1000)], range(1000))
    assert [kept.get(["草案"]) for _ in range(1000)] == [None] * 1000


def test_what_no_gc_freezes_starts_no_collection():
    """Objects made under no_gc(freeze=True) start no collection afterwards (reading the build cache of 100,000
    items, that first collection took 0.5 s); without freeze, the first allocations afterwards start one."""
    started = []

    def count(phase, info):
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(count)
    try:
        for freeze in (True, False):
            started.clear()
            with no_gc(freeze=freeze):
                made = [[n] for n in range(100_000)]  # lists: tracked by the collector
            more = [[n] for n in range(100)]  # fewer than a collection of the youngest objects waits for (700)
            assert bool(started) is not freeze, freeze
            del made, more
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()


def test_rounded_rounds_a_half_up_as_people_do():
    """Python's round gives 2.2 for 2.25 and 6.2 for 6.25 (a half to the even digit): published figures were."""
    assert [rounded(2.25), rounded(6.25), rounded(100 / 3), rounded(2.675), rounded(0.05)] == [2.3, 6.3, 33.3, 2.7, 0.1]


def test_files_below_follow_links_and_read_each_folder_once(tmp_path):
    """Overrides linked from a shared theme are read (Jinja reads them), and a link back up walks no loop (found in
    review: the watch hung on one; the overrides' walk shares the guard)."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "copyright.html").write_text("x", encoding="utf-8")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("x", encoding="utf-8")
    (overrides / "partials").symlink_to(tmp_path / "shared", target_is_directory=True)
    (overrides / "again").symlink_to(".", target_is_directory=True)
    found = [path.relative_to(overrides).as_posix() for path in files_below(overrides)]
    assert found == ["main.html", "partials/copyright.html"]


def test_a_suffix_is_what_a_path_gives():
    names = ["附件.pdf", "a.tar.gz", ".hidden", "name.", "name..", "none", ".", "..", "a.b.", "x.PDF", "空 格.doc"]
    assert [suffix_of(name) for name in names] == [PurePosixPath(name).suffix for name in names]


def test_a_file_written_atomically_from_pieces_is_all_of_them_or_the_old_one(tmp_path):
    """A search export comes as 200,000 lines: written as they come, and a failure half way (a document that cannot
    be read) leaves the file as it was, and no temporary file beside it."""
    target = tmp_path / "d.ndjson"
    write_atomically(target, "旧\n")

    def lines():
        yield "第一行\n"
        raise OSError("unreadable")

    with pytest.raises(OSError):
        write_atomically(target, lines())
    assert target.read_text(encoding="utf-8") == "旧\n" and [p.name for p in tmp_path.iterdir()] == ["d.ndjson"]
    write_atomically(target, (f"{n}\n" for n in range(3)))
    assert target.read_text(encoding="utf-8") == "0\n1\n2\n"
