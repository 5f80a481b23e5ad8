"""Running the audit: each indicator of ``indicators`` checked on the catalog (for one day) and on the built site,
as findings that say in Chinese what was found, whether it passes, and where to fix it.

A 单项否决 item that fails fails the site: `gongkai audit` exits 1. A site check with no built site to read, and
the interaction check before the catalog has messages, are "未检查", neither passed nor failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
from pathlib import Path

from ..model.catalog import Catalog
from ..rules.hotline import unanswered
from ..rules.workdays import WorkCalendar
from ..site.pages import build_site
from ..site.participation import Participation, participation
from ..site.templating import Templating
from ..site.urls import item_url, site_root
from ..site.views import Site, published_views
from . import freshness, guides
from .indicators import (
    INDICATOR_BY_KEY,
    INDICATORS,
    INSPECTION,
    Indicator,
    threshold_text,
)
from .linkcheck import SiteScan, scan_site

SHOWN = 10  # places listed per finding; the JSON output lists them all


class Status(enum.Enum):
    PASS = "通过"
    FAIL = "未通过"
    NOT_CHECKED = "未检查"


@dataclasses.dataclass(frozen=True)
class Finding:
    indicator: Indicator
    threshold: str
    status: Status
    finding: str                 # what was found
    fix: str = ""                # what to do
    where: tuple[str, ...] = ()  # path:line in the catalog, or a page of the site

    def as_json(self) -> dict:
        return {"indicator": self.indicator.key, "name": self.indicator.name, "clause": self.indicator.clause,
                "veto": self.indicator.veto, "threshold": self.threshold, "status": self.status.name.lower(),
                "status_text": self.status.value, "finding": self.finding, "fix": self.fix, "where": list(self.where)}


@dataclasses.dataclass(frozen=True)
class AuditReport:
    today: dt.date
    site_dir: str | None  # the built site read, if there was one
    findings: tuple[Finding, ...]

    @property
    def vetoed(self) -> list[Finding]:
        """The 单项否决 items that failed: any one fails the site."""
        return [f for f in self.findings if f.indicator.veto and f.status is Status.FAIL]

    @property
    def passed(self) -> bool:
        return not self.vetoed

    def summary(self) -> str:
        """One line, as `gongkai build` prints it."""
        veto = [f for f in self.findings if f.indicator.veto and f.status is not Status.NOT_CHECKED]
        scored = [f for f in self.findings if not f.indicator.veto and f.status is not Status.NOT_CHECKED]
        failed = [f for f in scored if f.status is Status.FAIL]
        head = (f"单项否决 {len(veto)} 项全部通过" if not self.vetoed
                else f"单项否决 {len(self.vetoed)} 项未通过（{'、'.join(f.indicator.name for f in self.vetoed)}）")
        tail = (f"扣分项 {len(scored)} 项全部通过" if not failed
                else f"扣分项 {len(failed)} 项有问题（{'、'.join(f.indicator.name for f in failed)}）")
        return (f"政府网站检查：{head}；{tail}；详见 gongkai audit "
                f"(audit: {len(self.vetoed)} veto items failed, {len(failed)} scored items with problems)")

    def as_json(self) -> dict:
        return {"today": self.today.isoformat(), "site_dir": self.site_dir, "passed": self.passed,
                "findings": [f.as_json() for f in self.findings]}

    def text(self) -> str:
        lines = [f"政府网站检查（{self.today.isoformat()}）：{INSPECTION}中可由网站生成工具检查的指标",
                 f"网站：{self.site_dir or '未读取已生成的网站（站点检查未进行）'}", ""]
        for finding in self.findings:
            kind = "单项否决" if finding.indicator.veto else "扣分项"
            lines.append(f"【{kind}】{finding.indicator.name}：{finding.status.value}")
            lines.append(f"  依据：{finding.indicator.clause}")
            lines.append(f"  标准：{finding.threshold}")
            lines.append(f"  结果：{finding.finding}")
            for where in finding.where[:SHOWN]:
                lines.append(f"    {where}")
            if len(finding.where) > SHOWN:
                lines.append(f"    ……另有 {len(finding.where) - SHOWN} 处（--format json 列出全部）")
            if finding.fix and finding.status is Status.FAIL:
                lines.append(f"  修改：{finding.fix}")
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"


def run_audit(catalog: Catalog, calendar: WorkCalendar, today: dt.date, site_dir: Path | None,
              site: Site | None = None) -> AuditReport:
    """Every indicator on ``catalog`` as published on ``today``, and on the site built into ``site_dir`` (when
    given and built): the checks that need the site are 未检查 without it. ``site``: the build's own, when a build
    asks (made here otherwise)."""
    site = site or build_site(catalog, calendar, today, published_views(catalog, today),
                              Templating(site_url=catalog.site.url or None))
    scan = None
    if site_dir is not None and (Path(site_dir) / "index.html").is_file():
        scan = scan_site(Path(site_dir), site_root(catalog.site.url))
    context = _Context(catalog, site, today, scan)
    findings = tuple(_CHECKS[indicator.key](context, indicator) for indicator in INDICATORS)
    return AuditReport(today, str(site_dir) if scan else None, findings)


@dataclasses.dataclass
class _Context:
    catalog: Catalog
    site: Site
    today: dt.date
    scan: SiteScan | None
    _by_url: dict | None = None

    @property
    def settings(self):
        return self.catalog.settings

    @functools.cached_property
    def columns(self) -> list[freshness.ColumnState]:
        """The site's columns and when each last changed: four indicators look at them, worked out once."""
        return freshness.site_columns(self.site, self.participation)

    @functools.cached_property
    def participation(self) -> Participation:
        """The consultations and hotline months, as the site shows them: the columns and the home page ask."""
        return participation(self.site)

    def finding(self, indicator: Indicator, passed: bool | None, text: str, fix: str = "",
                where: tuple[str, ...] = ()) -> Finding:
        status = Status.NOT_CHECKED if passed is None else Status.PASS if passed else Status.FAIL
        return Finding(indicator, threshold_text(indicator, self.settings), status, text, fix, where)

    def not_built(self, indicator: Indicator) -> Finding:
        return self.finding(indicator, None, "没有读取已生成的网站：先运行 gongkai build，再用 --site-dir 指向网站目录")

    def item_location(self, page: str, target: str) -> str:
        """A page and, for an item's page, the item file and the line that holds ``target``."""
        item = self._items_by_url.get(page)
        if item is None:
            return page or "首页"
        line = next((n for n, text in enumerate(Path(item.path).read_text(encoding="utf-8").splitlines(), start=1)
                     if target in text), item.record.where.line)
        return f"{page}（{item.record.where.path}:{line}）"

    @property
    def _items_by_url(self) -> dict:
        if self._by_url is None:
            self._by_url = {item_url(view.item): view.item for view in self.site.items if view.item.body_line}
        return self._by_url


# ------------------------------------------------------------ the checks, one per indicator


def _home(c: _Context, indicator: Indicator) -> Finding:
    newest = freshness.home_newest(c.site, c.participation)
    since = freshness.days_before(c.today, c.settings.audit_home_days)
    if newest is None:
        return c.finding(indicator, False, "首页没有任何信息", "在 catalog/items/ 中发布信息")
    day, title, where = newest
    text = f"首页最新信息“{title}”发布于 {day.isoformat()}（{(c.today - day).days} 天前）"
    return c.finding(indicator, day >= since, text, "发布新的政府信息（catalog/items/，写明 published 日期）",
                     (where,))


def _news(c: _Context, indicator: Indicator) -> Finding:
    columns = freshness.news_columns(c.columns)
    since = freshness.days_before(c.today, c.settings.audit_news_days)
    stale = [col for col in columns if col.stale(since)]
    text = (f"{len(columns)} 个动态、要闻类栏目，其中 {len(stale)} 个 {c.settings.audit_news_days} 天未更新"
            if columns else "网站没有动态、要闻类栏目")
    return c.finding(indicator, len(stale) < c.settings.audit_news_columns, text, "更新下列栏目",
                     tuple(_column_where(col) for col in stale))


def _notice(c: _Context, indicator: Indicator) -> Finding:
    columns = freshness.notice_columns(c.columns)
    since = freshness.months_before(c.today, c.settings.audit_notice_months)
    stale = [col for col in columns if col.stale(since)]
    text = (f"{len(columns)} 个通知公告、政策文件类栏目，其中 {len(stale)} 个 {c.settings.audit_notice_months} 个月未更新"
            f"（自 {since.isoformat()} 起）" if columns else "网站没有通知公告、政策文件类栏目")
    return c.finding(indicator, not stale, text, "在下列栏目发布新的文件", tuple(_column_where(col) for col in stale))


def _stale(c: _Context, indicator: Indicator) -> Finding:
    columns = [col for col in c.columns if col.entries]
    since = freshness.months_before(c.today, c.settings.audit_stale_months)
    stale = [col for col in columns if col.stale(since)]
    text = f"{len(columns)} 个有内容的栏目，其中 {len(stale)} 个自 {since.isoformat()} 起未更新"
    return c.finding(indicator, len(stale) < c.settings.audit_stale_columns, text, "更新下列栏目，或不再设置不更新的栏目",
                     tuple(_column_where(col) for col in stale))


def _blank(c: _Context, indicator: Indicator) -> Finding:
    blank = [col for col in c.columns if not col.entries]
    text = f"{len(blank)} 个栏目没有内容" + (f"：{'、'.join(col.name for col in blank)}" if blank else "")
    return c.finding(indicator, len(blank) < c.settings.audit_blank_columns, text, "为下列栏目发布内容，或撤下空白栏目",
                     tuple(_column_where(col) for col in blank))


def _undated(c: _Context, indicator: Indicator) -> Finding:
    items = [f"{v.item.record.at('published')!r} {v.title}" for v in freshness.undated(c.site)]
    pages = c.scan.undated if c.scan else []
    text = f"{len(items)} 条信息没有发布日期" if items else "目录中的信息都有发布日期"
    text += (f"；{len(pages)} 个信息页面没有 PubDate" if pages else "；网站的信息页面都载明发布日期") if c.scan \
        else "（未读取已生成的网站）"
    return c.finding(indicator, not items and not pages, text,
                     "为这些信息写明发布日期（published）；改过页面模板的，保留 PubDate 元数据", (*items, *pages))


def _interaction(c: _Context, indicator: Indicator) -> Finding:
    found = unanswered_messages(c.catalog, c.today, c.settings.audit_unanswered_months)
    if found is None:
        return c.finding(indicator, None, "目录中还没有互动留言（catalog/hotline/ 中没有 12345 热线工单）")
    text = f"{len(found)} 条留言超过 {c.settings.audit_unanswered_months} 个月未回应"
    return c.finding(indicator, not found, text, "回应下列留言", tuple(found))


def unanswered_messages(catalog: Catalog, today: dt.date, months: int) -> list[str] | None:
    """Where each message left in the past year went unanswered for more than ``months`` months (rules.md §9): the
    12345 hotline cases (catalog/hotline/). None when the catalog has no cases: there is nothing to check."""
    if not catalog.hotline:
        return None
    return [f"{case.record.at('received')!r} 工单 {case.id}（{case.received} 受理）："
            + (f"{case.replied} 才办结" if case.replied and case.replied <= today else "至今未办结")
            for case in unanswered(catalog.hotline, today, months)]


def _guides(c: _Context, indicator: Indicator) -> Finding:
    found = guides.missing_elements(c.site.powers, c.settings.audit_guide_types, c.settings.audit_guide_elements,
                                    c.today)
    checked = guides.guided(c.site.powers, c.settings.audit_guide_types, c.today)
    text = (f"{len(checked)} 项办事事项中 {len(found)} 项缺少要素" if found
            else f"{len(checked)} 项办事事项都载明了规定的要素")
    where = tuple(f"{m.where} {m.power.id} {m.power.name}：缺少{'、'.join(m.missing)}" for m in found)
    return c.finding(indicator, not found, text, "在权力清单（catalog/powers/）中补齐所缺要素（字段见 docs/catalog.md）",
                     where)


def _links(c: _Context, indicator: Indicator) -> Finding:
    if c.scan is None:
        return c.not_built(indicator)
    broken = [b for b in c.scan.broken if not b.is_file]
    text = (f"{c.scan.pages} 个页面中有 {len(broken)} 个链接打不开" if broken
            else f"{c.scan.pages} 个页面的站内链接和锚点都能打开")
    where = tuple(f"{c.item_location(b.page, b.target)} → {b.target}{'（页面中没有该锚点）' if b.anchor else ''}"
                  for b in broken)
    return c.finding(indicator, not broken, text, "修正或删除这些链接", where)


def _attachments(c: _Context, indicator: Indicator) -> Finding:
    if c.scan is None:
        return c.not_built(indicator)
    missing = [b for b in c.scan.broken if b.is_file]
    text = f"{len(missing)} 个链接指向的文件不存在" if missing else "页面链接的文件都存在"
    where = tuple(f"{c.item_location(b.page, b.target)} → {b.target}" for b in missing)
    return c.finding(indicator, not missing, text, "把文件作为附件（attachments）放进目录，或修正链接", where)


def _weight(c: _Context, indicator: Indicator) -> Finding:
    if c.scan is None:
        return c.not_built(indicator)
    budget = c.settings.audit_page_kib * 1024
    heavy = [w for w in c.scan.weights if w.bytes > budget]
    heaviest = c.scan.weights[0] if c.scan.weights else None
    text = (f"{len(heavy)} 个页面超过 {c.settings.audit_page_kib} KiB" if heavy
            else f"最大的页面 {heaviest.page or '首页'} 为 {heaviest.bytes // 1024} KiB" if heaviest else "没有页面")
    where = tuple(f"{w.page or '首页'}：{w.bytes // 1024} KiB" for w in heavy)
    return c.finding(indicator, not heavy, text, "压缩或拆分页面中的图片和附件，长文件作为附件下载", where)


def _identity(c: _Context, indicator: Indicator) -> Finding:
    site = c.catalog.site
    where = site.record.where.path if site.record else "catalog/gongkai.yaml"
    labels = (("organizer", "主办单位"), ("id_code", "网站标识码"), ("icp", "ICP备案编号"),
              ("police_record", "公安机关备案号"), ("party_mark", "党政机关标识"), ("url", "网站地址（SiteDomain）"))
    missing = [f"{where}: site: 缺少 {key}（{label}）" for key, label in labels if not getattr(site, key)]
    if c.scan is not None:  # PubDate is the undated indicator's (its fix is the item's date, not gongkai.yaml)
        missing += [f"{len(pages)} 个页面缺少 <meta name=\"{name}\">，例如 {pages[0] or '首页'}"
                    for name, pages in sorted(c.scan.missing_meta.items()) if name != "PubDate"]
    text = "网站标识和页面元数据齐全" if not missing else f"{len(missing)} 处缺失"
    if c.scan is None:
        text += "（未读取已生成的网站，只检查了 gongkai.yaml）"
    return c.finding(indicator, not missing, text, "在 catalog/gongkai.yaml 的 site: 中填写缺少的项（见 docs/catalog.md）；"
                     "页面缺少的元数据由页面模板写入，改过模板（overrides/）的请恢复", tuple(missing))


def _column_where(column: freshness.ColumnState) -> str:
    newest = f"最近更新 {column.newest.isoformat()}" if column.newest else "没有内容"
    return f"{column.name}（{column.url}，{newest}）：{column.fix}"


_CHECKS = {"home": _home, "news": _news, "notice": _notice, "stale": _stale, "blank": _blank, "undated": _undated,
           "interaction": _interaction, "guides": _guides, "links": _links, "attachments": _attachments,
           "weight": _weight, "identity": _identity}
assert set(_CHECKS) == set(INDICATOR_BY_KEY), "every indicator has its check"
