"""What the index holds of a document: its snippet text is the body without Markdown's markers."""

import random
import re

from search import document
from search.document import SearchDoc, plain_text


def test_plain_text_drops_markdown_markers_and_runs_of_white_space():
    body = "## 一、总体要求\n\n> 引用**重点**内容\n\n- 第一项\n- 第二项 `代码`\n\n| 表 | 格 |"
    assert plain_text(body) == "一、总体要求 引用重点内容 第一项 第二项 代码 表 格"


def test_a_documents_title_text_holds_its_numbers_for_search():
    doc = SearchDoc("items/a.html", "关于印发办法的通知", "吉政发〔2024〕1号", "GK-1", "2024-01-02", "规章", "机关", 2024,
                    "有效", "摘要", "正文")
    assert doc.title_text == "关于印发办法的通知 吉政发〔2024〕1号 GK-1"
    assert doc.body_text == "摘要 正文"


def test_plain_text_is_what_a_reader_sees():
    """Found by a review: link addresses were indexed (https, html, png matched), table cells ran together (甲方乙方
    matched across cells), a rule row showed in snippets as dashes, file_name_v2 lost its underscores, and a line
    broken inside Chinese split a word (政府信⏎息公开 was not found by 信息公开)."""
    body = ("详见[济源市办事指南](https://www.example.gov.cn/zhinan/index.html)和![示意图](tu.png)。\n\n"
            "| 甲方 | 乙方 |\n|---|:--:|\n| 红星机械厂 | 蓝天公司 |\n\n文件 file_name_v2 见附件。\n\n"
            "本机关依法做好政府信\n息公开工作[^1]。\n\n[1]: https://www.example.gov.cn/a.html\n\n[^1]: 脚注内容。")
    assert plain_text(body) == ("详见济源市办事指南和示意图。 甲方 乙方 红星机械厂 蓝天公司 文件 file_name_v2 见附件。 "
                                "本机关依法做好政府信息公开工作。 脚注内容。")


def test_a_line_markdown_shows_as_text_stays_and_a_heading_stays_apart():
    """Found in review: [1]: 见附件 2 is no link definition (Markdown shows it), and a heading was joined to the
    Chinese line after it (总则第一条 matched as a phrase)."""
    assert plain_text("[1]: 见附件 2\n\n[2]: https://example.gov.cn/a.html \"标题\"") == "[1]: 见附件 2"
    assert plain_text("## 第一章 总则\n第一条 为了规范") == "第一章 总则 第一条 为了规范"


def test_white_space_around_a_line_break_inside_chinese_and_underscores_at_word_edges():
    """The edges of the two rules plain_text finds from a line break and from a run of underscores: spaces or tabs on
    either side of a single break still join (a blank line between does not), an underscore inside a word stays only
    alone, marks beside underscores count as a word's edge."""
    assert plain_text("政府信 \t\n  息公开") == "政府信息公开"
    assert plain_text("政府信 \n \n息公开") == "政府信 息公开"
    assert plain_text("ab\n息公开；信\nab") == "ab 息公开；信 ab"
    assert plain_text("file_name file__name _lead tail_ a*_b") == "file_name filename lead tail ab"


def test_plain_text_runs_only_the_patterns_a_text_can_match_and_gives_what_running_them_all_gave():
    """plain_text skips each pattern whose characters a text does not hold; three of its patterns were rewritten to
    take linear time (line-start markers found from the line break, a table rule's leading white space taken whole,
    white space before a break from its run's start: a review found runs of blank lines and of spaces quadratic).
    Every pattern run on every text, those three as they were until 2026-12-01, must give the same text for any mix
    of Markdown's characters."""
    as_they_were = {
        document._LINE_MARKERS: (re.compile(r"^[#>*\-\s]+", flags=re.MULTILINE), ""),
        document._TABLE_RULE: (re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$",
                                          flags=re.MULTILINE), ""),
        document._BEFORE_BREAK: (re.compile(r"[ \t]+\n"), "\n"),
    }

    def every_pattern(markdown: str) -> str:
        text = markdown
        for pattern, replacement, _ in document._STEPS:
            pattern, replacement = as_they_were.get(pattern, (pattern, replacement))
            text = pattern.sub(replacement, text)
        text = document._UNDERSCORES.sub(document._underscores, text.replace("|", " "))
        return " ".join(document._EMPHASIS.sub("", text).split())

    alphabet = "#>*-|[]()^:!_`\"' \t\t  \n\n\n\r\u2028\x85\x0b\u3000\xa0甲乙政府信息ab1https.-:|"
    rng = random.Random(20261201)
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(50)))
        assert plain_text(text) == every_pattern(text), repr(text)
