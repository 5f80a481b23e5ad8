// gongkai search client: reads the static index written by search/index.py. No server, no dependencies.
// The analyzer and the ranking are ports of search/tokenize.py and search/index.py: keep them in step
// (tests/test_search.py runs the same queries through both).

const PAGE_SIZE = 10;
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

  // Postings of ``tokens`` from one group of shards: Map token → Map doc → Set of slots.
  async postings(folder, shardCount, tokens) {
    const found = new Map();
    const shards = await Promise.all(tokens.map((t) => this.json(`${folder}/${fnv1a(t) % shardCount}.json`)));
    tokens.forEach((token, i) => {
      const entries = shards[i][token] || [];
      found.set(token, new Map(entries.map(([doc, slots]) => [doc, new Set(slots)])));
    });
    return found;
  }

  // Ranked document numbers: all title matches, then body matches range by range (newest first) until
  // ``wanted`` results are known; ``complete`` tells whether every range was searched.
  async search(query, { filters = {}, wanted = PAGE_SIZE } = {}) {
    const terms = queryTerms(query);
    if (!terms.length) return { docs: [], complete: true, terms };
    const meta = await this.meta();
    const tokens = [...new Set(terms.flat().map(([text]) => text))];
    const title = await this.postings("t", meta.title_shards, tokens);
    const titleDocs = new Set([...title.values()].flatMap((m) => [...m.keys()]));
    const filter = await this.filterFor(meta, filters);
    const matches = [];
    const seen = new Set();
    const consider = async (doc, body) => {
      if (seen.has(doc) || !(await filter(doc))) return;
      seen.add(doc);
      const positions = (source) => new Map(tokens.filter((t) => source.get(t).has(doc)).map((t) => [t, source.get(t).get(doc)]));
      const level = tier(terms, positions(title), body ? positions(body) : new Map());
      if (level !== null) matches.push([doc, level]);
    };
    const ranges = meta.body_shards.length;
    let searched = 0;
    for (let r = 0; r < ranges; r++) {
      const body = await this.postings(`b/${r}`, meta.body_shards[r], tokens);
      const low = r * meta.range_size, high = low + meta.range_size;
      const candidates = new Set([...titleDocs].filter((d) => d >= low && d < high));
      for (const m of body.values()) for (const d of m.keys()) candidates.add(d);
      for (const doc of [...candidates].sort((a, b) => a - b)) await consider(doc, body);
      searched = r + 1;
      if (matches.filter(([, t]) => t !== SCATTERED).length >= wanted) break;
    }
    // Title matches in ranges not searched yet outrank body matches: rank them too, without their bodies.
    for (const doc of [...titleDocs].sort((a, b) => a - b)) {
      if (doc >= searched * meta.range_size) await consider(doc, null);
    }
    matches.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const exact = matches.filter(([, t]) => t !== SCATTERED).map(([d]) => d);
    const complete = searched === ranges;
    return { docs: exact.length ? exact : (complete ? matches.map(([d]) => d) : []), complete, terms, exact: exact.length > 0 };
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
  if (!query.trim()) { status.textContent = "请输入要查找的内容。"; return; }
  const filters = Object.fromEntries(["category", "organ", "year", "validity"].map((n) => [n, params.get(n) || ""]));
  const page = Math.max(1, parseInt(params.get("page") || "1", 10));
  const started = performance.now();
  const result = await index.search(query, { filters, wanted: page * PAGE_SIZE });
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
  const count = result.complete ? `共 ${result.docs.length} 条` : `至少 ${result.docs.length} 条`;
  if (!result.docs.length) {
    status.textContent = `没有找到与“${query}”相关的信息。请检查用字，或减少关键词、去掉筛选条件再试。`;
  } else {
    status.textContent = `${result.exact ? "" : "没有完全一致的结果，以下信息包含全部关键字。"}${count}，第 ${page} 页（用时 ${Math.round(performance.now() - started)} 毫秒）`;
  }
  root.dataset.state = "done";
  root.dataset.bytes = String(index.bytes);
  if (result.docs.length > page * PAGE_SIZE || !result.complete) {
    params.set("page", String(page + 1));
    more.href = `?${params}`;
    more.hidden = false;
  }
}
