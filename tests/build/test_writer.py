"""Writing pages: every page once, into its shell, whichever process writes it."""

import os
from pathlib import Path

from builder.build.cache import BuildCache
from builder.build.writer import CHUNK, write_pages
from builder.site.shells import CONTENT, TITLE, Shell, shell_key
from builder.site.structure import PageSource, SitePage

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
    keys = write_pages(sources, shells, output, cache, counted.append, lambda: next(answers, False),
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

    write_pages(sources, shells, output, cache, lambda pages: None, lambda: True, others=[other, other])
    assert pages_before == [0, 0]
