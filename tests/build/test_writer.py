"""Writing pages: every page once, into its shell, whichever process writes it."""

import os
from pathlib import Path

from builder.build.cache import BuildCache
from builder.build.writer import CHUNK, write_pages
from builder.site.shells import CONTENT, TITLE, Shell, shell_key
from builder.site.structure import PageSeries, PageSource, SitePage

PAGES = 5 * CHUNK


def _page(number: int) -> SitePage:
    # The page says which process rendered it.
    return SitePage(f"items/{number}.html", f"第 {number} 页", f"<h1>{number}</h1><p>pid {os.getpid()}</p>")


def _other(output, number: int):
    """Another output: a file that says which process wrote it, and its key."""
    def write() -> dict[str, str]:
        (output / f"other-{number}.txt").write_text(str(os.getpid()))
        return {f"other-{number}.txt": f"key-{number}"}
    return write


def _job(site: Path) -> tuple[list[PageSource], dict, BuildCache, Path]:
    """PAGES pages in one shell, and the cache and output of ``site``."""
    sources = [PageSource(f"items/{n}.html", lambda n=n: _page(n)) for n in range(PAGES)]
    key = shell_key("items/0.html")
    shells = {key: Shell.parse(f"<title>{TITLE}</title>{CONTENT}", key, None)}
    cache = BuildCache(site, read=False)
    return sources, shells, cache, cache.begin()


def _write(tmp_path, name: str, busy_answers: list[bool], others: int = 0) -> tuple[dict[str, str], dict]:
    sources, shells, cache, output = _job(tmp_path / name)
    answers = iter(busy_answers)
    counted = []
    keys = write_pages(sources, [], shells, output, cache, counted.append, lambda: next(answers, False),
                       others=[_other(output, n) for n in range(others)])
    assert sum(counted) == PAGES  # the other outputs are not counted as pages
    texts = {n: (output / f"items/{n}.html").read_text(encoding="utf-8") for n in range(PAGES)}
    texts |= {f"other-{n}": (output / f"other-{n}.txt").read_text() for n in range(others)}
    return keys, texts


def test_pages_are_written_here_while_the_cores_are_busy_then_on_every_core(tmp_path):
    keys, texts = _write(tmp_path, "site", [True, True])  # busy for two chunks, then free
    here = f"pid {os.getpid()}"
    assert all(here in texts[n] for n in range(2 * CHUNK))
    # What is left (three chunks) is shared with a forked writer.
    assert any(here not in texts[n] for n in range(2 * CHUNK, PAGES))
    assert all(f"<title>第 {n} 页</title><h1>{n}</h1>" in texts[n] for n in range(PAGES))
    assert set(keys) == {f"items/{n}.html" for n in range(PAGES)}


def test_pages_are_all_written_here_when_the_cores_stay_busy(tmp_path):
    _, texts = _write(tmp_path, "site", [True] * PAGES)
    assert all(f"pid {os.getpid()}" in text for text in texts.values())


def test_other_outputs_are_shared_between_the_cores_with_the_pages(tmp_path):
    keys, texts = _write(tmp_path, "site", [True], others=6)
    assert {f"other-{n}.txt": f"key-{n}" for n in range(6)}.items() <= keys.items()
    assert len({texts[f"other-{n}"] for n in range(6)}) == 2  # this process and a forked writer


def test_other_outputs_are_written_here_when_the_cores_stay_busy(tmp_path):
    keys, texts = _write(tmp_path, "site", [True] * (PAGES + 6), others=6)
    assert {texts[f"other-{n}"] for n in range(6)} == {str(os.getpid())}
    assert len(keys) == PAGES + 6


def test_other_outputs_come_before_the_pages(tmp_path):
    """The sitemap, the feeds and the attachments run first: the largest of them, left to the end, was one core's
    last task while the other had ended."""
    sources, shells, cache, output = _job(tmp_path / "site")
    pages_before = []

    def other() -> dict[str, str]:
        pages_before.append(len(list((output / "items").glob("*.html"))) if (output / "items").exists() else 0)
        return {}

    write_pages(sources, [], shells, output, cache, lambda pages: None, lambda: True, others=[other, other])
    assert pages_before == [0, 0]


def test_a_page_of_a_series_is_made_and_rendered_only_to_be_written(tmp_path):
    """After a change most pages of a series are their keys alone: only a page whose key the last build's manifest
    does not hold is made (``PageSeries.source``) and rendered."""
    site = tmp_path / "site"
    key = shell_key("items/0.html")
    shells = {key: Shell.parse(f"<title>{TITLE}</title>{CONTENT}", key, None)}
    rendered, counted = [], []

    def build(keys: list[str], read: bool) -> dict[str, str]:
        def render(index: int) -> SitePage:
            rendered.append(index)
            return _page(index)

        cache = BuildCache(site, read=read)
        output = cache.begin()
        series = PageSeries([f"items/{n}.html" for n in range(len(keys))], keys, render, frozenset({key}))
        written = write_pages([], [series], shells, output, cache, counted.append)
        cache.record(written)
        cache.commit()
        return written

    assert build(["a", "b", "c"], read=False) == {"items/0.html": "a", "items/1.html": "b", "items/2.html": "c"}
    assert sorted(rendered) == [0, 1, 2] and sum(counted) == 3
    rendered.clear()
    counted.clear()
    assert build(["a", "B", "c"], read=True) == {"items/0.html": "a", "items/1.html": "B", "items/2.html": "c"}
    assert rendered == [1], "only the page whose key changed is rendered"
    assert counted == [2, 1], "the pages kept, then those written"
    assert "<h1>1</h1>" in (site / "items" / "1.html").read_text(encoding="utf-8")
    assert (site / "items" / "0.html").is_file()
