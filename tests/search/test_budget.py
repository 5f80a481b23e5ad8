"""The byte budget of a page of results (search/client.js ``BUDGET``, ``OVERRUN``), in headless Chromium on a
generated catalog: the queries that read the most (its most common 8-character phrases, phrases of its most common
characters) stop before the limit, where the old rule (stop only once past the budget) read well past it, and what
a stopped search shows is exactly the start of the full ranking."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import search.index
from benchmarks.generate import generate
from benchmarks.search import BENCH_PAGE, CHROMIUM_ARGS, hard_phrases, serve
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search import CLIENT
from search.index import search_texts, write_index

CHROMIUM = "/usr/bin/chromium"
# The index with its shards and ranges a quarter of their real sizes (3,010 items make 12 ranges and the newest, a
# 13th, of 10 documents, as after a few publications), and a budget that, as 300 KB at 100,000 items, is what a hard
# query's lookups and a range or two cost.
ITEMS = 3010
SCALE = {"RANGE_SIZE": 250, "SHARD_BYTES": 4000, "RANGE_SHARD_BYTES": 1500}
BUDGET = 50 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("budget")
    catalog, _ = load_catalog(generate(folder / "catalog", ITEMS))
    docs = search_documents(published_views(catalog, dt.date(2026, 11, 23)))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SCALE.items():
            patch.setattr(search.index, name, value)
        write_index(docs, folder / "site" / "search")
    shutil.copyfile(CLIENT, folder / "site" / "search" / "client.js")
    (folder / "site" / "search" / "bench.html").write_text(BENCH_PAGE, encoding="utf-8")
    server, base = serve(folder / "site")
    yield docs, base
    server.shutdown()


@pytest.fixture(scope="module")
def client(corpus):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: ./test.sh installs Debian's chromium package")
    _, base = corpus
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "search/bench.html")
        page.wait_for_function("window.ready === true")

        def run(query: str, **options) -> dict:
            return page.evaluate("""async ([query, options]) => {
                const index = new client.SearchIndex("./");
                const found = await index.search(query, options);
                return {docs: found.docs, complete: found.complete, bytes: index.bytes};
            }""", [query, {k: (1e12 if v == float("inf") else v) for k, v in options.items()}])

        yield run
        browser.close()


def test_hard_queries_stop_before_the_limit_and_show_the_start_of_the_ranking(corpus, client):
    docs, _ = corpus
    queries = hard_phrases(docs)
    assert len(queries) >= 8 and any(len(q) == 8 for q in queries)
    limit = BUDGET * 1.3
    old_rule_over = []
    for query in queries:
        expected = search_texts(docs, query)
        page = client(query, wanted=10, budget=BUDGET)
        assert page["bytes"] <= limit, (query, page["bytes"])
        # What a stopped search shows is the start of the full ranking; a complete one shows it all.
        assert page["docs"] == expected[:len(page["docs"])], query
        assert not page["complete"] or page["docs"] == expected, query
        assert page["docs"] or not page["complete"] or not expected, query
        old = client(query, wanted=10, budget=BUDGET, limit=float("inf"))
        assert old["docs"][:len(page["docs"])] == page["docs"], query
        if old["bytes"] > limit:
            old_rule_over.append(query)
        if not page["complete"]:  # the next page continues where this one stopped
            more = client(query, wanted=20, budget=2 * BUDGET)
            assert more["docs"][:len(page["docs"])] == page["docs"] and more["docs"] == expected[:len(more["docs"])]
            assert (len(more["docs"]) >= min(20, len(expected)) or len(more["docs"]) > len(page["docs"])
                    or more["complete"] or more["bytes"] > 2 * BUDGET), query
    assert old_rule_over, "a common phrase read past the limit under the old rule"


def test_the_default_budget_is_a_first_page_under_500_kb():
    text = CLIENT.read_text(encoding="utf-8")
    assert "export const BUDGET = 300 * 1024;" in text and "export const OVERRUN = 1.3;" in text
