"""The hand-over to a search service: the index's mapping as docs/search.md shows it, and the documents as lines of a
``_bulk`` request."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

import pytest
from conftest import REPO

from search.document import SearchDoc
from search.export import ID_BYTES, INDEX_BODY, bulk_lines, document_id, nfkc_rules, source, valid_index_name
from search.tokenize import CJK_RANGES, normalize

DOC = SearchDoc(url="items/GK001_2026-00001.html", title="关于公开的通知", doc_no="示发〔2026〕1号",
                index_no="GK001/2026-00001", date="2026-03-02", category="政策文件", organ="示例市人民政府", year=2026,
                validity="有效", summary="摘要", body="正文")


def test_the_mapping_docs_show_is_the_one_exported_but_its_nfkc_rules():
    text = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    section = text[text.index("## 迁移到 Elasticsearch / OpenSearch"):]
    shown = json.loads(re.search(r"```json\n(.*?)\n```", section, flags=re.DOTALL)[1])
    rules = shown["settings"]["analysis"]["char_filter"]["gk_nfkc"]
    assert rules["mappings"] == ["Ａ => A", "…"] and f"共 {len(nfkc_rules()):,} 条" in section
    rules["mappings"] = nfkc_rules()
    assert shown == INDEX_BODY


def test_the_service_reads_as_text_every_character_the_static_index_does():
    """The ngram tokenizer keeps what Java calls a letter or a digit, and the characters named: 〇, a number letter,
    split 二〇二六年 in two where the static index reads one run."""
    tokenizer = INDEX_BODY["settings"]["analysis"]["tokenizer"]["gk_bigram"]
    kept = set(tokenizer["custom_token_chars"])
    assert tokenizer["token_chars"] == ["letter", "digit", "custom"] and kept == {"〇"}
    for low, high in CJK_RANGES:
        for point in range(low, high + 1):
            category = unicodedata.category(chr(point))
            assert category == "Cn" or category.startswith("L") or category == "Nd" or chr(point) in kept, hex(point)


def test_each_nfkc_rule_maps_a_character_to_the_form_the_static_index_reads():
    rules = dict(rule.split(" => ") for rule in nfkc_rules())
    assert rules["Ａ"] == "A" and rules["⼀"] == "一" and rules["①"] == "1" and rules["\uf900"] == "豈"
    assert "㈱" not in rules and "〇" not in rules  # (株): a form of separators too; 〇 is its own form
    for character, form in rules.items():
        assert len(character) == 1 and unicodedata.normalize("NFKC", character) == form
        assert normalize(form) == normalize(character)


def test_a_document_has_exactly_the_fields_the_mapping_names():
    """The mapping is strict: a service refuses a document with a field it does not name."""
    assert set(source(DOC)) == set(INDEX_BODY["mappings"]["properties"])
    assert INDEX_BODY["mappings"]["dynamic"] == "strict"


def test_the_body_is_the_summary_then_the_text_as_the_static_index_reads_them():
    assert source(DOC)["body"] == DOC.body_text == "摘要 正文"


def test_a_document_without_a_publication_date_has_none_not_a_default():
    """An item published long ago on an unknown day (public: true) states no date: null, which the service leaves
    out of date sorts and ranges, not a made-up day."""
    assert source(DOC._replace(date=""))["published"] is None
    assert source(DOC)["published"] == "2026-03-02"
    assert source(DOC._replace(date="2024-04-06T16:40:00"))["published"] == "2024-04-06T16:40:00"


@pytest.mark.parametrize("text", ["两行\n标题", "行\r分隔", "\u2028段\u2029落", '引号"和\\反斜杠', "制表\t符", "\x00\x1f"])
def test_each_document_is_two_lines_whatever_its_text_holds(text):
    """A line break in a value would cut a line of the request in two, and the service would refuse it or, worse,
    read the rest as another action: JSON escapes it."""
    docs = [DOC._replace(title=text, body=text, summary=text), DOC._replace(url="items/b.html")]
    lines = "".join(line + "\n" for line in bulk_lines(docs, "gongkai")).split("\n")
    assert lines[-1] == "" and len(lines[:-1]) == 4
    parsed = [json.loads(line) for line in lines[:-1]]
    assert parsed[0] == {"index": {"_index": "gongkai", "_id": "items/GK001_2026-00001.html"}}
    assert parsed[1] == source(docs[0]) and parsed[1]["title"] == text
    assert parsed[2] == {"index": {"_index": "gongkai", "_id": "items/b.html"}} and parsed[3] == source(docs[1])


@pytest.mark.parametrize("name, valid", [
    ("gongkai", True), ("jilin-2026", True), ("a", True), ("9.x_y+z", True), ("a" * 255, True),
    ("", False), ("Gongkai", False), ("-a", False), ("_a", False), ("+a", False), (".hidden", False), ("..", False),
    ("a/b", False), ("a b", False), ("a,b", False), ("a#b", False), ("a*", False), ("公开", False), ("a" * 256, False),
])
def test_index_names_are_those_every_service_takes(name, valid):
    assert valid_index_name(name) is valid


def test_a_document_is_keyed_by_its_address_in_the_site_and_shown_by_the_address_given():
    """Keyed by the address within the site, which a new domain does not change; shown by the full one, which a
    reader follows from the service's results."""
    lines = list(bulk_lines([DOC], "gongkai", lambda url: "https://xxgk.example.gov.cn/" + url))
    assert json.loads(lines[0])["index"]["_id"] == DOC.url
    assert json.loads(lines[1])["url"] == "https://xxgk.example.gov.cn/" + DOC.url


def test_an_address_longer_than_a_service_takes_is_keyed_by_its_hash():
    """A consultation's file named with a sentence makes an address of 9 bytes a character percent-encoded: past 512
    bytes the service refuses the document, answering only "errors": true for the whole request."""
    long = "consultations/" + "%E5%85%AC" * 60 + ".pdf"
    assert len(long.encode()) > ID_BYTES and document_id(long) == hashlib.sha1(long.encode()).hexdigest()
    edge = "a" * ID_BYTES
    assert document_id(edge) == edge and document_id(DOC.url) == DOC.url
    assert document_id(long) != document_id(long + "x")
