"""Search quality and cost, ours beside mkdocs-material's built-in search, in one run, in headless Chromium.

    python -m benchmarks.search --items 10000            # example catalog + a generated 10k catalog
    python -m benchmarks.search --items 100000 --no-baseline

For each corpus and each query (at least 50: 2–8 characters, words inside longer words, 文号, phrases, organ
names, and the hard ones: the corpus's most common 8-character phrases and phrases of its most common characters):
recall over the items whose title or body contains the query string, precision of the top 10, and for our client
the bytes the query downloads and the time to its first page of results (its ten documents included), per query
and against the budget (BUDGET_KB, BUDGET_MS). The bytes leave out the search page and its script
(search/client.js, ~30 KB), loaded once for all the queries a reader types. Writes JSON with --json; --explain lists
the files of the queries over the budget.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import http.server
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from builder.build.static_files import StaticFiles
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search import CLIENT
from search.document import SearchDoc
from search.index import write_index
from search.tokenize import normalize

from .generate import EXAMPLE, generate
from .measure import KB, MB
from .naive import write_project

TODAY = dt.date(2026, 11, 23)
BUDGET_KB = 500  # no query may read more before its first page of results (issue 19)
BUDGET_MS = 300  # the median time to a first page, headless Chromium on the benchmark machine
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
FIXED_QUERIES = [
    "政府信息公开", "依申请公开", "行政许可", "人民政府", "政府", "服务型政府", "政务公开", "法治政府", "行政审批",
    "依法行政", "指标体系", "监督检查", "公共服务", "社会管理", "重大决策", "吉林省人民政府", "长春市", "济源市",
    "发展和改革委员会", "市场监督管理局", "民生", "规范性文件", "吉政发〔2005〕20号", "济政〔2008〕25号",
    "信息公开工作", "转变政府职能", "行政效率", "责任追究", "公务员", "电子政务", "应急管理",
    "政府采购", "廉政建设", "考核评价",
]


def hard_phrases(docs: list[SearchDoc], common: int = 6, sample: int = 2000, alphabet: int = 60) -> list[str]:
    """The queries that read the most: the ``common`` most frequent 8-character phrases of a sample of the corpus
    (no two sharing 6 characters in a row), and for each length 5–8 the most frequent and the rarest phrase made
    only of its ``alphabet`` most frequent characters (a rare phrase of common characters: every token common)."""
    step = max(1, len(docs) // sample)
    runs = [run for d in docs[::step] for text in (d.title, d.body_text)
            for run in re.findall("[\u4e00-\u9fff]+", normalize(text))]
    chars = collections.Counter(c for run in runs for c in run)
    frequent = {c for c, _ in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))[:alphabet]}
    by_length = {n: collections.Counter(run[i:i + n] for run in runs for i in range(len(run) - n + 1))
                 for n in range(5, 9)}
    chosen: list[str] = []

    def overlaps(phrase: str) -> bool:
        return any(phrase[i:i + 6] in other for other in chosen for i in range(len(phrase) - 5))

    for phrase, _ in sorted(by_length[8].items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chosen) == common:
            break
        if not overlaps(phrase):
            chosen.append(phrase)
    for counts in by_length.values():
        only_common = sorted((-k, p) for p, k in counts.items() if set(p) <= frequent)
        for _, phrase in only_common[:1] + only_common[-1:]:
            if phrase not in chosen and not overlaps(phrase):
                chosen.append(phrase)
    return chosen


def queries_for(docs: list[SearchDoc], count: int, seed: int = 7) -> list[str]:
    """The fixed queries, the hard phrases, then substrings of 2–8 Chinese characters taken from titles and
    bodies."""
    rng = random.Random(seed)
    numbered = sorted({d.doc_no for d in docs if d.doc_no})
    chosen = list(dict.fromkeys(FIXED_QUERIES + rng.sample(numbered, min(3, len(numbered))) + hard_phrases(docs)))
    while len(chosen) < count:
        doc = rng.choice(docs)
        text = rng.choice([doc.title, doc.body])
        size = rng.randint(2, 8)
        if len(text) <= size:
            continue
        start = rng.randrange(0, len(text) - size)
        query = text[start:start + size]
        if all("\u4e00" <= c <= "\u9fff" for c in query) and query not in chosen:
            chosen.append(query)
    return chosen


class _NoCache(StaticFiles):
    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # every query is measured cold
        super().end_headers()

    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_NoCache, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


BENCH_PAGE = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">import * as client from "./client.js"; window.client = client; window.ready = true;</script>"""


def build_ours(docs: list[SearchDoc], folder: Path) -> dict:
    start = time.perf_counter()
    write_index(docs, folder / "search")
    seconds = time.perf_counter() - start
    shutil.copyfile(CLIENT, folder / "search" / "client.js")
    (folder / "search" / "bench.html").write_text(BENCH_PAGE, encoding="utf-8")
    files = [p for p in (folder / "search").rglob("*") if p.is_file() and p.name not in ("client.js", "bench.html")]
    size = sum(p.stat().st_size for p in files)
    documents = sum(1 for p in files if p.relative_to(folder / "search").parts[0] == "d")
    return {"index_seconds": round(seconds, 1), "index_mb": round(size / MB, 1), "index_files": len(files),
            "document_files": documents}


def run_ours(page, base: str, queries: list[str], docs: list[SearchDoc]) -> dict:
    page.goto(base + "search/bench.html")
    page.wait_for_function("window.ready === true")
    results = {}
    for query in queries:
        measured = page.evaluate("""async (query) => {
            const first = new client.SearchIndex("./");
            const t0 = performance.now();
            const page = await first.search(query, {wanted: 10, budget: client.BUDGET});
            await first.documents(page.docs.slice(0, 10));
            const ms = performance.now() - t0;
            const all = await new client.SearchIndex("./").search(query, {wanted: 1e9});
            return {ms, bytes: first.bytes, reads: first.reads, complete: page.complete,
                    top: page.docs.slice(0, 10), all: all.docs};
        }""", query)
        results[query] = {"ms": measured["ms"], "bytes": measured["bytes"], "reads": measured["reads"],
                          "complete": measured["complete"],
                          "top": [docs[n].url for n in measured["top"]], "all": [docs[n].url for n in measured["all"]]}
    return results


def run_material(page, base: str, queries: list[str], limit: int = 300) -> dict:
    page.goto(base)
    results = {}
    for query in queries:
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # Material searches on key events, not on a filled value
        page.wait_for_function("""(q) => {
            const meta = document.querySelector('.md-search-result__meta');
            return document.querySelector('input.md-search__input').value === q && meta &&
                   /符合条件的结果/.test(meta.textContent);
        }""", arg=query, timeout=120_000)
        time.sleep(0.3)
        seen = -1
        while True:
            links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => new URL(e.href).pathname)")
            if len(links) == seen or len(links) >= limit:
                break
            seen = len(links)
            page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTo(0, el.scrollHeight)")
            time.sleep(0.15)
        urls = []
        for link in links:
            # The baseline's page of an item is items/<索引号>/ (naive.py), ours items/<索引号>.html: the truth's.
            url = link.strip("/") + ".html"
            if url.startswith("items/") and url not in urls:
                urls.append(url)
        results[query] = {"top": urls[:10], "all": urls}
        page.keyboard.press("Escape")
    return results


def score(results: dict, truth: dict[str, set[str]]) -> dict:
    recalls, precisions, phrase_precisions = [], [], []
    for query, found in results.items():
        relevant = truth[query]
        if relevant:
            recalls.append(len(relevant & set(found["all"])) / len(relevant))
        if found["top"]:
            precision = sum(url in relevant for url in found["top"]) / len(found["top"])
            precisions.append(precision)
            if len(query) >= 4:
                phrase_precisions.append(precision)
    mean = lambda values: round(statistics.mean(values), 3) if values else None  # noqa: E731
    return {"recall": mean(recalls), "precision_at_10": mean(precisions),
            "phrase_precision_at_10": mean(phrase_precisions), "queries": len(results)}


def costs(results: dict) -> dict:
    ms = sorted(r["ms"] for r in results.values())
    kb = sorted(r["bytes"] / KB for r in results.values())
    over = {q: round(r["bytes"] / KB, 1) for q, r in results.items() if r["bytes"] > BUDGET_KB * KB}
    empty = [q for q, r in results.items() if not r["top"] and r["all"]]  # stopped before finding anything
    return {"first_results_ms_median": round(statistics.median(ms)), "first_results_ms_max": round(ms[-1]),
            "kb_median": round(statistics.median(kb), 1), "kb_max": round(kb[-1], 1), "over_budget": over,
            "empty_first_pages": empty, "within_budget": not over and statistics.median(ms) < BUDGET_MS}


def per_query(results: dict, truth: dict[str, set[str]]) -> list[dict]:
    """Each query's cost of its first page, and its files by folder (what the bytes went to)."""
    rows = []
    for query, r in results.items():
        folders = collections.Counter()
        for path, size in r["reads"]:
            folders[path.split("/")[0] if "/" in path else path] += size
        rows.append({"query": query, "kb": round(r["bytes"] / KB, 1), "ms": round(r["ms"]), "files": len(r["reads"]),
                     "matches": len(truth[query]), "complete": r["complete"],
                     "kb_by_folder": {k: round(v / KB, 1) for k, v in sorted(folders.items())}})
    return rows


def report(row: dict, explain: bool) -> str:
    """The per-query table and the budget line of one corpus."""
    ours = row["ours"]
    lines = [f"{row['corpus']}: {'query':<24} {'KB':>7} {'ms':>5} {'files':>5} {'matches':>7}  KB by folder"]
    for q in sorted(row["per_query"], key=lambda q: -q["kb"]):
        folders = " ".join(f"{k}={v}" for k, v in q["kb_by_folder"].items())
        flag = " OVER" if q["kb"] > BUDGET_KB else ""
        lines.append(f"  {q['query']:<24} {q['kb']:>7} {q['ms']:>5} {q['files']:>5} {q['matches']:>7}  {folders}{flag}")
        if explain and q["kb"] > BUDGET_KB:
            lines += [f"      {path} {size}" for path, size in q["reads"]]
    lines.append(f"{row['corpus']}: max first-page bytes {ours['kb_max']} KB (budget {BUDGET_KB} KB), "
                 f"median time {ours['first_results_ms_median']} ms (budget {BUDGET_MS} ms); "
                 f"median {ours['kb_median']} KB, max {ours['first_results_ms_max']} ms; "
                 f"over {BUDGET_KB} KB: {', '.join(ours['over_budget']) or 'none'}; "
                 f"first pages empty though there are matches: {', '.join(ours['empty_first_pages']) or 'none'}; "
                 f"recall {ours['recall']}, P@10 {ours['precision_at_10']}, phrase P@10 {ours['phrase_precision_at_10']}")
    return "\n".join(lines)


def benchmark(name: str, catalog_dir: Path, work: Path, browser, queries_count: int, baseline: bool,
              explain: bool = False) -> dict:
    catalog, _ = load_catalog(catalog_dir)
    docs = search_documents(published_views(catalog, TODAY))
    queries = queries_for(docs, queries_count)
    texts = {d.url: normalize(d.title_text + " " + d.body_text) for d in docs}
    truth = {q: {url for url, text in texts.items() if normalize(q) in text} for q in queries}
    row = {"corpus": name, "items": len(docs), "queries": len(queries)}
    ours_dir = work / f"ours-{name}"
    row["ours_build"] = build_ours(docs, ours_dir)
    server, base = serve(ours_dir)
    page = browser.new_page()
    ours = run_ours(page, base, queries, docs)
    page.close()
    server.shutdown()
    row["ours"] = {**score(ours, truth), **costs(ours)}
    row["per_query"] = per_query(ours, truth)
    if explain:
        for entry in row["per_query"]:
            entry["reads"] = ours[entry["query"]]["reads"]
    if baseline:
        project = work / f"naive-{name}"
        mkdocs_yml = write_project(catalog_dir, project)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_yml)], check=True,
                       capture_output=True)
        index = project / "site" / "search" / "search_index.json"
        row["material_build"] = {"build_seconds": round(time.perf_counter() - start, 1),
                                 "index_mb": round(index.stat().st_size / MB, 1)}
        server, base = serve(project / "site")
        page = browser.new_page()
        material = run_material(page, base, queries)
        page.close()
        server.shutdown()
        row["material"] = score(material, truth)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="*", default=[10000])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-baseline", dest="baseline", action="store_false")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--explain", action="store_true", help="list the files read by queries over the budget")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        corpora = [("example", EXAMPLE)] + [(str(n), None) for n in args.items]
        for name, catalog_dir in corpora:
            catalog_dir = catalog_dir or generate(Path(tmp) / f"catalog-{name}", int(name))
            row = benchmark(name, catalog_dir, Path(tmp), browser, args.queries, args.baseline, args.explain)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "per_query"}, ensure_ascii=False), flush=True)
            print(report(row, args.explain), flush=True)
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
