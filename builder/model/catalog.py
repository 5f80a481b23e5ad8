"""The catalog of a disclosure office: its files on disk, as typed objects.

Layout of a catalog directory (documented in docs/catalog.md)::

    gongkai.yaml          site title, address and [U] settings
    holidays.yaml         holidays and make-up workdays for years chinesecalendar lacks
    organs/<id>.yaml      one organ each; the file name is the organ's id
    items/**/*.md         one disclosed item each: YAML front matter, then the Markdown body
    requests/*.yaml       the request log (依申请公开), lists of requests
    powers/*.yaml         the power list (权力清单), lists of entries
    fees/*.yaml           fee items (行政事业性收费), lists of entries
    releases/*.yaml       publications of a whole power list or fee catalogue (date, 文号, counts)
    consultations/*.yaml  one public consultation or hearing each (model/participation.py)
    hotline/*.yaml        12345 hotline cases, lists of cases (model/participation.py)

Loading them is ``load``; this module declares what each file holds.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
from pathlib import Path

from .. import statute
from .dates import published_by
from .fields import (
    BOOL,
    DATE,
    INT,
    MARKDOWN,
    MAX_DAYS,
    NUMBER,
    RECORD_REDUCTIONS,
    TEXT,
    WEB_ADDRESS,
    Field,
    Record,
    Schema,
    declared,
    in_part_kept,
    pickled_as_values,
    read_in_part,
    schema_of,
)
from .holidays import YearArrangement
from .participation import CONSULTATION, HOTLINE_CASE, Consultation, HotlineCase
from .paths import RealPaths
from .settings import SETTINGS_SCHEMA, Settings
from .source import read_body

# Each file's fields are declared once, on the dataclass it loads into (``declared``); its Schema (what checks the
# file and is exported as a JSON Schema) is collected from the dataclass, in field order. Undeclared fields (record,
# path, …) are worked out while loading. The dataclasses are keyword-only where the file's order puts optional
# fields before required ones.

# ---------------------------------------------------------------- organs


@dataclasses.dataclass(frozen=True, kw_only=True)
class Leader:
    name: str = declared(TEXT, "姓名", required=True)
    post: str = declared(TEXT, "职务", required=True)
    duties: str = declared(TEXT, "工作分工")


_LEADER = schema_of(Leader, "leader", "负责人", "机关负责人的姓名、职务和分工（条例第二十条第（二）项）")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Organ:
    id: str  # the file name
    name: str = declared(TEXT, "机关名称", required=True)
    kind: statute.OrganKind = declared(
        TEXT, "机关类型", "government = 人民政府；department = 政府部门；township = 乡（镇）人民政府",
        required=True, choices=tuple(k.value for k in statute.OrganKind))
    credit_code: str = declared(TEXT, "统一社会信用代码", "18 位，GB 32100-2015")
    office: str = declared(TEXT, "政府信息公开工作机构", "例如：吉林省人民政府办公厅政务公开协调办")
    address: str = declared(TEXT, "办公地址")
    postcode: str = declared(TEXT, "邮政编码")
    hours: str = declared(TEXT, "办公时间")
    phone: str = declared(TEXT, "联系电话")
    fax: str = declared(TEXT, "传真号码")
    web: str = declared(TEXT, "互联网联系方式", "网上申请地址或电子邮箱")
    # 条例 art. 20 (二): 机关职能、机构设置 … 负责人姓名, shown on the organ's page.
    functions: str = declared(MARKDOWN, "机关职能", "主要职责，Markdown")
    departments: tuple[str, ...] = declared(TEXT, "内设机构", "每个一项，可写“名称：职责”", many=True)
    leaders: tuple[Leader, ...] = declared(_LEADER, "负责人", many=True)
    guide: str = declared(MARKDOWN, "政府信息公开指南补充说明", "Markdown；指南的其余部分由机关信息自动生成")
    record: Record


ORGAN = schema_of(Organ, "organ", "机关", "一个政府信息公开主体（organs/<编号>.yaml，文件名即机关编号，也是机关页面的网址 "
                                               "organs/<编号>/：请用字母、数字和连字符，例如 jilin-province；汉字在网址中写作 _）")

# ---------------------------------------------------------------- items


@dataclasses.dataclass(frozen=True, kw_only=True)
class Attachment:
    file: str = declared(TEXT, "文件路径", "相对于公开事项文件所在目录，须在 catalog/ 之内；PDF、Word、Excel、图片、音视频、压缩包等文档，不能是网页、脚本或隐藏文件", required=True)
    title: str = declared(TEXT, "附件名称")  # the file's name when not given
    # Resolved, inside the catalog. Text, as an item's path is: a kept item's attachments are unpickled after every
    # change, and a Path took ~5 µs to unpickle (~0.05 s of a change at 100,000 items with 10,000 attachments).
    path: str
    record: Record


@dataclasses.dataclass(frozen=True, kw_only=True)
class Change:
    changed: dt.date = declared(DATE, "变更日期", "信息变更之日，20 个工作日公开时限从此起算", required=True)
    published: dt.date | None = declared(DATE, "变更公开日期")
    note: str = declared(TEXT, "变更说明", required=True)
    record: Record


@dataclasses.dataclass(frozen=True)
class Repeal:
    date: dt.date = declared(DATE, "废止日期", required=True)
    by: str = declared(TEXT, "废止文件文号", "废止本文件的文件文号", required=True)


@dataclasses.dataclass(frozen=True)
class PublishWithin:
    days: int = declared(INT, "工作日数", required=True, minimum=1, maximum=MAX_DAYS)
    basis: str = declared(TEXT, "依据", "规定该期限的法律法规条款")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Withdrawal:
    changed: dt.date = declared(DATE, "决定变更或撤销日期", required=True)
    withdrawn: dt.date | None = declared(DATE, "撤下并公开原因的日期")
    reason: str = declared(TEXT, "原因")
    record: Record


_ATTACHMENT = schema_of(Attachment, "attachment", "附件", "随公开事项发布的文件")
_CHANGE = schema_of(Change, "change", "变更记录", "公开事项的一次变更")
_REPEAL = schema_of(Repeal, "repeal", "废止", "文件被废止的日期和文号")
_PUBLISH_WITHIN = schema_of(PublishWithin, "publish_within", "另行规定的公开时限", "法律法规对公开期限另有规定时使用")
_WITHDRAWAL = schema_of(Withdrawal, "withdrawal", "处罚决定撤下",
                        "已公开的行政处罚决定被变更、撤销或确认违法后撤下（行政处罚法第四十八条）")


# What every build may read of every item, kept or not: listings (organ, topics, category, date), validation (索引号,
# the file, its digest, attachments), the views (changes, repeal, interpretation, report), the item pages' links (a
# repealed document's 文号 looked for among all), the reports' counts (a document's validity: its dates, its stated
# validity and basis, its title's 试行). The rest of a kept item is read when first used (``read_in_part``): ~1 % of
# them after one change at 100,000 items (tests/build/test_build.py checks this list against those passes). Its record
# is among the rest: only an item with a problem is located, and ~0.07 s of a change went into making 100,000 of them.
ITEM_READ_FIRST = ("index_no", "title", "organ", "doc_no", "written", "published", "public", "category", "doc_type",
                   "topics", "effective", "expires", "validity", "validity_date", "validity_basis", "repealed",
                   "attachments", "changes", "interprets", "annual_report", "path", "digest")


@read_in_part(*ITEM_READ_FIRST)
@pickled_as_values
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Item:
    index_no: str = declared(TEXT, "索引号", "前缀/年份-序号，例如 11220000013544357T/2005-00138", required=True)
    title: str = declared(TEXT, "标题", required=True)
    organ: str = declared(TEXT, "所属机关编号", "organs/ 下的文件名（不含 .yaml）", required=True)
    publisher: str = declared(TEXT, "发布机构", "默认为所属机关名称；联合发文时可写多个机关")
    doc_no: str = declared(TEXT, "文号", "发文字号，例如 吉政发〔2005〕20号")
    # Required of an item file; None only for a report's item whose statistics file does not state it (unknown).
    written: dt.date | None = declared(DATE, "成文日期", required=True)
    published: dt.date | None = declared(DATE, "发布日期", "可带时间（2024-04-06 16:40）；不填且未写 public: true 表示尚未公开（草稿），会出现在待办中")
    public: bool = declared(BOOL, "已公开", "发布日期没有记录的已公开信息（例如早年公开的文件）写 true：照常发布，日期显示为“不详”",
                            default=False)
    formed: dt.date | None = declared(DATE, "形成日期", "信息形成之日，默认等于成文日期；20 个工作日公开时限从此起算")
    category: str = declared(TEXT, "公开类别", "条例第二十条（20-1 至 20-15）、第二十一条（21-市政建设 等）或 年报",
                             required=True, choices=tuple(statute.CATEGORIES))
    doc_type: str = declared(TEXT, "文件类型", "规章、行政规范性文件或其他文件（年报统计用）",
                             choices=statute.DOC_TYPES, default="其他文件")
    genre: str = declared(TEXT, "体裁（文种）", "按原样，例如 通知、意见、办法、公告、批复；doc_type 是年报统计用的三类")
    classification: str = declared(TEXT, "信息分类", "本机关目录的分类路径，例如 法定主动公开内容/政策文件/规范性文件")
    registration_no: str = declared(TEXT, "统一登记号", "行政规范性文件统一登记号，例如 XXPR—2022—01034")
    disclosure_method: str = declared(TEXT, "公开方式", "例如 主动公开、依申请公开")
    disclosure_scope: str = declared(TEXT, "公开范围", "例如 面向全社会")
    responsible_unit: str = declared(TEXT, "公开责任部门")
    registered: dt.date | None = declared(DATE, "登记日期", "目录登记（编目）日期")
    source_url: str = declared(WEB_ADDRESS, "原文地址", "信息最初发布页面的网址")
    topics: tuple[str, ...] = declared(TEXT, "主题分类", "例如 综合政务/政务公开", many=True)
    keywords: tuple[str, ...] = declared(TEXT, "主题词", many=True)
    summary: str = declared(TEXT, "内容概述")
    effective: dt.date | None = declared(DATE, "生效日期", "默认等于发布日期")
    expires: dt.date | None = declared(DATE, "有效期至", "明确规定的有效期截止日（最后一个有效日）；优先于默认有效期")
    validity: str = declared(TEXT, "有效性", "本机关标注的有效性，按原样公布；不填时由 gongkai 按默认有效期推算，仅作提醒、不公布",
                             choices=statute.VALIDITY_STATES)
    validity_date: dt.date | None = declared(DATE, "失效或废止日期", "与 validity 一起填写")
    validity_basis: str = declared(TEXT, "有效性依据", "例如废止或宣布失效的文件文号")
    repealed: Repeal | None = declared(_REPEAL, "废止")
    attachments: tuple[Attachment, ...] = declared(_ATTACHMENT, "附件", many=True)
    changes: tuple[Change, ...] = declared(_CHANGE, "变更记录", many=True)
    publish_within: PublishWithin | None = declared(_PUBLISH_WITHIN, "另行规定的公开时限")
    withdrawal: Withdrawal | None = declared(_WITHDRAWAL, "处罚决定撤下")
    interprets: str = declared(TEXT, "解读的文件索引号", "本事项是政策解读时，写被解读文件的索引号：两个页面互相链接")
    annual_report: int | None = declared(INT, "年度报告年份", "本事项是某一年度的政府信息公开工作年度报告时填写",
                                         minimum=statute.REPORT_YEARS[0], maximum=statute.REPORT_YEARS[1])
    record: Record
    path: str  # the item file; a string, as 100,000 Path objects take a second to make and to unpickle
    body_line: int = 0  # where the body starts in the file (0: no body, as for a report's item)
    digest: str = ""  # of the item file's bytes: what page keys start from (builder/cache.py)
    text: str = ""  # the body of an item without a file of its own: an annual report's narrative
    # Kept by the build cache, the pickle of the fields not in ITEM_READ_FIRST until one of them is asked for.
    unread: bytes | memoryview | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    @property
    def formed_on(self) -> dt.date | None:
        """When the information was formed, as stated or as its 成文日期; None when neither is known (a report
        whose 成文日期 is not stated)."""
        return self.formed or self.written

    @property
    def body(self) -> str:
        """The Markdown body, read from the file when a page or the index needs it: a catalog of 100,000 items
        does not keep 100,000 bodies in memory. The file must still be the one that was validated."""
        return read_body(self.path, self.body_line, self.digest) if self.body_line else self.text

    @property
    def effective_on(self) -> dt.date | None:
        return self.effective or self.published

    @property
    def is_public(self) -> bool:
        """Published, with its date or (``public``) without one: a draft is neither."""
        return self.published is not None or self.public

    def public_on(self, day: dt.date) -> bool:
        return self.published <= day if self.published else self.public


ITEM = schema_of(Item, "item", "公开事项", "政府信息公开目录中的一条信息（items/ 下的 .md 文件头信息）")

# For the build cache's pickler (copyreg's dispatch table, by exact type): records and items read when used.
KEPT_REDUCTIONS = {**RECORD_REDUCTIONS, Item: in_part_kept}

# ---------------------------------------------------------------- requests


@dataclasses.dataclass(frozen=True)
class Correction:
    notified: dt.date = declared(DATE, "补正告知日期", required=True)
    received: dt.date | None = declared(DATE, "收到补正日期", "收到补正后的申请之日，答复期限从此重新起算")
    # 条例 art. 30: the notice gives a reasonable period; the 条例 fixes none, so only the notice's own is known.
    due: dt.date | None = declared(DATE, "补正期限", "补正告知书写明的补正期限（条例第三十条“合理的补正期限”）；期满仍未收到"
                                                   "补正的，提示按“逾期不补正”办结")


@dataclasses.dataclass(frozen=True)
class Extension:
    approved: dt.date | None = declared(DATE, "负责人同意日期")
    notified: dt.date | None = declared(DATE, "告知申请人日期")


@dataclasses.dataclass(frozen=True)
class Pause:
    kind: str = declared(TEXT, "类型", required=True, choices=("第三方", "其他机关"))
    start: dt.date = declared(DATE, "发出征求意见日期", required=True)
    end: dt.date | None = declared(DATE, "收到意见或期满日期")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestFee:
    notified: dt.date = declared(DATE, "收费通知日期", required=True)
    paid: dt.date | None = declared(DATE, "缴费日期")
    nth_in_month: int | None = declared(INT, "按件：本月同一申请人的第几件申请", minimum=1, maximum=100_000)
    pages: int | None = declared(INT, "按量：页数", minimum=1, maximum=100_000_000)
    kib: int | None = declared(INT, "按量：电子数据的大小（KiB），按设置 fee_electronic_kib_per_page 折算为页数",
                               minimum=1, maximum=1_000_000_000)
    amount: float = declared(NUMBER, "金额（元）", required=True, minimum=0)


_CORRECTION = schema_of(Correction, "correction", "补正", "条例第三十条：一次性告知补正")
_EXTENSION = schema_of(Extension, "extension", "延期", "条例第三十三条：延长答复期限须经机构负责人同意并告知申请人")
_PAUSE = schema_of(Pause, "pause", "暂停计时", "征求第三方或其他机关意见的时间不计入答复期限（条例第三十三条）")
_REQUEST_FEE = schema_of(RequestFee, "request_fee", "信息处理费",
                         "国办函〔2020〕109号：按件或按量计收，二者不能同时使用")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Request:
    id: str = declared(TEXT, "申请编号", "在整个目录中唯一", required=True)
    organ: str = declared(TEXT, "受理机关编号", required=True)
    received: dt.date = declared(
        DATE, "收到申请日期", "条例第三十一条：当面提交为当日；邮寄为签收日；网上或传真为双方确认日", required=True)
    channel: str = declared(TEXT, "申请渠道", required=True, choices=statute.CHANNELS)
    applicant_type: str = declared(TEXT, "申请人类型", "年报的六个申请人栏目", required=True,
                                   choices=statute.APPLICANT_TYPES)
    subject: str = declared(TEXT, "申请内容摘要", "不要写申请人姓名等个人信息")
    correction: Correction | None = declared(_CORRECTION, "补正")
    extension: Extension | None = declared(_EXTENSION, "延期")
    pauses: tuple[Pause, ...] = declared(_PAUSE, "暂停计时", many=True)
    fee: RequestFee | None = declared(_REQUEST_FEE, "信息处理费")
    replied: dt.date | None = declared(DATE, "答复日期", "直接送达为签收日；邮寄为交邮日")
    outcome: str | None = declared(TEXT, "办理结果", "对应年报第三部分的行次", choices=tuple(statute.OUTCOME_ROWS),
                                   default=None)
    record: Record

    def replied_by(self, today: dt.date) -> dt.date | None:
        """The reply date, if the reply had been made by ``today``: on an earlier day it was still to answer."""
        return self.replied if self.replied is not None and self.replied <= today else None


REQUEST = schema_of(Request, "request", "政府信息公开申请", "依申请公开登记（requests/*.yaml 中的一条）")

# ---------------------------------------------------------------- power list and fee items


@dataclasses.dataclass(frozen=True)
class Removal:
    date: dt.date = declared(DATE, "取消日期", required=True)
    basis: str = declared(TEXT, "取消依据", "取消所依据的文件文号或决定", required=True)


_REMOVAL = schema_of(Removal, "removal", "取消记录", "事项取消的日期和依据")

# The lists a release publishes, as its ``list`` names them.
LIST_KINDS = ("权力清单", "收费目录")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rename:
    former: str = declared(TEXT, "原名称", required=True)
    date: dt.date | None = declared(DATE, "更名日期")
    reason: str = declared(TEXT, "更名原因或依据", "例如 根据国发〔2025〕X号调整")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Transfer:
    former: str = declared(TEXT, "原实施主体或主管部门", "写名称：原机关可能已不存在（机构改革）", required=True)
    date: dt.date | None = declared(DATE, "调整日期")
    reason: str = declared(TEXT, "调整原因或依据")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PowerSubItem:
    code: str = declared(TEXT, "子项编码", "国家或本地统一的子项编码")
    name: str = declared(TEXT, "子项名称", required=True)


_RENAME = schema_of(Rename, "rename", "更名记录", "事项更名时保留原名称及其原因")
_TRANSFER = schema_of(Transfer, "transfer", "实施主体调整", "事项改由其他机关实施（例如机构改革后）时保留原实施主体")
_POWER_SUB_ITEM = schema_of(PowerSubItem, "power_sub_item", "子项", "事项下的子项及其编码")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Power:
    id: str = declared(TEXT, "事项编码", "本清单中的编码，也是事项网页的地址", required=True)
    national_code: str = declared(TEXT, "国家事项编码", "全国统一的事项编码（如政务服务事项基本目录编码）")
    name: str = declared(TEXT, "事项名称", required=True)
    renames: tuple[Rename, ...] = declared(_RENAME, "更名记录", "事项更名时写原名称和原因，网站一并公开", many=True)
    type: str = declared(TEXT, "职权类型", "照清单原文填写；须在设置 power_types 中（末尾多一个“类”字也可，如 行政许可类）",
                         required=True)
    handling: str = declared(TEXT, "办件类型", choices=statute.HANDLING_KINDS)
    organ: str = declared(TEXT, "实施主体（机关编号）", required=True)
    transfers: tuple[Transfer, ...] = declared(_TRANSFER, "实施主体调整", "改由本机关实施时写原实施主体", many=True)
    handled_by: str = declared(TEXT, "承办机构")
    targets: tuple[str, ...] = declared(TEXT, "实施对象", "例如 自然人、企业法人、其他组织，可写多条", many=True)
    basis: tuple[str, ...] = declared(TEXT, "设定依据", "法律法规名称及条款，可写多条", required=True, many=True)
    implementation_basis: tuple[str, ...] = declared(TEXT, "实施依据", "与设定依据不同的实施性规定，可写多条", many=True)
    sub_items: tuple[PowerSubItem, ...] = declared(_POWER_SUB_ITEM, "子项", many=True)
    conditions: str = declared(TEXT, "办理条件", "办事指南要素（八公开）")
    materials: tuple[str, ...] = declared(TEXT, "所需材料", "办事指南要素（八公开），可写多条", many=True)
    legal_limit: int | None = declared(INT, "法定时限", "数字；单位见 legal_limit_unit", minimum=1, maximum=MAX_DAYS)
    legal_limit_unit: str = declared(TEXT, "法定时限单位", "不写即工作日；日 = 自然日", choices=statute.LIMIT_UNITS,
                                     default=statute.LIMIT_UNITS[0])
    promised_limit: int | None = declared(INT, "承诺时限", "数字；单位见 promised_limit_unit；0 即即办（当场办结）", minimum=0,
                                          maximum=MAX_DAYS)
    promised_limit_unit: str = declared(TEXT, "承诺时限单位", "不写即工作日；日 = 自然日", choices=statute.LIMIT_UNITS,
                                        default=statute.LIMIT_UNITS[0])
    limit_note: str = declared(TEXT, "时限说明", "例如 自受理之日起计算，不含听证、专家评审时间")
    visits: int | None = declared(INT, "到办事现场次数", "0 表示全程网上办理", minimum=0, maximum=100)
    result: str = declared(TEXT, "结果名称", "办理结果的名称，例如 准予许可决定书")
    fees: tuple[str, ...] | None = declared(TEXT, "收费项目编号", "fees/ 中的收费项目编号；不收费写 []；不写表示未载明",
                                            many=True, default=None)
    process: str = declared(TEXT, "办理流程")
    responsibility: str = declared(TEXT, "责任事项")
    accountability: str = declared(TEXT, "追责情形", "权责清单中不履行或不正确履行职责应当追责的情形")
    note: str = declared(TEXT, "备注")
    phone: str = declared(TEXT, "监督电话")
    decided: dt.date = declared(DATE, "确定或最近变更日期", required=True)
    published: dt.date | None = declared(DATE, "公开日期", "不填表示尚未公开，网站不显示")
    removed: Removal | None = declared(_REMOVAL, "取消")
    record: Record


POWER = schema_of(Power, "power", "权力事项", "权力清单中的一项（powers/*.yaml 中的一条）")


# A fee's standard, declared once for a fee item and for each of its sub-items: as the catalogue words it, and as
# numbers where it is one amount or a range.
_STANDARD = functools.partial(declared, TEXT, "收费标准", "照目录原文，例如 按工程造价的0.1%收取")
_AMOUNT = functools.partial(declared, NUMBER, "金额", "收费标准能写成一个数（或区间的下限）时填写", minimum=0)
_AMOUNT_MAX = functools.partial(declared, NUMBER, "金额上限",
                                "区间标准的上限，例如 100-300 元写 amount: 100、amount_max: 300", minimum=0)
_UNIT = functools.partial(declared, TEXT, "计费单位", "例如 元/件、元/平方米、元/人·年、%")


@dataclasses.dataclass(frozen=True, kw_only=True)
class FeeSubItem:
    name: str = declared(TEXT, "子项名称", required=True)
    standard: str = _STANDARD()
    amount: float | None = _AMOUNT()
    amount_max: float | None = _AMOUNT_MAX()
    unit: str = _UNIT()


_FEE_SUB_ITEM = schema_of(FeeSubItem, "fee_sub_item", "收费子项", "")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Fee:
    id: str = declared(TEXT, "项目编号", required=True)
    category: str = declared(TEXT, "类别", "收费目录中的分类，例如 证照类；收费目录页按类别分组")
    name: str = declared(TEXT, "项目名称", required=True)
    organ: str = declared(TEXT, "收费机关编号", required=True)
    collector: str = declared(TEXT, "执收单位", "与收费机关不同时填写，例如其下属事业单位")
    fund_management: str = declared(
        TEXT, "资金管理方式", "照目录原文，例如 上缴中央国库、全额缴入地方国库；gongkai 归入四种法定方式（"
        + "、".join(statute.FUND_MANAGEMENT) + "）之一并给出提示")
    basis: tuple[str, ...] = declared(TEXT, "政策依据", "文件文号，一条写一个文号，可写多条", required=True, many=True)
    standard: str = _STANDARD()
    amount: float | None = _AMOUNT()
    amount_max: float | None = _AMOUNT_MAX()
    unit: str = _UNIT()
    sub_items: tuple[FeeSubItem, ...] = declared(_FEE_SUB_ITEM, "收费子项", many=True)
    payer: str = declared(TEXT, "收费对象")
    reduction: str = declared(TEXT, "减免政策", "减收、免收的对象和依据")
    note: str = declared(TEXT, "备注")
    phone: str = declared(TEXT, "监督电话")
    decided: dt.date = declared(DATE, "确定或最近变更日期", required=True)
    published: dt.date | None = declared(DATE, "公开日期", "不填表示尚未公开，网站不显示")
    removed: Removal | None = declared(_REMOVAL, "取消")
    record: Record


FEE = schema_of(Fee, "fee", "收费项目", "行政事业性收费目录中的一项（fees/*.yaml 中的一条）")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ListRelease:
    """One publication of a whole list (a 权责清单 or 收费目录 as a document with its 文号), with the counts it
    states: what the entries alone cannot say."""

    kind: str = declared(TEXT, "清单", required=True, choices=LIST_KINDS)
    title: str = declared(TEXT, "清单名称", "例如 吉林省省级政府部门权责清单（2025年版）", required=True)
    organ: str = declared(TEXT, "公布机关编号", required=True)
    doc_no: str = declared(TEXT, "文号")
    published: dt.date | None = declared(DATE, "公布日期", "不填表示尚未公布，网站不显示")
    total: int | None = declared(INT, "事项总数", minimum=0, maximum=1_000_000)
    added: int | None = declared(INT, "新增事项数", minimum=0, maximum=1_000_000)
    removed: int | None = declared(INT, "取消事项数", minimum=0, maximum=1_000_000)
    changed: int | None = declared(INT, "调整事项数", minimum=0, maximum=1_000_000)
    note: str = declared(TEXT, "说明")
    record: Record


RELEASE = schema_of(ListRelease, "release", "清单公布记录",
                    "权力清单或收费目录作为一份文件公布的记录（releases/*.yaml 中的一条）：日期、文号和增减事项数")

# What power-list entries and fee items share (rules.md §7): an organ, a legal basis, and the art. 26 dates. Not a
# base class: each declares these fields with its own titles, in its own file's order.
ListedEntry = Power | Fee


def removed_by(entry: ListedEntry, day: dt.date) -> bool:
    """Whether ``entry`` is removed (取消) by ``day``. A removal stated for a later date is announced: the entry is in
    force until then (its page says when it ends)."""
    return entry.removed is not None and entry.removed.date <= day

# ---------------------------------------------------------------- annual reports

# One group of part IV of a report; loaded as a 4-tuple (upheld, corrected, other, pending), so no dataclass.
_REVIEW_CELLS = Schema("review_cells", "复议或诉讼结果", "年度报告第四部分的一组数（总计由 gongkai 计算）", (
    Field("upheld", INT, "结果维持", required=True, minimum=0),
    Field("corrected", INT, "结果纠正", required=True, minimum=0),
    Field("other", INT, "其他结果", required=True, minimum=0),
    Field("pending", INT, "尚未审结", required=True, minimum=0),
))
_NO_CELLS = (None, None, None, None)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReportSource:
    """What the catalog cannot know for one organ's annual report, and its text (reports/<year>/<organ>.yaml).
    Required cells still have defaults: ``empty`` stands for a missing file."""

    organ: str  # the file name
    year: int  # the folder name
    index_no: str = declared(TEXT, "索引号", "报告作为公开事项的索引号", required=True, default="")
    written: dt.date | None = declared(DATE, "成文日期", "不写表示未载明，网站照此显示（不以发布日期代替）")
    published: dt.date | None = declared(DATE, "发布日期", "不填表示尚未公布")
    licences: int | None = declared(INT, "行政许可本年处理决定数量", required=True, minimum=0, default=None)
    penalties: int | None = declared(INT, "行政处罚本年处理决定数量", required=True, minimum=0, default=None)
    enforcement: int | None = declared(INT, "行政强制本年处理决定数量", required=True, minimum=0, default=None)
    fee_income: float | None = declared(NUMBER, "行政事业性收费本年收费金额（万元）", required=True, minimum=0,
                                        default=None)
    review: tuple = declared(_REVIEW_CELLS, "行政复议", required=True, default=_NO_CELLS)
    litigation_direct: tuple = declared(_REVIEW_CELLS, "行政诉讼（未经复议直接起诉）", required=True, default=_NO_CELLS)
    litigation_after_review: tuple = declared(_REVIEW_CELLS, "行政诉讼（复议后起诉）", required=True, default=_NO_CELLS)
    overview: str = declared(MARKDOWN, "一、总体情况", "Markdown；gongkai 会在前面写入全年的统计数字")
    problems: str = declared(MARKDOWN, "五、存在的主要问题及改进情况", "Markdown")
    other: str = declared(MARKDOWN, "六、其他需要报告的事项", "Markdown；信息处理费收取情况由 gongkai 写入")
    record: Record | None = None

    @classmethod
    def empty(cls) -> "ReportSource":
        """No statistics file: the cells it would fill stay blank (and the report check says so)."""
        return cls(organ="", year=0)


REPORT_SOURCE = schema_of(ReportSource, "report", "年度报告",
                          "reports/<年份>/<机关编号>.yaml：目录无法得出的统计数和报告的文字部分")

# The figures a report was published with, beside its statistics file: reports/<year>/<organ>.published.yaml, a
# report data file (rules.md §4.5) that `gongkai report record` writes. Not a statistics file: read apart from them.
RECORDED_SUFFIX = ".published.yaml"


@dataclasses.dataclass(frozen=True)
class RecordedFile:
    """A file of recorded figures as read: its YAML, which the report stage reads as a report data file."""

    organ: str  # the file name before RECORDED_SUFFIX
    year: int | None  # the folder name; None when it is not a year
    path: Path
    read: tuple  # (its path as shown, its YAML data, the problems of reading it)


def statistics_path(root: Path, organ: str, year: int) -> Path:
    """The statistics file of ``organ``'s report on ``year``."""
    return root / "reports" / str(year) / f"{organ}.yaml"


def recorded_path(root: Path, organ: str, year: int) -> Path:
    """Where the figures of ``organ``'s report on ``year`` are recorded: beside its statistics file."""
    return statistics_path(root, organ, year).with_name(f"{organ}{RECORDED_SUFFIX}")

# ---------------------------------------------------------------- gongkai.yaml


@dataclasses.dataclass(frozen=True)
class SiteConfig:
    title: str = declared(TEXT, "网站名称", required=True)
    url: str = declared(WEB_ADDRESS, "网站地址", "例如 https://xxgk.example.gov.cn/")
    description: str = declared(TEXT, "网站简介")
    # The site's identity in every page's footer (《政府网站发展指引》, rules.md §8). Unknown values are left out of
    # the pages, never replaced by a default; `gongkai audit` lists what is missing.
    organizer: str = declared(TEXT, "主办单位", "页脚显示的网站主办单位，例如 吉林省人民政府办公厅")
    id_code: str = declared(TEXT, "网站标识码", "10 位：6 位行政区划代码加 4 位数字（如 2200000001），"
                                               "国务院部门为 bm 加 8 位数字")
    icp: str = declared(TEXT, "ICP备案编号", "例如 吉ICP备12345678号；页脚链接到工业和信息化部备案系统")
    police_record: str = declared(TEXT, "公安机关备案号", "例如 吉公网安备22010202000123号；页脚链接到公安机关备案查询")
    party_mark: str = declared(TEXT, "党政机关标识", "机构编制部门核发的标识图片（PNG、JPEG 或 GIF），相对于 catalog/ "
                                                  "的路径；gongkai 不附带该图片")
    party_mark_link: str = declared(WEB_ADDRESS, "党政机关标识核验地址", "点击标识打开的核验页面")
    phone: str = declared(TEXT, "网站联系电话", "“联系我们”页显示")
    email: str = declared(TEXT, "网站联系邮箱", "“联系我们”页显示")
    record: Record | None = None


SITE = schema_of(SiteConfig, "site", "网站", "")
# The file itself loads into two objects (site, settings), so its schema is written out.
SITE_CONFIG = Schema("gongkai", "网站配置", "catalog/gongkai.yaml：网站信息与规则设置", (
    Field("site", SITE, "网站", required=True),
    Field("settings", SETTINGS_SCHEMA, "规则设置", "见 docs/settings.md"),
))

# File kinds → (schema, whether the file holds a list of them).
FILE_KINDS = {
    "organ": (ORGAN, False),
    "item": (ITEM, False),
    "requests": (REQUEST, True),
    "powers": (POWER, True),
    "fees": (FEE, True),
    "releases": (RELEASE, True),
    "consultation": (CONSULTATION, False),
    "hotline": (HOTLINE_CASE, True),
    "report": (REPORT_SOURCE, False),
    "gongkai": (SITE_CONFIG, False),
}

# ---------------------------------------------------------------- the whole catalog


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
    recorded: list[RecordedFile] = dataclasses.field(default_factory=list)  # reports' figures as published
    releases: list[ListRelease] = dataclasses.field(default_factory=list)
    consultations: list[Consultation] = dataclasses.field(default_factory=list)  # by id (file name)
    hotline: list[HotlineCase] = dataclasses.field(default_factory=list)
    # Entries that could not be made (a required key missing or wrong), by kind (the schema's name: item, request,
    # power, fee): what was read of them is still checked for duplicates, so every problem shows in one run.
    unfinished: dict[str, list[Record]] = dataclasses.field(default_factory=dict)
    # The ids of organs whose file is there but could not be read: its own errors say what to mend, and a record
    # naming the organ is not told besides that the organ is undefined and its file should be added.
    unreadable_organs: frozenset[str] = frozenset()
    # Where the files it names are and their status, as this build first looked at them (loading, for attachments).
    files: RealPaths = dataclasses.field(default_factory=RealPaths, repr=False, compare=False)

    @functools.cached_property
    def resolved_root(self) -> Path:
        """Where attachments must stay (resolved once, not once per attachment)."""
        return self.root.resolve()

    def organ_name(self, organ_id: str) -> str:
        """The organ's name; its id where organs/ holds no such organ (an error, which validate names)."""
        organ = self.organs.get(organ_id)
        return organ.name if organ else organ_id

    @functools.cached_property
    def report_items(self) -> list[Item]:
        """The items that are an organ's annual report (年度报告年份 given): a few hundred of 100,000, looked at by
        validation, the due list and the site, each of which went through every item for them."""
        return [item for item in self.items if item.annual_report is not None]

    def published_reports(self, today: dt.date) -> dict[tuple[str, int], Item]:
        """The annual reports published by ``today`` (a later publication date is a plan), by organ and year."""
        return {(item.organ, item.annual_report): item for item in self.report_items
                if published_by(item.published, today)}

    def items_of(self, organ_id: str) -> list[Item]:
        """An organ's items (each report looks at its own organ's: not every organ's, 400 times)."""
        return self._by_organ("items").get(organ_id, [])

    def recorded_file(self, organ_id: str, year: int) -> RecordedFile | None:
        """The file recording the figures ``organ_id``'s report on ``year`` was published with, if there is one."""
        return next((f for f in self.recorded if f.organ == organ_id and f.year == year), None)

    def unrecorded_reports(self, today: dt.date) -> list[ReportSource]:
        """The reports of known organs published by ``today`` with no file recording their figures (until there is
        one, a report's page follows every later correction of the catalog: report/published.py)."""
        recorded = {(f.organ, f.year) for f in self.recorded}
        return [r for r in self.reports if r.organ in self.organs and published_by(r.published, today)
                and (r.organ, r.year) not in recorded]

    def requests_of(self, organ_id: str) -> list[Request]:
        """An organ's requests in the log's order (its report, its statistics, its timeliness)."""
        return self._by_organ("requests").get(organ_id, [])

    def _by_organ(self, kind: str) -> dict[str, list]:
        if kind not in self._grouped:
            grouped = collections.defaultdict(list)
            for entry in getattr(self, kind):
                grouped[entry.organ].append(entry)
            self._grouped[kind] = grouped
        return self._grouped[kind]

    _grouped: dict[str, dict[str, list]] = dataclasses.field(default_factory=dict, repr=False, compare=False)
