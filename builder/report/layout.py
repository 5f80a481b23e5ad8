"""The annual report's national format (国办公开办函〔2021〕30号): its sections, rows and columns, with every
label printed verbatim (rules.md §4). Computing a report is ``compute``; its data file ``datafile``; checking it
``check``."""

from __future__ import annotations

import dataclasses

from .. import statute

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

COLUMNS = (*statute.APPLICANT_TYPES, "总计")
TOP_LEFT_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclasses.dataclass(frozen=True)
class Row:
    key: str            # as in the report data file (rules.md §4.5)
    label: str          # as printed (rules.md §4.2)
    group: str = ""     # （三）…（六）: the group a numbered sub-row belongs to


NEW_ROW = Row("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量")
CARRIED_IN_ROW = Row("二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量")
TOTAL_ROW = Row("（七）总计", "（七）总计")
CARRIED_OUT_ROW = Row("四、结转下年度继续办理", "四、结转下年度继续办理")
RESULT_ROWS = tuple(Row(o.row_key, o.label + o.note, o.group) for o in statute.OUTCOMES)
# The 22 rows under 三、本年度办理结果.
SECTION3_ROWS = (*RESULT_ROWS, TOTAL_ROW)
REQUEST_ROWS = (NEW_ROW, CARRIED_IN_ROW, *SECTION3_ROWS, CARRIED_OUT_ROW)
ROW_BY_KEY = {row.key: row for row in REQUEST_ROWS}

# Section 二: four blocks, each with its caption (the article of 条例 art. 20), columns and rows.
ACTIVE_BLOCKS = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), statute.NORMATIVE_DOC_TYPES),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
ACTIVE_COLUMNS = {row: columns for _, columns, rows in ACTIVE_BLOCKS for row in rows}
# The one cell that is an amount (万元, with decimals); every other cell of the report counts documents or cases.
AMOUNT_CELL = ("行政事业性收费", "本年收费金额（单位：万元）")

# Section 四: 15 cells.
REVIEW_ROWS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_PARTS = REVIEW_COLUMNS[:4]
