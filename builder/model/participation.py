"""Public participation files: consultations on drafts and hearings (意见征集、听证), and 12345 hotline cases.

Layout (docs/catalog.md, docs/participation.md)::

    consultations/<id>.yaml   one consultation or hearing each; the file name is its id (its page's address)
    hotline/<year>.yaml       the 12345 hotline cases received that year, a list

A consultation states its period, how the public may comment (a static site has no form of its own: an e-mail
address, a postal address, a fax number or a link to the office's online form) and, once closed, the feedback
(采纳情况) that seed 003 asks to publish. A hotline case states what was asked and what was done; nothing that
identifies the caller is written (rules.md §9, 条例 art. 15: check/personal_data.py holds the catalog to it).
The rules on both (minimum periods, reply and feedback deadlines) are in rules/consultation.py and rules/hotline.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import statute
from .fields import DATE, INT, MARKDOWN, TEXT, WEB_ADDRESS, Record, declared, schema_of

# ---------------------------------------------------------------- consultations


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConsultationFile:
    """A file published with a consultation: the draft (征求意见稿), its 起草说明, a hearing notice."""

    file: str = declared(TEXT, "文件路径", "相对于征集文件所在目录，须在 catalog/ 之内；PDF、Word、Excel、图片、音视频、压缩包等文档，不能是网页、脚本或隐藏文件", required=True)
    title: str = declared(TEXT, "文件名称", "例如 征求意见稿、起草说明")  # the file's name when not given
    path: str  # resolved, inside the catalog; text, as an item's attachment's (catalog.Attachment)
    record: Record


@dataclasses.dataclass(frozen=True, kw_only=True)
class Hearing:
    date: dt.date = declared(DATE, "听证会日期", "可带时间（2026-12-10 09:30）", required=True)
    place: str = declared(TEXT, "听证会地点")
    signup: str = declared(TEXT, "报名方式", "听证参加人的报名方式、名额和遴选办法")
    record: Record


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotAdopted:
    opinion: str = declared(TEXT, "意见摘要", "概括意见内容，不写提出人的姓名、电话等个人信息", required=True)
    reason: str = declared(TEXT, "未采纳理由", "征求意见没有采纳的，应说明理由", required=True)
    record: Record


_FILE = schema_of(ConsultationFile, "consultation_file", "征集文件", "随征集公布的文件：征求意见稿、起草说明等")
_HEARING = schema_of(Hearing, "hearing", "听证会", "听证的时间、地点和报名方式")
_NOT_ADOPTED = schema_of(NotAdopted, "not_adopted", "未采纳的意见", "一条（或一类）未采纳的意见及其理由")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Feedback:
    published: dt.date = declared(DATE, "反馈公布日期", "公布意见采纳情况之日", required=True)
    received: int = declared(INT, "收到意见数", "收到的意见（或听证发言）条数，没有收到写 0", required=True,
                             minimum=0, maximum=10_000_000)
    adopted: int | None = declared(INT, "采纳意见数", "全部或部分采纳的条数", minimum=0, maximum=10_000_000)
    summary: str = declared(MARKDOWN, "采纳情况说明", "Markdown：意见的总体情况、采纳了哪些意见")
    not_adopted: tuple[NotAdopted, ...] = declared(_NOT_ADOPTED, "未采纳的意见及理由", many=True)
    record: Record


_FEEDBACK = schema_of(Feedback, "feedback", "意见采纳情况",
                      "征集结束后公布：收到多少意见、采纳多少、未采纳的理由（听证意见采纳情况及理由同样）")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Consultation:
    id: str  # the file name
    title: str = declared(TEXT, "标题", "例如 关于《某某办法（征求意见稿）》公开征求意见的公告", required=True)
    organ: str = declared(TEXT, "征集机关编号", "organs/ 下的文件名（不含 .yaml）", required=True)
    kind: str = declared(TEXT, "类型", "规章、行政规范性文件、重大行政决策草案，或听证；各类的最短征求意见期限见设置",
                         required=True, choices=statute.CONSULTATION_KINDS)
    start: dt.date = declared(DATE, "开始日期", "征求意见公告发布之日，网站自这一天起显示本征集", required=True)
    end: dt.date = declared(DATE, "截止日期", "最后一天仍可提交意见", required=True)
    description: str = declared(MARKDOWN, "征集说明", "Markdown：征集的背景、主要内容和需要重点听取意见的问题")
    files: tuple[ConsultationFile, ...] = declared(_FILE, "征集文件", "征求意见稿、起草说明等，放在征集文件旁边",
                                                  many=True)
    email: str = declared(TEXT, "电子邮箱", "接收意见的电子邮箱")
    post: str = declared(TEXT, "通信地址", "信函寄送地址，含邮政编码；信封上注明的字样写在这里")
    fax: str = declared(TEXT, "传真号码")
    online: str = declared(WEB_ADDRESS, "在线提交地址", "本机关网上征集系统或留言板的网址（静态网站本身不能接收意见）")
    contact: str = declared(TEXT, "联系方式", "咨询电话和联系部门，例如 市司法局立法科 0391-0000000")
    hearing: Hearing | None = declared(_HEARING, "听证会", "类型为听证时填写")
    document: str = declared(TEXT, "通过后的文件索引号", "草案通过后公开的文件的索引号：两个页面互相链接")
    feedback: Feedback | None = declared(_FEEDBACK, "意见采纳情况", "征集结束后填写")
    record: Record

    @property
    def channels(self) -> tuple[tuple[str, str], ...]:
        """(how, where) of each way to comment the consultation states, in the order the page lists them."""
        return tuple((label, value) for label, value in (("电子邮件", self.email), ("信函", self.post),
                                                         ("传真", self.fax), ("网上提交", self.online)) if value)


CONSULTATION = schema_of(Consultation, "consultation", "意见征集",
                         "一次公开征求意见或听证（consultations/<编号>.yaml，文件名即编号）")

# ---------------------------------------------------------------- the 12345 hotline


@dataclasses.dataclass(frozen=True, kw_only=True)
class HotlineCase:
    id: str = declared(TEXT, "工单编号", "在整个目录中唯一", required=True)
    received: dt.date = declared(DATE, "受理时间", "可带时间（2026-11-02 09:15）；答复期限从这一天起算", required=True)
    type: str = declared(TEXT, "类型", required=True, choices=statute.HOTLINE_TYPES)
    question: str = declared(TEXT, "反映问题", "概括来电反映的问题；不写来电人的姓名、电话、身份证号、地址等个人信息",
                             required=True)
    unit: str = declared(TEXT, "承办单位", required=True)
    replied: dt.date | None = declared(DATE, "办结时间", "答复来电人、办理完毕之日，可带时间；不填表示仍在办理")
    result: str = declared(TEXT, "办理结果", "向来电人答复的处理结果摘要；与 replied 一起填写")
    withheld: str = declared(TEXT, "不公开理由", "涉及举报人保护、国家秘密等不宜公开的工单写明理由：网站不列出该工单，"
                                                "只计入统计")
    record: Record

    @property
    def public(self) -> bool:
        return not self.withheld


HOTLINE_CASE = schema_of(HotlineCase, "hotline_case", "12345热线工单", "12345 热线受理的一件工单（hotline/<年份>.yaml 中的一条）")
