"""Page metadata and identity of a government website (《政府网站发展指引》, 国办发〔2017〕47号; rules.md §8): the
``<meta>`` tags every page, column page and article page carries, by their exact names, and the footer's 主办单位,
网站标识码 and record numbers.

A tag whose value is unknown is left out: nothing is printed as a fact that the catalog does not say.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import urlsplit

from markupsafe import escape

from ..model.catalog import SiteConfig
from ..model.dates import time_of
from ..rules.website import ICP_LOOKUP, police_lookup
from ..util import strip_control
from .urls import canonical_url, party_mark_url, site_root

# ColumnType: the 指引's vocabulary (partial, rules.md §8 [R]); a column page names one of these.
COLUMN_TYPES = ("首页", "概况信息", "机构职能", "负责人信息", "工作动态", "政策文件", "信息公开指南", "信息公开目录",
                "信息公开年报", "依法申请公开", "数据发布", "数据开放", "政策解读", "回应关切", "办事服务", "咨询投诉",
                "征集调查", "在线访谈")
# Column types whose columns 国办秘函〔2019〕19号 expects to change often (动态、要闻) or at least every few months
# (通知公告、政策文件): `gongkai audit` holds them to those periods.
NEWS_TYPES = ("工作动态",)
NOTICE_TYPES = ("政策文件",)

# The names of the tags, in the order pages carry them.
SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE_TAGS = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Image", "Url")
ARTICLE_REQUIRED = ARTICLE_TAGS[:3]

Tags = tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class Column:
    """A column (栏目) page: one of the site's columns or a listing of one."""

    name: str
    description: str
    keywords: tuple[str, ...]
    type: str  # from COLUMN_TYPES


@dataclasses.dataclass(frozen=True)
class Article:
    """An article (文章) page: one item, power-list entry, fee item or report."""

    title: str
    published: dt.date | dt.datetime | None  # None: published, but the catalog does not say when (no PubDate)
    source: str  # ContentSource: who published it
    keywords: tuple[str, ...] = ()
    author: str = ""
    description: str = ""
    image: str = ""  # site-relative


def page_tags(site: SiteConfig, url: str, column: Column | None = None, article: Article | None = None) -> Tags:
    """The tags of the page at ``url``: the site's on every page, a column's on column pages and on the articles in
    it, an article's on article pages. Empty values are left out."""
    root = site_root(site.url)
    tags = [("SiteName", site.title), ("SiteDomain", urlsplit(site.url).hostname or "" if site.url else ""),
            ("SiteIDCode", site.id_code)]
    if column:
        tags += [("ColumnName", column.name), ("ColumnDescription", column.description),
                 ("ColumnKeywords", ",".join(column.keywords)), ("ColumnType", column.type)]
    if article:
        tags += [("ArticleTitle", article.title), ("PubDate", pub_date(article.published)),
                 ("ContentSource", article.source), ("Keywords", ",".join(article.keywords)),
                 ("Author", article.author), ("Description", article.description),
                 ("Image", canonical_url(root, article.image) or "" if article.image else ""),
                 ("Url", canonical_url(root, url) or "")]
    return tuple((name, " ".join(strip_control(value).split())) for name, value in tags if value and value.strip())


def pub_date(published: dt.date | dt.datetime | None) -> str:
    """PubDate as the 指引 writes it, YYYY-MM-DD HH:MM. A publication recorded as a day is that day at 00:00 (as in
    the feeds); an unknown date is no tag at all."""
    if published is None:
        return ""
    if isinstance(published, dt.datetime):
        return published.strftime("%Y-%m-%d %H:%M")
    moment = time_of(published)  # the time of day, where the catalog gives one (2024-05-27 09:30)
    return f"{published.isoformat()} {moment.strftime('%H:%M') if moment else '00:00'}"


def render_tags(tags: Tags) -> str:
    """The tags as HTML, one a line: the same text whether the theme or a page shell writes them."""
    return "".join(f'<meta name="{name}" content="{escape(value)}">\n' for name, value in tags)


@dataclasses.dataclass(frozen=True)
class Identity:
    """What every page's footer says about the site (rules.md §8), with the public links of its records."""

    organizer: str
    id_code: str
    icp: str
    icp_link: str
    police_record: str
    police_link: str
    mark: str        # site-relative address of the 党政机关标识 image, if the office supplies one
    mark_link: str

    @classmethod
    def of(cls, site: SiteConfig) -> Identity:
        return cls(organizer=site.organizer, id_code=site.id_code,
                   icp=site.icp, icp_link=ICP_LOOKUP if site.icp else "",
                   police_record=site.police_record, police_link=police_lookup(site.police_record) or "",
                   mark=party_mark_url(site.party_mark) if site.party_mark else "", mark_link=site.party_mark_link)


