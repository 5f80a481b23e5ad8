"""The statutory tables of rules.md, in one place, each naming its source.

条例 = 中华人民共和国政府信息公开条例 (国务院令第711号); 处理费办法 = 国办函〔2020〕109号;
年报格式 = 国办公开办函〔2021〕30号; 许可法 = 行政许可法; 处罚法 = 行政处罚法.
Counting lives in ``calendar``; computing with these tables in ``deadlines``, ``fees`` and ``report``.
"""

from __future__ import annotations

import dataclasses
import enum


class Unit(enum.Enum):
    WORKING_DAYS = "working_days"
    FIXED_DATE = "fixed_date"  # a calendar date in the following year (annual report)


@dataclasses.dataclass(frozen=True)
class Clock:
    """A statutory time limit: how long, in what unit, and which article sets it."""

    name: str
    title: str  # shown to users
    days: int
    unit: Unit
    article: str


CLOCKS: dict[str, Clock] = {c.name: c for c in (
    # 条例 art. 26: publish within 20 working days of forming or changing the information.
    Clock("publish", "主动公开", 20, Unit.WORKING_DAYS, "条例第二十六条"),
    # 条例 art. 33: reply within 20 working days of receipt.
    Clock("reply", "依申请公开答复", 20, Unit.WORKING_DAYS, "条例第三十三条"),
    # 条例 art. 33: extension of at most 20 working days, with approval and notice.
    Clock("extension", "延期答复", 20, Unit.WORKING_DAYS, "条例第三十三条"),
    # 条例 art. 30: correction notice once, within 7 working days of receipt.
    Clock("correction", "补正告知", 7, Unit.WORKING_DAYS, "条例第三十条"),
    # 条例 arts. 32, 34: a consulted third party answers within 15 working days.
    Clock("third_party", "第三方意见", 15, Unit.WORKING_DAYS, "条例第三十二条、第三十四条"),
    # 处理费办法 art. 6: pay within 20 working days from the day after receiving the fee notice.
    Clock("fee_notice", "缴纳信息处理费", 20, Unit.WORKING_DAYS, "国办函〔2020〕109号第六条"),
    # 许可法 art. 42: decide a licence within 20 working days of acceptance.
    Clock("licence", "行政许可决定", 20, Unit.WORKING_DAYS, "行政许可法第四十二条"),
    # 许可法 art. 42: +10 working days with the head's approval.
    Clock("licence_extension", "行政许可延期", 10, Unit.WORKING_DAYS, "行政许可法第四十二条"),
    # 处罚法 art. 48: a published penalty decision changed or revoked is withdrawn within 3 working days.
    Clock("penalty_withdrawal", "撤下变更的处罚决定", 3, Unit.WORKING_DAYS, "行政处罚法第四十八条"),
    # 条例 art. 49: annual report by 31 January (departments) or 31 March (governments).
    Clock("annual_report", "年度报告", 0, Unit.FIXED_DATE, "条例第四十九条"),
)}


class OrganKind(enum.Enum):
    GOVERNMENT = "government"   # 县级以上地方人民政府
    DEPARTMENT = "department"   # 县级以上人民政府部门
    TOWNSHIP = "township"       # 乡（镇）人民政府

    @property
    def label(self) -> str:
        return {"government": "人民政府", "department": "政府部门", "township": "乡（镇）人民政府"}[self.value]


# 条例 art. 49: (month, day) in the following year. Townships: set locally (setting report_due_township).
ANNUAL_REPORT_DUE = {
    OrganKind.DEPARTMENT: (1, 31),
    OrganKind.GOVERNMENT: (3, 31),
}

# 有效性 as offices state it (rules.md §6): stated values are published as they are.
VALIDITY_STATES = ("有效", "失效", "废止")

# 《规章制定程序条例》 art. 32: a 规章 takes effect 30 days after its publication, unless it concerns national
# security, exchange rates or monetary policy, or would be hindered by waiting (rules.md §9: a warning).
REGULATION_IN_FORCE_AFTER_DAYS = 30
REGULATION_IN_FORCE_ARTICLE = "《规章制定程序条例》第三十二条"

# The years a report can be about: the 条例 took effect on 2008-05-01 (2007 text, art. 38); the upper bound only
# catches typos such as 20255, which no date arithmetic survives.
REPORT_YEARS = (2008, 2200)

# 条例 art. 20 (一)–(十五): code → label.
ART20_CATEGORIES = {
    "20-1": "行政法规、规章和规范性文件",
    "20-2": "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "20-3": "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "20-4": "国民经济和社会发展统计信息",
    "20-5": "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "20-6": "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "20-7": "财政预算、决算信息",
    "20-8": "行政事业性收费项目及其依据、标准",
    "20-9": "政府集中采购项目的目录、标准及实施情况",
    "20-10": "重大建设项目的批准和实施情况",
    "20-11": "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "20-12": "突发公共事件的应急预案、预警信息及应对情况",
    "20-13": "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "20-14": "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "20-15": "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}
# The power list's types that art. 20 (六) names (实施行政处罚、行政强制); every other type is an 对外管理服务事项 of (五).
PENALTY_POWER_TYPES = ("行政处罚", "行政强制")
# 条例 art. 21: extra categories for 设区的市级/县级 governments and departments, and for 乡（镇）.
ART21_CITY = ("市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助")
ART21_TOWNSHIP = ("农业农村政策", "农田水利工程建设运营", "农村土地承包经营权流转", "宅基地使用情况审核",
                  "土地征收", "房屋征收", "筹资筹劳", "社会救助")
ART21_CATEGORIES = {f"21-{name}": name for name in dict.fromkeys(ART21_CITY + ART21_TOWNSHIP)}
# The annual reports have their own site column (国办公开办函〔2019〕61号).
ANNUAL_REPORT_CATEGORY = {"年报": "政府信息公开工作年度报告"}
CATEGORIES = {**ART20_CATEGORIES, **ART21_CATEGORIES, **ANNUAL_REPORT_CATEGORY}


def category_article(code: str) -> str:
    if code in ART20_CATEGORIES:
        return f"第二十条第（{_CHINESE_NUMERALS[int(code[3:])]}）项"
    if code in ART21_CATEGORIES:
        return "第二十一条"
    return "第四十九条"


_CHINESE_NUMERALS = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                     "十一", "十二", "十三", "十四", "十五"]

# Document types that the annual report counts (年报格式 section 二, 第二十条第（一）项).
DOC_TYPES = ("规章", "行政规范性文件", "其他文件")
# The first two: the rows of that block, and the documents that have a validity period (rules.md §6).
NORMATIVE_DOC_TYPES = DOC_TYPES[:2]

# Applicant types: the report's columns (年报格式 section 三).
APPLICANT_TYPES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# Receipt channels (条例 art. 31 sets the receipt date per channel).
CHANNELS = ("当面", "邮寄", "网上", "传真", "电子邮件", "其他")

# Request outcomes and the rows of the annual report's section 三 they are counted in (rules.md §3; the mapping
# is a derivation [U]), in the format's order. The report's layout is built from this table (report/layout.py).
@dataclasses.dataclass(frozen=True)
class Outcome:
    name: str          # what staff write in the request log
    label: str         # the row as 年报格式 prints it …
    group: str = ""    # … under this group (（三）…（六）) for a numbered row
    note: str = ""     # … followed by this note

    @property
    def row_key(self) -> str:
        """The row's key in the report data file (rules.md §4.5)."""
        return f"{self.group}/{self.label}" if self.group else self.label


_REFUSED, _UNABLE, _NOT_HANDLED, _OTHER = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
OUTCOMES = (
    Outcome("予以公开", "（一）予以公开"),  # arts. 36(1), 36(2)
    Outcome("部分公开", "（二）部分公开", note="（区分处理的，只计这一情形，不计其他情形）"),  # art. 37
    Outcome("国家秘密", "1.属于国家秘密", _REFUSED),  # art. 14
    Outcome("法律法规禁止", "2.其他法律行政法规禁止公开", _REFUSED),  # art. 14
    Outcome("三安全一稳定", "3.危及“三安全一稳定”", _REFUSED),  # art. 14
    Outcome("第三方合法权益", "4.保护第三方合法权益", _REFUSED),  # art. 15
    Outcome("内部事务信息", "5.属于三类内部事务信息", _REFUSED),  # art. 16 ¶1
    Outcome("过程性信息", "6.属于四类过程性信息", _REFUSED),  # art. 16 ¶2
    Outcome("行政执法案卷", "7.属于行政执法案卷", _REFUSED),  # art. 16 ¶2
    Outcome("行政查询事项", "8.属于行政查询事项", _REFUSED),  # art. 36(7)
    Outcome("本机关不掌握", "1.本机关不掌握相关政府信息", _UNABLE),  # arts. 36(4), 36(5)
    Outcome("需另行制作", "2.没有现成信息需要另行制作", _UNABLE),  # art. 38
    Outcome("补正后仍不明确", "3.补正后申请内容仍不明确", _UNABLE),  # art. 30
    Outcome("信访举报投诉", "1.信访举报投诉类申请", _NOT_HANDLED),  # art. 39 ¶1
    Outcome("重复申请", "2.重复申请", _NOT_HANDLED),  # art. 36(6)
    Outcome("公开出版物", "3.要求提供公开出版物", _NOT_HANDLED),  # art. 39 ¶2
    Outcome("大量反复申请", "4.无正当理由大量反复申请", _NOT_HANDLED),  # art. 35
    Outcome("确认或重新出具", "5.要求行政机关确认或重新出具已获取信息", _NOT_HANDLED),
    Outcome("逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _OTHER),  # art. 30
    Outcome("逾期未缴费", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _OTHER),
    Outcome("其他处理", "3.其他", _OTHER),
)
# What staff write → the report data file's row key.
OUTCOME_ROWS = {outcome.name: outcome.row_key for outcome in OUTCOMES}

# 中办发〔2015〕21号: kinds of power in the power list. The default of setting ``power_types``: real lists add
# their own (非行政许可的行政审批, 公共服务, …) and write a type with a trailing 类 (行政许可类) [C2].
POWER_TYPES = ("行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认",
               "行政奖励", "行政裁决", "其他行政权力")

# Units of a power's time limits, as real lists state them [C2]: 工作日 (行政许可法 art. 42 counts working days),
# 日 = calendar days (行政复议法 art. 62: 六十日) and 个月. The first is what a bare number has always meant.
LIMIT_UNITS = ("工作日", "日", "个月")

# 办件类型 of a 政务服务 entry: 即办件 (decided on the spot) and 承诺件 (within a promised time) everywhere;
# 上报件 and 联办件 in some provinces' lists [C2].
HANDLING_KINDS = ("即办件", "承诺件", "上报件", "联办件")

# Kinds of public consultation (rules.md §9): drafts of 规章 (《规章制定程序条例》), of 行政规范性文件 (国办发〔2018〕37号)
# and of 重大行政决策 (《重大行政决策程序暂行条例》), hearings (听证, seed 003), and any other. Each kind's minimum
# period is a setting ([R]: the texts were not read in full; seed 003's province asks 15 days of 规章 drafts).
CONSULTATION_KINDS = ("规章", "行政规范性文件", "重大行政决策", "听证", "其他")

# 12345 hotline case types, as hotline centres classify what callers ask (seed 001 publishes 受理时间、反映问题、
# 处理结果; the five types are the centres' common classification [R]).
HOTLINE_TYPES = ("咨询", "求助", "投诉", "建议", "举报")

# 财政部/发改委 目录清单: how fee income is managed. Catalogues write them in their own words (上缴中央国库,
# 全额缴入地方国库); rules/lists.py says which of the four such a text is.
FUND_MANAGEMENT = ("缴入中央国库", "缴入地方国库", "缴入中央和地方国库", "缴入中央和地方财政专户")

# GB/T 9704-2012 《党政机关公文格式》, 发文字号: the year is enclosed in 六角括号 〔〕. Catalogues also type
# （）【】[]{}﹝﹞ and their half-width forms.
DOC_NO_YEAR_BRACKETS = ("〔", "〕")

# The State Council policy library's 22 top-level topics (主题分类, rules.md §8, from the library's own list): the
# default vocabulary of an item's topics, written 一级/二级 (gov.cn writes 一级\二级); second levels are free.
POLICY_TOPICS = ("国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
                 "农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
                 "科技、教育", "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
                 "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他")

# 办事指南 elements (八公开, rules.md §7: a 2011 local rule kept as the default checklist) → the power-list fields
# that carry each. 名称 is required of every entry and 数量 is a yearly count, not part of a guide.
GUIDE_ELEMENTS = {"依据": ("basis",), "条件": ("conditions",), "程序": ("process",),
                  "时限": ("legal_limit", "promised_limit"), "材料": ("materials",), "收费": ("fees",)}


@dataclasses.dataclass(frozen=True)
class FeeBand:
    """From ``first`` (inclusive) on, ``yuan`` per request or per page."""

    first: int
    yuan: int


# 处理费办法 按件: the same applicant's requests in one natural month. 1–10 free, 11–30 at 100 元,
# then bands of 10 requests, each 100 元 more per request (31–40: 200, 41–50: 300, …).
FEE_BY_COUNT_FREE = 10
FEE_BY_COUNT_FIRST_BAND = FeeBand(11, 100)
FEE_BY_COUNT_STEP = FeeBand(31, 100)  # from request 31, +100 元 per band of ``FEE_BY_COUNT_BAND`` requests
FEE_BY_COUNT_BAND = 10

# 处理费办法 按量: pages in one request. 1–30 free; 31–100: 10 元/page; 101–200: 20 元/page; from 201: 40 元/page.
FEE_BY_PAGES = (FeeBand(1, 0), FeeBand(31, 10), FeeBand(101, 20), FeeBand(201, 40))


# 放假办法 = 《全国年节及纪念日放假办法》, as amended in November 2024 (in force 2025-01-01): the holidays of all citizens.
# The yearly State Council notice places them and adds 调休; until it appears these are all that is certain
# (rules/statutory_holidays.py turns them into dates for a year).
class HolidayDateKind(enum.Enum):
    SOLAR = "solar"            # a date of the Gregorian calendar
    LUNAR = "lunar"            # a date of the Chinese lunar calendar (农历)
    SOLAR_TERM = "solar_term"  # the day of a solar term (节气), e.g. 清明


@dataclasses.dataclass(frozen=True)
class StatutoryHoliday:
    """``days`` consecutive days off, from ``offset`` days after the anchor date (``month``/``day``, or the solar term)."""

    name: str  # as the notices name it
    wording: str  # the dates as art. 2 words them
    kind: HolidayDateKind
    month: int = 0
    day: int = 0
    term: str = ""
    days: int = 1
    offset: int = 0
    article: str = "放假办法第二条"


STATUTORY_HOLIDAYS = (
    # art. 2 (一): 新年 (the notices' 元旦), 1 day: 1月1日.
    StatutoryHoliday("元旦", "1月1日", HolidayDateKind.SOLAR, 1, 1),
    # art. 2 (二): 春节, 4 days: 农历除夕 and 正月初一 to 初三 (除夕 is the day before 初一: months have 29 or 30 days).
    StatutoryHoliday("春节", "农历除夕、正月初一至初三", HolidayDateKind.LUNAR, 1, 1, days=4, offset=-1),
    # art. 2 (三): 清明节, 1 day: the day of the solar term 清明.
    StatutoryHoliday("清明节", "农历清明当日", HolidayDateKind.SOLAR_TERM, term="清明"),
    # art. 2 (四): 劳动节, 2 days: 5月1日、2日.
    StatutoryHoliday("劳动节", "5月1日、2日", HolidayDateKind.SOLAR, 5, 1, days=2),
    # art. 2 (五): 端午节, 1 day: 农历五月初五.
    StatutoryHoliday("端午节", "农历端午当日", HolidayDateKind.LUNAR, 5, 5),
    # art. 2 (六): 中秋节, 1 day: 农历八月十五.
    StatutoryHoliday("中秋节", "农历中秋当日", HolidayDateKind.LUNAR, 8, 15),
    # art. 2 (七): 国庆节, 3 days: 10月1日至3日.
    StatutoryHoliday("国庆节", "10月1日至3日", HolidayDateKind.SOLAR, 10, 1, days=3),
)
# art. 6: a holiday of all citizens that falls on a Saturday or Sunday is made up on a working day (补假).
HOLIDAY_MAKEUP_ARTICLE = "放假办法第六条"
HOLIDAY_RULES_FROM = 2025  # the first year of the amended 放假办法 above: earlier years had other holidays
