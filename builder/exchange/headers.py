"""The columns of each kind's spreadsheet: their headers, the synonyms offices use for them, and how their cells are read.

The columns come from the model's field declarations (``model.catalog``): every declared field is a column whose
header is its Chinese title, so a field added to the model is imported and exported without a change here. A field
holding one nested record (废止, 取消, …) becomes one column per nested field, headed 父·子 (废止·废止日期); a list
of records (附件, 变更记录, 收费子项) stays one column, one record a line. Items add 正文 and 正文文件.

What offices write instead of our titles is data, in ``SYNONYMS``; ``docs/import.md`` prints it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

from .. import statute
from ..model.fields import Field, Schema
from .kinds import KINDS

FIELD, BODY, BODY_FILE = "field", "body", "body_file"
NESTED_SEPARATOR = "·"  # between a nested record's title and its field's title: 废止·废止日期

# Headers offices write for each column, besides its title (the title is always accepted). Keys are the column's
# key: the field's name, "parent.child" for a nested record's field, or body / body_file.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "items": {
        "index_no": ("索引码", "索引编号", "信息索引号"),
        "title": ("名称", "文件名称", "信息名称", "文件标题"),
        "organ": ("所属机关", "机关", "机关名称", "公开主体"),
        "publisher": ("发文机关", "发文单位", "发布单位", "发布机关", "制发机关"),
        "doc_no": ("发文字号", "文件编号", "发文文号"),
        "written": ("发文日期", "印发日期", "成文时间"),
        "published": ("公开日期", "发布时间", "公开时间"),
        "formed": ("生成日期", "信息生成日期"),
        "category": ("信息类别", "目录类别"),
        "genre": ("文种",),
        "topics": ("主题",),
        "keywords": ("关键词", "关键字"),
        "summary": ("摘要", "内容摘要", "内容提要", "内容简介"),
        "effective": ("施行日期", "实施日期", "生效时间"),
        "expires": ("有效期", "有效期截止日期"),
        "validity": ("效力状态",),
        "validity_date": ("失效日期", "废止或失效日期"),
        "repealed.date": ("废止时间",),
        "repealed.by": ("废止文号", "废止依据"),
        "source_url": ("原文链接", "链接地址"),
        "changes": ("变更情况",),
        "annual_report": ("报告年度",),
        "body": ("内容", "全文", "正文内容"),
        "body_file": ("正文文件名", "全文文件"),
    },
    "powers": {
        "id": ("事项代码", "事项编号", "权力编码", "职权编码", "编码"),
        "name": ("权力名称", "职权名称", "权力事项名称", "名称"),
        "type": ("事项类型", "权力类型", "事项类别", "权力类别", "职权类别"),
        "organ": ("实施机关", "行使主体", "实施部门"),
        "handled_by": ("承办单位", "承办部门", "承办科室"),
        "basis": ("法律依据", "依据"),  # 实施依据 is a column of its own (implementation_basis)
        "legal_limit": ("法定期限", "法定办结时限"),
        "promised_limit": ("承诺期限", "承诺办结时限"),
        "fees": ("收费项目", "收费项目编码"),
        "process": ("办理程序", "流程"),
        "accountability": ("追责情形及依据", "问责情形"),
        "phone": ("监督投诉电话", "投诉电话"),
        "decided": ("确定日期", "变更日期", "调整日期"),
        "published": ("发布日期", "公开时间"),
    },
    "fees": {
        "id": ("收费项目编码", "项目编码", "收费编码", "编码", "编号"),
        "name": ("收费项目", "收费项目名称", "名称"),
        "organ": ("收费单位", "收费机关", "收费主体"),  # 执收单位 is a column of its own (collector)
        "fund_management": ("资金管理", "资金缴库方式"),
        "basis": ("收费依据", "文件依据", "依据"),
        "standard": ("标准",),
        "unit": ("计量单位", "单位"),
        "sub_items": ("子项", "收费子项目"),
        "payer": ("缴费对象", "缴费人"),
        "reduction": ("减免", "减免规定", "减免政策及依据"),
        "note": ("说明",),
        "phone": ("监督投诉电话", "投诉电话"),
        "decided": ("确定日期", "变更日期", "调整日期"),
        "published": ("发布日期", "公开时间"),
    },
}

# Columns offices keep that the catalog has no field for: recognized, listed as not imported, with the reason.
NOT_IMPORTED: dict[str, str] = {
    "序号": "序号只是表格的行号",
}

# How the cells of a list column are split into its entries: a line each, or ；. Keywords are also often written
# 法治政府、依法行政 or 法治政府 依法行政 (when the cell has no line break or ；); a legal basis never is (《…》第三条、
# 第五条 is one basis), nor a topic (劳动、人事、监察/公务员 is one topic).
LIST_SEPARATORS = "\n；;"
LIST_SEPARATORS_LOOSE = "\n；;，,、 \u3000"
LOOSE_LISTS = {("items", "keywords")}

# What a list cell says when the list is known to be empty (a power with no fee is 不收费, fees: []); a blank cell
# is unknown, not empty (rules.md §7).
NONE_WORDS: dict[tuple[str, str], tuple[str, ...]] = {("powers", "fees"): ("不收费", "无", "免费")}

# Text columns whose cells are prose that may run over several lines (a step a line in 办理流程): kept as typed.
# Every other text column names or numbers something (标题, 文号, 发布机构, 事项名称, 监督电话 …) and is one line: a
# line break in its cell is where staff wrapped a long value (Alt+Enter), not part of it (``values.one_line``).
MULTI_LINE = {("items", "summary"), ("items", "withdrawal.reason"), ("powers", "conditions"), ("powers", "limit_note"),
              ("powers", "process"), ("powers", "responsibility"), ("powers", "accountability"), ("powers", "note"),
              ("fees", "standard"), ("fees", "reduction"), ("fees", "note")}
# One-line columns that may name several (联合发文: 吉林省人民政府⏎吉林省财政厅): a line break there parts two names, and
# is read as the space between them; dropped, it made one name of the two.
SEVERAL_NAMES = {("items", "publisher"), ("powers", "handled_by"), ("fees", "collector"), ("fees", "payer")}

# Identifiers are read half-width (索引号 typed as １１２２…／２０１４－０００２６ is the same number).
IDENTIFIERS = {("items", "index_no"), ("powers", "id"), ("powers", "fees"), ("fees", "id")}

# Choices offices write by their label rather than their code: 公开类别 "行政法规、规章和规范性文件" is 20-1.
CHOICE_LABELS: dict[tuple[str, str], dict[str, str]] = {("items", "category"): statute.CATEGORIES}

_EXTRA_COLUMNS = {"items": ((BODY, "正文"), (BODY_FILE, "正文文件"))}


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a kind's sheet."""

    kind: str
    key: str  # "title", "repealed.date", "body"
    header: str  # what the export writes; always accepted by the import
    role: str = FIELD
    field: Field | None = None  # the declared field (for a nested record's field, its own declaration)
    parent: Field | None = None  # the nested record's field, for a flattened column
    unit: Field | None = None  # a number's unit field (legal_limit_unit): a cell may say both, 20个工作日

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split(".")) if self.role == FIELD else ()

    @property
    def records(self) -> Schema | None:
        """The nested schema of a list-of-records column (附件), whose cell holds one record a line."""
        return self.field.kind if self.field is not None and isinstance(self.field.kind, Schema) else None

    @property
    def separators(self) -> str:
        return LIST_SEPARATORS_LOOSE if (self.kind, self.key) in LOOSE_LISTS else LIST_SEPARATORS

    @property
    def none_words(self) -> tuple[str, ...]:
        return NONE_WORDS.get((self.kind, self.key), ())

    @property
    def one_line(self) -> bool:
        """Whether a line break in the column's cells is not part of its value (``values.one_line``)."""
        return (self.kind, self.key) not in MULTI_LINE

    @property
    def several_names(self) -> bool:
        return (self.kind, self.key) in SEVERAL_NAMES

    @property
    def identifier(self) -> bool:
        return (self.kind, self.key) in IDENTIFIERS

    @property
    def labels(self) -> dict[str, str]:
        """Choice by its label (label → code)."""
        return {label: code for code, label in CHOICE_LABELS.get((self.kind, self.key), {}).items()}


@functools.cache
def columns(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind`` in the order of its declared fields (the export's order)."""
    found = []
    for field in KINDS[kind].schema.fields:
        if isinstance(field.kind, Schema) and not field.many:
            found += [Column(kind, f"{field.key}.{child.key}", f"{field.title}{NESTED_SEPARATOR}{child.title}",
                             field=child, parent=field) for child in field.kind.fields]
        else:
            unit = KINDS[kind].schema.field(f"{field.key}_unit")
            found.append(Column(kind, field.key, field.title, field=field,
                                unit=unit if unit is not None and unit.choices else None))
    found += [Column(kind, role, header, role=role) for role, header in _EXTRA_COLUMNS.get(kind, ())]
    return tuple(found)


def normalize(text: str) -> str:
    """A header as compared: half-width, without spaces, line breaks, notes in brackets (成文日期（YYYY-MM-DD）),
    required marks (*) or the separators of a header over two rows."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】", "", text)
    return re.sub(r"[\s*★:·・\-_]", "", text).lower()


@functools.cache
def header_table(kind: str) -> dict[str, Column]:
    """Normalized header → column: titles, then synonyms, then a nested field's own title (取消日期) where no
    other column of the kind claims it. A title always names its own column, whatever another's synonyms say."""
    table: dict[str, Column] = {normalize(column.header): column for column in reversed(columns(kind))}
    for column in columns(kind):
        for text in SYNONYMS.get(kind, {}).get(column.key, ()):
            table.setdefault(normalize(text), column)
    short = [(normalize(c.field.title), c) for c in columns(kind) if c.parent is not None]
    counts: dict[str, int] = {}
    for text, _ in short:
        counts[text] = counts.get(text, 0) + 1
    for text, column in short:
        if counts[text] == 1:
            table.setdefault(text, column)
    return table


def find_column(kind: str, text: str) -> Column | None:
    return header_table(kind).get(normalize(text)) if text else None


def not_imported(text: str) -> str | None:
    """Why a recognized column is not imported (序号, 有效性, …), or None."""
    wanted = normalize(text)
    return next((reason for header, reason in NOT_IMPORTED.items() if normalize(header) == wanted), None)
