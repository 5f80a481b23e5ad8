"""The hand-over to a search service: the index's mapping as docs/search.md shows it, and the documents as lines of a
``_bulk`` request."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

from search.document import SearchDoc
from search.export import INDEX_BODY, bulk_lines, source, valid_index_name

DOC = SearchDoc(url="items/GK001_2026-00001.html", title="关于公开的通知", doc_no="示发〔2026〕1号",
                index_no="GK001/2026-00001", date="2026-03-02", category="政策文件", organ="示例市人民政府", year=2026,
                validity="有效", summary="摘要", body="正文")


def test_the_mapping_docs_show_is_the_one_exported():
    text = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    section = text[text.index("## 迁移到 Elasticsearch / OpenSearch"):]
    shown = re.search(r"```json\n(.*?)\n```", section, flags=re.DOTALL)[1]
    assert json.loads(shown) == INDEX_BODY


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
