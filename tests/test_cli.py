"""The CLI forms other tools rely on, run as users run them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse

import pytest
import yaml
from conftest import EXAMPLE, FIXTURES, REPO, TODAY, gongkai, make_catalog, search_records

from builder.model.settings import SETTINGS
from search.export import INDEX_BODY


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
    # 元旦 and the other statutory days off (a year without them is E-HOLIDAY-MISSING, used by no command)
    (catalog / "holidays.yaml").write_text("2027:\n  holidays: [2027-01-01, 2027-02-05..2027-02-08, 2027-04-05, 2027-05-01, 2027-05-02, 2027-06-09, 2027-09-15, 2027-10-01..2027-10-03]\n"
                                           "  workdays: []\n", encoding="utf-8")
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


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path):
    """The program ends with os._exit (freeing the heap is the kernel's job), but still runs what is registered to
    run at exit: multiprocessing's fork server folder in /tmp is removed (each build used to leave one)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run([sys.executable, "-m", "builder", "build", "--catalog", str(EXAMPLE), "--today",
                             "2026-11-23", "--site-dir", str(tmp_path / "site")], capture_output=True, text=True,
                            cwd=REPO, env=os.environ | {"TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert list(temporary.iterdir()) == []


# Runs `python -m builder` as the orphans' reaper (PR_SET_CHILD_SUBREAPER): what the command leaves running becomes
# this script's child, and is waited for up to ten seconds. Prints the command's exit code and whether any was left.
OUTLIVED = """
import ctypes, os, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
code = subprocess.run([sys.executable, "-m", "builder", *sys.argv[1:]], capture_output=True).returncode
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        if os.waitpid(-1, os.WNOHANG)[0] == 0:
            time.sleep(0.05)
    except ChildProcessError:
        print(code, "none left")
        break
else:
    print(code, "left running")
"""


@pytest.mark.parametrize("command", [["build", "--catalog", "none"], ["serve", "--port", "0"]])
def test_a_command_that_stops_at_once_leaves_no_process_running(tmp_path, command):
    """`python -m builder build` and `serve` start the search index's fork server before the CLI is imported
    (pools.start_index_server); a command that stops before it indexes (no such catalog, no such port) ends it
    too."""
    result = subprocess.run([sys.executable, "-c", OUTLIVED, *command, "--today", "2026-11-23",
                             "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    code, left = result.stdout.split(" ", 1)
    assert int(code) != 0 and left.strip() == "none left", result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


COLLECTIONS = """
import atexit, gc, runpy, sys

collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
atexit.register(lambda: print(len(collections), len(gc.get_objects()), gc.get_freeze_count()))
sys.argv = ["gongkai", "--version"]
runpy.run_module("builder", run_name="__main__")
"""


def test_the_cli_is_imported_without_the_cyclic_collector_and_kept_out_of_its_sight():
    """Importing the CLI makes tens of thousands of objects for the life of the process and no garbage: no
    collection runs meanwhile (~90 did, ~12 ms of ~190; a few run for `--version` itself), and what it made is frozen,
    left out of later ones."""
    result = subprocess.run([sys.executable, "-c", COLLECTIONS], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    collections, tracked, frozen = map(int, result.stdout.split()[-3:])
    assert collections < 20 and frozen > 50_000 and tracked < frozen // 10, result.stdout  # ~90, none frozen before


def test_schema_command_writes_one_schema_per_file_kind(run, tmp_path):
    result = run("schema", "--out", "schemas")
    assert result.exit_code == 0, result.output
    item = json.loads((tmp_path / "schemas" / "item.schema.json").read_text(encoding="utf-8"))
    assert item["properties"]["index_no"]["title"] == "索引号"
    assert "index_no" in item["required"]
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        "consultation.schema.json", "fees.schema.json", "gongkai.schema.json", "hotline.schema.json",
        "item.schema.json", "organ.schema.json", "powers.schema.json", "releases.schema.json", "report.schema.json",
        "requests.schema.json"]


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


# ------------------------------------------------------------ the staff member's mistakes, as they meet them

CJK_TEXT = "\u4e00-\u9fff"
ITEM_HEAD = "---\nindex_no: 11220000013544357T/2026-00002\ntitle: 第二份文件\norgan: demo\n"
ITEM_TAIL = "written: 2026-03-02\npublished: 2026-03-06\ncategory: 20-1\n"


@pytest.mark.parametrize("front, line, code, example", [
    ("doc_no：示政发〔2026〕2号\n", 5, "E-YAML-FULLWIDTH-COLON", ["doc_no: 示政发〔2026〕2号"]),
    ("attachments:\n\t- file: annex.txt\n", 9, "E-YAML-TAB", ["attachments:", "  - file: annex.txt"]),
    ("attachments:\n　　- file: annex.txt\n", 9, "E-YAML-FULLWIDTH-SPACE", ["attachments:", "  - file: annex.txt"]),
    ("summary: 关于印发《办法》的通知: 附件\n", 8, "E-YAML-COLON", ['summary: "关于印发《办法》的通知: 附件"']),
    ("attachments: annex.txt\n", 8, "E-TYPE", ["attachments:", "  - file: annex.txt", "    title: （附件名称）"]),
    ("attachments:\n  附件1: annex.txt\n", 8, "E-TYPE", ["attachments:", "  - file: （文件路径）", "    title: （附件名称）"]),
    ("repealed: 2024-06-01\n", 8, "E-TYPE", ["repealed:", "  date: 2024-06-01", "  by: （废止文件文号）"]),
    ("repealed: 某政〔2024〕12号\n", 8, "E-TYPE", ["repealed:", "  date: YYYY-MM-DD", "  by: 某政〔2024〕12号"]),
])
def test_each_mistake_is_reported_at_its_line_in_chinese_with_how_to_write_it(run, tmp_path, front, line, code,
                                                                               example):
    catalog = make_catalog(tmp_path)
    text = ITEM_HEAD + ITEM_TAIL + front if line > 5 else ITEM_HEAD + front + ITEM_TAIL
    (catalog / "items" / "2026" / "x.md").write_text(text + "---\n\n正文。\n", encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 1 and "Traceback" not in result.output
    first, *rest = result.stdout.splitlines()
    assert first.startswith(f"catalog/items/2026/x.md:{line}: {code} ")
    chinese, english = first.split(f"{code} ", 1)[1].rsplit(" (", 1)
    assert re.search(f"[{CJK_TEXT}]", chinese) and not re.search(f"[{CJK_TEXT}]", english.split("'")[0])
    assert "while" not in chinese and "expected" not in chinese
    assert rest == ["    应写成 (write it as):", *("      " + part for part in example)]


def test_a_duplicate_request_id_is_found_in_the_same_run_as_the_entrys_other_errors(run, tmp_path):
    catalog = make_catalog(tmp_path)
    entry = (catalog / "requests" / "2026.yaml").read_text(encoding="utf-8")
    (catalog / "requests" / "late.yaml").write_text(entry.replace("channel: 网上", "channel: 网站"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "catalog/requests/late.yaml:1: E-ID-DUPLICATE 申请编号“R-1”与 catalog/requests/2026.yaml:1 重复：编号必须唯一 "
        "(request id 'R-1' duplicates catalog/requests/2026.yaml:1)",
        "catalog/requests/late.yaml:4: E-CHOICE 申请渠道（channel）“网站”不在允许的取值中：当面、邮寄、网上、传真、电子邮件、其他 "
        "(channel: '网站' is not one of the allowed values)"]


@pytest.mark.parametrize("args, message", [
    (["report", "build"], "错误 (Error): 缺少必填的选项 --organ (Missing option '--organ'.)"),
    (["valdate"], "错误 (Error): 没有命令“valdate”，是否应为“validate”？ (No such command 'valdate'.)"),
    (["validate", "--formt", "json"], "错误 (Error): 没有选项 --formt，是否应为 --format？"),
    (["validate", "--format", "xml"], "错误 (Error): --format 的取值无效：可选 text、json (Invalid value for '--format'"),
    (["report", "build", "--organ", "demo", "--year", "1900"], "错误 (Error): --year 的取值无效：应为整数，不小于 2008"),
    (["report", "check", "nofile.yaml"], "错误 (Error): FILE 的取值无效：路径不存在"),
    (["deadline", "--from", "2026-13-01", "--days", "5"], "错误 (Error): --from 的取值无效：“2026-13-01”不是有效日期"),
    # a clock run from the last day there is ended in an internal error (OverflowError)
    (["deadline", "--from", "9999-12-31", "--days", "5"], "错误 (Error): --from 的取值无效：“9999-12-31”不在 1900 至 2199"),
    (["deadline", "--from", "2026-01-05", "--days", "99999999"], "错误 (Error): --days 的取值无效：应为整数，不小于 0、不大于 3650"),
    (["workdays", "list", "--from", "2026-01-05", "--to", "9999-12-31", "--provisional"],
     "错误 (Error): --to 的取值无效：“9999-12-31”不在 1900 至 2199"),
    (["workdays", "list", "--from", "2026-02-01", "--to", "2026-01-01"], "错误 (Error): --to 的取值无效：截止日期早于起始日期"),
])
def test_command_line_mistakes_read_in_chinese(run, args, message):
    result = run(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    usage, hint, blank, error = result.stderr.splitlines()
    assert usage.startswith("用法 (Usage): ") and hint.startswith("运行“") and blank == ""  # CliRunner names it cli
    assert error.startswith(message)


def test_help_headings_read_in_chinese(run):
    result = run("report", "build", "--help")
    assert result.exit_code == 0
    assert re.match(r"用法 \(Usage\): \w+ report build \[OPTIONS\]", result.stdout)
    assert "选项 (Options):" in result.stdout and "[默认 (default): yaml]" in result.stdout
    assert "显示本帮助并退出 (show this message and exit)" in result.stdout
    assert "命令 (Commands):" in run("--help").stdout
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in result.stdout + run("--help").stdout


def test_settings_are_printed_as_they_are_written_in_gongkai_yaml(run):
    result = run("settings")
    assert result.exit_code == 0
    assert "  rest_day_receipt: as_is\n" in result.stdout and "  fee_notice_pauses_reply: true\n" in result.stdout
    assert "'as_is'" not in result.stdout and "True" not in result.stdout
    written = yaml.safe_load(result.stdout)["settings"]
    assert written == {s.name: list(s.default) if isinstance(s.default, tuple) else s.default for s in SETTINGS}


def test_the_real_program_names_itself_gongkai_in_chinese_usage(tmp_path):
    result = gongkai("report", "build", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        "用法 (Usage): gongkai report build [OPTIONS]",
        "运行“gongkai report build --help”查看说明 (try 'gongkai report build --help' for help)"]


def test_what_the_system_refuses_is_told_as_such_not_as_a_bug(run):
    """A full disk (here /dev/full, which always is) is the machine's, not gongkai's: said in Chinese, with what
    to do, not as an internal error."""
    result = run("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025",
                 "--out", "/dev/full")
    assert result.exit_code == 1 and "No space left on device" in result.output and "请排除问题" in result.output
    assert "内部错误" not in result.output


REPORT_BUILD = ("report", "build", "--catalog", str(EXAMPLE), "--organ", "jilin-province", "--year", "2025")


@pytest.mark.parametrize("args, message", [
    # Found by a review: an internal error (FileNotFoundError) that asked staff to report it to the maintainers.
    ((*REPORT_BUILD, "--out", "missing/d/r.yaml"),
     "--out 的取值无效：文件夹 missing/d 不存在：请先创建它，或另选一个已有的文件夹 (folder missing/d does not exist: "
     "create it or choose another)"),
    ((*REPORT_BUILD, "--out", "notes.txt/r.yaml"),
     "--out 的取值无效：notes.txt 是文件，不是文件夹，无法写入其中：请另选一个位置 (notes.txt is a file, not a folder"),
    (("schema", "--out", "notes.txt/schemas"), "--out 的取值无效：notes.txt 是文件，不是文件夹"),
    # Found by the same review: FileExistsError and NotADirectoryError, internal errors too.
    (("build", "--today", TODAY, "--site-dir", "notes.txt/site"), "--site-dir 的取值无效：notes.txt 是文件，不是文件夹"),
    (("export", "notes.txt/out.xlsx"), "PATH 的取值无效：notes.txt 是文件，不是文件夹"),
    (("search", "公开", "--today", TODAY, "--index-dir", "notes.txt/idx"), "--index-dir 的取值无效：notes.txt 是文件"),
    (("search-export", "notes.txt/d.ndjson"), "PATH 的取值无效：notes.txt 是文件，不是文件夹"),
    (("search-export", "d.ndjson", "--mapping", "missing/m.json"), "--mapping 的取值无效：文件夹 missing 不存在"),
], ids=["report folder missing", "report file in the way", "schema file in the way", "site file in the way",
        "export file in the way", "search index file in the way", "search export file in the way",
        "search mapping folder missing"])
def test_an_out_path_that_cannot_be_written_is_said_before_any_work(run, tmp_path, args, message):
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 2 and "内部错误" not in result.output, result.output
    assert result.stderr.splitlines()[-1].startswith(f"错误 (Error): {message}"), result.stderr
    assert result.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("args", [("build", "--today", TODAY, "--site-dir", "loop"),
                                  ("serve", "--today", TODAY, "--site-dir", "loop"), ("export", "loop"),
                                  ("search-export", "loop")])
def test_an_out_path_that_is_a_link_to_itself_is_said_before_any_work(run, tmp_path, args):
    """Found while timing attachments: an output folder or file that is a symbolic link leading to itself was an
    internal error (Path.resolve raises on a loop) that asked staff to report it to the maintainers."""
    (tmp_path / "loop").symlink_to("loop")
    result = run(*args)
    assert result.exit_code == 2 and "内部错误" not in result.output, result.output
    assert "的取值无效：loop 是指向自身的符号链接，无法写入" in result.stderr, result.stderr


@pytest.mark.parametrize("command", [("validate",), ("build", "--config-file", str(REPO / "mkdocs.yml"))])
def test_a_catalog_that_is_a_link_to_itself_is_no_catalog_folder(run, tmp_path, command):
    """`gongkai build` resolved the catalog folder to keep the site out of it, and a link that leads to itself made
    that an internal error; `gongkai validate` said the folder was not found. Both say so now."""
    (tmp_path / "loop").symlink_to("loop")
    result = run(*command, "--catalog", "loop", "--today", TODAY)
    assert result.exit_code == 1 and "内部错误" not in result.output, result.output
    assert "loop:0: E-FILE-MISSING 找不到目录 loop" in result.output, result.output


def test_an_out_folder_is_made_with_its_parents_and_a_file_goes_into_one_that_exists(run, tmp_path):
    assert run("schema", "--out", "new/schemas").exit_code == 0
    assert (tmp_path / "new" / "schemas" / "report.schema.json").is_file()
    result = run(*REPORT_BUILD, "--out", "new/r.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "r.yaml").read_text(encoding="utf-8").startswith("# 政府信息公开工作年度报告数据")


@pytest.mark.parametrize("command", [("search", "公开", "--index-dir", "whoosh", "--today", TODAY),
                                     ("export", "out.xlsx"), ("search-export", "out.ndjson", "--today", TODAY)])
def test_commands_that_read_attachments_stop_at_a_missing_one(run, tmp_path, command):
    """An attachment that is missing (or a folder, or a Windows path) is E-ATTACHMENT-MISSING at its line, as in
    gongkai validate, not an internal error of search or export."""
    make_catalog(tmp_path, FIXTURES / "broken" / "attachment-missing" / "catalog")
    result = run(*command)
    assert result.exit_code == 1 and "catalog/items/x.md:8: E-ATTACHMENT-MISSING" in result.output, result.output
    assert "内部错误" not in result.output


def test_search_export_hands_the_sites_own_documents_to_a_search_service(example_site, tmp_path):
    """What the site's static index holds, document for document and in its order, as a `_bulk` request into the
    index named, each document keyed by its full address; and the settings and mapping to make that index with."""
    out, mapping = tmp_path / "docs.ndjson", tmp_path / "mapping.json"
    result = gongkai("search-export", str(out), "--mapping", str(mapping), "--index", "jilin", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) % 2 == 1
    actions, docs = [json.loads(line) for line in lines[:-1:2]], [json.loads(line) for line in lines[1:-1:2]]
    root = yaml.safe_load((EXAMPLE / "gongkai.yaml").read_text(encoding="utf-8"))["site"]["url"].rstrip("/") + "/"
    records = search_records(example_site / "search")
    assert len(docs) == len(records) > 30
    for number, (action, doc) in enumerate(zip(actions, docs)):
        record = records[number]
        assert action == {"index": {"_index": "jilin", "_id": record["u"]}}  # all short: none hashed
        assert urllib.parse.unquote(doc["url"]) == root + record["u"]
        assert [doc[key] for key in ("title", "doc_no", "index_no", "category", "organ", "validity")] == \
               [record[key] for key in "tnicov"]
        assert doc["published"] == (record["d"] or None)
        assert doc["body"][:len(record["s"])] == record["s"] and len(record["s"]) == min(len(doc["body"]), 1500)
        assert doc["published"] is None or doc["year"] == int(doc["published"][:4])
    assert json.loads(mapping.read_text(encoding="utf-8")) == INDEX_BODY
    assert f"已导出 {len(docs)} 篇检索文档" in result.stderr


def test_search_export_replaces_a_file_only_when_told_and_refuses_a_bad_index_name(run, tmp_path):
    make_catalog(tmp_path)
    (tmp_path / "d.ndjson").write_text("staff's own file", encoding="utf-8")
    result = run("search-export", "d.ndjson", "--today", TODAY)
    assert result.exit_code == 1 and "d.ndjson 已存在：请换一个文件名，或加 --overwrite 覆盖" in result.stderr
    assert (tmp_path / "d.ndjson").read_text(encoding="utf-8") == "staff's own file"
    result = run("search-export", "new.ndjson", "--index", "Jilin", "--today", TODAY)
    assert result.exit_code == 2 and "“Jilin”不能用作索引名：只能用小写字母" in result.stderr
    result = run("search-export", "d.ndjson", "--mapping", "./d.ndjson", "--overwrite", "--today", TODAY)
    assert result.exit_code == 2 and "--mapping 的取值无效：d.ndjson 就是导出的文档文件：映射请另取一个文件名" in result.stderr
    assert (tmp_path / "d.ndjson").read_text(encoding="utf-8") == "staff's own file"
    exported = []
    for _ in range(2):  # the same catalog and day: the same bytes
        result = run("search-export", "d.ndjson", "--overwrite", "--today", TODAY)
        assert result.exit_code == 0, result.output
        exported.append((tmp_path / "d.ndjson").read_bytes())
    assert exported[0] == exported[1] and json.loads(exported[0].split(b"\n")[0])["index"]["_index"] == "gongkai"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "d.ndjson"]  # no temporary file left behind


@pytest.mark.parametrize("command", [("due",), ("requests",), ("validate",)])
def test_json_is_json_when_the_catalog_has_errors(run, tmp_path, command):
    """A script reading `--format json` got a line of text it could not parse."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("written: 2026-03-02", "written: 2026-13-02"),
                      encoding="utf-8")
    result = run(*command, "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    problems = answer if command == ("validate",) else answer["errors"]  # the dashboards give the rest with them
    [problem] = [p for p in problems if p["code"] == "E-DATE"] or [None]
    assert problem and problem["path"] == "catalog/items/2026/notice.md"
    unusable = run(*command, "--catalog", "nowhere", "--today", "2026-11-23", "--format", "json")
    assert unusable.exit_code == 1 and json.loads(unusable.stdout)[0]["code"] == "E-FILE-MISSING"


def test_the_dashboards_show_every_other_deadline_beside_the_catalogs_errors(run, tmp_path):
    """Found by a review as office staff: one mistyped request (channel: 微信) made `due` and `requests` print only
    that error, and the overdue requests went unseen."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    requests = catalog / "requests" / "2026.yaml"
    requests.write_text(requests.read_text(encoding="utf-8").replace("channel: 网上", "channel: 微信", 1),
                        encoding="utf-8")
    for command in ("due", "requests"):
        result = run(command, "--today", "2026-11-23")
        assert result.exit_code == 1, result.output
        assert "E-CHOICE" in result.output and "出错的条目可能未列入下表" in result.output
        assert "2026-009" in result.output, f"{command}: the overdue request is still shown"


def test_a_holidays_year_the_law_rejects_is_used_by_no_command_that_counts_days(run, tmp_path):
    """Found by a review as office staff: validate rejected a hand-written 2027 without 春节, while deadline and
    workdays counted its 春节 as working days without a word."""
    make_catalog(tmp_path, FIXTURES / "broken" / "holiday-missing" / "catalog")
    for command in (("deadline", "--from", "2027-02-01", "--days", "20"), ("workdays", "list", "--from", "2027-02-01", "--to", "2027-02-28")):
        result = run(*command)
        assert result.exit_code == 1 and "holidays.yaml:1: E-HOLIDAY-MISSING" in result.output, (command, result.output)
    due = run("due", "--today", "2026-11-23")
    assert due.exit_code == 1 and "E-HOLIDAY-MISSING" in due.output and "待办事项" in due.output
