"""Catalog files as the import writes them: read back, they give exactly the values written, in the shapes staff
write (front matter and body; a list of entries)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import random_texts

from builder.exchange.yamlfile import item_file, list_file, scalar, updated_item_file
from builder.model.catalog import ITEM, POWER
from builder.model.dates import DateWithTime
from builder.model.source import load_front_matter_file, parse_yaml

TRICKY = ["80", "0431-00000000", "yes", "no", "on", "null", "~", "true", "- 列表", "a: b", "a:", "#注释", "x #y",
          "2026-02-30", "2026-03-02", "1e5", "0x1F", "[括号]", "{花括号}", "@at", "`反引号`", "'单引号'", '"双引号"',
          "%百分号", "&锚", "*别名", "!标签", "|竖线", ">大于", "? 问号", "  前导空格", "尾随空格 ", "行一\n行二",
          "行一\n\n行三\n", "\t制表", "---", "行一\n---\n行三", "控\x07制", "\u2028分隔", "行一\u2029\n行二", "下\x85一行\n", "=", "<<", "吉政发〔2005〕20号",
          "《条例》第三条、第五条", "a, b", "中文：冒号", "网址 https://x.cn/a#b"]


def front_matter(text: str, tmp_path):
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    _, data, body, _, problems = load_front_matter_file(path)
    assert problems == []
    return data, body


@pytest.mark.parametrize("value", TRICKY + random_texts(60, seed=15))
def test_any_text_reads_back_as_written(value, tmp_path):
    values = {"index_no": "x/2026-1", "title": value, "summary": value, "keywords": [value, "甲"]}
    data, _ = front_matter(item_file(values, ITEM, ""), tmp_path)
    assert (data["title"], data["summary"], list(data["keywords"])) == (value, value, [value, "甲"])


def test_an_item_file_is_front_matter_then_the_body(tmp_path):
    values = {"index_no": "11220000013544357T/2026-00011", "title": "关于示例的通知", "organ": "demo",
              "written": dt.date(2026, 3, 2), "published": DateWithTime(2026, 3, 6, dt.time(9, 30)),
              "category": "20-1", "topics": ["综合政务/政务公开"], "keywords": []}
    text = item_file(values, ITEM, "\n\n正文第一段。\n\n第二段。  \n\n", ("# 由 gongkai import 导入",))
    assert text == ("---\n# 由 gongkai import 导入\nindex_no: 11220000013544357T/2026-00011\ntitle: 关于示例的通知\n"
                    "organ: demo\nwritten: 2026-03-02\npublished: 2026-03-06 09:30\ncategory: 20-1\n"
                    "topics: [综合政务/政务公开]\nkeywords: []\n---\n\n正文第一段。\n\n第二段。\n")
    _, body = front_matter(text, tmp_path)
    assert body == "\n正文第一段。\n\n第二段。\n"


EDITED = """---
# 文件开头的说明
index_no: x/2026-1
title: 原标题
# 主题词由办公室核定
keywords:
  - 甲
  - 乙

# 概述待定
summary: 原概述
doc_no: 示〔2026〕1号
---

原正文。
"""


def test_an_updated_item_file_rewrites_only_its_changed_keys(tmp_path):
    """Comments and unchanged keys stay line for line; a changed key is written in its place, a removed one goes,
    a new one comes last; the body is replaced."""
    data, _ = front_matter(EDITED, tmp_path)
    values = {"index_no": "x/2026-1", "title": "原标题", "keywords": ["甲", "丙"], "summary": "原概述",
              "genre": "通知"}
    text = updated_item_file(EDITED, data, data, values, ITEM, "新正文。")
    assert text == ("---\n# 文件开头的说明\nindex_no: x/2026-1\ntitle: 原标题\n# 主题词由办公室核定\nkeywords: [甲, 丙]\n\n"
                    "# 概述待定\nsummary: 原概述\ngenre: 通知\n---\n\n新正文。\n")
    again, body = front_matter(text, tmp_path)
    assert dict(again) == {"index_no": "x/2026-1", "title": "原标题", "keywords": ["甲", "丙"], "summary": "原概述",
                           "genre": "通知"}
    unchanged = {"index_no": "x/2026-1", "title": "原标题", "keywords": ["甲", "乙"], "summary": "原概述",
                 "doc_no": "示〔2026〕1号"}
    assert updated_item_file(EDITED, data, data, unchanged, ITEM, "原正文。") == EDITED


def test_a_front_matter_not_written_a_key_a_block_is_not_updated_in_place(tmp_path):
    text = "---\n{index_no: x/2026-1, title: 原标题}\n---\n"
    data, _ = front_matter(text, tmp_path)
    assert updated_item_file(text, data, data, {"index_no": "x/2026-1", "title": "新标题"}, ITEM, "") is None


def test_a_list_file_holds_entries_with_nested_records():
    values = {"id": "P-1", "name": "示例", "basis": ["《甲条例》第一条", "《乙办法》第二条（二〇二六年修订版本）第三款"],
              "fees": [], "legal_limit": 20, "removed": {"date": dt.date(2026, 5, 1), "basis": "示政发〔2026〕9号"}}
    text = list_file([values, {"id": "P-2", "name": "乙"}], POWER, ("# 注释",))
    assert text == ("# 注释\n- id: P-1\n  name: 示例\n  basis:\n    - 《甲条例》第一条\n"
                    "    - 《乙办法》第二条（二〇二六年修订版本）第三款\n  legal_limit: 20\n  fees: []\n  removed:\n"
                    "    date: 2026-05-01\n    basis: 示政发〔2026〕9号\n\n- id: P-2\n  name: 乙\n")
    data, problems = parse_yaml(text, "x.yaml")
    assert problems == [] and data[0]["removed"]["date"] == dt.date(2026, 5, 1) and data[0]["fees"] == []


@pytest.mark.parametrize("value, text", [(80, "80"), (0.5, "0.5"), (1e-05, "1.0e-05"), (True, "true"),
                                         (dt.date(2026, 3, 2), "2026-03-02"), ("80", '"80"')])
def test_scalars(value, text):
    assert scalar(value) == text
