"""The CLI forms other tools rely on, run as users run them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLE, REPO, make_catalog


def test_workdays_list_is_inclusive_and_includes_makeup_days(run):
    result = run("workdays", "list", "--from", "2026-09-30", "--to", "2026-10-12")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]


@pytest.mark.parametrize("start, days, due", [
    ("2026-09-28", "20", "2026-10-30"),
    ("2026-10-03", "20", "2026-11-03"),
    ("2026-02-10", "20", "2026-03-16"),
])
def test_deadline_prints_one_iso_date(run, start, days, due):
    result = run("deadline", "--from", start, "--days", days)
    assert result.exit_code == 0, result.output
    assert result.stdout == due + "\n"


def test_deadline_explain_lists_skipped_and_makeup_days(run):
    result = run("deadline", "--from", "2026-09-28", "--days", "20", "--explain")
    assert result.stdout == "2026-10-30\n"
    assert "2026-10-01" in result.stderr and "计入的调休上班日：2026-10-10" in result.stderr


def test_deadline_into_a_year_without_data_fails_naming_year_and_file(run, tmp_path):
    make_catalog(tmp_path)
    result = run("deadline", "--from", "2026-12-20", "--days", "20")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "2027" in result.stderr and "catalog/holidays.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_deadline_provisional_estimates_with_statutory_holidays_and_marks_it(run, tmp_path):
    make_catalog(tmp_path)
    result = run("deadline", "--from", "2026-12-20", "--days", "20", "--provisional")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2027-01-18 预估\n"  # 2027-01-01 is 元旦 by statute; only the 调休 is unknown
    assert "预估" in result.stderr


def test_deadline_uses_holidays_yaml_for_2027(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text("2027:\n  holidays: [2027-01-01]\n  workdays: []\n", encoding="utf-8")
    result = run("deadline", "--from", "2026-12-20", "--days", "20")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2027-01-18\n"  # 2027-01-01 is a holiday: one day later than the estimate


@pytest.mark.parametrize("args", [
    ["deadline", "--from", "2026-13-01", "--days", "3"],
    ["deadline", "--from", "2026-01-01"],
    ["deadline", "--from", "2026-01-01", "--days", "-2"],
    ["workdays", "list", "--from", "2026-01-05"],
    ["workdays", "list", "--from", "2026-02-01", "--to", "2026-01-01"],
    ["validate", "--today", "yesterday"],
    ["due", "--format", "xml"],
])
def test_bad_arguments_exit_2_with_a_message(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error" in result.output


def test_due_lists_overdue_and_due_soon_requests_and_reports(run):
    result = run("due", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    requests = {e["subject"].split()[0]: e for e in entries if e["section"] == "依申请公开答复"}
    assert requests["2026-009"]["status"] == "已逾期" and requests["2026-009"]["due"] == "2026-10-30"
    assert requests["2026-010"]["status"] == "即将到期" and requests["2026-010"]["due"] == "2026-11-23"
    assert "2026-011" not in requests  # due 2026-12-14: not yet within 5 working days
    assert "2026-012" not in requests  # waiting for the applicant's correction
    assert not [e for e in entries if e["section"] == "年度报告"], "reports already published are done, not to-dos"
    next_year = run("due", "--catalog", str(EXAMPLE), "--today", "2027-01-15", "--format", "json")
    reports = {e["organ"]: e for e in json.loads(next_year.stdout)["entries"] if e["section"] == "年度报告"}
    assert reports["吉林市人民政府办公厅"]["due"] == "2027-01-31"  # a department: 31 January
    assert reports["济源市人民政府"]["due"] == "2027-03-31"       # a government: 31 March
    expiring = [e for e in entries if e["section"] == "文件即将失效"]
    assert [e["due"] for e in expiring] == ["2026-12-20"]
    drafts = [e for e in entries if e["section"] == "主动公开"]
    assert {e["due"] for e in drafts} == {"2026-11-24", "2026-11-30"}


def test_due_text_shows_every_section(run):
    result = run("due", "--catalog", str(EXAMPLE), "--today", "2026-11-23")
    assert result.exit_code == 0
    for heading in ("依申请公开答复", "主动公开", "处罚决定撤下", "文件即将失效", "年度报告"):
        assert heading in result.stdout


def test_due_refuses_a_catalog_with_errors(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "organs" / "bad.yaml").write_text("name: [\n", encoding="utf-8")
    result = run("due", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert "catalog/organs/bad.yaml:1: E-YAML-SYNTAX" in result.stdout


def test_entry_point_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "builder", "deadline", "--from", "2026-09-28", "--days", "20"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2026-10-30\n"


def test_schema_command_writes_one_schema_per_file_kind(run, tmp_path):
    result = run("schema", "--out", "schemas")
    assert result.exit_code == 0, result.output
    item = json.loads((tmp_path / "schemas" / "item.schema.json").read_text(encoding="utf-8"))
    assert item["properties"]["index_no"]["title"] == "索引号"
    assert "index_no" in item["required"]
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        "fees.schema.json", "gongkai.schema.json", "item.schema.json", "organ.schema.json",
        "powers.schema.json", "releases.schema.json", "report.schema.json", "requests.schema.json"]


def test_holidays_import_writes_the_year_and_deadlines_use_it(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text((EXAMPLE / "holidays.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    notice = REPO / "tests" / "fixtures" / "notices" / "2025.txt"
    result = run("holidays", "import", str(notice))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "国办发明电〔2024〕12号" in result.stderr and "已写入 catalog/holidays.yaml" in result.stderr
    text = (catalog / "holidays.yaml").read_text(encoding="utf-8")
    assert text.startswith("# chinesecalendar") and "    - 2025-01-28..2025-02-04  # 春节\n" in text
    assert run("workdays", "list", "--from", "2025-01-25", "--to", "2025-02-08").stdout.split() == [
        "2025-01-26", "2025-01-27", "2025-02-05", "2025-02-06", "2025-02-07", "2025-02-08"]
    again = run("holidays", "import", str(notice))
    line = text.splitlines().index("2025:") + 1
    assert again.exit_code == 1 and again.stdout.startswith(f"catalog/holidays.yaml:{line}: E-HOLIDAY-EXISTS ")
    assert run("holidays", "import", str(notice), "--replace").exit_code == 0
    assert (catalog / "holidays.yaml").read_text(encoding="utf-8") == text


def test_holidays_import_dry_run_prints_the_block_and_writes_nothing(run, tmp_path):
    catalog = make_catalog(tmp_path)
    result = run("holidays", "import", str(REPO / "tests" / "fixtures" / "notices" / "2023.txt"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2023:\n") and "    - 2022-12-31..2023-01-02  # 元旦\n" in result.stdout
    assert "--dry-run" in result.stderr
    assert not (catalog / "holidays.yaml").exists()


def test_holidays_import_of_an_unreadable_notice_names_its_line(run, tmp_path):
    catalog = make_catalog(tmp_path)
    text = (REPO / "tests" / "fixtures" / "notices" / "2026.txt").read_text(encoding="utf-8")
    (tmp_path / "通知.txt").write_text(text.replace("5月9日（周六）上班", "5月9日（周六）"), encoding="utf-8")
    result = run("holidays", "import", "通知.txt")
    assert result.exit_code == 1
    assert result.stdout.startswith("通知.txt:9: E-NOTICE-UNREAD 无法读懂这一行：“5月9日(周六)”没有写明是放假还是上班")
    assert not (catalog / "holidays.yaml").exists()
    assert "Traceback" not in result.output
