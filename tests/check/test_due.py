"""`gongkai due`: what needs action, including what cannot be dated yet."""

from __future__ import annotations

import json

from conftest import FIXTURES, make_catalog, make_site

MISSING_YEAR = FIXTURES / "broken" / "calendar-year-missing" / "catalog"


def test_a_deadline_in_a_year_without_calendar_data_is_pending_and_nothing_else_stops(run, tmp_path):
    make_catalog(tmp_path, MISSING_YEAR)
    result = run("due", "--today", "2026-12-16", "--format", "json")
    assert result.exit_code == 0, result.output
    [pending] = [e for e in json.loads(result.stdout)["entries"] if e["subject"].startswith("R-2")]
    assert pending["due"] is None and pending["status"] == "待定：缺少 2027 年节假日数据"
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
