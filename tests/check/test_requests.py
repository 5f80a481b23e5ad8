"""`gongkai requests`: the open requests, soonest due first, each with its clock and next step."""

from __future__ import annotations

import json

from conftest import EXAMPLE


def test_open_requests_are_listed_by_due_date_with_their_next_step(run):
    result = run("requests", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["requests"]
    dated = [r["due"] for r in found if r["due"]]
    assert dated == sorted(dated) and len(dated) >= 3
    overdue = next(r for r in found if r["state"] == "已逾期")
    assert overdue["next_step"].startswith("已逾期") and overdue["path"].endswith("catalog/requests/2026.yaml")
    waiting = next(r for r in found if r["state"] == "等待申请人")
    assert waiting["due"] is None and "correction.received" in waiting["next_step"]
    assert any("告知补正" in fact for fact in waiting["clock"])
    assert all(r["clock"][0].startswith("收到 ") for r in found)


def test_requests_reads_as_a_list_for_staff(run):
    result = run("requests", "--catalog", str(EXAMPLE), "--today", "2026-11-23")
    assert result.exit_code == 0
    assert "未办结的申请（2026-11-23）" in result.stdout
    assert "补正后起算" in result.stdout and "→ 已逾期" in result.stdout


def test_due_lists_to_dos_not_reports_already_published(run):
    result = run("due", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    reports = [e for e in json.loads(result.stdout)["entries"] if e["section"] == "年度报告"]
    assert all(not e["status"].startswith("已于") for e in reports)
