"""The annual report: computed from real catalogs, checked with row/column messages, carried over between years."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, FIXTURES, REPO, make_catalog, make_site

from builder.model.load import load_catalog
from builder.report.check import check_report
from builder.report.compute import compute_report
from builder.report.datafile import read_report_file, to_yaml
from builder.report.layout import COLUMNS, REQUEST_ROWS, ROW_BY_KEY, SECTION3_ROWS
from builder.statute import APPLICANT_TYPES, OUTCOME_ROWS


@pytest.fixture(scope="module")
def example():
    catalog, problems = load_catalog(EXAMPLE)
    assert not [p for p in problems if p.is_error]
    return catalog


def _report(catalog, organ: str, year: int):
    source = next((r for r in catalog.reports if r.organ == organ and r.year == year), None)
    return compute_report(catalog, catalog.organs[organ], year, source)


def test_layout_has_22_rows_under_section_three_and_every_outcome_has_its_row():
    assert len(SECTION3_ROWS) == 22
    assert len(REQUEST_ROWS) == 25
    assert set(OUTCOME_ROWS.values()) <= set(ROW_BY_KEY)
    assert COLUMNS == (*APPLICANT_TYPES, "总计")


def test_example_report_cells(example):
    report = _report(example, "jilin-province", 2025)
    rows = report.requests
    # 15 requests received in 2025: 10 自然人, 2 商业企业, 1 科研机构, 1 社会公益组织, 1 法律服务机构.
    assert rows["一、本年新收政府信息公开申请数量"] == [10, 2, 1, 1, 1, 0, 15]
    assert rows["二、上年结转政府信息公开申请数量"] == [0] * 7
    assert rows["（一）予以公开"] == [4, 1, 0, 1, 0, 0, 6]
    assert rows["（三）不予公开/7.属于行政执法案卷"] == [0, 0, 0, 0, 1, 0, 1]
    assert rows["（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"][-1] == 1
    assert rows["（七）总计"] == [10, 1, 1, 1, 1, 0, 14]
    # 2025-015 (商业企业), received 2025-12-22, answered 2026-01-15: open on 31 December.
    assert rows["四、结转下年度继续办理"] == [0, 1, 0, 0, 0, 0, 1]
    assert report.active["行政许可"] == {"本年处理决定数量": 550}
    assert report.active["行政事业性收费"] == {"本年收费金额（单位：万元）": 7730.28}
    assert report.review["行政复议"] == {"结果维持": 3, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 5}
    assert report.fee_collected == 1100  # 2025-012: 120 pages, paid
    assert check_report(report) == []


def test_request_open_on_31_december_reappears_as_carried_over_next_year(example):
    this_year = _report(example, "jilin-province", 2026)
    last_year = _report(example, "jilin-province", 2025)
    assert this_year.requests["二、上年结转政府信息公开申请数量"] == last_year.requests["四、结转下年度继续办理"]
    assert this_year.requests["（一）予以公开"][1] >= 1  # 2025-015 answered in 2026, counted there
    assert [p.code for p in check_report(this_year, last_year) if p.code == "W-REPORT-CARRYOVER"] == []


def test_active_disclosure_counts_issued_repealed_and_in_force(example):
    jiyuan = _report(example, "jiyuan-city", 2024)
    cells = jiyuan.active["行政规范性文件"]
    # 2024: 济政〔2024〕12号 issued; 济政〔2020〕9号 repealed on 2024-06-01; in force on 31 Dec: only the new one.
    assert cells == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}


@pytest.mark.parametrize("outcome", sorted(OUTCOME_ROWS))
def test_every_outcome_lands_in_its_row(tmp_path, outcome):
    extra = {
        "逾期不补正": "  correction: {notified: 2026-03-04}\n",
        "补正后仍不明确": "  correction: {notified: 2026-03-04, received: 2026-03-06}\n",
        "逾期未缴费": "  fee: {notified: 2026-03-05, nth_in_month: 11, amount: 100}\n",
    }.get(outcome, "")
    catalog_dir = make_catalog(tmp_path)
    (catalog_dir / "requests" / "2026.yaml").write_text(
        f"- id: R-1\n  organ: demo\n  received: 2026-03-02\n  channel: 网上\n  applicant_type: 科研机构\n{extra}"
        f"  replied: 2026-03-30\n  outcome: {outcome}\n", encoding="utf-8")
    catalog, problems = load_catalog(catalog_dir)
    assert not [p for p in problems if p.is_error]
    report = compute_report(catalog, catalog.organs["demo"], 2026, None)
    nonzero = {key for key, cells in report.requests.items() if any(cells)}
    assert nonzero == {"一、本年新收政府信息公开申请数量", OUTCOME_ROWS[outcome], "（七）总计"}
    assert report.requests[OUTCOME_ROWS[outcome]] == [0, 0, 1, 0, 0, 0, 1]


def test_missing_statistics_file_leaves_cells_blank_and_the_check_says_so(example):
    report = compute_report(example, example.organs["jilin-province"], 2024, None)
    codes = {p.code for p in check_report(report)}
    assert codes == {"E-REPORT-BLANK"}


def test_report_build_writes_yaml_json_and_csv_that_check_clean(run, tmp_path):
    for kind in ("yaml", "json", "csv"):
        result = run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025",
                     "--format", kind, "--out", f"r.{kind}")
        assert result.exit_code == 0, result.output
    document = yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))
    assert document == json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) | {
        "published": document["published"]}
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf"), "Excel reads a CSV without it as GBK"
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["部分", "行", "列", "数值"] and len(rows) == 1 + 10 + 25 * 7 + 15
    for kind in ("yaml", "json", "csv"):
        result = run("report", "check", f"r.{kind}")
        assert result.exit_code == 0, (kind, result.output)
    from_yaml, _ = read_report_file(tmp_path / "r.yaml")
    from_csv, _ = read_report_file(tmp_path / "r.csv")
    assert (from_csv.active, from_csv.requests, from_csv.review) == (
        from_yaml.active, from_yaml.requests, from_yaml.review), "the CSV reads back cell for cell"


def test_a_csv_printed_and_redirected_into_a_file_has_its_byte_order_mark_too(tmp_path):
    """Found by a review: only --out wrote the mark, and `report build --format csv > r.csv` opened garbled."""
    result = subprocess.run([sys.executable, "-m", "builder", "report", "build", "--catalog", str(EXAMPLE), "--organ",
                             "jilin-province", "--year", "2025", "--format", "csv"], cwd=REPO, capture_output=True)
    assert result.returncode == 0 and result.stdout.startswith("\ufeff部分,行,列,数值".encode("utf-8"))


def test_a_changed_cell_of_the_csv_is_named_at_its_line(run, tmp_path):
    run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025", "--format",
        "csv", "--out", "r.csv")
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("三,一、本年新收政府信息公开申请数量,自然人,"))
    lines[number] = lines[number].rsplit(",", 1)[0] + ",9999"
    lines.insert(3, "五,多余,列,1")
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("report", "check", "r.csv")
    assert result.exit_code == 1
    # The row's 总计 is what the message says is wrong: its cell, six lines below 自然人 (and one down, for the line
    # inserted above)
    assert f"r.csv:{number + 2 + 6}: E-REPORT-ROW-TOTAL" in result.output, result.output
    assert "r.csv:4: E-REPORT-LAYOUT" in result.output


def _line_of(lines: list[str], start: str) -> int:
    """The 1-based line of the file whose text starts with ``start``."""
    [number] = [n for n, line in enumerate(lines, start=1) if line.startswith(start)]
    return number


def test_every_problem_of_a_cell_of_the_csv_names_that_cells_line(run, tmp_path):
    """Found by a review: a hand-edited CSV's section 三 problems named the row's first line (自然人), so a blank
    商业企业 on line 20 was said to be on line 19 and a wrong 总计 on line 32 on line 26; the identity was named at
    the 四 row's first line whatever its column."""
    run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025", "--format",
        "csv", "--out", "r.csv")
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    edits = {"三,二、上年结转政府信息公开申请数量,商业企业,": "",     # blank
             "三,（一）予以公开,总计,": "7",                          # row total 6, (七)总计's sum 15
             "三,四、结转下年度继续办理,科研机构,": "1",               # and its 总计, so the row adds up
             "三,四、结转下年度继续办理,总计,": "2",
             "四,行政复议,尚未审结,": "2"}
    for start, value in edits.items():
        number = _line_of(lines, start)
        lines[number - 1] = start + value
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = run("report", "check", "r.csv")
    found = sorted(re.findall(r"^r\.csv:(\d+): (\S+) (.*)$", result.stdout, re.M), key=lambda f: (int(f[0]), f[1]))
    expected = [
        (_line_of(lines, "三,二、上年结转政府信息公开申请数量,商业企业,"), "E-REPORT-BLANK", "“商业企业”列"),
        (_line_of(lines, "三,（一）予以公开,总计,"), "E-REPORT-ROW-TOTAL", "“（一）予以公开”行"),
        (_line_of(lines, "三,（七）总计,总计,"), "E-REPORT-RESULT-TOTAL", "“总计”列"),
        (_line_of(lines, "三,四、结转下年度继续办理,科研机构,"), "E-REPORT-IDENTITY", "“科研机构”列"),
        (_line_of(lines, "三,四、结转下年度继续办理,总计,"), "E-REPORT-IDENTITY", "“总计”列"),
        (_line_of(lines, "四,行政复议,总计,"), "E-REPORT-REVIEW-TOTAL", "行政复议"),
    ]
    assert result.exit_code == 1 and len(found) == len(expected), result.output
    for (line, code, text), (got_line, got_code, message) in zip(sorted(expected), found, strict=True):
        assert (str(line), code) == (got_line, got_code) and text in message, (line, code, found)


def test_a_cell_of_a_json_or_block_yaml_file_is_named_at_its_own_line(run, tmp_path):
    """JSON writes each cell of a 三 row on its own line, and YAML may (a block list): a problem names that line,
    not the row's key; a flow list's cells share its line."""
    run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025", "--format",
        "json", "--out", "r.json")
    original = (tmp_path / "r.json").read_text(encoding="utf-8")
    # Last year's report: the same numbers, one request (商业企业) carried forward into this year.
    (tmp_path / "r2024.json").write_text(original.replace('"year": 2025', '"year": 2024'), encoding="utf-8")
    lines = original.splitlines()
    row = _line_of(lines, '    "二、上年结转政府信息公开申请数量": [')
    assert lines[row + 1].strip() == "0," and lines[row + 6].strip() == "0"  # 商业企业 and 总计, on lines of their own
    lines[row + 1] = lines[row + 1].replace("0,", "-1,")
    (tmp_path / "r.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("report", "check", "r.json", "--previous", "r2024.json")
    found = re.findall(r"^r\.json:(\d+): (\S+) 第三部分“([^”]+)”(?:行“([^”]+)”)?列", result.stdout, re.M)
    assert sorted(found) == sorted([
        (str(row + 2), "E-REPORT-NEGATIVE", "二、上年结转政府信息公开申请数量", "商业企业"),
        (str(row + 2), "W-REPORT-CARRYOVER", "二、上年结转政府信息公开申请数量", "商业企业"),
        (str(row + 7), "W-REPORT-CARRYOVER", "二、上年结转政府信息公开申请数量", "总计"),
    ]), result.output
    # The same row as a YAML block list, and as a flow list (every cell on the row's line).
    run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025", "--out", "r.yaml")
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    flow = "  二、上年结转政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]\n"
    assert flow in text
    block = "  二、上年结转政府信息公开申请数量:\n" + "".join(f"  - {v}\n" for v in (0, 0, 0, 0, 0, 0, 1))
    (tmp_path / "r.yaml").write_text(text.replace(flow, block), encoding="utf-8")
    key = _line_of(text.splitlines(), flow.rstrip())
    result = run("report", "check", "r.yaml")
    assert f"r.yaml:{key + 7}: E-REPORT-ROW-TOTAL" in result.stdout, result.output
    (tmp_path / "r.yaml").write_text(text.replace(flow, flow.replace("0]", "1]")), encoding="utf-8")
    result = run("report", "check", "r.yaml")
    assert f"r.yaml:{key}: E-REPORT-ROW-TOTAL" in result.stdout, result.output


@pytest.mark.parametrize("text, expected", [
    ("", "r.yaml:1: E-REPORT-LAYOUT 文件是空的"),
    ("# 2025 年度报告数据\n", "r.yaml:1: E-REPORT-LAYOUT 文件是空的"),
    ("year: 二〇二五\nrequests: {}\n", "r.yaml:1: E-REPORT-LAYOUT “year”应为 2008 至 2200 年之间的报告年度"),
    ("requests: {}\n", "r.yaml:1: E-REPORT-LAYOUT “year”应为 2008 至 2200 年之间的报告年度，如 2025，实际为“”"),
    ("year: 9999\npublished: 2026-03-25\norgan_kind: government\nrequests: {}\n", "实际为“9999”"),  # was a crash
    ("year: true\npublished: 2026-03-25\norgan_kind: government\nrequests: {}\n", "实际为“True”"),
    ("year: 2025\npublished: 2026-13-01\nrequests: {}\n", "r.yaml:2: E-REPORT-LAYOUT “published”应为发布日期"),
    ("year: 2025\npublished: 2026/01/20\nrequests: {}\n", "实际为“2026/01/20”（应写成 2026-01-20）"),
    ("year: 2025\norgan_kind: []\nrequests: {}\n", "r.yaml:2: E-REPORT-LAYOUT “organ_kind”应为"),  # was a crash
])
def test_a_file_without_a_report_is_an_error(run, tmp_path, text, expected):
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    result = run("report", "check", "r.yaml")
    assert result.exit_code == 1 and expected in result.output, result.output


def test_a_publication_time_in_the_statistics_file_is_kept_in_its_files_and_on_the_site(run, tmp_path):
    """Portals export 发布日期 with its time of day: the report's files keep it as stated (a build stopped on it)."""
    path = Path("reports/2025/changchun-city.yaml")
    text = (EXAMPLE / path).read_text(encoding="utf-8").replace("published: 2026-03-30\n", "published: 2026-03-30 09:30\n")
    assert "09:30" in text
    site, _ = make_site(tmp_path, source=EXAMPLE, files={str(path): text})
    for kind in ("yaml", "json"):
        result = run("report", "build", "--catalog", str(tmp_path / "catalog"), "--organ", "changchun-city", "--year",
                     "2025", "--format", kind, "--out", f"r.{kind}")
        assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8"))["published"] == dt.datetime(2026, 3, 30, 9, 30)
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["published"] == "2026-03-30 09:30:00"
    published = [yaml.safe_load(file.read_text(encoding="utf-8"))["published"] for file in site.rglob("report-2025.yaml")]
    assert dt.datetime(2026, 3, 30, 9, 30) in published
    assert run("report", "check", "r.yaml").exit_code == 0
    read_back, _ = read_report_file(tmp_path / "r.yaml")
    assert yaml.safe_load(to_yaml(read_back))["published"] == dt.datetime(2026, 3, 30, 9, 30)


def test_report_build_rejects_unknown_organ(run):
    result = run("report", "build", "--catalog", str(EXAMPLE), "--organ", "nobody", "--year", "2025")
    assert result.exit_code == 2 and "jilin-province" in result.output


def test_clean_hand_typed_file_passes_and_messages_name_row_column_expected_found(run, tmp_path):
    assert run("report", "check", str(FIXTURES / "reports" / "clean-2025.yaml")).exit_code == 0
    report_file = FIXTURES / "broken" / "report-identity" / "report.yaml"
    report, problems = read_report_file(report_file)
    messages = [p.format() for p in check_report(report)]
    identity = [m for m in messages if "E-REPORT-IDENTITY" in m]
    assert any("“自然人”列" in m and "= 10" in m and "= 11" in m for m in identity), messages
    report, _ = read_report_file(FIXTURES / "broken" / "report-row-total" / "report.yaml")
    [row_total] = [p.format() for p in check_report(report) if p.code == "E-REPORT-ROW-TOTAL"]
    assert "“一、本年新收政府信息公开申请数量”行" in row_total and "之和 15，实际为 16" in row_total


def test_2019_layout_is_named(run, tmp_path):
    result = run("report", "check", str(FIXTURES / "broken" / "report-layout-2019" / "report.yaml"))
    assert result.exit_code == 1
    assert "2019 年试行格式" in result.stdout


def test_report_build_names_the_statistics_file_to_create_not_line_0(run, tmp_path):
    make_catalog(tmp_path)
    result = run("report", "build", "--organ", "demo", "--year", "2026")
    problems = [line for line in result.stderr.splitlines() if "E-REPORT-BLANK" in line]
    assert result.exit_code == 1 and len(problems) == 19 and ":0:" not in result.stderr
    assert all(line.startswith("catalog/reports/2026/demo.yaml:1: E-REPORT-BLANK 第") for line in problems)


def test_report_problems_point_at_the_statistics_files_lines(tmp_path):
    catalog = make_catalog(tmp_path)
    text = (catalog / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8")
    block = "litigation_after_review:\n  upheld: 0\n  corrected: 0\n  other: 0\n  pending: 0"
    (catalog / "reports" / "2025" / "demo.yaml").write_text(
        text.replace("litigation_after_review: {upheld: 0, corrected: 0, other: 0, pending: 0}", block), encoding="utf-8")
    loaded, _ = load_catalog(catalog)
    report = _report(loaded, "demo", 2025)
    path = str(catalog / "reports" / "2025" / "demo.yaml")
    assert repr(report.where("active_disclosure", "行政强制", "本年处理决定数量")).endswith("demo.yaml:5")
    assert repr(report.where("review_litigation", "行政诉讼/复议后起诉", "其他结果")).endswith("demo.yaml:12")
    assert report.path.endswith("reports/2025/demo.yaml") and path.endswith(report.path)


def test_report_check_takes_the_catalogs_statistics_file_as_last_years_report(run, tmp_path):
    catalog = make_catalog(tmp_path)
    statistics = (catalog / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8")
    (catalog / "reports" / "2026").mkdir()
    (catalog / "reports" / "2026" / "demo.yaml").write_text(
        statistics.replace("2026-00090", "2026-00091").replace("published: 2026-03-20", "published: 2027-03-20"),
        encoding="utf-8")
    built = run("report", "build", "--organ", "demo", "--year", "2026", "--out", "r2026.yaml")
    assert built.exit_code == 0, built.output
    result = run("report", "check", "r2026.yaml", "--previous", "catalog/reports/2025/demo.yaml")
    assert result.exit_code == 0 and result.stdout == "", result.output
    # Last year's numbers are the catalog's: none in force at the end of 2025, one issued in 2026.
    report = tmp_path / "r2026.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "行政规范性文件:\n    本年制发件数: 1\n    本年废止件数: 0\n    现行有效件数: 1",
        "行政规范性文件:\n    本年制发件数: 1\n    本年废止件数: 0\n    现行有效件数: 2"), encoding="utf-8")
    result = run("report", "check", "r2026.yaml", "--previous", "catalog/reports/2025/demo.yaml")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "W-REPORT-IN-FORCE 第二部分“行政规范性文件”现行有效件数为 2，按上年现行有效 0 + 本年制发 1" in result.stdout
    # The statistics file checked on its own: the report computed from the catalog.
    result = run("report", "check", "catalog/reports/2025/demo.yaml")
    assert result.exit_code == 0 and result.stdout == "" and "0 个错误，0 个警告" in result.stderr


def test_a_statistics_file_outside_a_catalog_is_explained(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (tmp_path / "stats.yaml").write_text((catalog / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    result = run("report", "check", str(FIXTURES / "reports" / "clean-2025.yaml"), "--previous", "stats.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stdout.startswith("stats.yaml:1: E-REPORT-LAYOUT 这是年度报告的统计数文件，不是年报数据文件")


@pytest.mark.parametrize("kind, published, late", [
    ("government", "2026-03-31", False), ("government", "2026-06-30", True),
    ("department", "2026-01-31", False), ("department", "2026-02-01", True),
    ("township", "2026-12-31", False),  # set locally, in a catalog's settings: not known to a lone file
])
def test_report_check_says_a_report_published_after_its_due_date(run, tmp_path, kind, published, late):
    text = (FIXTURES / "reports" / "clean-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("organ_kind: government\n", f"organ_kind: {kind}\n").replace(
        "published: 2026-03-20\n", f"published: {published}\n")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    result = run("report", "check", "r.yaml")
    assert result.exit_code == 0, result.output
    assert ("W-REPORT-LATE" in result.output) is late, result.output
    if late:
        assert f"r.yaml:6: W-REPORT-LATE 2025 年度报告于 {published} 公布" in result.output


def test_report_check_names_an_unknown_organ_kind(run, tmp_path):
    text = (FIXTURES / "reports" / "clean-2025.yaml").read_text(encoding="utf-8")
    (tmp_path / "r.yaml").write_text(text.replace("organ_kind: government", "organ_kind: 部门"), encoding="utf-8")
    result = run("report", "check", "r.yaml")
    assert result.exit_code == 1 and "r.yaml:4: E-REPORT-LAYOUT “organ_kind”应为 government、department、township 之一" \
        in result.output, result.output


def _ontime_chart(site: Path, year: int) -> str | None:
    """The title of the on-time chart on the organ's report page on ``year``, or None when the page has none."""
    [page] = [p for p in site.glob("items/*.html") if f"{year}年政府信息公开工作年度报告" in p.read_text(encoding="utf-8")]
    found = re.search(r'<title id="gk-chart-ontime-title">([^<]*)</title>.*?>(\d+(?:\.\d)?)%<', page.read_text(encoding="utf-8"),
                      re.S)
    return found and f"{found[1]} {found[2]}%"


def test_the_on_time_rate_counts_only_replies_whose_time_is_known_and_shows_none_without_them(tmp_path):
    """A reply whose time cannot be counted without next year's calendar is pending, not late (it showed 50 % here):
    received 2026-12-01 and answered 12-31, after 19 working days to 12-28, whether 12-29 and 12-30 count (and make
    it the 21st) is 2027's notice to say. A report year without replies shows no rate at all (it showed 0.0 %)."""
    report = (FIXTURES / "base" / "catalog" / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8")
    requests = (FIXTURES / "base" / "catalog" / "requests" / "2026.yaml").read_text(encoding="utf-8") + (
        "- {id: R-2, organ: demo, received: 2026-12-01, channel: 网上, applicant_type: 自然人, replied: 2026-12-31,"
        " outcome: 予以公开}\n")
    site, _ = make_site(tmp_path, today="2027-01-26", files={
        "requests/2026.yaml": requests,
        "reports/2026/demo.yaml": report.replace("2026-00090", "2027-00001").replace("2026-03-20", "2027-01-25")})
    assert _ontime_chart(site, 2026) == "按时答复率（另 1 件待定：缺少节假日数据） 100.0%"
    assert _ontime_chart(site, 2025) is None  # nothing was answered in 2025


def test_the_report_commands_refuse_requests_they_cannot_count_at_their_lines(run, tmp_path):
    """A reply without its outcome crashed both commands (KeyError: None); `report check` of the statistics file
    left a request with a misspelt applicant type out of the tables and said 0 个错误."""
    catalog = make_catalog(tmp_path)
    log = catalog / "requests" / "2026.yaml"
    log.write_text(log.read_text(encoding="utf-8").replace("  outcome: 予以公开\n", ""), encoding="utf-8")
    for args in (("report", "build", "--organ", "demo", "--year", "2026"),
                 ("report", "check", "catalog/reports/2025/demo.yaml")):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output and "内部错误" not in result.output
        assert "catalog/requests/2026.yaml:6: E-OUTCOME-REPLY" in result.output, result.output
    log.write_text(log.read_text(encoding="utf-8") + "- {id: R-2, organ: demo, received: 2025-10-09, channel: 网上, "
                   "applicant_type: 公司, replied: 2025-10-10, outcome: 予以公开}\n", encoding="utf-8")
    result = run("report", "check", "catalog/reports/2025/demo.yaml")
    assert result.exit_code == 1 and "catalog/requests/2026.yaml:7: E-CHOICE" in result.output, result.output


def test_a_late_reply_in_a_year_without_its_notice_does_not_stop_the_site(tmp_path):
    # Due 2026-12-18, answered 2027-01-05: late for sure, its working days not countable before 2027's notice.
    late = ("- id: L-01\n  organ: demo\n  received: 2026-11-20\n  channel: 网上\n  applicant_type: 自然人\n"
            "  replied: 2027-01-05\n  outcome: 予以公开\n")
    site, result = make_site(tmp_path, files={"requests/late.yaml": late}, today="2027-01-10")
    assert result.returncode == 0
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (site / "apply" / "index.html").read_text(encoding="utf-8")))
    # received 2, answered 2, on time 1 (the late one counts), the median of the one whose days can be counted
    assert "示例市人民政府 2 2 1 14 " in page


def test_a_reply_in_time_before_the_calendar_runs_out_is_on_time_not_pending(run, tmp_path):
    """Found by a review (2026-12-01): received 2026-12-01 and answered 12-03 (2 working days of 20), with no 2027 in
    holidays.yaml, the 依申请公开 page said 另 1 件待定：缺少节假日数据 and validate W-CALENDAR-YEAR: the whole
    deadline (12-29, which 2027's notice may place) was counted to judge a reply made long before it."""
    requests = (FIXTURES / "base" / "catalog" / "requests" / "2026.yaml").read_text(encoding="utf-8") + (
        "- {id: R-4, organ: demo, received: 2026-12-01, channel: 网上, applicant_type: 自然人, replied: 2026-12-03,"
        " outcome: 予以公开}\n")
    site, result = make_site(tmp_path, today="2026-12-10", files={"requests/2026.yaml": requests})
    assert "W-CALENDAR-YEAR" not in result.stdout, result.stdout
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (site / "apply" / "index.html").read_text(encoding="utf-8")))
    # received 2, answered 2, both on time, the median of 14 and 2 working days
    assert "示例市人民政府 2 2 2 8.0 " in page and "待定" not in page, page
    catalog = tmp_path / "catalog"
    assert run("validate", "--catalog", str(catalog), "--today", "2026-12-10").stdout == ""
    # An open request is still pending: its due date needs 2027's notice.
    with (catalog / "requests" / "2026.yaml").open("a", encoding="utf-8") as log:
        log.write("- {id: R-5, organ: demo, received: 2026-12-02, channel: 网上, applicant_type: 自然人}\n")
    assert "2026.yaml:9: W-CALENDAR-YEAR" in run("validate", "--catalog", str(catalog), "--today", "2026-12-10").stdout


def test_report_build_and_check_say_a_publication_date_before_the_year_ended_and_where(run, tmp_path):
    """Found by a review at the year's start: published: 2026-06-01 on the 2026 statistics file failed validate and
    the build (E-DATE-ORDER) but passed `report build` and `report check`; and W-REPORT-LATE named the file's first
    line, not the date's."""
    catalog = make_catalog(tmp_path)
    statistics = (catalog / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8")
    (catalog / "reports" / "2026").mkdir()
    line = next(n for n, text in enumerate(statistics.splitlines(), 1) if text.startswith("published:"))
    path = catalog / "reports" / "2026" / "demo.yaml"
    path.write_text(statistics.replace("2026-00090", "2026-00091").replace(
        statistics.splitlines()[line - 1], "published: 2026-06-01"), encoding="utf-8")
    for result in (run("report", "build", "--organ", "demo", "--year", "2026", "--out", "r.yaml"),
                   run("report", "check", "catalog/reports/2026/demo.yaml")):
        assert result.exit_code == 1 and f"catalog/reports/2026/demo.yaml:{line}: E-DATE-ORDER" in result.output
    path.write_text(statistics.replace("2026-00090", "2026-00091").replace(
        statistics.splitlines()[line - 1], "published: 2027-04-05"), encoding="utf-8")
    built = run("report", "build", "--organ", "demo", "--year", "2026", "--out", "r.yaml")
    assert f"catalog/reports/2026/demo.yaml:{line}: W-REPORT-LATE" in built.output, built.output
