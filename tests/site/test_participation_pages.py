"""The public-participation pages of the built site (rules.md §9): consultations with their days left and
feedback, the hotline's months, the links between a policy, its interpretation and its consultation, the power
list's commitments, and how they reach feeds, the sitemap, downloads and search."""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import json
import re

import feedparser
from conftest import EXAMPLE, make_site, search_records

from builder.model.load import load_catalog
from builder.site.documents import index_order, list_documents
from builder.site.feeds import entry_id
from builder.site.participation import (
    _consultation_documents,
    _hotline_documents,
    _inserted,
    site_search_documents,
)
from builder.site.views import MOMENTS_A_DAY, published_views
from search.hashing import digest


def _page(site, path: str) -> str:
    """The page at ``path``: a folder's (consultations) or a file's (items/x.html)."""
    return (site / path if path.endswith(".html") else site / path / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    """The page's content as text (tags dropped, white space collapsed)."""
    content = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)).replace("&#34;", '"')


def test_open_consultations_show_the_days_left_on_the_build_day(example_site):
    page = _page(example_site, "consultations")
    text = _text(page)
    open_part, closed_part = text.split("已结束的征集")
    assert "关于《吉林省政务公开规定（草案征求意见稿）》公开征求意见的公告" in open_part
    assert "剩余时间（截至 2026-11-23）" in open_part and "还剩 17 天" in open_part
    assert "吉林市城市公共交通票价调整方案听证会公告" in closed_part and "待公布" in closed_part
    assert "已公布：收到 23 条，采纳 15 条" in closed_part
    assert '<meta name="ColumnType" content="征集调查">' in page


def test_the_home_page_lists_the_consultations_open_today(example_site):
    home = _text(_page(example_site, ""))
    consulting = home.split("正在征求意见")[1].split("年度报告公布情况")[0]
    assert "关于《吉林省政务公开规定（草案征求意见稿）》公开征求意见的公告" in consulting and "还剩 17 天" in consulting
    assert "济源市行政审批限时办结实施办法" not in consulting, "a closed consultation is not on the home page"


def test_a_consultation_page_has_its_files_ways_to_comment_and_feedback(example_site):
    page = _page(example_site, "consultations/jiyuan-xianshi-banjie")
    text = _text(page)
    assert "2026年9月1日 至 2026年9月15日 （不少于 7 个工作日）" in text
    for href in re.findall(r'href="([^"]+\.txt)" download', page):
        assert (example_site / "consultations" / "jiyuan-xianshi-banjie" / href).is_file(), href
    assert len(re.findall(r'href="([^"]+\.txt)" download', page)) == 2
    assert '<a href="mailto:fzj@jiyuan.example.gov.cn">' in page
    assert '<a href="https://www.jiyuan.example.gov.cn/hudong/zhengji" rel="noopener">' in page
    assert "收到意见 23 条，全部或部分采纳 15 条，未采纳 2 条（类）" in text
    assert "建议取消联合办理事项办结时限的上限 取消上限不利于督促部门协同" in text
    assert 'href="../../items/005000001_2026-00162.html"' in page  # the adopted document
    assert '<meta name="ArticleTitle" content="关于《济源市行政审批限时办结实施办法（征求意见稿）》公开征求意见的公告">' in page


def test_a_hearing_shows_its_time_place_and_that_its_feedback_is_pending(example_site):
    text = _text(_page(example_site, "consultations/jilin-gongjiao-piaojia-tingzheng"))
    assert "报名期限" in text and "2026年11月18日 09:30" in text and "市政府第一会议室" in text
    assert "报名已于 2026年11月6日 截止，意见采纳情况将于 2026年12月16日 前公布" in text
    assert "意见采纳情况 " not in text.split("报名方式")[1]  # no feedback section yet


def test_policy_interpretation_and_consultation_link_to_each_other(example_site):
    policy = _page(example_site, "items/005000001_2026-00162.html")
    interpretation = _page(example_site, "items/005000001_2026-00163.html")
    assert 'href="005000001_2026-00163.html">《济源市行政审批限时办结实施办法》政策解读</a>' in policy
    assert 'href="../consultations/jiyuan-xianshi-banjie/"' in policy and "（含意见采纳情况）" in policy
    assert 'href="005000001_2026-00162.html">济源市人民政府关于印发济源市行政审批限时办结实施办法的通知</a>的政策解读' \
        in interpretation


def test_hotline_months_with_their_figures(example_site):
    index = _text(_page(example_site, "hotline"))
    assert "按期办结率以受理后 5 个工作日为办结期限计算" in index
    assert "内办结答复" not in index, "the time limit is the default, not a rule the example's gongkai.yaml states"
    # November: 13 received (咨询 4、求助 3、投诉 3、建议 2、举报 1), 10 closed, 9 of 11 judged on time.
    assert "2026年11月 13 4 3 3 2 1 10 81.8% 2.8" in index
    assert "2026年10月 4 1 1 1 1 0 4 100.0% 2.3" in index  # 2.25 working days, rounded as people round (not 2.2)
    month_page = _page(example_site, "hotline/2026-11")
    month = _text(month_page)
    assert "按期办结率 81.8%（9 / 11，办结期限为受理后 5 个工作日）" in month
    rows = re.findall(r"<tr><td class=\"gk-nowrap\">2026-11", month_page)
    assert len(rows) == 12  # the 举报 case withheld for the informant's protection is counted, not listed
    assert "违规排放废水" not in month_page and "另有 1 件工单涉及举报人保护" in month
    assert "2026-11-10 14:35 求助 反映某路段路灯连续多日不亮 济源市城市管理局 办理中" in month
    assert '<meta name="ColumnType" content="咨询投诉">' in month_page


def test_a_months_cases_download_as_csv_and_json(example_site):
    folder = example_site / "hotline" / "2026-11"
    raw = (folder / "hotline-2026-11.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["工单编号", "受理时间", "类型", "反映问题", "承办单位", "办理结果", "办结时间"]
    assert len(rows) == 13 and ["20261110-0102", "2026-11-10 14:35", "求助", "反映某路段路灯连续多日不亮",
                                "济源市城市管理局", "办理中", ""] in rows
    data = json.loads((folder / "hotline-2026-11.json").read_text(encoding="utf-8"))
    assert [f["key"] for f in data["fields"]][:3] == ["id", "received", "type"] and len(data["cases"]) == 12
    assert '本月工单（CSV）' in _page(example_site, "hotline/2026-11")


def test_feeds_sitemap_and_search_include_them(example_site):
    consultations = feedparser.parse((example_site / "feeds" / "consultations.xml").read_bytes())
    assert consultations.feed.title == "政府信息公开（示例）：意见征集"
    assert [e.link.rsplit("/", 2)[1] for e in consultations.entries] == [
        "jilin-zhengwu-gongkai-guiding", "jilin-gongjiao-piaojia-tingzheng", "jiyuan-xianshi-banjie"]
    assert consultations.entries[2].id == entry_id("consultation:jiyuan-xianshi-banjie")
    assert "已于 2026-10-12 公布意见采纳情况" in consultations.entries[2].summary
    # Updated when its status said last changed: the day after its period, its feedback's day.
    atom = feedparser.parse((example_site / "feeds" / "consultations.atom").read_bytes())
    updated = {e.link.rsplit("/", 2)[1]: (e.updated[:10], e.summary.rsplit("；", 1)[1]) for e in atom.entries}
    assert updated["jiyuan-xianshi-banjie"] == ("2026-10-12", "已于 2026-10-12 公布意见采纳情况")
    closed = [(day, status) for day, status in updated.values() if status == "已截止"]
    assert closed == [("2026-11-07", "已截止")], updated
    hotline = feedparser.parse((example_site / "feeds" / "hotline.atom").read_bytes())
    assert [e.title for e in hotline.entries] == ["2026年11月 12345热线工单", "2026年10月 12345热线工单"]
    opml = (example_site / "feeds" / "feeds.opml").read_text(encoding="utf-8")
    assert "feeds/consultations.xml" in opml and "feeds/hotline.xml" in opml
    assert "consultations.xml" in _page(example_site, "feeds")
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("consultations/", "consultations/jiyuan-xianshi-banjie/", "hotline/", "hotline/2026-11/"):
        assert f"<loc>https://xxgk.example.gov.cn/{url}</loc>" in sitemap, url
    numbered = search_records(example_site / "search")
    by_url = {d["u"]: d for d in numbered.values()}
    assert by_url["consultations/jiyuan-xianshi-banjie/"]["c"] == "意见征集"
    assert by_url["hotline/2026-11/"]["c"] == "12345热线"
    assert "违规排放废水" not in json.dumps(by_url["hotline/2026-11/"], ensure_ascii=False)
    # Numbered oldest first among the items, by date (a new publication takes the next number): the open
    # consultation (11-10) between the items of 11-09 and 11-18.
    number = {d["u"]: n for n, d in numbered.items()}
    assert number["items/005000001_2026-00151.html"] < number["consultations/jilin-zhengwu-gongkai-guiding/"] \
        < number["items/11220000013544357T_2026-00201.html"]
    meta = json.loads((example_site / "search" / "meta.json").read_text(encoding="utf-8"))
    assert {"意见征集", "12345热线"} <= set(json.dumps(meta, ensure_ascii=False).split('"'))


def test_the_columns_are_in_the_navigation_and_the_site_map(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert 'href="consultations/"' in home and 'href="hotline/"' in home
    sitemap = _page(example_site, "sitemap")
    assert ">意见征集</a>" in sitemap and ">12345热线</a>" in sitemap


def test_the_power_list_shows_limits_and_cuts_and_no_target_it_does_not_state(example_site):
    """Found by a review as the public: the defaults (吉林市's 2011 targets) were shown as every organ's target, with
    未达到 beside 济源's entries, whose policy has no such target."""
    text = _text(_page(example_site, "powers"))
    # 行政许可 in force: 25.0 % (JL-XK-0001), 65.0 % (JY-XK-0001), both 承诺件; JY-XK-0003 is a 联办件 (25.0 %), not
    # held to the 承诺件's target; one 即办件 of four.
    assert "承诺时限比法定时限平均压缩 45.0%（承诺件和未写办件类型的事项中载明两种时限的 2 项） 即办件比例" in text
    assert "即办件比例 25.0%（即办件 1 项，载明办件类型的 4 项） " in text
    assert "目标" not in text and "未达到" not in text
    assert "JY-XK-0001 食品经营许可 行政许可 济源市人民政府 20 个工作日 / 7 个工作日 65.0%" in text
    assert "承诺时限比法定时限缩短 65.0%" in _text(_page(example_site, "powers/JY-XK-0001"))
    assert "时限压缩" not in _page(example_site, "powers/JY-XK-0002")  # a 即办件 with no promised number


def test_targets_and_a_time_limit_the_office_states_are_shown_as_its_own(tmp_path):
    settings = "  target_promise_cut_percent: 40\n  target_immediate_percent: 20\n  hotline_reply_workdays: 3\n"
    config = (EXAMPLE / "gongkai.yaml").read_text(encoding="utf-8") + settings
    site, _ = make_site(tmp_path, source=EXAMPLE, files={"gongkai.yaml": config})
    text = _text(_page(site, "powers"))
    assert "载明两种时限的 2 项）；目标 40%，已达到" in text and "载明办件类型的 4 项）；目标 20%，已达到" in text
    assert "工单自受理之日起 3 个工作日内办结答复" in _text(_page(site, "hotline"))


def test_a_catalog_without_them_has_no_such_columns(tmp_path):
    site, _ = make_site(tmp_path)
    assert not (site / "consultations").exists() and not (site / "hotline").exists()
    home = (site / "index.html").read_text(encoding="utf-8")  # nor any place in the navigation
    assert 'href="consultations/' not in home and 'href="hotline/' not in home and 'href="guide/"' in home
    assert 'href="consultations/"' not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "feeds" / "consultations.xml").exists()


CONSULTATION = ("title: 关于<script>alert(1)</script>的公告\norgan: demo\nkind: 其他\nstart: {start}\nend: {end}\n"
                "email: a@example.gov.cn\ndescription: \"**说明** <img src=x onerror=alert(1)>\"\n")


def test_text_is_escaped_and_a_consultation_not_yet_started_is_not_shown(tmp_path):
    site, _ = make_site(tmp_path, files={
        "consultations/now.yaml": CONSULTATION.format(start="2026-11-20", end="2026-11-30"),
        "consultations/later.yaml": CONSULTATION.format(start="2026-12-01", end="2026-12-31"),
        "hotline/2026.yaml": "- id: '1'\n  received: 2026-11-02\n  type: 咨询\n  question: 咨询<b>加粗</b>\n  unit: u\n"})
    page = _page(site, "consultations/now")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page.split('<article class="md-content__inner md-typeset">', 1)[1]
    assert "<strong>说明</strong>" in page
    assert not (site / "consultations" / "later").exists()
    assert "咨询&lt;b&gt;加粗&lt;/b&gt;" in _page(site, "hotline/2026-11")


def test_the_site_shows_no_estimate_a_provisional_build_makes(tmp_path):
    """With --provisional the consultation page promised its feedback by an estimated date, the hotline's rates
    counted estimated deadlines, without 预估; the public site is now what the build without it makes, and the
    estimate is advice in the build's log."""
    plain, _ = make_site(tmp_path, source=EXAMPLE, today="2027-01-11", site="plain")
    estimated, result = make_site(tmp_path / "p", source=EXAMPLE, today="2027-01-11", args=("--provisional",))
    assert "结果标注“预估”" in result.stdout + result.stderr
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(estimated) for p in estimated.rglob("*") if p.is_file())
    assert [f for f in files if (plain / f).read_bytes() != (estimated / f).read_bytes()] == []
    assert "意见采纳情况将在整理后公布" in (plain / "consultations" / "jilin-zhengwu-gongkai-guiding" / "index.html").read_text(
        encoding="utf-8")


def test_a_closed_page_says_what_is_still_to_come_and_what_is_overdue(tmp_path):
    """Found by a review: between sign-up and hearing the page said only 征求意见已于……截止; a feedback overdue was
    still promised by its passed day (将于 2026年3月31日 前公布, on 23 November)."""
    site, _ = make_site(tmp_path, source=EXAMPLE, today="2026-11-10")
    text = _text(_page(site, "consultations/jilin-gongjiao-piaojia-tingzheng"))
    assert "报名已于 2026年11月6日 截止，听证会将于 2026年11月18日 举行，意见采纳情况将于 2026年12月16日 前公布" in text
    late = ("title: 关于某办法的征求意见\norgan: jilin-province\nkind: 行政规范性文件\nstart: 2026-02-01\n"
            "end: 2026-03-03\nemail: xxgk@jl.gov.cn\n")
    site, _ = make_site(tmp_path / "late", source=EXAMPLE, files={"consultations/late.yaml": late})
    assert "意见采纳情况尚未公布（应于 2026年3月31日 前公布）" in _text(_page(site, "consultations/late"))


def test_a_month_whose_deadlines_wait_for_next_years_calendar_says_so(tmp_path):
    """It said 尚无到期工单 (no case due yet) of two closed cases, one of them plainly late."""
    cases = ("- id: '1'\n  received: 2026-12-24 09:00\n  type: 咨询\n  question: 咨询供暖\n  unit: 住建局\n"
             "  replied: 2026-12-25\n  result: 已答复\n"
             "- id: '2'\n  received: 2026-12-28 09:00\n  type: 求助\n  question: 反映停水\n  unit: 水务局\n"
             "  replied: 2027-01-20\n  result: 已修复\n")
    site, _ = make_site(tmp_path, today="2027-01-25", files={"hotline/2026.yaml": cases})
    assert "按期办结率 —（2 件的办结期限待定：缺少节假日数据）" in _text(_page(site, "hotline/2026-12"))


def test_the_other_documents_are_numbered_among_the_items_as_a_merge_by_day_numbers_them():
    """The consultations, hotline months and list entries of the example catalog take their places among the items
    by day, after the items of their day that state no later time, in their own order: what a merge of the two by
    those keys gives (the one kept for the next build, which took ~0.1 s at 100,000 items)."""
    day = dt.date(2026, 11, 23)
    catalog, _ = load_catalog(EXAMPLE)
    views = published_views(catalog, day)
    documents, keys = site_search_documents(views, catalog, day)
    extra = sorted(_consultation_documents(catalog, day) + _hotline_documents(catalog, day)
                   + list_documents(catalog, day), key=lambda found: (found[0], found[1].doc.url))
    assert extra and views
    merged = list(heapq.merge((((views[n].moment, 0), views[n].url, views[n].digest) for n in index_order(views)),
                              (((d.toordinal() * MOMENTS_A_DAY, 1), s.doc.url, digest(repr(s.doc))) for d, s in extra),
                              key=lambda entry: entry[0]))
    assert keys == [key for *_, key in merged]
    assert [document.url for document in documents] == [url for _, url, _ in merged]
    # Several others at one place keep their order, and an empty list of others leaves the entries as they were.
    assert _inserted([1, 2, 3], ["a", "b", "c"], [0, 2, 2]) == ["a", 1, 2, "b", "c", 3]
    assert _inserted([1, 2], [], []) == [1, 2]
