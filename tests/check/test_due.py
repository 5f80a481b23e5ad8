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
