"""Page metadata and identity of a government website (《政府网站发展指引》, rules.md §8) on every kind of page."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from conftest import gongkai, make_site

META = re.compile(r'<meta name="([A-Za-z]+)" content="([^"]*)">')
SITE = {"SiteName": "政府信息公开（示例）", "SiteDomain": "xxgk.example.gov.cn", "SiteIDCode": "2200000000"}
COLUMN = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE = ("ArticleTitle", "PubDate", "ContentSource")


def _meta(site, path: str) -> dict[str, str]:
    html = (site / path).read_text(encoding="utf-8")
    return dict(META.findall(html[:html.index("</head>")]))


# (page, kind, ColumnType, facts)
PAGES = [
    ("index.html", "column", "首页", {}),
    ("guide/index.html", "column", "信息公开指南", {}),
    ("system/index.html", "column", "政策文件", {}),
    ("active/index.html", "column", "信息公开目录", {}),
    ("active/20-1/index.html", "column", "政策文件", {"ColumnName": "第二十条第（一）项 行政法规、规章和规范性文件"}),
    ("reports/index.html", "column", "信息公开年报", {}),
    ("apply/index.html", "column", "依法申请公开", {}),
    ("organs/jiyuan-city/index.html", "column", "信息公开目录", {"ColumnName": "济源市人民政府"}),
    ("years/2005/index.html", "column", "信息公开目录", {}),
    ("powers/index.html", "column", "办事服务", {}),
    ("fees/index.html", "column", "信息公开目录", {}),
    ("items/11220000013544357T_2005-00138.html", "article", "政策文件",
     {"ArticleTitle": "吉林省人民政府关于加强服务型政府机关建设的意见", "PubDate": "2005-07-18 00:00",
      "ContentSource": "吉林省人民政府", "Keywords": "意见,服务型政府",
      "Url": "https://xxgk.example.gov.cn/items/11220000013544357T_2005-00138.html"}),
    ("items/11220000013544357T_2026-00012.html", "article", "信息公开年报", {}),  # an annual report
    ("powers/JL-XK-0001/index.html", "article", "办事服务", {"PubDate": "2025-03-14 00:00"}),
    ("fees/JL-SF-0001/index.html", "article", "信息公开目录", {}),
    ("search/index.html", "page", None, {}),
    ("feeds/index.html", "page", None, {}),
    ("contact/index.html", "page", None, {}),
    ("sitemap/index.html", "page", None, {}),
    ("404.html", "page", None, {}),
]


@pytest.mark.parametrize("path, kind, column_type, facts", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_type_carries_the_guideline_metadata(example_site, path, kind, column_type, facts):
    meta = _meta(example_site, path)
    assert {k: meta.get(k) for k in SITE} == SITE
    if kind in ("column", "article"):
        assert all(meta.get(name) for name in COLUMN), meta
        assert meta["ColumnType"] == column_type
    else:
        assert not set(COLUMN) & set(meta)
    if kind == "article":
        assert all(meta.get(name) for name in ARTICLE), meta
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"])
    else:
        assert "ArticleTitle" not in meta
    for name, value in facts.items():
        assert meta[name] == value


def test_every_page_has_the_identity_footer(example_site):
    for path in ("index.html", "items/11220000013544357T_2005-00138.html", "404.html", "contact/index.html"):
        html = (example_site / path).read_text(encoding="utf-8")
        footer = html[html.index('<footer'):]
        assert "Made with" not in footer and "Material for MkDocs" not in footer
        for fact in ("主办单位：吉林省人民政府办公厅（示例）", "网站标识码：2200000000",
                     '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">吉ICP备00000000号</a>',
                     'href="https://beian.mps.gov.cn/#/query/webSearch?code=22010000000000"', ">联系我们</a>",
                     ">网站地图</a>"):
            assert fact in footer, (path, fact)
        assert "党政机关标识" not in footer, "none is bundled: the example supplies none"


def test_404_links_are_site_absolute_not_protocol_relative(example_site):
    html = (example_site / "404.html").read_text(encoding="utf-8")
    assert 'href="//' not in html and 'action="//' not in html
    assert 'href="/feeds/all.xml"' in html and 'href="/contact/"' in html


def test_unknown_values_are_left_out(tmp_path):
    site, _ = make_site(tmp_path)  # the base fixture: no url, no identity
    meta = _meta(site, "items/11220000013544357T_2026-00001.html")
    assert meta["SiteName"] == "测试目录" and "SiteDomain" not in meta and "SiteIDCode" not in meta
    assert "Url" not in meta and "Author" not in meta and "Image" not in meta
    footer = (site / "index.html").read_text(encoding="utf-8").split("<footer")[1]
    assert "网站标识码" not in footer and "ICP" not in footer and "联系我们" in footer


def _png() -> bytes:
    """A 1×1 PNG (the office's 党政机关标识 stands in for it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PNG = _png()


def test_party_mark_is_published_from_the_catalog(tmp_path):
    config = ("site:\n  title: 测试\n  url: https://t.example/\n  party_mark: identity/mark.png\n"
              "  party_mark_link: https://bszs.conac.cn/sitename?method=show&id=1\n")
    catalog = tmp_path / "catalog"
    site, result = make_site(tmp_path, files={"gongkai.yaml": config}, check=False)
    assert result.returncode == 1 and "E-SITE-IDENTITY" in result.stdout  # the image is missing
    (catalog / "identity").mkdir()
    (catalog / "identity" / "mark.png").write_bytes(PNG)
    result = gongkai("build", "--catalog", str(catalog), "--today", "2026-11-23", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "identity" / "party-mark.png").read_bytes() == PNG
    html = (site / "items" / "11220000013544357T_2026-00001.html").read_text(encoding="utf-8")
    assert ('<a class="gk-identity__mark" href="https://bszs.conac.cn/sitename?method=show&amp;id=1" target="_blank" '
            'rel="noopener"><img src="../identity/party-mark.png" alt="党政机关标识"></a>') in html
