"""Settings for the rules rules.md marks unconfirmed [U], declared once.

This table drives the validation of ``catalog/gongkai.yaml``'s ``settings:``
section, ``gongkai settings`` and ``docs/settings.md`` (a test keeps that page
in step).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import yaml

from .. import statute
from ..errors import Problem
from .fields import BOOL, INT, TEXT, Field, Record, Schema


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    article: str
    choices: tuple = ()
    bounds: tuple[int, int] | None = None  # a number's range: dates are computed from these


SETTINGS: tuple[Setting, ...] = (
    Setting("rest_day_receipt", "as_is",
            "申请在休息日收到时如何计时：as_is = 收到日即第 0 日（民法典第二百零一条的通常理解）；"
            "next_workday = 视为下一个工作日收到",
            "rules.md §1（条例未明确）", choices=("as_is", "next_workday")),
    Setting("fee_notice_pauses_reply", True,
            "发出收费通知至申请人缴费期间是否暂停答复期限", "国办函〔2020〕109号第六条（未明确）"),
    Setting("fee_electronic_kib_per_page", 0,
            "电子数据按多少 KiB 折算为一页计收按量处理费；0 表示按其打印页数计算", "国办函〔2020〕109号（未明确）",
            bounds=(0, 1_048_576)),
    Setting("validity_years", 5, "行政规范性文件自生效之日起的默认有效期（年）", "各省规定（全国未统一）", bounds=(1, 100)),
    Setting("validity_years_trial", 2, "标题含“暂行”或“试行”的文件的默认有效期（年）", "各省规定（全国未统一）",
            bounds=(1, 100)),
    Setting("validity_warn_months", 6, "文件失效前多少个月开始提醒", "rules.md §6", bounds=(0, 120)),
    Setting("report_due_township", "03-31", "乡（镇）人民政府年度报告的公布期限（MM-DD，次年）", "条例第四十九条（由地方规定）"),
    # 索引号 (rules.md §6): numbering differs between offices; only a declared pattern is enforced.
    Setting("index_pattern", "", "本机关索引号的格式（Python 正则表达式，整体匹配）；不填则只要求唯一、不含空格。"
            "命名组 year 标出年份，与成文日期核对，例如 (?P<prefix>[^/]+)/(?P<year>\\d{4})(\\d{2})?-\\d+",
            "rules.md §6（各地编目规则不一）"),
    Setting("index_example", "", "一个符合 index_pattern 的索引号，出错时作为示例显示", "gongkai 默认"),
    Setting("due_soon_workdays", 5, "“即将到期”提醒提前的工作日数", "gongkai 默认", bounds=(0, 250)),
    # 主题分类 (rules.md §8): an office may keep its own list of top-level topics.
    Setting("topics", statute.POLICY_TOPICS, "主题分类的一级分类表（二级分类不限）；不在表中的一级分类给出警告",
            "国务院政策文件库 22 个一级主题（rules.md §8）"),
    # 职权类型 (rules.md §7): the ten kinds of 中办发〔2015〕21号 unless an office's list has others.
    Setting("power_types", statute.POWER_TYPES,
            "权力清单的职权类型表：清单中写的职权类型须在表中（末尾多一个“类”字也可，如 行政许可类）；"
            "本地清单另有 非行政许可的行政审批、公共服务 等类型时，在表中加上",
            "中办发〔2015〕21号 十类（rules.md §7）"),
    # The thresholds of `gongkai audit`: 国办秘函〔2019〕19号 《政府网站与政务新媒体检查指标》 (rules.md §8).
    Setting("audit_home_days", 14, "首页连续多少天没有新信息即为“首页不更新”",
            "国办秘函〔2019〕19号 单项否决“首页不更新”：2 周", bounds=(1, 3650)),
    Setting("audit_news_days", 14, "动态、要闻类栏目多少天未更新即为不更新",
            "国办秘函〔2019〕19号 单项否决“栏目不更新”：2 周", bounds=(1, 3650)),
    Setting("audit_news_columns", 5, "动态、要闻类栏目不更新达到多少个即单项否决",
            "国办秘函〔2019〕19号 单项否决“栏目不更新”：5 个", bounds=(1, 10_000)),
    Setting("audit_notice_months", 6, "通知公告、政策文件类栏目多少个月未更新即单项否决",
            "国办秘函〔2019〕19号 单项否决“栏目不更新”：6 个月", bounds=(1, 120)),
    Setting("audit_stale_months", 12, "应更新的栏目多少个月未更新算“长期未更新”",
            "国办秘函〔2019〕19号 单项否决“栏目不更新”（“长期”未定义，gongkai 默认 12 个月）", bounds=(1, 120)),
    Setting("audit_stale_columns", 10, "应更新但长期未更新的栏目达到多少个即单项否决",
            "国办秘函〔2019〕19号 单项否决“栏目不更新”：10 个", bounds=(1, 10_000)),
    Setting("audit_blank_columns", 5, "空白栏目达到多少个即单项否决", "国办秘函〔2019〕19号 单项否决“空白栏目”：5 个",
            bounds=(1, 10_000)),
    Setting("audit_unanswered_months", 3, "互动留言（12345 热线工单）多少个月未回应即单项否决",
            "国办秘函〔2019〕19号 单项否决“互动回应差”：3 个月", bounds=(1, 120)),
    Setting("audit_guide_elements", tuple(statute.GUIDE_ELEMENTS), "办事指南（权力清单事项）必须载明的要素",
            "国办秘函〔2019〕19号 单项否决“服务不实用”；要素取自“八公开”（rules.md §7）",
            choices=tuple(statute.GUIDE_ELEMENTS)),
    Setting("audit_guide_types", ("行政许可", "行政确认", "行政给付", "行政裁决"), "哪些职权类型的事项需要办事指南",
            "国办秘函〔2019〕19号 单项否决“服务不实用”（依申请办理的事项；gongkai 默认）；须在 power_types 中"),
    Setting("audit_page_kib", 1024, "一个页面（含样式、脚本和图片）的大小上限（KiB）",
            "国办秘函〔2019〕19号 扣分项“页面可用性”（无具体数值，gongkai 默认）", bounds=(16, 1_048_576)),
    # Public consultation (rules.md §9): minimum periods, counted from the start day as day 0, and the feedback.
    Setting("consultation_days_rule", 30, "规章草案公开征求意见的最短期限（日，自然日）",
            "《规章制定程序条例》（2017）：一般不少于 30 日；吉政发〔2014〕26号《吉林省法治政府建设指标体系》：不少于 15 日", bounds=(0, 365)),
    Setting("consultation_days_decision", 30, "重大行政决策草案公开征求意见的最短期限（日，自然日）",
            "《重大行政决策程序暂行条例》（2019）第十四条：一般不少于 30 日", bounds=(0, 365)),
    Setting("consultation_workdays_normative", 7, "行政规范性文件草案公开征求意见的最短期限（工作日）",
            "国办发〔2018〕37号：一般不少于 7 个工作日", bounds=(0, 250)),
    Setting("consultation_feedback_workdays", 20, "征集截止后多少个工作日内公布意见采纳情况",
            "吉政发〔2014〕26号要求公布采纳情况及理由，未规定期限；gongkai 默认按条例第二十六条的 20 个工作日", bounds=(1, 250)),
    # The 12345 hotline (rules.md §9).
    Setting("hotline_reply_workdays", 5, "12345 热线工单自受理之日起多少个工作日内办结答复",
            "各地规定（2 至 7 个工作日不等），gongkai 默认 5 个工作日", bounds=(1, 250)),
    # 政策解读 (rules.md §9): 三同步, documents and their interpretation published together.
    Setting("interpretation_required", False, "行政规范性文件是否须同步发布政策解读（三同步）：开启后，没有解读或解读发布过晚的文件给出警告",
            "政务公开工作要求（三同步：同步起草、同步审签、同步发布；全国未统一为硬性规定）"),
    Setting("interpretation_workdays", 0, "政策解读最迟可在文件发布后多少个工作日内发布（0 = 与文件同日）",
            "三同步（各地规定不一）", bounds=(0, 250)),
    # 限时办结 and the service targets (rules.md §9; seeds 001 and 004: local policies, so settings).
    Setting("commitment_general_workdays", 7, "限时办结：一般事项（承诺件）的承诺时限上限（工作日）",
            "济政〔2008〕25号：一般事项办结时限原则上不超过 7 个工作日", bounds=(0, 250)),
    Setting("commitment_joint_workdays", 20, "限时办结：多部门联合办理、集中办理事项（联办件）的承诺时限上限（工作日）",
            "济政〔2008〕25号：联合办理、集中办理的不超过 20 个工作日", bounds=(0, 250)),
    Setting("commitment_types", ("行政许可",), "限时办结和服务目标适用的职权类型（行政审批事项）；须在 power_types 中；写 [] 则不检查、不显示",
            "济政〔2008〕25号、吉林市 2011 年政务公开实施意见针对行政审批事项；本地清单有 非行政许可的行政审批 等类型时加上"),
    Setting("target_promise_cut_percent", 50, "服务目标：承诺时限比法定时限压缩的百分比",
            "吉林市 2011 年政务公开实施意见：承诺件审批时限提速 50%", bounds=(0, 100)),
    Setting("target_immediate_percent", 80, "服务目标：即办件占事项的百分比",
            "吉林市 2011 年政务公开实施意见：即办件比例提高到 80%", bounds=(0, 100)),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


# The settings in force: one attribute per declared setting, defaulting to its declared default, and the names of
# those gongkai.yaml states (``stated``): a rule the office has not adopted is counted by its default, but never shown
# to the public as the office's own (a service target, a hotline's time limit).
Settings = dataclasses.make_dataclass(
    "Settings", [(s.name, type(s.default), dataclasses.field(default=s.default)) for s in SETTINGS]
    + [("stated", frozenset, dataclasses.field(default=frozenset()))], frozen=True)


def stated_value(settings, name: str):
    """The setting ``name`` as gongkai.yaml states it; None where the office relies on the default, which the site
    then does not present as the office's own rule (a default is often another place's local policy: rules.md §9)."""
    return getattr(settings, name) if name in settings.stated else None


def index_regex(pattern: str) -> re.Pattern | None:
    """The office's index number pattern (``re`` keeps compiled patterns, so calling this per item costs nothing);
    None when there is none or it does not compile."""
    try:
        return re.compile(pattern) if pattern else None
    except re.error:
        return None


def township_report_due(settings) -> tuple[int, int]:
    month, day = settings.report_due_township.split("-")
    return int(month), int(day)


def _kind(default) -> str:
    if isinstance(default, bool):
        return BOOL
    return INT if isinstance(default, int) else TEXT  # a tuple is a list of texts


def shown(default) -> str:
    """A default as the docs show it: a list as its items, any other value as it is written in gongkai.yaml."""
    if isinstance(default, tuple):
        return "；".join(default)  # topics hold 、 themselves
    return _yaml(default).removesuffix("\n...\n").strip()


def as_written(setting: Setting, value=None) -> str:
    """``name: value`` as staff write it under ``settings:`` in catalog/gongkai.yaml (the default unless ``value``
    is given): YAML, lists one item a line."""
    value = setting.default if value is None else value
    return _yaml({setting.name: list(value) if isinstance(value, tuple) else value}).rstrip("\n")


class _IndentedLists(yaml.SafeDumper):
    """Lists indented under their key ("  - 综合政务"), as the catalog's files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _yaml(value) -> str:
    return yaml.dump(value, Dumper=_IndentedLists, allow_unicode=True, sort_keys=False, width=1_000_000)


SETTINGS_SCHEMA = Schema("settings", "规则设置", "条例未明确、由各地确定的规则（见 docs/settings.md）", tuple(
    Field(s.name, _kind(s.default), s.help, f"默认 {shown(s.default)}；{s.article}", choices=s.choices,
          minimum=s.bounds[0] if s.bounds else None, maximum=s.bounds[1] if s.bounds else None,
          many=isinstance(s.default, tuple))
    for s in SETTINGS
))


def make_settings(record: Record | None) -> tuple[Settings, list[Problem]]:
    """Settings from the checked ``settings:`` mapping; a bad value keeps its default."""
    if record is None:
        return Settings(), []
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in record.values.items()}
    # Each value that passed its type but not its own rule keeps its default, with a problem at its line.
    unusable = [(key, detail, detail_en) for key, ok, detail, detail_en in (
        ("index_pattern", not values.get("index_pattern") or index_regex(values["index_pattern"]) is not None,
         "不是有效的正则表达式", "is not a valid regular expression"),
        ("report_due_township", "report_due_township" not in values or _is_month_day(values["report_due_township"]),
         "应写成 MM-DD，例如 03-31", "must be MM-DD"),
        # The types needing a guide are some of the list's types, whichever list is in force.
        ("audit_guide_types", set(values.get("audit_guide_types", ())) <= set(values.get("power_types",
                                                                                         statute.POWER_TYPES)),
         "中的职权类型须在 power_types 中", "must be types of power_types"),
        ("commitment_types", set(values.get("commitment_types", ())) <= set(values.get("power_types",
                                                                                     statute.POWER_TYPES)),
         "中的职权类型须在 power_types 中", "must be types of power_types"),
    ) if not ok]
    for key, _, _ in unusable:
        values.pop(key)
    problems = [record.at(key).problem("E-SETTING", key=key, detail=detail, detail_en=detail_en)
                for key, detail, detail_en in unusable]
    return Settings(**values, stated=frozenset(values)), problems


def _is_month_day(text: str) -> bool:
    try:
        month, day = (int(p) for p in text.split("-"))
        dt.date(2001, month, day)
    except ValueError:
        return False
    return True
