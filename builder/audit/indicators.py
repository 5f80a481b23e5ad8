"""The indicators `gongkai audit` checks: the 19号 items a generator can see (rules.md §8), each with its clause,
whether failing it fails the whole site (单项否决) or costs points (扣分), and the settings that hold its thresholds.

The numbers themselves live in the settings (model/settings.py), each with its clause, so that an office can
follow a stricter provincial rule; their defaults are the 19号 values.
"""

from __future__ import annotations

import dataclasses

INSPECTION = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
GUIDELINE = "国办发〔2017〕47号《政府网站发展指引》"


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    name: str         # as inspectors name it
    clause: str       # where it is set
    veto: bool        # 单项否决: failing it fails the site; otherwise a scored (扣分) item
    threshold: str    # what passes, with {setting} placeholders filled from the settings in force
    settings: tuple[str, ...] = ()
    source: str = "catalog"  # what it reads: the catalog, the built site, or both


INDICATORS: tuple[Indicator, ...] = (
    Indicator("home", "首页不更新", f"{INSPECTION} 单项否决指标“站点无法访问、首页不更新”", True,
              "首页 {audit_home_days} 天内应有新发布的信息（没有日期的信息不算更新）", ("audit_home_days",)),
    Indicator("news", "栏目不更新：动态、要闻类", f"{INSPECTION} 单项否决指标“栏目不更新”第 1 项", True,
              "{audit_news_days} 天未更新的动态、要闻类栏目少于 {audit_news_columns} 个",
              ("audit_news_days", "audit_news_columns")),
    Indicator("notice", "栏目不更新：通知公告、政策文件类", f"{INSPECTION} 单项否决指标“栏目不更新”第 2 项", True,
              "通知公告、政策文件类栏目 {audit_notice_months} 个月内均有更新", ("audit_notice_months",)),
    Indicator("stale", "栏目不更新：应更新但长期未更新", f"{INSPECTION} 单项否决指标“栏目不更新”第 3 项", True,
              "{audit_stale_months} 个月未更新的栏目少于 {audit_stale_columns} 个",
              ("audit_stale_months", "audit_stale_columns")),
    Indicator("blank", "空白栏目", f"{INSPECTION} 单项否决指标“空白栏目”", True,
              "没有内容的栏目少于 {audit_blank_columns} 个", ("audit_blank_columns",)),
    # Not a veto of its own: 首页不更新 says undated information does not count as an update (``home`` counts it so),
    # and the 2005 speech whose day nobody recorded failed the whole site. A page without PubDate is the 指引's.
    Indicator("undated", "信息没有发布日期", f"{GUIDELINE} 页面元数据规范（PubDate）；{INSPECTION} 单项否决指标"
              "“首页不更新”不把无日期的信息计为更新", False,
              "每条信息载明发布日期，每个信息页面带有 PubDate 元数据", source="both"),
    Indicator("interaction", "互动回应差", f"{INSPECTION} 单项否决指标“互动回应差”", True,
              "一年内没有超过 {audit_unanswered_months} 个月未回应的留言", ("audit_unanswered_months",)),
    Indicator("guides", "服务不实用：办事指南要素缺失", f"{INSPECTION} 单项否决指标“服务不实用”", True,
              "{audit_guide_types} 类事项载明：{audit_guide_elements}", ("audit_guide_types", "audit_guide_elements")),
    Indicator("links", "链接不可用", f"{INSPECTION} 扣分指标“链接可用性”", False,
              "站内链接和页内锚点全部可以打开", source="site"),
    Indicator("attachments", "附件缺失", f"{INSPECTION} 扣分指标“链接可用性”（附件无法下载）", False,
              "页面链接的附件文件全部存在", source="site"),
    Indicator("weight", "页面过大", f"{INSPECTION} 扣分指标“页面可用性”", False,
              "每个页面连同其样式、脚本和图片不超过 {audit_page_kib} KiB", ("audit_page_kib",), source="site"),
    Indicator("identity", "网站标识和页面元数据", f"{GUIDELINE} 网站标识、页面元数据规范", False,
              "页脚载明主办单位、网站标识码、ICP备案编号、公安机关备案号、党政机关标识；每个页面带有规定的元数据",
              source="both"),
)

INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}


def threshold_text(indicator: Indicator, settings) -> str:
    """The indicator's threshold as the settings in force make it."""
    values = {name: _shown(getattr(settings, name)) for name in indicator.settings}
    return indicator.threshold.format(**values)


def _shown(value) -> str:
    return "、".join(value) if isinstance(value, tuple) else str(value)
