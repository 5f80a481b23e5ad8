"""Rule-free helpers: the site swap."""

from __future__ import annotations

import threading

from builder.util import KeptByIdentity, swap_in


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
    kept.keep([(first, 1)])
    assert kept.made(first, make) == 1      # the same object: nothing made again
    assert kept.made(equal, make) == 2      # equal is not the same
    kept.keep([])
    assert kept.made(first, make) == 3      # what is no longer kept is made again
