"""The built site: pages, escaping, attachments, determinism, and the untouched site after a failed build."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import feedparser
import pytest
import yaml
from conftest import (
    BASE,
    EXAMPLE,
    FIXTURES,
    REPO,
    TODAY,
    gongkai,
    make_site,
    search_records,
    tree_digest,
)

import search
import search.hashing
from builder.site.feeds import entry_id

SETTINGS = "site:\n  title: 测试\n  url: https://t.example/\n"


def _item_page(site, index_no: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z.\-]", "_", index_no)
    return (site / "items" / f"{slug}.html").read_text(encoding="utf-8")


def test_example_site_has_the_columns_and_the_seed_documents(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in home
    for column in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开"):
        assert column in home
    page = _item_page(example_site, "11220000013544357T/2005-00138")
    for label, value in (("索引号", "11220000013544357T/2005-00138"), ("文号", "吉政发〔2005〕20号"),
                         ("成文日期", "2005年7月13日"), ("发布日期", "2005年7月18日"), ("发布机构", "吉林省人民政府")):
        assert re.search(rf"<th scope=\"row\">{label}</th><td>(<time[^>]*>)?{re.escape(value)}", page), label
    assert "加强服务型政府机关建设的指导思想和目标要求" in page


def test_listings_by_category_organ_year_and_topic_exist(example_site):
    for path in ("active/20-1", "organs/jilin-province", "years/2005", "topics/综合政务-政务公开", "browse"):
        assert (example_site / path / "index.html").is_file(), path
    listing = (example_site / "active" / "20-1" / "index.html").read_text(encoding="utf-8")
    assert "吉林省人民政府关于加强服务型政府机关建设的意见" in listing


def test_item_pages_are_not_in_the_navigation(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary'):home.index("</nav>", home.index('md-nav--primary'))]
    assert "items/" not in nav and "政府信息公开指南" in nav


def test_an_estimated_validity_is_not_published_and_a_stated_one_is(example_site):
    # 2005: no validity stated; the default period's estimate (失效 since 2010) is advice to staff only.
    unstated = _item_page(example_site, "11220000013544357T/2005-00138")
    assert "gk-banner" not in unstated and "失效" not in unstated
    assert '<th scope="row">有效性</th><td>未载明</td>' in unstated
    stated = _item_page(example_site, "005000001/2024-00058")
    assert '<th scope="row">有效性</th><td>有效</td>' in stated
    # An annual report is no normative document: 不适用, as its search result says (a review as the public found an
    # empty cell on the page beside 不适用 in search).
    assert '<th scope="row">有效性</th><td>不适用</td>' in _item_page(example_site, "11220000013544357T/2026-00012")


@pytest.mark.parametrize("doc_type, shown", [("", "未载明"), ("doc_type: 其他文件\n", "不适用")])
def test_the_validity_of_a_document_of_no_stated_kind_is_unstated_not_inapplicable(tmp_path, doc_type, shown):
    """Most offices' sheets have no 文件类型 column: an item imported from one may be a normative document, and its
    kind (其他文件 only as the annual report counts it) is no fact that its validity does not apply. Its search
    document says the same as its page."""
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    site, _ = make_site(tmp_path, files={"items/2026/notice.md": notice.replace("doc_type: 行政规范性文件\n", doc_type)})
    assert f'<th scope="row">有效性</th><td>{shown}</td>' in _item_page(site, "11220000013544357T/2026-00001")
    documents = search_records(site / "search").values()
    assert [d["v"] for d in documents if d["i"] == "11220000013544357T/2026-00001"] == [shown]


def test_index_numbers_that_differ_only_in_chinese_characters_have_pages_of_their_own(tmp_path):
    """Found by a review of the import (2026-12-01): both were made the address items/___-2025-001/ and refused as a
    collision, staff told to change a real 索引号. Every link of the site finds its page or file."""
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    files = {f"items/2026/{n}.md": notice.replace("11220000013544357T/2026-00001", index_no).replace("示例事项", n)
             for n, index_no in (("甲", "财政局-2025-001"), ("乙", "教育局-2025-001"))}
    site, _ = make_site(tmp_path, files=files, remove=["items/2026/notice.md"])
    for name, index_no in (("甲", "财政局-2025-001"), ("乙", "教育局-2025-001")):
        assert f"示例市人民政府关于{name}的通知" in (site / "items" / f"{index_no}.html").read_text(encoding="utf-8")
        assert (site / "items" / index_no / "annex.txt").is_file()
    audit = gongkai("audit", "--catalog", str(tmp_path / "catalog"), "--site-dir", str(site), "--today", TODAY)
    assert "【扣分项】链接不可用：通过" in audit.stdout and "【扣分项】附件缺失：通过" in audit.stdout
    # A feed's links are addresses, percent-encoded as the sitemap's and the canonical links are (found in review).
    links = {entry.link for entry in feedparser.parse((site / "feeds" / "all.xml").read_bytes()).entries}
    assert "/items/%E8%B4%A2%E6%94%BF%E5%B1%80-2025-001.html" in links and all(link.isascii() for link in links)


def test_a_stated_expiry_carries_its_date_and_basis(tmp_path):
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    stated = notice.replace("doc_type: 行政规范性文件\n", "doc_type: 行政规范性文件\nvalidity: 失效\n"
                            "validity_date: 2026-10-01\nvalidity_basis: 示政发〔2026〕9号\n")
    site, _ = make_site(tmp_path, files={"items/2026/notice.md": stated})
    page = _item_page(site, "11220000013544357T/2026-00001")
    assert "gk-banner--expired" in page and "已于 2026年10月1日 失效（依据 示政发〔2026〕9号）" in page


def test_repealed_items_carry_a_banner(example_site):
    repealed = _item_page(example_site, "005000001/2020-00031")
    assert "gk-banner--repealed" in repealed and "济政〔2024〕12号" in repealed
    assert 'href="005000001_2024-00058.html"' in repealed, "the banner links to the repealing document"


def test_attachment_is_copied_with_size_and_type(example_site):
    folder = example_site / "items" / "11220000013544357T_2014-00026"
    attachment = folder / "吉林省法治政府建设指标体系.txt"
    assert attachment.read_bytes() == (REPO / "catalog/items/jilin-province/2014/吉林省法治政府建设指标体系.txt").read_bytes()
    page = folder.with_name(folder.name + ".html").read_text(encoding="utf-8")
    assert "吉林省法治政府建设指标体系</a> <span>（文本，" in page


def test_guide_is_generated_from_organ_data(example_site):
    guide = (example_site / "guide" / "index.html").read_text(encoding="utf-8")
    for fact in ("吉林省长春市示例路 1 号", "0431-00000001", "https://xxgk.example.gov.cn/apply", "国办函〔2020〕109号"):
        assert fact in guide


def test_apply_page_shows_timeliness_from_the_request_log(example_site):
    page = (example_site / "apply" / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>吉林省人民政府</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>([\d.]+)</td></tr>", page)
    # 26 received (15 in 2025, 11 in 2026 to date), 23 answered, 22 on time (2025-002 was late).
    assert row and row.groups()[:3] == ("26", "23", "22")


def test_power_and_fee_pages_link_each_other(example_site):
    power = (example_site / "powers" / "JL-XK-0002" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../fees/JL-SF-0001/"' in power
    fee = (example_site / "fees" / "JL-SF-0001" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../powers/JL-XK-0002/"' in fee and "住宅类不动产登记" in fee
    listing = (example_site / "powers" / "index.html").read_text(encoding="utf-8")
    assert 'data-type="行政许可"' in listing and "已取消" in listing


def test_404_sitemap_and_feed_autodiscovery(example_site):
    assert "页面不存在" in (example_site / "404.html").read_text(encoding="utf-8")
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://xxgk.example.gov.cn/items/11220000013544357T_2005-00138.html" in sitemap
    for page in ("index.html", "guide/index.html", "items/11220000013544357T_2005-00138.html"):
        html = (example_site / page).read_text(encoding="utf-8")
        assert 'rel="alternate" type="application/rss+xml"' in html
        assert 'rel="alternate" type="application/atom+xml"' in html


def test_feeds_parse_back_with_titles_dates_and_stable_ids(example_site):
    for name, published in (("all.xml", "Mon, 18 Jul 2005 00:00:00 +0800"), ("all.atom", "2005-07-18T00:00:00+08:00")):
        feed = feedparser.parse((example_site / "feeds" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        titles = [e.title for e in feed.entries]
        assert titles[0] == "吉林市人民政府办公厅2026年11月上旬行政许可办理结果公示"  # newest first
        entry = next(e for e in feed.entries if e.title == "吉林省人民政府关于加强服务型政府机关建设的意见")
        assert entry.id == entry_id("11220000013544357T/2005-00138")
        assert entry.published == published
        assert entry.link == "https://xxgk.example.gov.cn/items/11220000013544357T_2005-00138.html"
    assert "2026-11" not in (example_site / "feeds" / "all.xml").read_text(encoding="utf-8").split("<item>")[0], \
        "no build time in the channel: its dates are the newest item's"


def test_opml_lists_every_feed(example_site):
    opml = (example_site / "feeds" / "feeds.opml").read_text(encoding="utf-8")
    feeds = sorted(p.name for p in (example_site / "feeds").glob("*.xml"))
    assert len(feeds) >= 8
    for name in feeds:
        assert f"https://xxgk.example.gov.cn/feeds/{name}" in opml


def test_same_catalog_builds_byte_identical_site(example_site, tmp_path):
    again = tmp_path / "again"
    result = gongkai("build", "--today", TODAY, "--site-dir", str(again))
    assert result.returncode == 0, result.stderr
    assert tree_digest(again) == tree_digest(example_site)


HOSTILE = {
    "gongkai.yaml": "site:\n  title: 测试<b>站</b>\n  url: https://t.example/\n",
    "items/2026/xss.md":
        "---\nindex_no: 11220000013544357T/2026-00009\ntitle: \"<script>alert(1)</script>标题\\x07\"\norgan: demo\n"
        "written: 2026-03-02\npublished: 2026-03-06\ncategory: 20-1\nsummary: '<img src=x onerror=alert(2)>'\n"
        # the line break Word leaves in pasted text, and another control character: XML holds neither
        "doc_no: \"示政\\v〔2026〕9号\"\npublisher: \"示例市\\x01人民政府\"\n---\n\n"
        "正文<script>alert(3)</script>\n",
}


def test_text_from_yaml_is_escaped_in_html_and_feeds(tmp_path):
    site, _ = make_site(tmp_path, files=HOSTILE)
    page = _item_page(site, "11220000013544357T/2026-00009")
    assert "<script>alert" not in page and "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page
    assert "正文&lt;script&gt;alert(3)&lt;/script&gt;" in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<b>站</b>" not in home and "测试&lt;b&gt;站&lt;/b&gt;" in home
    assert 'title="测试&lt;b&gt;站&lt;/b&gt;" class="md-header__button md-logo"' in home and "&amp;lt;" not in home
    raw = (site / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "\x07" not in raw
    feed = feedparser.parse(raw.encode())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id == entry_id("11220000013544357T/2026-00009"))
    assert entry.title == "<script>alert(1)</script>标题"
    # Readers render an RSS description as HTML: the summary comes back as markup that shows the text, not as
    # an element (feedparser reports the description as HTML and keeps it as it would be rendered).
    assert entry.summary_detail.type == "text/html"
    assert "<img" not in entry.summary and "&lt;img src=x onerror=alert(2)&gt;" in entry.summary
    atom = feedparser.parse((site / "feeds" / "all.atom").read_bytes())
    atom_entry = next(e for e in atom.entries if e.id == entry_id("11220000013544357T/2026-00009"))
    assert "<img" not in atom_entry.summary and "&lt;img src=x onerror=alert(2)&gt;" in atom_entry.summary
    assert "示政〔2026〕9号" in atom_entry.summary and atom_entry.author == "示例市人民政府"


def test_broken_catalog_leaves_the_existing_site_untouched(tmp_path):
    site, _ = make_site(tmp_path, files={"gongkai.yaml": SETTINGS})
    catalog = tmp_path / "catalog"
    before = tree_digest(site)
    (catalog / "items" / "2026" / "notice.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 1
    assert "notice.md:2: E-YAML-SYNTAX" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-gongkai-cache", ".site-gongkai.lock", "catalog", "site"], \
        "no temporary directories left (only the build cache)"


def test_listings_are_paginated(tmp_path):
    items = {f"items/2026/n{n}.md":
             f"---\nindex_no: 11220000013544357T/2026-{n:05d}\ntitle: 第{n}号通知\norgan: demo\nwritten: 2026-03-02\n"
             f"published: 2026-03-{(n % 20) + 3:02d}\ncategory: 20-1\n---\n正文\n" for n in range(2, 46)}
    site, _ = make_site(tmp_path, files={"gongkai.yaml": SETTINGS, **items})
    pages = [site / "active/20-1/index.html", site / "active/20-1/page/2.html", site / "active/20-1/page/3.html"]
    assert all(p.is_file() for p in pages) and not (site / "active/20-1/page/4.html").exists()
    counts = [p.read_text(encoding="utf-8").count('class="gk-row"') for p in pages]
    assert counts == [20, 20, 5]


def test_mkdocs_build_works_with_the_repo_config(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=REPO, env={"NO_MKDOCS_2_WARNING": "1",
                                                                         "PATH": "/usr/bin:/bin",
                                                                         "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "feeds" / "all.atom").is_file()


@pytest.mark.parametrize("name", ["E-ATTACHMENT-OUTSIDE"])
def test_attachment_outside_catalog_stops_the_build(tmp_path, name):
    _, result = make_site(tmp_path, overlay=FIXTURES / "broken" / "attachment-outside" / "catalog", check=False)
    assert result.returncode == 1 and name in result.stdout
    assert not (tmp_path / "site").exists()


def test_published_report_is_an_item_in_the_reports_column_and_feed(example_site):
    reports = (example_site / "reports" / "index.html").read_text(encoding="utf-8")
    assert "吉林省人民政府2025年政府信息公开工作年度报告" in reports
    feed = feedparser.parse((example_site / "feeds" / "reports.xml").read_bytes())
    assert "吉林省人民政府2025年政府信息公开工作年度报告" in [e.title for e in feed.entries]
    folder = example_site / "items" / "11220000013544357T_2026-00012"  # its data, beside its page
    page = folder.with_name(folder.name + ".html").read_text(encoding="utf-8")
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page
    assert "本年度收取信息处理费 1100.00 元" in page
    data = yaml.safe_load((folder / "report-2025.yaml").read_text(encoding="utf-8"))
    assert data["requests"]["（七）总计"] == [10, 1, 1, 1, 1, 0, 14]
    assert {p.name for p in folder.iterdir()} == {"report-2025.yaml", "report-2025.json", "report-2025.csv"}
    # Found by a review as the public: without a byte-order mark, Excel on Chinese Windows shows the CSV garbled.
    assert (folder / "report-2025.csv").read_bytes().startswith("\ufeff部分,行,列,数值".encode("utf-8"))


def test_home_shows_each_organs_report_status(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "已于 2026-01-28 公布" in home and "已于 2026-03-20 公布" in home


def test_the_search_page_loads_the_client_by_an_address_that_changes_with_its_code(example_site):
    """A browser still holding an older client.js would misread a newer index: the address names the code."""
    page = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    version = search.hashing.digest(search.CLIENT.read_bytes())[:12]
    assert f'import {{ runPage }} from "./client.js?v={version}";' in page
    assert (example_site / "search" / "client.js").read_bytes() == search.CLIENT.read_bytes()


def test_a_topic_written_twice_lists_its_item_once(tmp_path):
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    pages = []
    for topics in ("[综合政务/政务公开]", "[综合政务/政务公开, 综合政务/政务公开]"):
        site, _ = make_site(tmp_path / str(len(pages)),
                            files={"items/2026/notice.md": notice.replace("doc_type:", f"topics: {topics}\ndoc_type:")})
        pages.append((site / "topics" / "综合政务-政务公开" / "index.html").read_text(encoding="utf-8"))
    assert pages[1] == pages[0]


def test_home_shows_last_years_reports_and_older_ones_only_while_unpublished(tmp_path):
    """Every year from the first report the catalog holds is asked (check/due.reports_asked): the home page shows last
    year's report of each organ, and an older one only while it is not published; the reports column lists them
    all. Made at 2027-01-15 from the example, which holds 2025's reports (published, but 长春's, removed here)."""
    site, _ = make_site(tmp_path, source=EXAMPLE, today="2027-01-15", remove=["reports/2025/changchun-city.yaml"])
    rows = re.findall(r"<tr[^>]*><td>([^<]*)</td><td>(\d{4}) 年政府信息公开工作年度报告</td><td>[^<]*</td><td>([^<]*)</td>",
                      (site / "index.html").read_text(encoding="utf-8"))
    assert sorted((organ, year) for organ, year, _ in rows if year == "2025") == [("长春市人民政府", "2025")]
    assert [status[:3] for organ, year, status in rows if year == "2025"] == ["已逾期"]
    assert len([row for row in rows if row[1] == "2026"]) == 4
