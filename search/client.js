// gongkai search client: reads the static index written by search/index.py. No server, no dependencies.
// The analyzer and the ranking are ports of search/tokenize.py and search/index.py: keep them in step
// (tests/search/test_search.py and tests/test_browser.py runs the same queries through both).

const PAGE_SIZE = 10;
// A page of results reads at most about this much of the index; a query that needs more (a rare phrase of very
// common characters in a large catalog) shows what it found and continues on the next page.
export const BUDGET = 300 * 1024;
// Nor does it start reading a range that would take it past this many times the budget (390 KB of index; the ten
// documents of the page, about 40 KB at most, keep a first page under 500 KB).
export const OVERRUN = 1.3;
const EXACT_TITLE = 0, EXACT = 1, SCATTERED = 2;
// A page's documents whose places in a range are at most this far apart have their offsets read in one request (4
// bytes each between them, 512 at most), farther ones in requests of their own: 10,000 items, 60 queries, a first
// page read a median of 104.3 KB (109.5 with one request a range, 103.5 one a document, which took 88 ms, not 73).
export const NEAR_OFFSETS = 128;

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

// The white space between a query's words: Python's str.split() (search/tokenize.py), whose characters JavaScript's \s
// differs from (\x1c–\x1f and \x85 are white space there, the byte-order mark is not): a query with one of those
// was words of its own here and one word there.
const SPACES = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
export const queryWords = (query) => normalize(query).split(SPACES).filter(Boolean);

export function queryTerms(query) {
  const terms = [];
  for (const part of queryWords(query)) {
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
  for (const part of queryWords(query)) {
    for (const [kind, run] of runs(part)) {
      if (kind === "cjk") for (let i = 0; i + 2 < run.length; i++) found.add(run[i] + run[i + 1] + run[i + 2]);
    }
  }
  return [...found];
}

// The 64 characters of the index's compact texts (search/postings.py ``ALPHABET``), and each one's value.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

// A set of range numbers as the index writes it (search/index.py ``range_sets``): a list, or a bitmap string of six
// ranges a character.
export function rangeSet(value) {
  if (!value) return new Set();
  if (Array.isArray(value)) return new Set(value);
  const set = new Set();
  for (let i = 0; i < value.length; i++) {
    const bits = VALUE[value.charCodeAt(i)];
    for (let k = 0; k < 6; k++) if (bits >> k & 1) set.add(i * 6 + k);
  }
  return set;
}

export function fnv1a(text) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  return value;
}

// ---------------------------------------------------------------- ranking (search/index.py)

// Documents are numbered oldest first, and so are ranges: the newest is the highest number. The newest range may
// hold fewer documents than the others.
const newestFirst = (a, b) => b - a;
const newestRanges = (count) => [...Array(count).keys()].reverse();

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

// The integers of a postings text (search/postings.py ``digits``): base-32 digits, 32 added to every one but a
// number's last.
export function integers(text) {
  const numbers = [];
  for (let i = 0, value = 0; i < text.length; i++) {
    const digit = VALUE[text.charCodeAt(i)];
    value = value * 32 + (digit & 31);
    if (digit < 32) { numbers.push(value); value = 0; }
  }
  return numbers;
}

// A postings text (search/postings.py ``encode``) as Map doc → Set of slots.
function decode(text) {
  const flat = integers(text);
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
    this.decodedFiles = new Map();
    this.wholeFiles = new Map();  // packs of documents sent whole by a server that ignored a range request
    this.bytes = 0;
    this.reads = [];  // [path, bytes] of each file read, in order: what the benchmark explains a query's cost by
  }

  // A file of the index, read once. meta.json is asked for afresh (the browser checks it with the server), every
  // other file under the name of the build meta.json names (search/index.py ``write_index``): never one kept from
  // an earlier build.
  json(path) {
    if (!this.cache.has(path)) {
      const request = path === "meta.json" ? fetch(this.base + path, { cache: "no-cache" })
        : this.meta().then((meta) => fetch(`${this.base}${path}?b=${meta.build}`));
      this.cache.set(path, request.then(async (response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        const text = await response.text();
        const bytes = new TextEncoder().encode(text).length;
        this.bytes += bytes;
        this.reads.push([path, bytes]);
        return JSON.parse(text);
      }));
    }
    return this.cache.get(path);
  }

  meta() { return this.json("meta.json"); }

  // A common title token's file, decoded once: it holds several ranges, each read by the title and the body pass.
  decoded(path) {
    if (!this.decodedFiles.has(path)) this.decodedFiles.set(path, this.json(path).then(decode));
    return this.decodedFiles.get(path);
  }

  // Postings of ``tokens`` in one group of shards: Map token → shard entry (postings text, {r: ranges}, or absent).
  async entries(folder, shardCount, tokens) {
    const shards = await Promise.all(tokens.map((t) => this.json(`${folder}/${fnv1a(t) % shardCount}.json`)));
    return new Map(tokens.map((token, i) => [token, shards[i][token]]));
  }

  // Each token's title entry, read once: {postings: Map doc → Set of slots, count} for a token in few titles, or
  // {ranges: Set, count, span, folder} for a common one, whose postings are in one file per ``span`` ranges
  // in its folder of t/big/.
  titleTable(entries) {
    return new Map([...entries].map(([token, entry]) => {
      if (entry && typeof entry === "object") {
        const folder = entry.f || fnv1a(token).toString(16).padStart(8, "0");  // "f": another common token has the hash
        return [token, { ranges: rangeSet(entry.r), count: entry.n, span: entry.s || 1, folder }];
      }
      const postings = decode(entry || "");
      return [token, { postings, count: postings.size }];
    }));
  }

  // Title postings of ``tokens`` (all when not given) for the documents of range ``r``: Map token → Map doc → Set
  // of slots.
  async titleIn(title, r, size, tokens = [...title.keys()]) {
    const low = r * size, high = low + size;
    return new Map(await Promise.all(tokens.map(async (token) => {
      const entry = title.get(token);
      let postings = entry.postings;
      if (entry.ranges) {
        const path = `t/big/${entry.folder}/${r - r % entry.span}.json`;
        postings = entry.ranges.has(r) ? await this.decoded(path) : new Map();
      }
      return [token, new Map([...postings].filter(([doc]) => doc >= low && doc < high))];
    })));
  }

  // The documents of range ``r`` whose titles could hold every term as a phrase, and the tokens' postings there:
  // the rarest tokens first (a rare one costs nothing more, the two rarest common ones a small file each), the others
  // only for the titles that hold those at the term's relative slots.
  async titlesWithAll(title, r, size, tokens, terms) {
    const order = [...tokens].sort((a, b) => title.get(a).count - title.get(b).count);
    const firstCommon = order.findIndex((t) => title.get(t).ranges);
    const split = firstCommon === -1 ? order.length : firstCommon + 2;
    const postings = new Map();
    let docs = null;
    for (const step of [order.slice(0, split), order.slice(split)]) {
      if (!step.length) continue;
      for (const [token, found] of await this.titleIn(title, r, size, step)) postings.set(token, found);
      for (const token of step) {
        const found = postings.get(token);
        docs = docs === null ? [...found.keys()] : docs.filter((doc) => found.has(doc));
      }
      const partial = terms.map((term) => term.filter(([text]) => postings.has(text))).filter((term) => term.length > 1);
      docs = docs.filter((doc) => {
        const slots = new Map([...postings].map(([token, found]) => [token, found.get(doc)]));
        return partial.every((term) => phraseAt(term, slots) !== null);
      });
      if (!docs.length) return { postings, docs };
    }
    return { postings, docs: docs.sort(newestFirst) };
  }

  // Ranked document numbers. Title matches come first: when a title token is rare its postings name every
  // candidate; otherwise ranges are read newest (the last) first, only those whose titles hold every common token and every
  // three-character sequence of the query. Then body matches, range by range, until ``wanted`` results are known; ``complete``
  // tells whether nothing was left unread. A search reads about ``budget`` bytes at most: it stops once past it,
  // and does not start a range that would take it past ``limit`` (what a range costs is estimated from the ranges
  // read before it; the lookups and the first range are always read).
  async search(query, { filters = {}, wanted = PAGE_SIZE, budget = Infinity, limit = budget * OVERRUN } = {}) {
    const terms = queryTerms(query);
    if (!terms.length) return { docs: [], complete: true, terms, exact: false };
    const meta = await this.meta();
    const size = meta.range_size, ranges = meta.body_shards.length;
    const docsIn = (r) => Math.min(size, meta.docs - r * size);
    const tokens = [...new Set(terms.flat().map(([text]) => text))];
    const grams = trigrams(query);
    // The lookups at once: each token's titles, each trigram's ranges, the filter's facets.
    const [titleEntries, gramTable, filter] = await Promise.all([
      this.entries("t", meta.title_shards, tokens),
      grams.length ? this.entries("g", meta.gram_shards, grams) : null,
      this.filterFor(meta, filters)]);
    const title = this.titleTable(titleEntries);
    // Ranges where every three-character sequence of the query occurs (in a title or a body; in a title): the only
    // ones that can hold an exact match (an exact title match).
    let phraseRanges = null, titlePhraseRanges = null;
    if (gramTable) {
      const sets = grams.map((g) => (gramTable.get(g) || [[], []]).map(rangeSet));
      const inAll = (i) => new Set([...Array(ranges).keys()].filter((r) => sets.every((s) => s[i].has(r))));
      phraseRanges = inAll(0);
      titlePhraseRanges = inAll(1);
    }
    const positions = (postings, doc) => new Map(tokens.filter((t) => postings.get(t).has(doc)).map((t) => [t, postings.get(t).get(doc)]));

    // 1. Title matches, in the ranges where they can be; several ranges at a time once one has been read.
    let titleRanges = newestRanges(ranges);
    const rare = tokens.filter((t) => title.get(t).postings);
    if (rare.length) {
      const sets = rare.map((t) => new Set(title.get(t).postings.keys()));
      const both = [...sets[0]].filter((doc) => sets.every((set) => set.has(doc)));
      titleRanges = [...new Set(both.map((doc) => Math.floor(doc / size)))].sort(newestFirst);
    }
    const common = tokens.filter((t) => title.get(t).ranges);
    titleRanges = titleRanges.filter((r) => (titlePhraseRanges === null || titlePhraseRanges.has(r)) &&
      common.every((t) => title.get(t).ranges.has(r)));
    const titleHits = [];
    let next = 0, perRange = 0, batch = 1;
    while (next < titleRanges.length) {
      if (next > 0 && (titleHits.length >= wanted || this.bytes > budget || this.bytes + perRange > limit)) {
        return { docs: titleHits, complete: false, terms, exact: true };
      }
      if (next > 0) batch = Math.max(1, Math.min(2 * batch, 8, Math.floor((budget - this.bytes) / Math.max(perRange, 1))));
      const chosen = titleRanges.slice(next, next + batch);
      const before = this.bytes;
      const read = await Promise.all(chosen.map((r) => this.titlesWithAll(title, r, size, tokens, terms)));
      // Per range of ``size`` documents: the newest range, read first, may hold only a few.
      perRange = Math.max(perRange, (this.bytes - before) * size / chosen.reduce((n, r) => n + docsIn(r), 0));
      for (const { postings, docs } of read) {
        for (const doc of docs) {
          if (tier(terms, positions(postings, doc), new Map()) === EXACT_TITLE && await filter(doc)) titleHits.push(doc);
        }
      }
      next += chosen.length;
    }

    // 2. Body matches, range by range, newest first, only in ranges where every token occurs (in a title or a body).
    // Where a range holds every trigram of the query it holds the tokens inside them: the table of body ranges is
    // read only for the other tokens, or for all when no range can hold the phrase (then the results are the
    // scattered matches, read newest first until a page of them is known, as exact matches are).
    const scattered = phraseRanges !== null && phraseRanges.size === 0;
    const covered = new Set(scattered ? [] : grams.flatMap((g) => [...g].length === 3 ? [[...g].slice(0, 2).join(""), [...g].slice(1).join("")] : []));
    const listed = tokens.filter((t) => !covered.has(t));
    const bodyRanges = listed.length ? await this.entries("r", meta.range_shards, listed) : new Map();
    const inRange = new Map(listed.map((t) => [t, rangeSet(bodyRanges.get(t))]));
    const inTitles = (t, r) => {
      const entry = title.get(t);
      return entry.ranges ? entry.ranges.has(r) : [...entry.postings.keys()].some((doc) => Math.floor(doc / size) === r);
    };
    const possible = newestRanges(ranges).filter((r) => (phraseRanges === null || scattered || phraseRanges.has(r)) &&
      listed.every((t) => inTitles(t, r) || inRange.get(t).has(r)));
    const seen = new Set(titleHits);
    const exactHits = [], loose = [];
    // A match of any tier holds every token: in each range the two rarest tokens (by their titles) are read first,
    // the others only for the documents that hold both. A step is not started when it could take the search past
    // ``limit``: it reads the body shards of its tokens not read yet (tokens share shards: a long query on a small
    // range reads each of its few shards once) and a title file for each common token; a file is estimated as the
    // most one has cost so far, and at least twice the index's shard size (a common token's postings fill a shard
    // of their own). Only the very first step is always read.
    const order = [...tokens].sort((a, b) => title.get(a).count - title.get(b).count);
    const steps = [order.slice(0, 2), order.slice(2)].filter((step) => step.length);
    let perFile = 2 * (meta.shard_bytes || 0), readAny = next > 0;
    // Range r's matches into exactHits and loose; false when it was not read (the next step could pass ``limit``).
    const readRange = async (r) => {
      const titles = new Map(), body = new Map();
      let candidates = null;
      for (const step of steps) {
        const shards = new Set(step.map((t) => `b/${r}/${fnv1a(t) % meta.body_shards[r]}.json`));
        const files = [...shards].filter((path) => !this.cache.has(path)).length +
          step.filter((t) => title.get(t).ranges).length;
        if (readAny && this.bytes + files * perFile > limit) return false;
        readAny = true;
        const stepBefore = this.bytes, readsBefore = this.reads.length;
        const [inTitles, entries] = await Promise.all([this.titleIn(title, r, size, step),
          this.entries(`b/${r}`, meta.body_shards[r], step)]);
        perFile = Math.max(perFile, (this.bytes - stepBefore) / Math.max(this.reads.length - readsBefore, 1));
        for (const t of step) {
          titles.set(t, inTitles.get(t));
          body.set(t, decode(entries.get(t) || ""));
          const holding = new Set([...titles.get(t).keys(), ...body.get(t).keys()]);
          candidates = candidates === null ? holding : new Set([...candidates].filter((doc) => holding.has(doc)));
        }
        if (!candidates.size) break;
      }
      for (const doc of [...candidates].sort(newestFirst)) {
        if (seen.has(doc)) continue;
        const level = tier(terms, positions(titles, doc), positions(body, doc));
        if (level === null || !(await filter(doc))) continue;
        (level === SCATTERED ? loose : exactHits).push(doc);
      }
      return true;
    };
    // Reads ``list`` newest first until a page of matches is found or the budget is spent; whether every range of
    // it was read. A page of exact matches, or, where none can be (``looseOnly``), of scattered ones: every range
    // newer than the last read has been, so the newest of them are the first of the whole ranking.
    let looseOnly = scattered;
    const readAll = async (list) => {
      for (const r of list) {
        const found = looseOnly ? loose.length : titleHits.length + exactHits.length;
        if (found >= wanted || this.bytes > budget || !(await readRange(r))) return false;
      }
      return true;
    };
    let complete = await readAll(possible);
    if (complete && !scattered && !titleHits.length && !exactHits.length) {
      // No exact match where the phrase could be, and so none at all: the scattered matches are the results, in
      // every range holding each token, read again newest first (those read above come from the cache). They had
      // been missed where the phrase's characters were not all in one range (红苹，苹果，果树 for 红苹果树), and
      // were looked for only in the newest two ranges' worth of documents: the browser said 没有找到 where the
      // reference ranking and Whoosh found an older one.
      const others = tokens.filter((t) => covered.has(t));
      const otherRanges = others.length ? await this.entries("r", meta.range_shards, others) : new Map();
      const holds = (t, r) => inTitles(t, r) || (inRange.get(t) || rangeSet(otherRanges.get(t))).has(r);
      looseOnly = true;
      loose.length = 0;
      complete = await readAll(newestRanges(ranges).filter((r) => tokens.every((t) => holds(t, r))));
    }
    const exact = [...titleHits, ...exactHits];
    return { docs: exact.length ? exact : (complete || looseOnly ? loose.sort(newestFirst) : []), complete, terms,
             exact: exact.length > 0 };
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

  // The documents numbered ``docs``, in that order, each read from its range's pack (search/index.py ``pack``): the
  // offsets of nearby ones at once, then each run of neighbours' bytes, by HTTP range requests.
  async documents(docs) {
    const meta = await this.meta();
    const near = new Map();  // range → groups of nearby places in it, each a list of runs of neighbours [from, to)
    for (const doc of [...new Set(docs)].sort((a, b) => a - b)) {
      const r = Math.floor(doc / meta.range_size), place = doc % meta.range_size;
      if (!near.has(r)) near.set(r, []);
      const groups = near.get(r), group = groups[groups.length - 1], run = group && group[group.length - 1];
      if (run && run[1] === place) run[1] = place + 1;
      else if (run && place - (run[1] - 1) <= NEAR_OFFSETS) group.push([place, place + 1]);
      else groups.push([[place, place + 1]]);
    }
    const found = new Map(), decoder = new TextDecoder();
    await Promise.all([...near].flatMap(([r, groups]) => groups.map(async (runs) => {
      const path = `d/${r}.bin`, first = runs[0][0];
      const head = await this.bytesOf(path, 4 * first, 4 * (runs[runs.length - 1][1] + 1));
      const offset = (place) => new DataView(head.buffer, head.byteOffset).getUint32(4 * (place - first), true);
      await Promise.all(runs.map(async ([from, to]) => {
        const bytes = await this.bytesOf(path, offset(from), offset(to));
        for (let place = from; place < to; place++) {
          const record = bytes.subarray(offset(place) - offset(from), offset(place + 1) - offset(from));
          found.set(r * meta.range_size + place, JSON.parse(decoder.decode(record)));
        }
      }));
    })));
    return docs.map((doc) => found.get(doc));
  }

  // The bytes [start, end) of the file ``path`` of the index, by an HTTP range request. A server that does not
  // answer one sends the whole file, which is kept and read from for the rest: the same results, more bytes.
  async bytesOf(path, start, end) {
    if (!this.wholeFiles.has(path)) {
      const meta = await this.meta();
      const response = await fetch(`${this.base}${path}?b=${meta.build}`,
                                   { headers: { Range: `bytes=${start}-${end - 1}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.bytes += bytes.length;
      this.reads.push([`${path} ${start}-${end - 1}`, bytes.length]);
      if (response.status === 206) {
        const range = response.headers.get("Content-Range");  // not shown to a page of another origin
        if (bytes.length !== end - start || (range && !range.startsWith(`bytes ${start}-${end - 1}/`))) {
          throw new Error(`${path}: ${range} for ${start}-${end - 1}`);
        }
        return bytes;
      }
      this.wholeFiles.set(path, bytes);
    }
    return this.wholeFiles.get(path).subarray(start, end);
  }
}

// ---------------------------------------------------------------- the page

// The text normalized as the index normalizes it, and for each of its code units where the character of ``text`` it
// came from starts and ends: NFKC makes "…" three dots and "ﬁ" two letters, so an offset in one is not the same
// offset in the other. A match is marked from the start of its first character to the end of its last.
function normalizedWithOrigins(text) {
  let normal = "";
  const starts = [], ends = [];
  let at = 0;
  for (const ch of text) {
    const part = normalize(ch);
    for (let k = 0; k < part.length; k++) { starts.push(at); ends.push(at + ch.length); }
    normal += part;
    at += ch.length;
  }
  return [normal, starts, ends];
}

function wordPattern(words) {
  // Marked as the index matched them: a word is its runs of characters and of letters or digits, in order, anything
  // but letters and digits between them (吉政发[2014]26号 marks 吉政发〔2014〕26号, 《规定》 marks 规定: the words
  // were marked as typed, punctuation and all, and matched nothing); a word of punctuation alone matches nothing (it
  // marked every comma), and letters or digits are a whole token (20 marked the 20 of 2005 and 2026).
  const patterns = words.map((w) => [...runs(w)].map(([kind, run]) => {
    const text = run.join("").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return kind === "word" ? `(?<![0-9a-z])${text}(?![0-9a-z])` : text;
  }).join("[^\\p{L}\\p{N}]*")).filter(Boolean);
  return patterns.length ? new RegExp(patterns.join("|"), "gu") : null;
}

export function marksAny(text, words) {
  // Whether ``highlighted`` marks anything in ``text``.
  const pattern = wordPattern(words);
  return Boolean(pattern && normalizedWithOrigins(text)[0].matchAll(pattern).next().value);
}

export function highlighted(text, words, whole = false) {
  // Builds nodes, never HTML strings: everything shown is text. An excerpt around the first match, or with ``whole``
  // the whole text (a title: cut before its first match, it lost the organ that issued it).
  const fragment = document.createDocumentFragment();
  const [lower, starts, ends] = normalizedWithOrigins(text);
  const pattern = wordPattern(words);
  const first = pattern && lower.matchAll(pattern).next().value;
  if (!first) {
    fragment.append(whole ? text : text.slice(0, 120) + (text.length > 120 ? "…" : ""));
    return fragment;
  }
  const index = first.index, word = first[0];
  const from = whole ? 0 : Math.max(0, starts[index] - 40);
  const to = whole ? text.length : Math.min(text.length, ends[index + word.length - 1] + 80);
  let cursor = from;
  if (from > 0) fragment.append("…");
  for (const match of lower.matchAll(pattern)) {
    const start = starts[match.index], end = ends[match.index + match[0].length - 1];
    if (start < cursor || end > to) continue;
    fragment.append(text.slice(cursor, start));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    fragment.append(mark);
    cursor = end;
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
  const page = Math.max(1, parseInt(params.get("page"), 10) || 1);
  // How many results the pages before showed ("from", set by the link to this page): a page that stopped early shows
  // fewer than ten, and the next reads further and goes on from the last one shown (it showed results 11–20 of
  // a longer reading, and those between were never seen). Without it, the pages before were full.
  const stated = parseInt(params.get("from"), 10);  // 0 too: page one may have shown nothing
  const from = Number.isNaN(stated) ? (page - 1) * PAGE_SIZE : Math.max(0, stated);
  const started = performance.now();
  const result = await index.search(query, { filters, wanted: from + PAGE_SIZE, budget: page * BUDGET });
  const words = queryWords(query);
  const shown = result.docs.slice(from, from + PAGE_SIZE);
  list.replaceChildren();
  const docs = await index.documents(shown);
  for (const doc of docs) {
    const item = document.createElement("li");
    item.className = "gk-result";
    const link = document.createElement("a");
    link.href = root.dataset.root + doc.u;
    link.className = "gk-result__title";
    link.append(highlighted(doc.t, words, true));
    const metaLine = document.createElement("div");
    metaLine.className = "gk-row__meta";
    // The 文号 marked too: a search by it matched there, and nothing else showed why.
    // The 索引号 (a list's entry: its code) where the search matched it: shown nowhere else.
    const code = doc.i && marksAny(doc.i, words) ? doc.i : "";
    [[doc.o], [code, true], [doc.n, true], [doc.d], [doc.c], [doc.v]].filter(([field]) => field).forEach(([field, marked], n) => {
      if (n) metaLine.append("　");
      metaLine.append(marked ? highlighted(field, words, true) : field);
    });
    const text = document.createElement("p");
    text.className = "gk-result__snippet";
    text.append(highlighted(doc.s, words));
    // A document keeps the start of its text for snippets (index.SNIPPET_TEXT): one found further on, or by its
    // words apart (a scattered match), showed an excerpt without the words, as if it did not hold them.
    if (![doc.t, doc.n, doc.i, doc.s].some((field) => field && marksAny(field, words))) {
      const note = document.createElement("span");
      note.className = "gk-result__note";
      note.textContent = "（所查词语不在以上摘录中，见全文）";
      text.append(note);
    }
    item.append(link, metaLine, text);
    list.append(item);
  }
  // A search that stopped early knows only what it has read: it counts nothing it cannot stand by (a "至少 14 条" on
  // page one read as a different answer from page two's "共 14 条"), and says which results are shown.
  const first = from + 1, last = from + shown.length;
  const count = result.complete ? `共 ${result.docs.length} 条` : `第 ${first}–${last} 条，${result.docs.length > last ? "后面还有更多结果" : "可能还有更多结果"}`;
  if (!shown.length && !result.complete) {
    status.textContent = `在较新的信息中没有找到${from ? "更多" : ""}与“${query}”相关的信息，可以继续检索更早的信息。`;
  } else if (!result.docs.length) {
    status.textContent = `没有找到与“${query}”相关的信息。请检查用字，或减少关键词、去掉筛选条件再试。`;
  } else if (!shown.length) {  // a page past the last (an address edited or kept): say so, and lead back
    status.textContent = `共 ${result.docs.length} 条，已在前面的页中全部显示。`;
    params.delete("page");
    params.delete("from");
    more.href = `?${params}`;
    more.textContent = "回到第一页";
    more.hidden = false;
  } else {
    const where = result.complete ? `，第 ${page} 页` : "";
    status.textContent = `${result.exact ? "" : "没有完全一致的结果，以下信息包含全部关键字。"}${count}${where}（用时 ${Math.round(performance.now() - started)} 毫秒）`;
  }
  root.dataset.state = "done";
  root.dataset.bytes = String(index.bytes);
  if (shown.length && result.docs.length > last || !result.complete) {
    params.set("page", String(page + 1));
    params.set("from", String(last));
    more.href = `?${params}`;
    more.textContent = result.docs.length > last ? "下一页" : "继续检索更早的信息";
    more.hidden = false;
  }
}
