"""The browser's search (search/client.js) reading what the index wrote, in headless Chromium, where the layout has
a case the usual catalogs do not reach."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import search.index
from benchmarks.generate import generate
from benchmarks.search import BENCH_PAGE, CHROMIUM_ARGS, serve
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search import CLIENT
from search.document import SearchDoc
from search.hashing import fnv1a
from search.index import search_texts, write_index

CHROMIUM = "/usr/bin/chromium"


def test_common_title_words_sharing_a_hash_are_each_found(tmp_path, monkeypatch):
    """Two common title words with the same 32-bit hash (search/index.py ``_folder_name``): the client finds each
    word's own folder, and each query finds what the reference ranking finds."""
    words = ("xcmubo", "yuxduyzvn")
    assert fnv1a(words[0]) == fnv1a(words[1])
    monkeypatch.setattr(search.index, "BIG_TOKEN", 3)
    catalog, _ = load_catalog(generate(tmp_path / "catalog", 30))
    docs = [doc._replace(title=f"{doc.title} {words[n % 2]}")
            for n, doc in enumerate(search_documents(published_views(catalog, dt.date(2026, 11, 23))))]
    with _client_page(docs, tmp_path) as page:
        for word in words:
            found = page.evaluate("async (query) => (await new client.SearchIndex('./').search(query)).docs", word)
            expected = search_texts(docs, word)
            assert len(expected) == len(docs) // 2 and found == expected[:len(found)] and found, word


@contextlib.contextmanager
def _client_page(docs: list[SearchDoc], folder: Path, serving=serve):
    """Chromium on a page that has loaded client.js beside the index of ``docs``, written under ``folder``, served by
    ``serving`` (folder → server, its address)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: ./test.sh installs Debian's chromium package")
    write_index(docs, folder / "site" / "search")
    shutil.copyfile(CLIENT, folder / "site" / "search" / "client.js")
    (folder / "site" / "search" / "bench.html").write_text(BENCH_PAGE, encoding="utf-8")
    server, base = serving(folder / "site")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "search/bench.html")
            page.wait_for_function("window.ready === true")
            yield page
            browser.close()
    finally:
        server.shutdown()


def test_words_apart_are_found_in_every_range_newest_first_page_by_page(tmp_path, monkeypatch):
    """Found by a review of search: words found only apart (a scattered match) were looked for in the newest two
    ranges' worth of documents only; the browser said 没有找到 for a document of an older range that the reference
    ranking and Whoosh found. Ranges of 10 documents: the matches are in ranges 0, 1 and 4 of 5."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 10)
    apart = {3, 12, 14, 41}
    docs = [SearchDoc(url=f"d{n}/", title=f"第{n}号文件", doc_no="", index_no="", date="2026-01-01", category="c",
                      organ="o", year=2026, validity="有效", summary="",
                      body="为开会议，开步走，步健康。" if n in apart else "其他内容。")
            for n in range(50)]
    expected = search_texts(docs, "为开步健")
    assert expected == sorted(apart, reverse=True)
    with _client_page(docs, tmp_path) as page:
        found = [page.evaluate("""async (wanted) => {
            const result = await new client.SearchIndex('./').search('为开步健', {wanted});
            return [result.docs, result.complete];
        }""", wanted) for wanted in (2, 10)]
    assert found[0][0][:2] == expected[:2] and found[0][1] is False, "a page's worth, and more may follow"
    assert found[1] == [expected, True]


class _WholeFilesOnly(http.server.SimpleHTTPRequestHandler):
    """A server that ignores range requests, as RFC 9110 lets one: Python's own."""

    def log_message(self, *args):
        pass


def _serve_whole_files(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_WholeFilesOnly, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.parametrize("ranges", [True, False])
def test_a_pages_documents_are_read_by_ranges_of_their_packs_or_whole_packs_where_a_server_ignores_ranges(
        tmp_path, monkeypatch, ranges):
    """Results in three ranges, in no order, neighbours and far-apart ones among them: the offsets of nearby ones are
    read at once (client.js ``NEAR_OFFSETS``), the JSON of neighbours at once, and nothing else of the packs. From a
    server that ignores range requests each pack comes whole once (the browser may answer a later range request of it
    from its cache), and the documents are the same."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 200)
    catalog, _ = load_catalog(generate(tmp_path / "catalog", 450))
    docs = search_documents(published_views(catalog, dt.date(2026, 11, 23)))
    wanted = [len(docs) - 1, 254, 3, 255, 256, 0, 150, 199, 3]
    with _client_page(docs, tmp_path, serve if ranges else _serve_whole_files) as page:
        near, *found = page.evaluate("""async (wanted) => {
            const index = new client.SearchIndex('./');
            await index.meta();
            const before = index.reads.length;
            return [client.NEAR_OFFSETS, await index.documents(wanted), index.reads.slice(before)];
        }""", wanted)
    packs = {r: search.index.unpacked((tmp_path / "site" / "search" / "d" / f"{r}.bin").read_bytes())
             for r in {n // 200 for n in wanted}}
    assert len(packs) == 3 and found[0] == [json.loads(packs[n // 200][n % 200]) for n in wanted]
    assert [doc["u"] for doc in found[0]] == [docs[n].url for n in wanted]
    if ranges:
        places = [sorted({n % 200 for n in wanted if n // 200 == r}) for r in packs]
        groups = [g for p in places for g in _split(p, lambda a, b: b - a > near)]
        runs = [run for g in groups for run in _split(g, lambda a, b: b != a + 1)]
        offsets = sum(4 * (g[-1] - g[0] + 2) for g in groups)
        records = sum(len(packs[r][place]) for r, p in zip(packs, places) for place in p)
        assert len(packs) < len(groups) < len(runs) < len(set(wanted))  # the test holds each case
        assert [sum(size for _, size in found[1]), len(found[1])] == [offsets + records, len(groups) + len(runs)]
    else:
        for r, pack in packs.items():
            sizes = [size for read, size in found[1] if read.startswith(f"d/{r}.bin ")]
            whole = len(b"".join(pack)) + 4 * (len(pack) + 1)
            assert sizes.count(whole) == 1 and max(sizes) == whole, (r, sizes)


def _split(ascending: list[int], apart) -> list[list[int]]:
    """``ascending`` cut between each two neighbours that ``apart(a, b)`` says are apart."""
    parts = [[ascending[0]]]
    for a, b in zip(ascending, ascending[1:]):
        if apart(a, b):
            parts.append([])
        parts[-1].append(b)
    return parts
