"""The catalog of a disclosure office: its files on disk, as typed objects.

Layout of a catalog directory (documented in docs/catalog.md)::

    gongkai.yaml          site title, address and [U] settings
    holidays.yaml         holidays and make-up workdays for years chinesecalendar lacks
    organs/<id>.yaml      one organ each; the file name is the organ's id
    items/**/*.md         one disclosed item each: YAML front matter, then the Markdown body
    requests/*.yaml       the request log (依申请公开), lists of requests
    powers/*.yaml         the power list (权力清单), lists of entries
    fees/*.yaml           fee items (行政事业性收费), lists of entries

Loading them is ``load``; this module declares what each file holds.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
from pathlib import Path

from .. import statute
from .fields import DATE, INT, NUMBER, TEXT, Field, Record, Schema
from .holidays import YearArrangement
from .settings import SETTINGS_SCHEMA, Settings
from .source import read_body

# ---------------------------------------------------------------- schemas

_REMOVAL = Schema("removal", "取消记录", "事项取消的日期和依据", (
    Field("date", DATE, "取消日期", required=True),
    Field("basis", TEXT, "取消依据", "取消所依据的文件文号或决定", required=True),
))

ORGAN = Schema("organ", "机关", "一个政府信息公开主体（organs/<编号>.yaml，文件名即机关编号）", (
    Field("name", TEXT, "机关名称", required=True),
    Field("kind", TEXT, "机关类型", "government = 人民政府；department = 政府部门；township = 乡（镇）人民政府",
          required=True, choices=tuple(k.value for k in statute.OrganKind)),
    Field("credit_code", TEXT, "统一社会信用代码", "18 位，GB 32100-2015"),
    Field("office", TEXT, "政府信息公开工作机构", "例如：吉林省人民政府办公厅政务公开协调办"),
    Field("address", TEXT, "办公地址"),
    Field("postcode", TEXT, "邮政编码"),
    Field("hours", TEXT, "办公时间"),
    Field("phone", TEXT, "联系电话"),
    Field("fax", TEXT, "传真号码"),
    Field("web", TEXT, "互联网联系方式", "网上申请地址或电子邮箱"),
    Field("guide", TEXT, "政府信息公开指南补充说明", "Markdown；指南的其余部分由机关信息自动生成"),
))

_ATTACHMENT = Schema("attachment", "附件", "随公开事项发布的文件", (
    Field("file", TEXT, "文件路径", "相对于公开事项文件所在目录，不能指向 catalog/ 之外", required=True),
    Field("title", TEXT, "附件名称"),
))
_CHANGE = Schema("change", "变更记录", "公开事项的一次变更", (
    Field("changed", DATE, "变更日期", "信息变更之日，20 个工作日公开时限从此起算", required=True),
    Field("published", DATE, "变更公开日期"),
    Field("note", TEXT, "变更说明", required=True),
))
_REPEAL = Schema("repeal", "废止", "文件被废止的日期和文号", (
    Field("date", DATE, "废止日期", required=True),
    Field("by", TEXT, "废止文件文号", "废止本文件的文件文号", required=True),
))
_PUBLISH_WITHIN = Schema("publish_within", "另行规定的公开时限", "法律法规对公开期限另有规定时使用", (
    Field("days", INT, "工作日数", required=True, minimum=1),
    Field("basis", TEXT, "依据", "规定该期限的法律法规条款"),
))
_WITHDRAWAL = Schema("withdrawal", "处罚决定撤下", "已公开的行政处罚决定被变更、撤销或确认违法后撤下（行政处罚法第四十八条）", (
    Field("changed", DATE, "决定变更或撤销日期", required=True),
    Field("withdrawn", DATE, "撤下并公开原因的日期"),
    Field("reason", TEXT, "原因"),
))

ITEM = Schema("item", "公开事项", "政府信息公开目录中的一条信息（items/ 下的 .md 文件头信息）", (
    Field("index_no", TEXT, "索引号", "前缀/年份-序号，例如 11220000013544357T/2005-00138", required=True),
    Field("title", TEXT, "标题", required=True),
    Field("organ", TEXT, "所属机关编号", "organs/ 下的文件名（不含 .yaml）", required=True),
    Field("publisher", TEXT, "发布机构", "默认为所属机关名称；联合发文时可写多个机关"),
    Field("doc_no", TEXT, "文号", "发文字号，例如 吉政发〔2005〕20号"),
    Field("written", DATE, "成文日期", required=True),
    Field("published", DATE, "发布日期", "不填表示尚未公开（草稿），会出现在待办中"),
    Field("formed", DATE, "形成日期", "信息形成之日，默认等于成文日期；20 个工作日公开时限从此起算"),
    Field("category", TEXT, "公开类别", "条例第二十条（20-1 至 20-15）、第二十一条（21-市政建设 等）或 年报",
          required=True, choices=tuple(statute.CATEGORIES)),
    Field("doc_type", TEXT, "文件类型", "规章、行政规范性文件或其他文件（年报统计用）", choices=statute.DOC_TYPES),
    Field("topics", TEXT, "主题分类", "例如 综合政务/政务公开", many=True),
    Field("keywords", TEXT, "主题词", many=True),
    Field("summary", TEXT, "内容概述"),
    Field("effective", DATE, "生效日期", "默认等于发布日期"),
    Field("expires", DATE, "有效期至", "明确规定的有效期截止日；优先于默认有效期"),
    Field("repealed", _REPEAL, "废止"),
    Field("attachments", _ATTACHMENT, "附件", many=True),
    Field("changes", _CHANGE, "变更记录", many=True),
    Field("publish_within", _PUBLISH_WITHIN, "另行规定的公开时限"),
    Field("withdrawal", _WITHDRAWAL, "处罚决定撤下"),
    Field("annual_report", INT, "年度报告年份", "本事项是某一年度的政府信息公开工作年度报告时填写", minimum=2008),
))

_CORRECTION = Schema("correction", "补正", "条例第三十条：一次性告知补正", (
    Field("notified", DATE, "补正告知日期", required=True),
    Field("received", DATE, "收到补正日期", "收到补正后的申请之日，答复期限从此重新起算"),
))
_EXTENSION = Schema("extension", "延期", "条例第三十三条：延长答复期限须经机构负责人同意并告知申请人", (
    Field("approved", DATE, "负责人同意日期"),
    Field("notified", DATE, "告知申请人日期"),
))
_PAUSE = Schema("pause", "暂停计时", "征求第三方或其他机关意见的时间不计入答复期限（条例第三十三条）", (
    Field("kind", TEXT, "类型", required=True, choices=("第三方", "其他机关")),
    Field("start", DATE, "发出征求意见日期", required=True),
    Field("end", DATE, "收到意见或期满日期"),
))
_REQUEST_FEE = Schema("request_fee", "信息处理费", "国办函〔2020〕109号：按件或按量计收，二者不能同时使用", (
    Field("notified", DATE, "收费通知日期", required=True),
    Field("paid", DATE, "缴费日期"),
    Field("nth_in_month", INT, "按件：本月同一申请人的第几件申请", minimum=1),
    Field("pages", INT, "按量：页数", minimum=1),
    Field("amount", NUMBER, "金额（元）", required=True),
))

REQUEST = Schema("request", "政府信息公开申请", "依申请公开登记（requests/*.yaml 中的一条）", (
    Field("id", TEXT, "申请编号", "在整个目录中唯一", required=True),
    Field("organ", TEXT, "受理机关编号", required=True),
    Field("received", DATE, "收到申请日期", "条例第三十一条：当面提交为当日；邮寄为签收日；网上或传真为双方确认日",
          required=True),
    Field("channel", TEXT, "申请渠道", required=True, choices=statute.CHANNELS),
    Field("applicant_type", TEXT, "申请人类型", "年报的六个申请人栏目", required=True, choices=statute.APPLICANT_TYPES),
    Field("subject", TEXT, "申请内容摘要", "不要写申请人姓名等个人信息"),
    Field("correction", _CORRECTION, "补正"),
    Field("extension", _EXTENSION, "延期"),
    Field("pauses", _PAUSE, "暂停计时", many=True),
    Field("fee", _REQUEST_FEE, "信息处理费"),
    Field("replied", DATE, "答复日期", "直接送达为签收日；邮寄为交邮日"),
    Field("outcome", TEXT, "办理结果", "对应年报第三部分的行次", choices=tuple(statute.OUTCOME_ROWS)),
))

POWER = Schema("power", "权力事项", "权力清单中的一项（powers/*.yaml 中的一条）", (
    Field("id", TEXT, "事项编码", required=True),
    Field("name", TEXT, "事项名称", required=True),
    Field("type", TEXT, "职权类型", required=True, choices=statute.POWER_TYPES),
    Field("organ", TEXT, "实施主体（机关编号）", required=True),
    Field("handled_by", TEXT, "承办机构"),
    Field("basis", TEXT, "设定依据", "法律法规名称及条款，可写多条", required=True, many=True),
    Field("legal_limit", INT, "法定时限（工作日）", minimum=1),
    Field("promised_limit", INT, "承诺时限（工作日）", minimum=1),
    Field("fees", TEXT, "收费项目编号", "fees/ 中的收费项目编号；不收费写 []", many=True),
    Field("process", TEXT, "办理流程"),
    Field("responsibility", TEXT, "责任事项"),
    Field("phone", TEXT, "监督电话"),
    Field("decided", DATE, "确定或最近变更日期", required=True),
    Field("published", DATE, "公开日期"),
    Field("removed", _REMOVAL, "取消"),
))

_FEE_SUB_ITEM = Schema("fee_sub_item", "收费子项", "", (
    Field("name", TEXT, "子项名称", required=True),
    Field("standard", TEXT, "收费标准", required=True),
    Field("unit", TEXT, "计费单位"),
))
FEE = Schema("fee", "收费项目", "行政事业性收费目录中的一项（fees/*.yaml 中的一条）", (
    Field("id", TEXT, "项目编号", required=True),
    Field("name", TEXT, "项目名称", required=True),
    Field("organ", TEXT, "收费机关编号", required=True),
    Field("fund_management", TEXT, "资金管理方式", required=True, choices=statute.FUND_MANAGEMENT),
    Field("basis", TEXT, "政策依据", "文件文号，可写多条", required=True, many=True),
    Field("standard", TEXT, "收费标准"),
    Field("unit", TEXT, "计费单位"),
    Field("sub_items", _FEE_SUB_ITEM, "收费子项", many=True),
    Field("payer", TEXT, "收费对象"),
    Field("note", TEXT, "备注"),
    Field("phone", TEXT, "监督电话"),
    Field("decided", DATE, "确定或最近变更日期", required=True),
    Field("published", DATE, "公开日期"),
    Field("removed", _REMOVAL, "取消"),
))

_REVIEW_CELLS = Schema("review_cells", "复议或诉讼结果", "年度报告第四部分的一组数（总计由 gongkai 计算）", (
    Field("upheld", INT, "结果维持", required=True, minimum=0),
    Field("corrected", INT, "结果纠正", required=True, minimum=0),
    Field("other", INT, "其他结果", required=True, minimum=0),
    Field("pending", INT, "尚未审结", required=True, minimum=0),
))
REPORT_SOURCE = Schema("report", "年度报告", "reports/<年份>/<机关编号>.yaml：目录无法得出的统计数和报告的文字部分", (
    Field("index_no", TEXT, "索引号", "报告作为公开事项的索引号", required=True),
    Field("written", DATE, "成文日期", "默认等于发布日期"),
    Field("published", DATE, "发布日期", "不填表示尚未公布"),
    Field("licences", INT, "行政许可本年处理决定数量", required=True, minimum=0),
    Field("penalties", INT, "行政处罚本年处理决定数量", required=True, minimum=0),
    Field("enforcement", INT, "行政强制本年处理决定数量", required=True, minimum=0),
    Field("fee_income", NUMBER, "行政事业性收费本年收费金额（万元）", required=True, minimum=0),
    Field("review", _REVIEW_CELLS, "行政复议", required=True),
    Field("litigation_direct", _REVIEW_CELLS, "行政诉讼（未经复议直接起诉）", required=True),
    Field("litigation_after_review", _REVIEW_CELLS, "行政诉讼（复议后起诉）", required=True),
    Field("overview", TEXT, "一、总体情况", "Markdown；gongkai 会在前面写入全年的统计数字"),
    Field("problems", TEXT, "五、存在的主要问题及改进情况", "Markdown"),
    Field("other", TEXT, "六、其他需要报告的事项", "Markdown；信息处理费收取情况由 gongkai 写入"),
))

_SITE = Schema("site", "网站", "", (
    Field("title", TEXT, "网站名称", required=True),
    Field("url", TEXT, "网站地址", "例如 https://xxgk.example.gov.cn/"),
    Field("description", TEXT, "网站简介"),
))
SITE_CONFIG = Schema("gongkai", "网站配置", "catalog/gongkai.yaml：网站信息与规则设置", (
    Field("site", _SITE, "网站", required=True),
    Field("settings", SETTINGS_SCHEMA, "规则设置", "见 docs/settings.md"),
))

# File kinds → (schema, whether the file holds a list of them).
FILE_KINDS = {
    "organ": (ORGAN, False),
    "item": (ITEM, False),
    "requests": (REQUEST, True),
    "powers": (POWER, True),
    "fees": (FEE, True),
    "report": (REPORT_SOURCE, False),
    "gongkai": (SITE_CONFIG, False),
}

# ---------------------------------------------------------------- objects


@dataclasses.dataclass(frozen=True)
class Organ:
    id: str
    name: str
    kind: statute.OrganKind
    record: Record
    credit_code: str = ""
    office: str = ""
    address: str = ""
    postcode: str = ""
    hours: str = ""
    phone: str = ""
    fax: str = ""
    web: str = ""
    guide: str = ""


@dataclasses.dataclass(frozen=True)
class Attachment:
    file: str
    title: str
    path: Path  # resolved, inside the catalog
    record: Record


@dataclasses.dataclass(frozen=True)
class Change:
    changed: dt.date
    note: str
    published: dt.date | None
    record: Record


@dataclasses.dataclass(frozen=True)
class Repeal:
    date: dt.date
    by: str


@dataclasses.dataclass(frozen=True)
class PublishWithin:
    days: int
    basis: str


@dataclasses.dataclass(frozen=True)
class Withdrawal:
    changed: dt.date
    withdrawn: dt.date | None
    reason: str
    record: Record


@dataclasses.dataclass(frozen=True)
class Item:
    index_no: str
    title: str
    organ: str
    written: dt.date
    category: str
    record: Record
    path: str  # the item file; a string, as 100,000 Path objects take a second to make and to unpickle
    body_line: int = 0  # where the body starts in the file (0: no body, as for a report's item)
    publisher: str = ""
    doc_no: str = ""
    published: dt.date | None = None
    formed: dt.date | None = None
    doc_type: str = "其他文件"
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str = ""
    effective: dt.date | None = None
    expires: dt.date | None = None
    repealed: Repeal | None = None
    attachments: tuple[Attachment, ...] = ()
    changes: tuple[Change, ...] = ()
    publish_within: PublishWithin | None = None
    withdrawal: Withdrawal | None = None
    annual_report: int | None = None
    digest: str = ""  # of the item file's bytes: what page keys start from (builder/cache.py)

    @property
    def formed_on(self) -> dt.date:
        return self.formed or self.written

    @property
    def body(self) -> str:
        """The Markdown body, read from the file when a page or the index needs it: a catalog of 100,000 items
        does not keep 100,000 bodies in memory. The file must still be the one that was validated."""
        return read_body(self.path, self.body_line, self.digest) if self.body_line else ""

    @property
    def effective_on(self) -> dt.date | None:
        return self.effective or self.published


@dataclasses.dataclass(frozen=True)
class Correction:
    notified: dt.date
    received: dt.date | None


@dataclasses.dataclass(frozen=True)
class Extension:
    approved: dt.date | None
    notified: dt.date | None


@dataclasses.dataclass(frozen=True)
class Pause:
    kind: str
    start: dt.date
    end: dt.date | None


@dataclasses.dataclass(frozen=True)
class RequestFee:
    notified: dt.date
    amount: float
    paid: dt.date | None = None
    nth_in_month: int | None = None
    pages: int | None = None


@dataclasses.dataclass(frozen=True)
class Request:
    id: str
    organ: str
    received: dt.date
    channel: str
    applicant_type: str
    record: Record
    subject: str = ""
    correction: Correction | None = None
    extension: Extension | None = None
    pauses: tuple[Pause, ...] = ()
    fee: RequestFee | None = None
    replied: dt.date | None = None
    outcome: str | None = None


@dataclasses.dataclass(frozen=True)
class Removal:
    date: dt.date
    basis: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ListedEntry:
    """What power-list entries and fee items share (rules.md §7): an organ, a legal basis, and the art. 26 dates."""

    id: str
    name: str
    organ: str
    basis: tuple[str, ...]
    decided: dt.date
    record: Record
    phone: str = ""
    published: dt.date | None = None
    removed: Removal | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Power(ListedEntry):
    type: str
    handled_by: str = ""
    legal_limit: int | None = None
    promised_limit: int | None = None
    fees: tuple[str, ...] = ()
    process: str = ""
    responsibility: str = ""


@dataclasses.dataclass(frozen=True)
class FeeSubItem:
    name: str
    standard: str
    unit: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Fee(ListedEntry):
    fund_management: str
    standard: str = ""
    unit: str = ""
    sub_items: tuple[FeeSubItem, ...] = ()
    payer: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReportSource:
    """What the catalog cannot know for one organ's annual report, and its text (reports/<year>/<organ>.yaml)."""

    organ: str
    year: int
    index_no: str = ""
    written: dt.date | None = None
    published: dt.date | None = None
    licences: int | None = None
    penalties: int | None = None
    enforcement: int | None = None
    fee_income: float | None = None
    review: tuple = (None, None, None, None)  # 结果维持, 结果纠正, 其他结果, 尚未审结
    litigation_direct: tuple = (None, None, None, None)
    litigation_after_review: tuple = (None, None, None, None)
    overview: str = ""
    problems: str = ""
    other: str = ""
    record: Record | None = None

    @classmethod
    def empty(cls) -> "ReportSource":
        """No statistics file: the cells it would fill stay blank (and the report check says so)."""
        return cls(organ="", year=0)


@dataclasses.dataclass(frozen=True)
class SiteConfig:
    title: str
    url: str = ""
    description: str = ""


@dataclasses.dataclass
class Catalog:
    root: Path
    site: SiteConfig
    settings: Settings
    holidays: dict[int, YearArrangement]
    holidays_file: str
    organs: dict[str, Organ]
    items: list[Item]
    requests: list[Request]
    powers: list[Power]
    fees: list[Fee]
    reports: list[ReportSource] = dataclasses.field(default_factory=list)

    @functools.cached_property
    def resolved_root(self) -> Path:
        """Where attachments must stay (resolved once, not once per attachment)."""
        return self.root.resolve()

    def items_of(self, organ_id: str) -> list[Item]:
        """An organ's items (each report looks at its own organ's: not every organ's, 400 times)."""
        if self._by_organ is None:
            self._by_organ = collections.defaultdict(list)
            for item in self.items:
                self._by_organ[item.organ].append(item)
        return self._by_organ.get(organ_id, [])

    _by_organ: dict[str, list[Item]] | None = dataclasses.field(default=None, repr=False, compare=False)
