"""Spreadsheets as offices keep them, built in code with openpyxl: a title row above the header, headers over two
rows under merged cells, section rows, blank rows, cells merged down several rows, Excel serial dates, dates
typed as text, full-width digits and one bad row. Nothing is downloaded.

They belong to the base fixture catalog (organ ``demo``, 示例市人民政府; fee ``F-1``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

ORGAN_NAME = "示例市人民政府"


def powers_workbook(path: Path) -> Path:
    """权力清单.xlsx: one sheet, title rows, a two-row header, section rows, 实施主体 merged down, and a bad row
    (R12: 职权类型 not in the list, 法定时限 with no number, 确定日期 without a day)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行政许可"
    sheet["A1"] = "示例市人民政府权力清单（2026年版）"
    sheet.merge_cells("A1:L1")
    sheet["A2"] = "填报单位：示例市人民政府办公室"
    sheet.merge_cells("A2:L2")
    tops = ["序号", "事项编码", "事项名称", "职权类型", "实施主体", "设定依据", "办理时限", None, "收费项目",
            "确定日期", "公开日期", "备注"]
    for column, text in enumerate(tops, start=1):
        if text:
            sheet.cell(3, column, text)
    for letter in "ABCDEFIJKL":
        sheet.merge_cells(f"{letter}3:{letter}4")
    sheet.merge_cells("G3:H3")
    sheet["G4"], sheet["H4"] = "法定时限", "承诺时限"
    sheet["A5"] = "一、行政许可"
    sheet.merge_cells("A5:L5")
    rows = [
        (1, "SL-XK-0001", "建设工程规划许可", "行政许可", ORGAN_NAME, "《中华人民共和国城乡规划法》第四十条",
         "20个工作日", "１５", "F-1", dt.datetime(2026, 3, 2), 46087, "常年办理"),
        (2, "SL-XK-0002", "临时占用城市道路审批", "行政许可", None,
         "《城市道路管理条例》第三十一条\n《示例市市政设施管理办法》第十条", 20, 10, "不收费", "2026年3月2日",
         "2026.03.06", None),
        (3, "SL-XK-0003", "户外广告设置审批", "行政许可", None, "《示例市户外广告管理条例》第八条", "二十个工作日", None,
         None, "２０２６－０３－０２", "2026/3/6", None),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(6 + offset, column, value)
    sheet.merge_cells("E6:E8")  # one 实施主体 for the group
    # R9 blank; R10 a section row; R11 a good row; R12 the bad row.
    sheet["A10"] = "二、行政确认"
    sheet.merge_cells("A10:L10")
    good = (4, "SL-QR-0001", "不动产登记", "行政确认", ORGAN_NAME, "《不动产登记暂行条例》第二十条", 30, 5, "F-1",
            dt.date(2026, 3, 2), dt.date(2026, 3, 6), None)
    bad = (5, "SL-QR-0002", "某事项确认", "行政审批", ORGAN_NAME, "《某条例》第五条", "按规定", "3个月", None,
           "2026年3月", dt.date(2026, 3, 6), None)
    for number, row in ((11, good), (12, bad)):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    for row in sheet.iter_rows(min_row=6, min_col=10, max_col=10):
        for cell in row:
            if isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


def good_powers_workbook(path: Path) -> Path:
    """The powers workbook without its bad row."""
    powers_workbook(path)
    book = openpyxl.load_workbook(path)
    book.active.delete_rows(12)
    book.save(path)
    return path


def items_workbook(path: Path, annex: Path | None = None) -> Path:
    """政府信息公开目录.xlsx: a 说明 sheet first, then the catalog with a merged title row, 体裁 (no such field),
    公开类别 by its label, an Excel serial 成文日期, a 发布日期 with its time, bodies in a column or a file."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes["A1"] = "日期请按 2026-03-02 填写。"
    sheet = book.create_sheet("目录")
    sheet["A1"] = "示例市人民政府政府信息公开目录"
    sheet.merge_cells("A1:L1")
    header = ["索引号", "标题", "发文机关", "成文日期", "发布日期", "发文字号", "主题分类", "体裁", "公开类别",
              "正文", "正文文件", "附件"]
    for column, text in enumerate(header, start=1):
        sheet.cell(2, column, text)
    rows = [
        ("11220000013544357T/2026-00011", "示例市人民政府关于印发示例办法的通知", ORGAN_NAME, 46083,
         dt.datetime(2026, 3, 6, 9, 30), "示政发〔2026〕3号", "综合政务/政务公开", "通知",
         "（一）行政法规、规章和规范性文件", "各区人民政府：\n\n现将《示例办法》印发给你们。", None,
         f"{annex.name} | 示例办法全文" if annex else None),
        ("１１２２０００００１３５４４３５７Ｔ／２０２６－０００１２", "示例市2025年国民经济和社会发展统计公报", ORGAN_NAME,
         "2026年3月2日", "2026.03.09", None, "国民经济管理/统计", "公报", "20-4", None, "bulletin.md", None),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(3 + offset, column, value)
    book.save(path)
    return path


FEES_CSV = """收费项目,项目编码,收费单位,资金管理方式,政策依据,收费标准,计费单位,确定日期,公开日期,备注
不动产登记费（示例）,SL-SF-0001,示例市人民政府,缴入地方国库,发改价格规〔2016〕2559号；财税〔2016〕79号,80,元/件,2026年3月2日,2026.03.06,小微企业免收
,,,,,,,,,
证照工本费（示例）,SL-SF-0002,示例市人民政府,缴入地方国库,价费字〔1992〕240号,１０,元/本,46083,2026-03-06,
"""


def fees_csv(path: Path, encoding: str = "gb18030") -> Path:
    path.write_bytes(FEES_CSV.encode(encoding))
    return path
