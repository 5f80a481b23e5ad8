"""CSV files in the encodings and separators Excel and WPS write; anything else is a problem, not a traceback."""

from __future__ import annotations

import codecs

import pytest

from builder.exchange.csvfile import read_csv
from builder.exchange.sheet import UncalculatedFormula

TEXT = "事项名称,事项编码\n不动产登记,SL-QR-0001\n"


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT.encode("gb18030"),
    TEXT.encode("utf-16"), TEXT.replace(",", "\t").encode("utf-8"), TEXT.replace(",", ";").encode("gb18030"),
], ids=["utf-8", "utf-8-bom", "gb18030", "utf-16", "tabs", "semicolons-gb18030"])
def test_every_encoding_and_separator_offices_write(tmp_path, raw):
    path = tmp_path / "清单.csv"
    path.write_bytes(raw)
    [sheet], problems = read_csv(path, "清单.csv")
    assert problems == []
    assert sheet.rows == (("事项名称", "事项编码"), ("不动产登记", "SL-QR-0001"))
    assert sheet.name is None


def test_blank_cells_are_none_and_quoted_cells_keep_their_line_breaks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('标题,主题词\n"第一行\n第二行", \n', encoding="utf-8")
    [sheet], _ = read_csv(path, "a.csv")
    assert sheet.rows[1] == ("第一行\n第二行", None)


def test_bytes_no_encoding_reads_are_a_problem_at_the_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\xfd\x80\x81" * 3 + b"\x00\xd8")
    sheets, [problem] = read_csv(path, "bad.csv")
    assert sheets == []
    assert problem.format().startswith("bad.csv:0: E-IMPORT-UNREADABLE ")


def test_an_excel_error_is_no_value_and_a_long_body_is_read_whole(tmp_path):
    path = tmp_path / "a.csv"
    body = "正文" * 70_000  # beyond the csv module's own limit of 131,072 characters
    path.write_text(f'标题,文号,正文\n示例,#N/A,"{body}"\n', encoding="utf-8")
    [sheet], problems = read_csv(path, "a.csv")
    assert problems == []
    assert sheet.rows[1] == ("示例", UncalculatedFormula("", error="#N/A"), body)


def test_half_width_semicolons_in_the_cells_of_a_comma_separated_file_are_no_separators(tmp_path):
    """Found by a review: a fee list whose 政策依据 cells list documents with half-width semicolons has more of them
    in its first lines than commas, and was read as semicolon-separated, without a header."""
    basis = "《价格法》;《行政事业性收费管理办法》;发改价格〔2016〕2559号;财税〔2016〕79号;吉价〔2020〕1号;吉财〔2021〕2号;吉财〔2022〕3号"
    path = tmp_path / "收费.csv"
    path.write_text("项目编号,项目名称,收费单位,政策依据,确定日期\r\n"
                    + "".join(f"SF-{n},收费{n},示例市人民政府,{basis},2025-02-20\r\n" for n in range(4)), encoding="utf-8")
    [sheet], problems = read_csv(path, "收费.csv")
    assert problems == []
    assert sheet.rows[0] == ("项目编号", "项目名称", "收费单位", "政策依据", "确定日期")
    assert sheet.rows[1] == ("SF-0", "收费0", "示例市人民政府", basis, "2025-02-20")
