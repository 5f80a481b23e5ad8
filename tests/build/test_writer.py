"""Writing pages: every page once, into its shell, whichever process writes it."""

import os

from builder.build.cache import BuildCache
from builder.build.writer import CHUNK, write_pages
from builder.site.shells import CONTENT, TITLE, Shell, shell_key
from builder.site.structure import PageSource, SitePage

PAGES = 5 * CHUNK


def _page(number: int) -> SitePage:
    # The page says which process rendered it.
    return SitePage(f"items/{number}/", f"第 {number} 页", f"<h1>{number}</h1><p>pid {os.getpid()}</p>")


def _write(tmp_path, name: str, busy_answers: list[bool]) -> tuple[dict[str, str], dict[int, str]]:
    sources = [PageSource(f"items/{n}/", lambda n=n: _page(n)) for n in range(PAGES)]
    shells = {shell_key("items/0/"): Shell.parse(f"<title>{TITLE}</title>{CONTENT}", ("items", 2), None)}
    cache = BuildCache(tmp_path / name, read=False)
    output = cache.begin()
    answers = iter(busy_answers)
    counted = []
    keys = write_pages(sources, shells, output, cache, counted.append, lambda: next(answers, False))
    assert sum(counted) == PAGES
    texts = {n: (output / f"items/{n}/index.html").read_text(encoding="utf-8") for n in range(PAGES)}
    return keys, texts


def test_pages_are_written_here_while_the_cores_are_busy_then_on_every_core(tmp_path):
    keys, texts = _write(tmp_path, "site", [True, True])  # busy for two chunks, then free
    here = f"pid {os.getpid()}"
    assert all(here in texts[n] for n in range(2 * CHUNK))
    # What is left (three chunks) is shared with a forked writer.
    assert any(here not in texts[n] for n in range(2 * CHUNK, PAGES))
    assert all(f"<title>第 {n} 页</title><h1>{n}</h1>" in texts[n] for n in range(PAGES))
    assert set(keys) == {f"items/{n}/index.html" for n in range(PAGES)}


def test_pages_are_all_written_here_when_the_cores_stay_busy(tmp_path):
    _, texts = _write(tmp_path, "site", [True] * PAGES)
    assert all(f"pid {os.getpid()}" in text for text in texts.values())
