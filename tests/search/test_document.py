"""What the index holds of a document: its snippet text is the body without Markdown's markers."""

from search.document import SearchDoc, plain_text


def test_plain_text_drops_markdown_markers_and_runs_of_white_space():
    body = "## 一、总体要求\n\n> 引用**重点**内容\n\n- 第一项\n- 第二项 `代码`\n\n| 表 | 格 |"
    assert plain_text(body) == "一、总体要求 引用重点内容 第一项 第二项 代码 表 格"


def test_a_documents_title_text_holds_its_numbers_for_search():
    doc = SearchDoc("items/a/", "关于印发办法的通知", "吉政发〔2024〕1号", "GK-1", "2024-01-02", "规章", "机关", 2024,
                    "有效", "摘要", "正文")
    assert doc.title_text == "关于印发办法的通知 吉政发〔2024〕1号 GK-1"
    assert doc.body_text == "摘要 正文"
