"""Staff-written Markdown (builder/site/templating.py): plain paragraphs skip Markdown and give the same HTML."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from pathlib import Path

import markdown
from conftest import random_texts

import builder.site
from benchmarks.generate import generate, sentences_of_example
from builder.build.pipeline import load
from builder.site.pages import build_site
from builder.site.templating import NoRawHtml, Templating, has_markup, heading_id
from builder.site.views import published_views
from builder.util import strip_control

# What government texts hold that only looks like Markdown: bracketed years, plus signs, parentheses.
LINKISH = [*"政府信息公开第二十三（）。", "[", "]", "[2019]", "(", ")", "+", "\n", "\n\n", "\n+", " ", ":", "a", "1"]
# Hyphens and bars within lines (date ranges, telephone numbers, a table typed on one line), and the rows, rules
# and underlines that make them Markdown's at a line's start.
TABLEISH = [*"政府公开年1", "-", "|", ":", " ", "\n", "\n\n", "2021-2025", "0431-8888", "|---|", "---", "-:", "\n-",
            "\n|", "\n:", "\n:--|--:", "\n---\n", "a|b", "\n- "]


def test_plain_paragraphs_skip_markdown_with_the_same_html():
    # Headings start at <h2>: shifted by one when the text has an <h1> (test below), as they are typed otherwise.
    reference = {level: markdown.Markdown(extensions=["tables", "toc", "footnotes", NoRawHtml()],
                                          extension_configs={"toc": {"baselevel": level, "slugify": heading_id}})
                 for level in (1, 2)}
    texts = (random_texts(20000, 5) + sentences_of_example() + random_texts(5000, 6, LINKISH)
             + random_texts(8000, 7, TABLEISH))
    templating = Templating()
    shortcut = 0
    for text in texts:
        reference[1].reset()
        as_typed = reference[1].convert(strip_control(text))
        reference[2].reset()
        expected = reference[2].convert(strip_control(text)) if "<h1" in as_typed else as_typed
        assert str(templating.markdown(text).html) == expected, repr(text)
        shortcut += not has_markup(strip_control(text))
    assert shortcut > 1000, "the shortcut is taken for plain text"
    assert not has_markup("2021-2025年规划 | 电话：0431-88888888"), "a hyphen or a bar within a line is no Markdown"


def test_raw_html_and_inline_code_are_escaped_once():
    html = str(Templating().markdown("用 `<b>` 加粗；<script>alert(1)</script>").html)
    assert "<code>&lt;b&gt;</code>" in html
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "&amp;lt;" not in html


def test_a_body_nested_hundreds_deep_is_shown_as_typed_and_the_next_text_as_markdown():
    templating = Templating()
    deep = "".join("  " * level + f"- 第{level}层\n" for level in range(600)) + "<script>x</script>\n"
    html = str(templating.markdown(deep).html)
    assert "第599层" in html and "&lt;script&gt;" in html and "<script" not in html
    assert str(templating.markdown("# 标题\n\n- 一\n").html) == str(Templating().markdown("# 标题\n\n- 一\n").html)


def test_footnotes_are_footnotes_numbered_by_the_piece_of_the_page_they_are_in():
    templating, text = Templating(), "这里有脚注[^1]。\n\n[^1]: 脚注内容。\n"
    html = str(templating.markdown(text).html)
    assert 'href="#fn:0-1"' in html and 'id="fn:0-1"' in html and "脚注内容。" in html and 'href="脚注内容。"' not in html
    assert 'title="返回正文第 1 处"' in html
    assert 'id="fn:2-1"' in str(templating.markdown(text, piece=2).html), "a second piece of the page: its own ids"
    assert str(templating.markdown(text).html) == html, "the same, however many texts were converted before"


def test_a_link_written_as_the_file_lies_goes_where_the_site_has_it():
    links = {"附件/实施细则.pdf": "%E5%AE%9E.pdf"}
    for written in ("附件/实施细则.pdf", "./附件/实施细则.pdf", "<附件/实施细则.pdf>", "附件/%E5%AE%9E%E6%96%BD%E7%BB%86%E5%88%99.pdf"):
        html = str(Templating().markdown(f"见[《实施细则》]({written})。", links).html)
        assert 'href="%E5%AE%9E.pdf"' in html, (written, html)
    assert 'href="附件/其他.pdf"' in str(Templating().markdown("见[其他](附件/其他.pdf)。", links).html)


def test_headings_follow_the_pages_title_whatever_level_the_text_starts_at():
    """Under the page's <h1>: a text typed with # is shifted to <h2>; one typed with ## (as most documents are)
    was shifted too, and its outline skipped from <h1> to <h3>."""
    templating = Templating()
    levels = [re.findall(r"<(h\d)", str(templating.markdown(text).html))
              for text in ("# 总则\n\n## 第一条\n", "## 总则\n\n### 第一条\n", "正文\n\n## 一、背景\n")]
    assert levels == [["h2", "h3"], ["h2", "h3"], ["h2"]]
    assert re.findall(r"<(h\d)", str(templating.markdown("# 总则\n").html)) == ["h2"], "the shift is per text"


def test_a_text_under_a_section_has_its_headings_below_it():
    """A report's overview typed with ## (its 总则's parts) stood beside the report's own sections; a setext 总则⏎====
    beside ## headings gave the page a second <h1>."""
    templating = Templating()
    levels = [re.findall(r"<(h\d)", str(templating.markdown(text, under=under).html))
              for text, under in (("## （一）主动公开\n\n正文", 2), ("# 一\n\n## 二", 2), ("总则\n====\n\n## 第一条\n", 1))]
    assert levels == [["h3"], ["h3", "h4"], ["h2", "h3"]]


def test_an_image_from_elsewhere_is_a_link_to_it_not_loaded_by_every_reader():
    """Found by a security review: ![](https://tracker.example/pixel.gif) made every reader's browser load it."""
    html = str(Templating().markdown("![示意图](https://tracker.example/p.gif) ![](//cdn.example/a.png) "
                                     "![本地图](tu.png) ![](/images/b.png)").html)
    assert '<a href="https://tracker.example/p.gif">示意图</a>' in html and '<a href="//cdn.example/a.png">图片</a>' in html
    assert '<img alt="本地图" src="tu.png" />' in html and 'src="/images/b.png"' in html
    assert "tracker.example/p.gif\"" not in html.replace('href="https://tracker.example/p.gif"', "")


def test_a_heading_never_takes_an_id_of_the_themes_elements():
    """Found by a security review: a heading “__config” took the id of Material's settings, and its scripts stopped."""
    html = str(Templating().markdown("## __config\n\n正文\n\n## 第一章 总则\n").html)
    assert 'id="h__config"' in html and 'id="__config"' not in html
    assert 'id="第一章-总则"' in html


def test_an_image_of_the_sites_own_address_stays_an_image():
    """A review of the night's change: bodies moved from an old CMS show the site's own images by absolute address."""
    html = str(Templating(site_url="https://xxgk.example.gov.cn/").markdown(
        "![组织机构图](https://xxgk.example.gov.cn/images/org.png) ![](https://other.example/x.png)").html)
    assert '<img alt="组织机构图" src="https://xxgk.example.gov.cn/images/org.png" />' in html
    assert '<a href="https://other.example/x.png">图片</a>' in html


def test_a_kept_listing_row_links_where_a_row_made_for_its_own_page_does(tmp_path):
    """A row is rendered once for every page as deep as the first that shows it (``Templating._row``): on each
    listing page, with the office's row linking the item's organ too, every link leads where the page's own would."""
    overrides = tmp_path / "overrides"
    (overrides / "gongkai").mkdir(parents=True)
    (overrides / "gongkai" / "item-row.html").write_text(
        "{% macro item_row(view, link) -%}<li><a href=\"{{ link(view.url) }}\">{{ view.title }}</a>"
        "<a class=\"organ\" href=\"{{ link('organs/' ~ view.item.organ ~ '/') }}\">机关</a></li>{%- endmacro %}\n",
        encoding="utf-8")
    loaded = load(generate(tmp_path / "catalog", 400), provisional=False)
    today = dt.date(2026, 11, 23)
    site = build_site(loaded.catalog, loaded.calendar, today, published_views(loaded.catalog, today),
                      Templating(overrides))
    listed = [page for page in site.all_pages() if "/page/" in page.url or page.url.startswith(("organs/", "years/"))]
    assert len(listed) > 40
    shown = 0
    for page in listed:
        html = page.render().html
        base = "https://site.example/" + page.url
        items = [urllib.parse.urljoin(base, href) for href in re.findall(r'<li><a href="([^"]+)"', html)]
        organs = [urllib.parse.urljoin(base, href) for href in re.findall(r'class="organ" href="([^"]+)"', html)]
        expected = [view for view in site.items if "https://site.example/" + view.url in items]
        assert items and len(expected) == len(items) == len(organs)
        by_url = {"https://site.example/" + view.url: view for view in expected}
        assert organs == [f"https://site.example/organs/{by_url[url].item.organ}/" for url in items]
        shown += len(items)
    assert shown > len(site.items) * 2  # rows shown again on other pages: the kept ones among them


# An office's copies of listing.html's list and of pagination.html as gongkai shipped them until 2026-12-05: a row
# by a call each, the bar's links made in the template from the page numbers.
_OFFICE_LIST = "{% for view in items %}{{ row(view) }}{% endfor %}"
_OFFICE_PAGINATION = """{% if page_count > 1 %}
<nav class="gk-pagination" aria-label="分页">
  {% if number > 1 %}<a rel="prev" href="{{ link(listing.page_url(number - 1)) }}">上一页</a>{% endif %}
  {% for n in pages %}
  {% if n is none %}<span class="gk-pagination__gap">…</span>{% elif n == number %}<span aria-current="page">{{ n }}</span>{% else %}<a href="{{ link(listing.page_url(n)) }}">{{ n }}</a>{% endif %}
  {% endfor %}
  {% if number < page_count %}<a rel="next" href="{{ link(listing.page_url(number + 1)) }}">下一页</a>{% endif %}
</nav>
{% endif %}
"""


def test_an_offices_copy_of_the_listing_templates_from_before_renders_as_gongkais_own(tmp_path):
    """The listing's rows are one call for the list (``item_rows``) and its pagination bar's links are made in Python
    (``page_links``); an office's copy of the templates from before, which calls ``row(view)`` for each row and makes
    the links from ``pages``, the page numbers, still renders every listing page byte for byte as gongkai's own."""
    ours = (Path(builder.site.__file__).parent / "templates" / "listing.html").read_text(encoding="utf-8")
    assert "item_rows(items)" in ours
    overrides = tmp_path / "overrides"
    (overrides / "gongkai").mkdir(parents=True)
    (overrides / "gongkai" / "listing.html").write_text(ours.replace("{{ item_rows(items) -}}", _OFFICE_LIST),
                                                       encoding="utf-8")
    (overrides / "gongkai" / "pagination.html").write_text(_OFFICE_PAGINATION, encoding="utf-8")
    loaded = load(generate(tmp_path / "catalog", 400), provisional=False)
    today = dt.date(2026, 11, 23)
    views = published_views(loaded.catalog, today)
    sites = [build_site(loaded.catalog, loaded.calendar, today, views, templating)
             for templating in (Templating(), Templating(overrides))]
    listed = [[page for page in site.all_pages() if page.url.startswith(("organs/", "years/", "topics/", "active/"))]
              for site in sites]
    assert len(listed[0]) > 40 and sum("/page/" in page.url for page in listed[0]) > 10
    for own, office in zip(*listed):
        assert own.url == office.url
        assert own.render().html == office.render().html, own.url


def test_templates_see_every_global_from_a_plain_dictionary():
    """Each template's globals are a dictionary of the environment's (Jinja's ChainMap over them made every page's
    contexts ~4x slower to build), holding every global: the statutory clocks a page quotes among them."""
    templating = Templating()
    template = templating.env.get_template("item.html")
    assert type(template.globals) is dict
    assert {"clocks", "fee_standard", "fee_item_standard", "range"} <= template.globals.keys()
    source = templating.env.from_string("{{ clocks | length }}")
    assert source.render() == str(len(templating.env.globals["clocks"]))
