"""Chinese search: the static index and Whoosh agree and find what people type (the analyzer alone: test_tokenize.py;
the browser client: test_browser.py)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from conftest import (
    EXAMPLE,
    REPO,
    SEARCH_QUERIES,
    make_catalog,
    search_records,
    tree_digest,
)

from benchmarks.generate import generate
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search.index import search_texts, write_index
from search.server import open_index, search
from search.tokenize import normalize

TODAY = __import__("datetime").date(2026, 11, 23)


@pytest.fixture(scope="module")
def example_docs():
    catalog, _ = load_catalog(EXAMPLE)
    return search_documents(published_views(catalog, TODAY))


QUERIES = SEARCH_QUERIES


def test_whoosh_agrees_with_the_reference_ranking(example_docs, tmp_path):
    ix = open_index(example_docs, tmp_path / "whoosh")
    for query in QUERIES:
        expected = [example_docs[n].url for n in search_texts(example_docs, query)]
        assert [r["url"] for r in search(ix, query)] == expected, query


def test_recall_is_complete_for_every_substring_query_on_a_generated_catalog(tmp_path):
    catalog, _ = load_catalog(generate(tmp_path / "catalog", 300))
    docs = search_documents(published_views(catalog, TODAY))
    ix = open_index(docs, tmp_path / "whoosh")
    texts = [normalize(d.title_text + " " + d.body_text) for d in docs]
    # Chinese substrings of titles and bodies: a number typed inside a longer number is a different token.
    samples = [d.title for d in docs[:40]] + [d.body[40:120] for d in docs[:20]]
    queries = sorted({q for text in samples for size in (2, 3, 5, 8) for start in (3, 11)
                      if len(q := text[start:start + size]) == size and all("\u4e00" <= c <= "\u9fff" for c in q)})
    assert len(queries) > 100
    for query in queries:
        truth = {n for n, text in enumerate(texts) if normalize(query) in text}
        found = {r["number"] for r in search(ix, query)}
        assert truth <= found, query
        assert truth == found or not truth, query  # an exact match hides scattered ones


def test_static_index_files_are_sharded_and_deterministic(example_docs, tmp_path):
    meta = write_index(example_docs, tmp_path / "a").meta
    write_index(example_docs, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert meta["docs"] == len(example_docs) and meta["title_shards"] >= 1
    assert [d["u"] for d in search_records(tmp_path / "a").values()] == [d.url for d in example_docs]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_json_api_returns_the_cli_results(tmp_path):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "builder", "search-serve", "--port", str(port), "--today",
                               "2026-11-23", "--index-dir", str(tmp_path / "ix")], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode({"q": "政府信息公开"})
        for _ in range(100):
            try:
                body = json.loads(urllib.request.urlopen(url, timeout=5).read())
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("search-serve did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)
    cli = subprocess.run([sys.executable, "-m", "builder", "search", "政府信息公开", "--format", "json", "--today",
                          "2026-11-23", "--index-dir", str(tmp_path / "ix")], cwd=REPO, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    assert body["total"] == expected["total"] == 11  # 9 items and 2 entries of the power list
    assert [r["url"] for r in body["results"]] == [r["url"] for r in expected["results"]]


def test_search_serve_answers_from_the_catalog_as_it_is_now(tmp_path):
    """Found by a review: search-serve answered from the catalog as it was when it started, for days: a title
    corrected by staff was found by its old words, and not by its new ones. The index is made again in the
    background (answers meanwhile come from the last one); a catalog saved with an error, or moved away, keeps the
    last good index; a replaced index does not stay on disk."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    item = next(p for p in (catalog / "items").rglob("*.md") if "\ntitle: " in p.read_text(encoding="utf-8"))
    text = item.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)[1]
    port, log = _free_port(), tmp_path / "serve.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "builder", "search-serve", "--port", str(port), "--today",
                                   "2026-11-23", "--catalog", str(catalog), "--index-dir", str(tmp_path / "ix")],
                                  cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr)

    def titles(query: str) -> list[str]:
        url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode({"q": query})
        for _ in range(300):
            try:
                return [r["title"] for r in json.loads(urllib.request.urlopen(url, timeout=30).read())["results"]]
            except OSError:
                time.sleep(0.1)
        pytest.fail("search-serve did not answer")

    def until(found) -> None:
        deadline = time.monotonic() + 60
        while not found() and time.monotonic() < deadline:
            time.sleep(0.5)

    def logged(words: str) -> bool:
        return log.read_text(encoding="utf-8").count(words)

    try:
        assert title in titles(title)
        for n, new in enumerate(("关于瞪羚企业培育工作的通知", "关于独角兽企业培育工作的通知", "关于瞪羚企业培育工作的通知")):
            time.sleep(2.1)
            item.write_text(text.replace(f"title: {title}", f"title: {new}", 1), encoding="utf-8")
            until(lambda: titles(new[2:5]) == [new])
            assert titles(new[2:5]) == [new] and title not in titles(title)
        indexes = [p for p in (tmp_path / "ix").iterdir() if not p.name.startswith(".")]
        assert len(indexes) == 2, "the one answering and the one it replaced: earlier ones are removed"
        time.sleep(2.1)
        item.write_text(text.replace(f"title: {title}", "title:", 1), encoding="utf-8")  # E-REQUIRED: kept
        until(lambda: titles("瞪羚企业") and logged("仍按上一次的目录检索"))
        assert titles("瞪羚企业") == ["关于瞪羚企业培育工作的通知"] and logged("仍按上一次的目录检索") == 1
        assert logged("目录有错误，请先修正（gongkai validate） (the catalog has errors)；仍按上一次的目录检索") == 1 and not logged("内部错误")
        catalog.rename(tmp_path / "moved")  # a catalog that cannot be read at all: the request is still answered
        until(lambda: titles("瞪羚企业") and logged("仍按上一次的目录检索") == 2)
        assert titles("瞪羚企业") == ["关于瞪羚企业培育工作的通知"] and logged("仍按上一次的目录检索") == 2
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert logged("检索索引已更新") == 3


def test_searches_run_at_once_on_one_index_folder_each_find_a_whole_index(tmp_path):
    """Staff searching at once, or a search while search-serve starts: each writes or opens the index without
    the other's lock or half-deleted files in its way."""
    command = [sys.executable, "-m", "builder", "search", "政府信息公开", "--format", "json", "--today", "2026-11-23",
               "--index-dir", str(tmp_path / "ix")]
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in results]
    assert len({out for out, _ in results}) == 1 and json.loads(results[0][0])["total"] == 11
    indexes = [p.name for p in (tmp_path / "ix").iterdir() if p.name != ".in-use"]
    assert len(indexes) == 1 and not indexes[0].startswith("."), "one whole index, nothing half-written"


def test_an_index_open_elsewhere_or_opened_within_the_hour_stays(example_docs, tmp_path):
    """An index another process has open (search-serve, for days) is never removed under it; one no process has
    open goes an hour after it was last opened, as does a write abandoned by a command that stopped."""
    folder = tmp_path / "whoosh"
    serving = open_index(example_docs, folder)  # this process keeps it open
    old = folder / ("0" * 40)
    old.mkdir()
    (folder / ".abandoned").mkdir()
    for path in (old, folder / ".abandoned"):
        os.utime(path, (0, 0))
    (folder / ".being-written").mkdir()  # by a command still running
    (folder / ".in-use" / f"{'1' * 40}-999999999").touch()  # the mark of a process that has ended
    changed = open_index(example_docs[:-1], folder)
    assert changed.doc_count() == len(example_docs) - 1
    assert search(serving, "政府信息公开"), "the index open here still answers"
    names = sorted(p.name for p in folder.iterdir())
    assert ".abandoned" not in names and "0" * 40 not in names
    assert ".being-written" in names and len([n for n in names if not n.startswith(".")]) == 2
    assert not (folder / ".in-use" / f"{'1' * 40}-999999999").exists()
