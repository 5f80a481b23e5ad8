"""The power list and fee catalogue on the built site (pages.py, views.py and their templates): what an entry states
is shown as stated, what it leaves out as 未载明 or —, and an entry not yet published nowhere."""

from __future__ import annotations

import re

import pytest
from conftest import make_site

DATES = "  decided: 2026-03-02\n  published: 2026-03-06\n"

POWERS = f"""\
- id: P-NOFEE
  name: 明确不收费的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第一条]
  fees: []
{DATES}
- id: P-UNKNOWN
  name: 收费情况未载明的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第二条]
{DATES}
- id: P-NONE
  name: 收费栏写“无”的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第二条]
  fees: [无]
{DATES}
- id: P-SLASH
  name: 收费栏只写了斜杠的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第二条]
  fees: ["/", "—"]
{DATES}
- id: P-ENDING
  name: 将于明年取消的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第四条]
  fees: [F-ENDING]
{DATES}  removed:
    date: 2027-05-01
    basis: 某政发〔2026〕20号
- id: P-IMMEDIATE
  name: 当场办结的许可
  type: 行政许可
  handling: 即办件
  organ: demo
  basis: [《某条例》第七条]
  legal_limit: 20
  promised_limit: 0
  process: |-
    1. 受理
    2. 审查
    3. 决定
{DATES}
- id: P-SOMEFEES
  name: 部分收费项目尚未公开的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第八条]
  fees: [F-B, F-LATER]
{DATES}
- id: P-LATERFEE
  name: 收费项目尚未公开的许可
  type: 行政许可
  organ: demo
  basis: [《某条例》第三条]
  fees: [F-LATER]
{DATES}
- id: P-MONTHS
  national_code: "000105009000"
  name: 特殊建设工程消防验收
  renames:
    - former: 建设工程竣工消防验收
      date: 2019-04-01
      reason: 职责调整
  type: 行政许可类
  handling: 承诺件
  organ: demo
  transfers:
    - former: 公安消防机构
      reason: 机构改革
  targets: [企业法人, 事业单位法人]
  basis: [《中华人民共和国消防法》第十三条]
  implementation_basis: [《建设工程消防设计审查验收管理暂行规定》第二十九条]
  sub_items:
    - code: "000105009001"
      name: 特殊建设工程消防验收（子项）
  legal_limit: 60
  legal_limit_unit: 日
  promised_limit: 1
  promised_limit_unit: 个月
  limit_note: 自受理之日起计算，不含检测时间
  visits: 0
  result: 特殊建设工程消防验收意见书
  accountability: 对符合条件的申请不予受理的
  fees: [F-A]
{DATES}
- id: P-DRAFT
  name: 草稿权力事项甲
  type: 行政许可
  organ: demo
  basis: [《某条例》第五条]
  decided: 2026-11-20
- id: P-FUTURE
  name: 预定公开权力事项乙
  type: 行政许可
  organ: demo
  basis: [《某条例》第六条]
  decided: 2026-11-20
  published: 2026-12-01
"""

FEES = f"""\
- id: F-A
  category: 证照类
  name: 机动车号牌工本费
  organ: demo
  collector: 某市车辆管理所
  fund_management: 全额缴入地方国库
  basis: [发改价格【2016】2559号]
  reduction: 对残疾人免收
  sub_items:
    - name: 汽车号牌
      amount: 100
      unit: 元/副
    - name: 大型号牌
      standard: 按尺寸收取
      amount: 100
      amount_max: 120
      unit: 元/副
    - name: 临时号牌
      amount: 5
      amount_max: 10
      unit: 元/张
{DATES}
- id: F-B
  category: 证照类
  name: 居民身份证工本费
  organ: demo
  fund_management: 缴入中央和地方国库
  basis: [某价〔2026〕2号]
  amount: 20
  unit: 元/证
{DATES}
- id: F-C
  category: 登记类
  name: 某项登记费
  organ: demo
  basis: [某价〔2026〕3号]
  standard: 按工程造价的0.1%收取
{DATES}
- id: F-ENDING
  name: 将于明年取消的收费项目
  organ: demo
  basis: [某价〔2026〕6号]
  amount: 10
  unit: 元/件
{DATES}  removed:
    date: 2027-01-01
    basis: 某价〔2026〕9号
- id: F-LATER
  name: 预定公开收费项目丙
  organ: demo
  basis: [某价〔2026〕4号]
  decided: 2026-11-20
  published: 2026-12-01
- id: F-DRAFT
  name: 草稿收费项目丁
  organ: demo
  basis: [某价〔2026〕5号]
  decided: 2026-11-20
"""

RELEASES = """\
- kind: 权力清单
  title: 某省权责清单（2026年版）
  organ: demo
  doc_no: 某政发〔2026〕3号
  published: 2026-03-06
  total: 4
  added: 2
- kind: 权力清单
  title: 预定公布的权责清单（2027年版）
  organ: demo
  published: 2026-12-20
"""


@pytest.fixture(scope="module")
def lists_site(tmp_path_factory):
    site, _ = make_site(tmp_path_factory.mktemp("lists"), files={
        "powers/real.yaml": POWERS, "fees/real.yaml": FEES, "releases/lists.yaml": RELEASES,
        "gongkai.yaml": "site:\n  title: 测试目录\n  url: https://t.example/\n"})
    return site


def _page(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _row(page: str, label: str) -> str:
    found = re.search(rf'<th scope="row">{label}</th><td[^>]*>(.*?)</td></tr>', page, re.S)
    assert found, label
    return found.group(1)


def test_no_fee_information_is_unknown_and_an_empty_list_is_no_fee(lists_site):
    assert _row(_page(lists_site, "powers/P-NOFEE"), "收费依据及标准") == "不收费"
    assert _row(_page(lists_site, "powers/P-UNKNOWN"), "收费依据及标准") == "未载明"


def test_a_fee_list_of_placeholders_says_nothing_and_is_not_no_fee(lists_site):
    """Found by a review: fees: ["/"] (a list's 收费 column holding a slash) was published as 不收费."""
    assert _row(_page(lists_site, "powers/P-SLASH"), "收费依据及标准") == "未载明"
    assert _row(_page(lists_site, "powers/P-NONE"), "收费依据及标准") == "不收费", "无 says there is none"


def test_a_removal_stated_for_a_later_day_is_announced_and_the_entry_stays_in_force(lists_site):
    """Found by a review: a removal dated next year was published as done (已于 2027年5月1日 取消, 已取消 in the
    lists), and a current power citing a fee removed next year stopped the build (E-FEE-REMOVED)."""
    power, fee = _page(lists_site, "powers/P-ENDING"), _page(lists_site, "fees/F-ENDING")
    assert "本事项将于 2027年5月1日 取消（某政发〔2026〕20号）" in power and "已于" not in power
    assert "本收费项目将于 2027年1月1日 取消（某价〔2026〕9号）" in fee and "仅供查阅" not in fee
    assert "将于明年取消的收费项目" in _row(power, "收费依据及标准")
    for page, entry in ((_page(lists_site, "powers"), "P-ENDING"), (_page(lists_site, "fees"), "F-ENDING")):
        row = page[page.index(entry):page.index("</tr>", page.index(entry))]
        assert "有效" in row and "已取消" not in row, entry


def test_a_fee_not_yet_published_beside_a_published_one_is_counted(lists_site):
    """Found by a review: only the published fee was shown, as if it were the entry's only one."""
    row = _row(_page(lists_site, "powers/P-SOMEFEES"), "收费依据及标准")
    assert row.endswith(">居民身份证工本费</a>；另有 1 项收费项目尚未公开") and "预定公开收费项目丙" not in row


def test_a_fee_not_yet_published_is_neither_named_nor_denied(lists_site):
    page = _page(lists_site, "powers/P-LATERFEE")
    assert _row(page, "收费依据及标准") == "收费项目尚未公开"
    assert "预定公开收费项目丙" not in page


def test_unstated_optional_fields_are_shown_as_unknown(lists_site):
    page = _page(lists_site, "powers/P-UNKNOWN")
    for label in ("办件类型", "承办机构", "实施对象", "实施依据", "法定时限", "承诺时限", "到办事现场次数", "结果名称",
                  "责任事项", "监督电话"):
        assert _row(page, label) == "未载明", label
    assert "原名称" not in page and "时限说明" not in page and "国家事项编码" not in page


def test_a_power_entry_shows_what_a_real_list_states(lists_site):
    page = _page(lists_site, "powers/P-MONTHS")
    assert _row(page, "职权类型") == "行政许可类", "as the list writes it"
    assert _row(page, "办件类型") == "承诺件"
    assert _row(page, "法定时限") == "60 日" and _row(page, "承诺时限") == "1 个月"
    assert _row(page, "时限说明") == "自受理之日起计算，不含检测时间"
    assert _row(page, "到办事现场次数") == "0 次"
    assert _row(page, "原名称") == "建设工程竣工消防验收（2019年4月1日更名：职责调整）"
    assert _row(page, "原实施主体") == "公安消防机构（机构改革）"
    assert _row(page, "国家事项编码") == "000105009000"
    assert "000105009001 特殊建设工程消防验收（子项）" in _row(page, "子项")
    assert _row(page, "实施依据") == "《建设工程消防设计审查验收管理暂行规定》第二十九条"
    assert _row(page, "实施对象") == "企业法人、事业单位法人"
    assert _row(page, "追责情形") == "对符合条件的申请不予受理的" and "<th scope=\"row\">备注</th>" not in page


def test_a_long_text_keeps_the_lines_it_was_written_in(lists_site):
    """Found by a review: a multi-line 办理流程 ran together on one line in the browser."""
    page = _page(lists_site, "powers/P-IMMEDIATE")
    assert '<td class="gk-lines">1. 受理\n2. 审查\n3. 决定</td>' in page
    css = (lists_site / "assets" / "gongkai.css").read_text(encoding="utf-8")
    assert ".md-typeset .gk-lines { white-space: pre-line; }" in css


def test_a_promise_of_zero_days_is_immediate(lists_site):
    """Found by a review: 承诺时限 即办 could not be recorded (a limit was at least 1), and a 即办件 showed 未载明."""
    assert _row(_page(lists_site, "powers/P-IMMEDIATE"), "承诺时限") == "即办"
    page = _page(lists_site, "powers")
    row = page[page.index(">P-IMMEDIATE<"):page.index("</tr>", page.index(">P-IMMEDIATE<"))]
    assert "20 个工作日 / 即办" in row and "100.0%" in row


def test_the_power_list_filters_a_type_with_lei_under_its_type_and_shows_limits_in_their_units(lists_site):
    page = _page(lists_site, "powers")
    assert re.search(r'<tr data-type="行政许可" [^>]*>\s*<td[^>]*>P-MONTHS</td>', page)
    assert "60 日 / 1 个月" in page and "— / —" in page


def test_the_fee_list_shows_the_catalogues_own_words_beside_the_statutory_way(lists_site):
    """Found by a review: the list showed only the classification, where W-FUND-NORMALISED tells staff that the site
    shows their words too."""
    page = _page(lists_site, "fees")
    row = page[page.index("机动车号牌工本费"):page.index("</tr>", page.index("机动车号牌工本费"))]
    assert "<td>缴入地方国库（目录原文：全额缴入地方国库）</td>" in row


def test_the_fee_list_groups_items_by_class(lists_site):
    page = _page(lists_site, "fees")
    classes = re.findall(r'<th scope="rowgroup" colspan="6">([^<]+)</th>', page)
    assert classes == ["类别未载明", "证照类", "登记类"], "the base fixture's F-1 states no class: not filed under one"
    body = page[page.index("证照类"):]
    assert body.index("F-A") < body.index("F-B") < body.index("登记类") < body.index("F-C")


def test_a_fee_item_shows_its_catalogues_words_next_to_the_statutory_ones(lists_site):
    page = _page(lists_site, "fees/F-A")
    assert _row(page, "资金管理方式") == "缴入地方国库（目录原文：全额缴入地方国库）"
    assert _row(page, "政策依据") == "发改价格〔2016〕2559号"
    assert _row(page, "执收单位") == "某市车辆管理所" and _row(page, "类别") == "证照类"
    assert _row(page, "减免政策") == "对残疾人免收"
    assert _row(page, "收费标准") == "见收费子项"
    assert _row(page, "确定或变更日期") == '<time datetime="2026-03-02">2026年3月2日</time>', "rules.md §7: both dates"
    assert _row(page, "公开日期") == '<time datetime="2026-03-06">2026年3月6日</time>'
    assert "<td>临时号牌</td><td>5～10</td><td>元/张</td>" in page
    assert "<td>大型号牌</td><td>按尺寸收取（100～120）</td><td>元/副</td>" in page, "a text and its numbers, both"
    assert _row(_page(lists_site, "fees/F-B"), "收费标准") == "20 元/证"
    c = _page(lists_site, "fees/F-C")
    assert _row(c, "收费标准") == "按工程造价的0.1%收取", "free text as written"
    assert _row(c, "资金管理方式") == "未载明" and _row(c, "收费对象") == "未载明" and _row(c, "备注") == "—"


def test_a_list_release_is_shown_from_its_day_with_unstated_counts_as_dashes(lists_site):
    page = _page(lists_site, "powers")
    assert "某省权责清单（2026年版）" in page and "某政发〔2026〕3号" in page
    assert "预定公布的权责清单" not in page
    row = page[page.index("某省权责清单"):page.index("</tr>", page.index("某省权责清单"))]
    assert re.findall(r"<td>([^<]*)</td>", row)[-4:] == ["4", "2", "—", "—"]


def test_entries_not_yet_published_appear_nowhere_on_the_site(lists_site):
    assert not (lists_site / "powers" / "P-DRAFT").exists() and not (lists_site / "powers" / "P-FUTURE").exists()
    assert not (lists_site / "fees" / "F-LATER").exists() and not (lists_site / "fees" / "F-DRAFT").exists()
    assert "P-NOFEE" in (lists_site / "sitemap.xml").read_text(encoding="utf-8")
    unpublished = ("草稿权力事项甲", "预定公开权力事项乙", "预定公开收费项目丙", "草稿收费项目丁", "P-DRAFT", "P-FUTURE",
                   "F-LATER", "F-DRAFT")
    for path in lists_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".atom", ".json", ".opml", ".csv", ".yaml", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert [name for name in unpublished if name in text] == [], path


def test_the_example_shows_an_unknown_fee_a_promise_in_months_a_rename_and_fee_classes(example_site):
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (example_site / "powers").glob("*/index.html")}
    assert any(_row(page, "收费依据及标准") == "未载明" for page in pages.values())
    assert any(_row(page, "办件类型") == "承诺件" and re.fullmatch(r"\d+ (个月|日)", _row(page, "承诺时限"))
               for page in pages.values())
    assert any("<th scope=\"row\">原名称</th>" in page for page in pages.values())
    fees = _page(example_site, "fees")
    assert len(re.findall(r'<th scope="rowgroup"', fees)) >= 2
