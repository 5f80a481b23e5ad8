"""Settings for the rules rules.md marks unconfirmed [U], declared once.

This table drives the validation of ``catalog/gongkai.yaml``'s ``settings:``
section, ``gongkai settings`` and ``docs/settings.md`` (a test keeps that page
in step).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..errors import Problem
from .fields import BOOL, INT, TEXT, Field, Record, Schema


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    article: str
    choices: tuple = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("rest_day_receipt", "as_is",
            "申请在休息日收到时如何计时：as_is = 收到日即第 0 日（民法典第二百零一条的通常理解）；"
            "next_workday = 视为下一个工作日收到",
            "rules.md §1（条例未明确）", ("as_is", "next_workday")),
    Setting("fee_notice_pauses_reply", True,
            "发出收费通知至申请人缴费期间是否暂停答复期限", "国办函〔2020〕109号第六条（未明确）"),
    Setting("fee_electronic_kib_per_page", 0,
            "电子数据按多少 KiB 折算为一页计收按量处理费；0 表示按其打印页数计算", "国办函〔2020〕109号（未明确）"),
    Setting("validity_years", 5, "行政规范性文件自生效之日起的默认有效期（年）", "各省规定（全国未统一）"),
    Setting("validity_years_trial", 2, "标题含“暂行”或“试行”的文件的默认有效期（年）", "各省规定（全国未统一）"),
    Setting("validity_warn_months", 6, "文件失效前多少个月开始提醒", "rules.md §6"),
    Setting("report_due_township", "03-31", "乡（镇）人民政府年度报告的公布期限（MM-DD，次年）", "条例第四十九条（由地方规定）"),
    Setting("due_soon_workdays", 5, "“即将到期”提醒提前的工作日数", "gongkai 默认"),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


# The settings in force: one attribute per declared setting, defaulting to its declared default.
Settings = dataclasses.make_dataclass(
    "Settings", [(s.name, type(s.default), dataclasses.field(default=s.default)) for s in SETTINGS], frozen=True)


def township_report_due(settings) -> tuple[int, int]:
    month, day = settings.report_due_township.split("-")
    return int(month), int(day)


def _kind(default) -> str:
    if isinstance(default, bool):
        return BOOL
    return INT if isinstance(default, int) else TEXT


SETTINGS_SCHEMA = Schema("settings", "规则设置", "条例未明确、由各地确定的规则（见 docs/settings.md）", tuple(
    Field(s.name, _kind(s.default), s.help, f"默认 {s.default!r}；{s.article}", choices=s.choices,
          minimum=0 if _kind(s.default) == INT else None)
    for s in SETTINGS
))


def make_settings(record: Record | None) -> tuple[Settings, list[Problem]]:
    """Settings from the checked ``settings:`` mapping; a bad value keeps its default."""
    if record is None:
        return Settings(), []
    values = dict(record.values)
    due = values.get("report_due_township")
    if due is not None and not _is_month_day(due):
        values.pop("report_due_township")
        return Settings(**values), [record.at("report_due_township").problem(
            "E-SETTING", key="report_due_township", detail="应写成 MM-DD，例如 03-31", detail_en="must be MM-DD")]
    return Settings(**values), []


def _is_month_day(text: str) -> bool:
    try:
        month, day = (int(p) for p in text.split("-"))
        dt.date(2001, month, day)
    except ValueError:
        return False
    return True
