// gongkai search client: reads the static index written by search/index.py. No server, no dependencies.
// The analyzer and the ranking are ports of search/tokenize.py and search/index.py: keep them in step
// (tests/search/test_search.py and tests/test_browser.py runs the same queries through both).

const PAGE_SIZE = 10;
// A page of results reads at most about this much of the index; a query that needs more (a rare phrase of very
// common characters in a large catalog) shows what it found and continues on the next page.
export const BUDGET = 300 * 1024;
const EXACT_TITLE = 0, EXACT = 1, SCATTERED = 2;

// ---------------------------------------------------------------- analyzer (search/tokenize.py)

function isCjk(ch) {
  const c = ch.codePointAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x2ffff) || ch === "〇";
}
const isWord = (ch) => /^[0-9a-z]$/i.test(ch);
export const normalize = (text) => text.normalize("NFKC").toLowerCase();

function* runs(text) {
  const chars = Array.from(text);
  let slot = 0, i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (isCjk(ch) || isWord(ch)) {
      const cjk = isCjk(ch);
      let j = i + 1;
      while (j < chars.length && (cjk ? isCjk(chars[j]) : isWord(chars[j]))) j++;
      const run = chars.slice(i, j);
      yield [cjk ? "cjk" : "word", run, slot];
      slot += cjk ? run.length : 1;
      i = j;
    } else {
      i++;
    }
  }
}

export function queryTerms(query) {
  const terms = [];
  for (const part of normalize(query).split(/\s+/).filter(Boolean)) {
    const required = [];
    for (const [kind, run, slot] of runs(part)) {
      if (kind === "word" || run.length === 1) required.push([run.join(""), slot]);
      else for (let i = 0; i < run.length - 1; i++) required.push([run[i] + run[i + 1], slot + i]);
    }
    if (required.length) terms.push(required);
  }
  return terms;
}

// Three-character sequences of a query's CJK runs (search/tokenize.py ``trigrams``).
export function trigrams(query) {
  const found = new Set();
  for (const part of normalize(query).split(/\s+/).filter(Boolean)) {
    for (const [kind, run] of runs(part)) {
      if (kind === "cjk") for (let i = 0; i + 2 < run.length; i++) found.add(run[i] + run[i + 1] + run[i + 2]);
    }
  }
  return [...found];
}

export function fnv1a(text) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  return value;
}

// ---------------------------------------------------------------- ranking (search/index.py)

function phraseAt(term, positions) {
  const [first, firstSlot] = term[0];
  const starts = positions.get(first);
  if (!starts) return null;
  const others = term.slice(1).map(([text, slot]) => [slot - firstSlot, positions.get(text)]);
  if (others.some(([, slots]) => !slots)) return null;
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (others.every(([offset, slots]) => slots.has(start + offset))) return start;
  }
  return null;
}

function tier(terms, title, body) {
  if (terms.every((t) => phraseAt(t, title) !== null)) return EXACT_TITLE;
  if (terms.every((t) => phraseAt(t, title) !== null || phraseAt(t, body) !== null)) return EXACT;
  if (terms.every((t) => t.every(([text]) => title.has(text) || body.has(text)))) return SCATTERED;
  return null;
}

// ---------------------------------------------------------------- the index

// A flat postings list (search/index.py ``encode``) as Map doc → Set of slots.
function decode(flat) {
  const postings = new Map();
  let doc = 0, i = 0;
  while (i < flat.length) {
    doc += flat[i++];
    const count = flat[i++];
    const slots = new Set();
    let slot = 0;
    for (let k = 0; k < count; k++) { slot += flat[i++]; slots.add(slot); }
    postings.set(doc, slots);
  }
  return postings;
}

export class SearchIndex {
  constructor(base) {
    this.base = base;
    this.cache = new Map();
    this.bytes = 0;
  }

  async json(path) {
    if (!this.cache.has(path)) {
      this.cache.set(path, fetch(this.base + path).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        const text = await response.text();
        this.bytes += new TextEncoder().encode(text).length;
        return JSON.parse(text);
      }));
    }
    return this.cache.get(path);
  }

  meta() { return this.json("meta.json"); }

  // Postings of ``tokens`` in one group of shards: Map token → shard entry (flat list, {r: ranges}, or absent).
  async entries(folder, shardCount, tokens) {
    const shards = await Promise.all(tokens.map((t) => this.json(`${folder}/${fnv1a(t) % shardCount}.json`)));
    return new Map(tokens.map((token, i) => [token, shards[i][token]]));
  }

  // Title postings of every token for the documents of range ``r``: Map token → Map doc → Set of slots.
  async titleIn(title, r, size) {
    const low = r * size, high = low + size;
    const result = new Map();
    for (const [token, entry] of title) {
      if (entry && !Array.isArray(entry)) {
        const chunk = entry.r.includes(r) ? await this.json(`t/big/${fnv1a(token).toString(16).padStart(8, "0")}/${r}.json`) : [];
        result.set(token, decode(chunk));
      } else {
        result.set(token, new Map([...decode(entry || [])].filter(([doc]) => doc >= low && doc < high)));
      }
    }
    return result;
  }

  // Ranked document numbers. Title matches come first: when a title token is rare its postings name every
  // candidate; otherwise ranges are read newest first. Then body matches, range by range, until ``wanted``
  // results are known; ``complete`` tells whether nothing was left unread.
  async search(query, { filters = {}, wanted = PAGE_SIZE, budget = Infinity } = {}) {
    const terms = queryTerms(query);
    if (!terms.length) return { docs: [], complete: true, terms, exact: false };
    const meta = await this.meta();
    const size = meta.range_size, ranges = meta.body_shards.length;
    const tokens = [...new Set(terms.flat().map(([text]) => text))];
    const title = await this.entries("t", meta.title_shards, tokens);
    const filter = await this.filterFor(meta, filters);
    // Ranges where every three-character sequence of the query occurs: the only ones that can hold an exact match.
    const grams = trigrams(query);
    let phraseRanges = null;
    if (grams.length && meta.gram_shards) {
      const table = await this.entries("g", meta.gram_shards, grams);
      phraseRanges = new Set([...Array(ranges).keys()].filter((r) => grams.every((g) => (table.get(g) || []).includes(r))));
    }
    const canHold = (r) => phraseRanges === null || phraseRanges.has(r);
    const positions = (postings, doc) => new Map(tokens.filter((t) => postings.get(t).has(doc)).map((t) => [t, postings.get(t).get(doc)]));

    // 1. Title matches, in the ranges where they can be.
    let titleRanges = [...Array(ranges).keys()];
    const rare = [...title].filter(([, e]) => Array.isArray(e) || e === undefined);
    if (rare.length) {
      const sets = rare.map(([, e]) => new Set(decode(e || []).keys()));
      const both = [...sets[0]].filter((doc) => sets.every((set) => set.has(doc)));
      titleRanges = [...new Set(both.map((doc) => Math.floor(doc / size)))].sort((a, b) => a - b);
    }
    titleRanges = titleRanges.filter(canHold);
    const titleHits = [];
    let titleComplete = true;
    for (const [index, r] of titleRanges.entries()) {
      const postings = await this.titleIn(title, r, size);
      const docs = [...postings.get(tokens[0]).keys()].filter((doc) => tokens.every((t) => postings.get(t).has(doc)));
      for (const doc of docs.sort((a, b) => a - b)) {
        if (tier(terms, positions(postings, doc), new Map()) === EXACT_TITLE && await filter(doc)) titleHits.push(doc);
      }
      const more = index < titleRanges.length - 1;
      if (more && (titleHits.length >= wanted || this.bytes > budget)) { titleComplete = false; break; }
    }
    if (!titleComplete) return { docs: titleHits, complete: false, terms, exact: true };

    // 2. Body matches, range by range, newest first, only in ranges where every token occurs (in a title or a body).
    const bodyRanges = await this.entries("r", meta.range_shards, tokens);
    const possible = [...Array(ranges).keys()].filter((r) => tokens.every((t) => {
      const entry = title.get(t);
      const inTitles = entry === undefined ? false : Array.isArray(entry)
        ? [...decode(entry).keys()].some((doc) => Math.floor(doc / size) === r) : entry.r.includes(r);
      return inTitles || (bodyRanges.get(t) || []).includes(r);
    }));
    // Without a range that can hold the phrase, look for scattered matches in the newest two ranges only.
    const scan = phraseRanges !== null && phraseRanges.size === 0 ? possible.slice(0, 2) : possible.filter(canHold);
    const seen = new Set(titleHits);
    const exactHits = [], scattered = [];
    let searched = 0;
    for (const r of scan) {
      if (titleHits.length + exactHits.length >= wanted || this.bytes > budget) break;
      const titles = await this.titleIn(title, r, size);
      const entries = await this.entries(`b/${r}`, meta.body_shards[r], tokens);
      const body = new Map(tokens.map((t) => [t, decode(entries.get(t) || [])]));
      const candidates = new Set();
      for (const t of tokens) for (const doc of [...titles.get(t).keys(), ...body.get(t).keys()]) candidates.add(doc);
      for (const doc of [...candidates].sort((a, b) => a - b)) {
        if (seen.has(doc)) continue;
        const level = tier(terms, positions(titles, doc), positions(body, doc));
        if (level === null || !(await filter(doc))) continue;
        (level === SCATTERED ? scattered : exactHits).push(doc);
      }
      searched += 1;
    }
    const complete = searched === scan.length;
    const exact = [...titleHits, ...exactHits];
    return { docs: exact.length ? exact : (complete ? scattered : []), complete, terms, exact: exact.length > 0 };
  }

  async filterFor(meta, filters) {
    const active = ["category", "organ", "year", "validity"].map((name, i) => [i, filters[name]])
      .filter(([, value]) => value !== undefined && value !== "");
    if (!active.length) return async () => true;
    const wanted = active.map(([i, value]) => [i, meta.facets[["category", "organ", "year", "validity"][i]]
      .findIndex((v) => String(v) === String(value))]);
    return async (doc) => {
      const facets = await this.json(`f/${Math.floor(doc / meta.range_size)}.json`);
      const row = facets[doc % meta.range_size];
      return wanted.every(([i, index]) => row[i] === index);
    };
  }

  document(doc) { return this.json(`d/${Math.floor(doc / 100)}/${doc}.json`); }
}

// ---------------------------------------------------------------- the page

function highlighted(text, words) {
  // Builds nodes, never HTML strings: everything shown is text.
  const fragment = document.createDocumentFragment();
  const lower = normalize(text);
  let index = -1, word = "";
  for (const w of words) {
    const at = lower.indexOf(w);
    if (at !== -1 && (index === -1 || at < index)) { index = at; word = w; }
  }
  if (index === -1) { fragment.append(text.slice(0, 120) + (text.length > 120 ? "…" : "")); return fragment; }
  const from = Math.max(0, index - 40), to = Math.min(text.length, index + word.length + 80);
  let cursor = from;
  const part = lower.slice(from, to);
  if (from > 0) fragment.append("…");
  const pattern = new RegExp(words.filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  for (const match of part.matchAll(pattern)) {
    const at = from + match.index;
    fragment.append(text.slice(cursor, at));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + match[0].length);
    fragment.append(mark);
    cursor = at + match[0].length;
  }
  fragment.append(text.slice(cursor, to) + (to < text.length ? "…" : ""));
  return fragment;
}

export async function runPage(root) {
  const form = root.querySelector("form");
  const status = root.querySelector("[data-gk-status]");
  const list = root.querySelector("[data-gk-results]");
  const more = root.querySelector("[data-gk-more]");
  const params = new URLSearchParams(location.search);
  const index = new SearchIndex(root.dataset.index);
  const meta = await index.meta();
  for (const name of ["category", "organ", "year", "validity"]) {
    const select = form.elements[name];
    for (const value of meta.facets[name]) select.append(new Option(String(value), String(value)));
    select.value = params.get(name) || "";
    select.addEventListener("change", () => form.requestSubmit());
  }
  const query = params.get("q") || "";
  form.elements.q.value = query;
  if (!query.trim()) {
    status.textContent = "请输入要查找的内容。";
    root.dataset.state = "done";
    return;
  }
  const filters = Object.fromEntries(["category", "organ", "year", "validity"].map((n) => [n, params.get(n) || ""]));
  const page = Math.max(1, parseInt(params.get("page") || "1", 10));
  const started = performance.now();
  const result = await index.search(query, { filters, wanted: page * PAGE_SIZE, budget: page * BUDGET });
  const words = query.split(/\s+/).filter(Boolean).map(normalize);
  const shown = result.docs.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  list.replaceChildren();
  const docs = await Promise.all(shown.map((d) => index.document(d)));
  for (const doc of docs) {
    const item = document.createElement("li");
    item.className = "gk-result";
    const link = document.createElement("a");
    link.href = root.dataset.root + doc.u;
    link.className = "gk-result__title";
    link.append(highlighted(doc.t, words));
    const metaLine = document.createElement("div");
    metaLine.className = "gk-row__meta";
    metaLine.textContent = [doc.o, doc.n, doc.d, doc.c, doc.v].filter(Boolean).join("　");
    const text = document.createElement("p");
    text.className = "gk-result__snippet";
    text.append(highlighted(doc.s, words));
    item.append(link, metaLine, text);
    list.append(item);
  }
  // A search that stopped early knows only what it has read: it counts nothing it cannot stand by (a "至少 14 条" on
  // page one read as a different answer from page two's "共 14 条"), and says which results are shown.
  const first = (page - 1) * PAGE_SIZE + 1, last = (page - 1) * PAGE_SIZE + shown.length;
  const count = result.complete ? `共 ${result.docs.length} 条` : `第 ${first}–${last} 条，${result.docs.length > last ? "后面还有更多结果" : "可能还有更多结果"}`;
  if (!result.docs.length) {
    status.textContent = `没有找到与“${query}”相关的信息。请检查用字，或减少关键词、去掉筛选条件再试。`;
  } else {
    const where = result.complete ? `，第 ${page} 页` : "";
    status.textContent = `${result.exact ? "" : "没有完全一致的结果，以下信息包含全部关键字。"}${count}${where}（用时 ${Math.round(performance.now() - started)} 毫秒）`;
  }
  root.dataset.state = "done";
  root.dataset.bytes = String(index.bytes);
  if (result.docs.length > page * PAGE_SIZE || !result.complete) {
    params.set("page", String(page + 1));
    more.href = `?${params}`;
    more.textContent = result.docs.length > page * PAGE_SIZE ? "下一页" : "继续检索更早的信息";
    more.hidden = false;
  }
}
