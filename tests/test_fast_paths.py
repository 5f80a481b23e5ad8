"""Every shortcut taken for speed gives exactly what the obvious, slow way gives."""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata

import markdown
import numpy as np
from markdown.extensions.toc import slugify_unicode

from benchmarks.generate import generate, sentences_of_example
import search.hashing
import search.index
from builder.model import source
from builder.model.load import _files, load_catalog
from builder.site.documents import search_documents
from builder.site.templating import MARKUP, Templating, body_markdown
from builder.site.views import published_views
from conftest import EXAMPLE
from search.postings import comma_separated, encode, stable_order, tokenize
from search.tokenize import field_positions, normalize

ALPHABET = [*"政府信息公开条例第二十三（）。，、；：“”", *"ab1 2.0)", "\n", "\n\n", "  ", "\n ", "\n1.", "\n3. ",
            "*", "#", "[x]", "<b>", "&", "-", "|", "\t", "`", "_"]


# What government texts hold that only looks like Markdown: bracketed years, plus signs, parentheses.
LINKISH = [*"政府信息公开第二十三（）。", "[", "]", "[2019]", "(", ")", "+", "\n", "\n\n", "\n+", " ", ":", "a", "1"]


def _random_texts(count: int, seed: int, alphabet: list[str] = ALPHABET) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


def test_plain_paragraphs_skip_markdown_with_the_same_html():
    reference = markdown.Markdown(extensions=["tables", "toc"],
                                  extension_configs={"toc": {"baselevel": 2, "slugify": slugify_unicode}})
    texts = _random_texts(20000, 5) + sentences_of_example() + _random_texts(5000, 6, LINKISH)
    templating = Templating()
    shortcut = 0
    for text in texts:
        reference.reset()
        assert str(templating.markdown(text).html) == reference.convert(body_markdown(text)), repr(text)
        shortcut += not MARKUP.search(body_markdown(text))
    assert shortcut > 1000, "the shortcut is taken for plain text"


def _same(fast, slow) -> bool:
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict):
        return fast == slow and fast.line == slow.line and fast.key_lines == slow.key_lines and \
            all(_same(fast[k], slow[k]) for k in fast)
    if isinstance(fast, list):
        return fast == slow and fast.line == slow.line and fast.item_lines == slow.item_lines
    return fast == slow


def _yaml(text: str):
    loader = source._Loader(text, 1)
    try:
        return loader.get_single_data()
    except Exception:  # noqa: BLE001 - PyYAML raising is a valid outcome to compare against
        return None
    finally:
        loader.dispose()


def test_flat_front_matter_is_read_as_pyyaml_reads_it(tmp_path):
    generated = generate(tmp_path / "catalog", 300)
    files = sorted(EXAMPLE.rglob("*.md")) + sorted(generated.rglob("*.md"))
    front_matters = [path.read_text(encoding="utf-8").split("---\n")[1] for path in files]
    rng = random.Random(1)
    atoms = ["a", "政府", " ", ": ", ":", "#", " #", "[", "]", ",", "yes", "on", "1", "012", "2026-02-30",
             "2026-01-05", "~", "null", "-", "'", '"', "1.5", "\t", "http://x", "{", "!", "&", "*", "|", "0x1", "+1"]
    for _ in range(30000):
        lines = []
        for _ in range(rng.randrange(1, 4)):
            value = "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 5)))
            if rng.random() < 0.3:
                value = "[" + ", ".join(rng.choice(atoms) for _ in range(rng.randrange(0, 3))) + "]"
            lines.append(f"{rng.choice(['title', 'on', 'k1', 'Null'])}: {value}")
        front_matters.append("\n".join(lines) + "\n")
    read_fast = 0
    for text in front_matters:
        fast = source._parse_flat(text, 2)
        if fast is not None:
            read_fast += 1
            assert _same(fast, _yaml(text)), text
    assert read_fast > 300, "generated items are read without PyYAML"


def test_array_tokenizer_gives_the_analyzer_postings(tmp_path):
    texts = [normalize(t) for t in _random_texts(300, 9)] + [normalize(s) for s in sentences_of_example()]
    texts += [normalize("Ａ１２３ｂ 第一条 ㈠ 〇一 2026年 abc123 中华人民共和国政府 﨑 𠀀𠀁")]
    for every_character in (False, True):
        postings = tokenize(texts, 0, every_character)
        expected = {}
        for number, text in enumerate(texts):
            for token, slots in field_positions(text, every_character).items():
                expected.setdefault(token, []).append((number, slots))
        encoded = encode(postings)
        assert encoded.tokens == sorted(expected), "tokens in string order"
        for token, text in zip(encoded.tokens, encoded.texts):
            flat, previous = [], 0
            for number, slots in expected[token]:
                flat += [number - previous, len(slots), *np.diff([0, *slots]).tolist()]
                previous = number
            assert text == ",".join(map(str, flat)), token


def test_packed_sort_orders_as_a_stable_argsort():
    rng = np.random.default_rng(3)
    for keys in ([], [5], [3, 1, 3, 1, 2], rng.integers(0, 50, 10_000), rng.integers(0, 2**41, 100_000) // 7,
                 rng.integers(0, 2**61, 1000), [2**62, 1, 2**62, 0]):  # the last two too large to pack
        keys = np.array(keys, dtype=np.int64)
        assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()


def test_catalog_files_are_listed_in_path_order(tmp_path):
    for name in ("a/x.md", "a-b/x.md", "a.b/y.md", "a/b/z.md", "a/b-c.md", "a/b.md", "ab.md", "a/b/c/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _files(tmp_path, ".md") == [str(p) for p in sorted(tmp_path.rglob("*.md"))]


def test_numbers_written_on_arrays_are_str_of_each():
    rng = np.random.default_rng(5)
    edges = [0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 2**32 - 1]
    for numbers in ([], [0], edges, edges + [2**32, 2**40 + 7], rng.integers(0, 5000, 100_000).tolist()):
        text, starts = comma_separated(np.array(numbers, dtype=np.int64))
        assert text == "".join(f"{n}," for n in numbers)
        assert starts.tolist() == [0, *np.cumsum([len(str(n)) + 1 for n in numbers]).tolist()]


def test_normalize_equals_nfkc():
    samples = _random_texts(2000, 3) + ["Ａｂｃ１２３", "㈠㈡ ①②", "ﬁ ＆ ｶﾀｶﾅ", "e\u0301 café", "한국어 ᄀ\u1161",
                                        "\u2f00\u2f08", "﨑﨟", "𠀀 \U0002f800"]
    for text in samples:
        assert normalize(text) == unicodedata.normalize("NFKC", text).lower(), repr(text)


def test_index_written_a_bucket_at_a_time_is_the_index_written_at_once(tmp_path, monkeypatch):
    """At 100,000 documents the merges go a bucket of keys at a time; the bytes are those of one pass."""
    catalog = generate(tmp_path / "catalog", 1500)
    docs = _documents(catalog)
    search.index.write_index(docs, tmp_path / "once")
    monkeypatch.setattr(search.index, "BUCKET_ENTRIES", 2000)
    search.index.write_index(docs, tmp_path / "buckets")
    once = {p.relative_to(tmp_path / "once"): p.read_bytes() for p in (tmp_path / "once").rglob("*.json")}
    buckets = {p.relative_to(tmp_path / "buckets"): p.read_bytes() for p in (tmp_path / "buckets").rglob("*.json")}
    assert once == buckets and len(once) > 1500


def _documents(catalog):
    loaded, _ = load_catalog(catalog)
    return search_documents(published_views(loaded, dt.date(2026, 11, 23)))


def test_common_title_tokens_are_written_range_by_range(tmp_path, monkeypatch):
    """A title token in more than BIG_TOKEN documents: its shard entry lists ranges, and each range's file holds
    exactly that range's postings of it, read back here against the analyzer."""
    monkeypatch.setattr(search.index, "BIG_TOKEN", 20)
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = _documents(generate(tmp_path / "catalog", 300))
    search.index.write_index(docs, tmp_path / "index")
    expected: dict[str, dict[int, list[int]]] = {}
    for number, doc in enumerate(docs):
        for token, slots in field_positions(doc.title_text, every_character=True).items():
            expected.setdefault(token, {})[number] = slots
    checked = 0
    for shard in (tmp_path / "index" / "t").glob("*.json"):
        for token, value in json.loads(shard.read_text(encoding="utf-8")).items():
            if not isinstance(value, dict):
                continue
            by_range: dict[int, list[int]] = {}
            for number, slots in sorted(expected[token].items()):
                flat = by_range.setdefault(number // 100, [])
                previous = max((n for n in expected[token] if n < number and n // 100 == number // 100), default=0)
                flat += [number - previous, len(slots), *np.diff([0, *slots]).tolist()]
            assert value == {"r": sorted(by_range)}, token
            folder = tmp_path / "index" / "t" / "big" / f"{search.hashing.fnv1a(token):08x}"
            for r, flat in by_range.items():
                assert json.loads((folder / f"{r}.json").read_text(encoding="utf-8")) == flat, (token, r)
            checked += 1
    assert checked >= 3, "the generated titles have common tokens"
