"""`gongkai due`: what needs action, including what cannot be dated yet."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE, FIXTURES, make_catalog, make_site

MISSING_YEAR = FIXTURES / "broken" / "calendar-year-missing" / "catalog"


def test_a_deadline_in_a_year_without_calendar_data_is_pending_and_nothing_else_stops(run, tmp_path):
    make_catalog(tmp_path, MISSING_YEAR)
    result = run("due", "--today", "2026-12-16", "--format", "json")
    assert result.exit_code == 0, result.output
    [pending] = [e for e in json.loads(result.stdout)["entries"] if e["subject"].startswith("R-2")]
    assert pending["due"] is None and pending["status"] == "待定：缺少 2027 年节假日数据：通知发布后用 gongkai holidays import 导入 catalog/holidays.yaml"
    assert pending["path"] == "catalog/requests/r2.yaml"
    text = run("due", "--today", "2026-12-16")
    assert "待定" in text.stdout and "Traceback" not in text.output


def test_the_site_builds_while_one_request_waits_for_next_years_calendar(tmp_path):
    site, result = make_site(tmp_path, overlay=MISSING_YEAR, today="2026-12-16")
    assert "r2.yaml:1: W-CALENDAR-YEAR" in result.stdout
    assert (site / "index.html").is_file()


def test_a_publication_planned_after_its_deadline_is_overdue_until_it_is_on_the_site(run, tmp_path):
    """Found by a review as office staff: an item formed 2026-10-27 (due 11-24) given published: 2026-12-15 left the
    dashboard, and validate spoke of it in the past tense (实际 2026-12-15 公开)."""
    catalog = make_catalog(tmp_path)
    (catalog / "items" / "2026" / "plan.md").write_text(
        "---\nindex_no: 11220000013544357T/2026-00057\ntitle: 计划公开的通知\norgan: demo\nwritten: 2026-10-27\n"
        "published: 2026-12-15\ncategory: 20-1\n---\n\n正文。\n", encoding="utf-8")
    entries = json.loads(run("due", "--today", "2026-11-30", "--format", "json").stdout)["entries"]
    assert [e["status"] for e in entries if e["subject"] == "计划公开的通知"] == ["已逾期"]
    validated = run("validate", "--today", "2026-11-30")
    assert "plan.md:6: W-PUBLISH-OVERDUE" in validated.stdout and "W-PUBLISH-LATE" not in validated.stdout
    later = run("validate", "--today", "2026-12-16")
    assert "plan.md:6: W-PUBLISH-LATE" in later.stdout and "公开日期 2026-12-15 逾期" in later.stdout


def test_a_report_begun_and_never_published_stays_overdue_after_new_year(run, tmp_path):
    """Found by a review as office staff: the 2025 report unpublished was 已逾期 275 天 on 2026-12-31 and forgotten
    by both `due` and validate on 2027-01-04."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    report = catalog / "reports" / "2025" / "changchun-city.yaml"
    report.write_text("\n".join(line for line in report.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("published:")) + "\n", encoding="utf-8")
    for today in ("2026-12-31", "2027-01-04"):
        entries = json.loads(run("due", "--today", today, "--format", "json").stdout)["entries"]
        assert [e["status"][:3] for e in entries if e["subject"] == "2025 年政府信息公开工作年度报告"
                and e["organ"] == "长春市人民政府"] == ["已逾期"], today
        assert "W-REPORT-OVERDUE" in run("validate", "--today", today).stdout, today


@pytest.mark.parametrize("written", ["", "written: 2026-03-10\n"], ids=["not stated", "stated"])
def test_a_report_to_be_published_is_not_timed_as_an_item_and_needs_no_written_date(run, tmp_path, written):
    """A report's clock is art. 49, not the 20 working days of art. 26: a report to be published on 2026-12-01 was
    listed as 主动公开 已逾期 from its 成文日期, and one stating no 成文日期 (unknown, not its publication date) stopped
    `due` and validate with an internal error."""
    catalog = make_catalog(tmp_path)
    report = catalog / "reports" / "2025" / "demo.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("published: 2026-03-20\n",
                                                                 f"{written}published: 2026-12-01\n"), encoding="utf-8")
    result = run("due", "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [e for e in json.loads(result.stdout)["entries"] if e["section"] == "主动公开"] == []
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 0 and "内部错误" not in result.output, result.output


@pytest.mark.parametrize("spring", ["2027-02-05-2027-02-13", "2027-02-09..2027-02-13"],
                         ids=["unreadable range", "statutory days missing"])
def test_a_year_the_holidays_file_gets_wrong_is_not_counted_with(run, tmp_path, spring):
    """Found by a review at the year's end: a 2027 block rejected with an error (a range written with a hyphen, or
    春节's statutory days left out) still dated every deadline across it, 除夕 to 初八 counted as working days."""
    catalog = make_catalog(tmp_path, MISSING_YEAR)
    (catalog / "holidays.yaml").write_text(
        "2027:\n  notice: 国办发明电〔2026〕N号\n  holidays:\n    - 2027-01-01\n"
        f"    - {spring}\n    - 2027-04-05\n    - 2027-05-01..2027-05-02\n    - 2027-06-09\n    - 2027-09-15\n"
        "    - 2027-10-01..2027-10-03\n  workdays: []\n", encoding="utf-8")
    result = run("due", "--today", "2026-12-16", "--format", "json")
    [pending] = [e for e in json.loads(result.stdout)["entries"] if e["subject"].startswith("R-2")]
    assert pending["due"] is None and pending["status"].startswith("待定"), pending
    assert run("validate", "--today", "2026-12-16").exit_code == 1


def test_a_report_with_a_publication_date_to_come_is_due_until_its_day(run, tmp_path):
    """Found by a review at the year's start: a 2026 report written down as published 2027-01-20 was left out of
    `due` and validate on 2027-01-15, and the home page said 已于 2027-01-20 公布 while the report was not there."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    statistics = (catalog / "reports" / "2025" / "jilin-province.yaml").read_text(encoding="utf-8")
    (catalog / "reports" / "2026").mkdir()
    (catalog / "reports" / "2026" / "jilin-province.yaml").write_text(
        statistics.replace("/2026-00012", "/2027-00003").replace("written: 2026-03-16", "written: 2027-01-18")
        .replace("published: 2026-03-20", "published: 2027-01-20"), encoding="utf-8")

    def status(today: str) -> list[str]:
        entries = json.loads(run("due", "--today", today, "--format", "json").stdout)["entries"]
        return [e["status"] for e in entries if e["subject"] == "2026 年政府信息公开工作年度报告"
                and e["organ"] == "吉林省人民政府"]

    assert status("2027-01-15") == ["还有 75 天"]
    assert "jilin-province.yaml:2: W-REPORT-DUE" in run("validate", "--today", "2027-01-15").stdout
    # Published: no longer due, and its figures are to be recorded (report/published.py).
    assert status("2027-01-20") == ["已于 2027-01-20 公布，尚未记录公布时的数字：请核对后运行 gongkai report record "
                                    "--organ jilin-province --year 2026"]
    assert "jilin-province.yaml:2: W-REPORT-DUE" not in run("validate", "--today", "2027-01-20").stdout


def test_a_report_never_begun_stays_overdue_after_new_year(run, tmp_path):
    """Found by a review at the year's start: 吉林市's 2025 report, with no statistics file, was 已逾期 334 天 on
    2026-12-31 and gone from `due` on 2027-01-15. Years before the first report the catalog holds are not asked."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    (catalog / "reports" / "2025" / "jilin-city-office.yaml").unlink()
    entries = json.loads(run("due", "--today", "2027-01-15", "--format", "json").stdout)["entries"]
    reports = sorted((e["organ"], e["subject"][:4], e["status"][:3]) for e in entries if e["section"] == "年度报告")
    assert ("吉林市人民政府办公厅", "2025", "已逾期") in reports
    assert not [report for report in reports if report[1] == "2024"]


def test_an_organ_is_asked_for_reports_from_its_own_first_one(run, tmp_path):
    """Found by a review of the fix above: one organ's 2023 report made every other organ's 2023 and 2024 reports
    overdue, on the public home page too, though they may have been published before the office kept them here."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    statistics = (catalog / "reports" / "2025" / "jilin-province.yaml").read_text(encoding="utf-8")
    (catalog / "reports" / "2023").mkdir()
    (catalog / "reports" / "2023" / "jilin-province.yaml").write_text(
        statistics.replace("/2026-00012", "/2024-00012").replace("2026-03-", "2024-03-"), encoding="utf-8")
    entries = json.loads(run("due", "--today", "2026-12-01", "--format", "json").stdout)["entries"]
    asked = sorted((e["organ"], e["subject"][:4]) for e in entries if e["section"] == "年度报告"
                   and "尚未记录" not in e["status"])  # the 2023 report, published, is to be recorded
    assert asked == [("吉林省人民政府", "2024")], asked


def test_a_published_report_whose_figures_are_not_recorded_is_to_do(run, tmp_path):
    """Until they are recorded, a published report's page follows every later correction of the request log: staff
    learn it from `due` too, with the command, not only from validate's warning."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    (catalog / "reports" / "2025" / "jiyuan-city.published.yaml").unlink()
    entries = json.loads(run("due", "--today", "2026-12-01", "--format", "json").stdout)["entries"]
    [entry] = [e for e in entries if "尚未记录" in e["status"]]
    assert entry["section"] == "年度报告" and entry["subject"] == "2025 年政府信息公开工作年度报告"
    assert entry["status"].endswith("gongkai report record --organ jiyuan-city --year 2025"), entry
    assert entry["path"].endswith("reports/2025/jiyuan-city.yaml") and entry["line"] > 0
