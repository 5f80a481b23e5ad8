"""The validator on real catalogs: the clean base and the example pass; every broken fixture gives its message."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, FIXTURES, HOLIDAYS_2027, make_catalog

from builder.build.pipeline import load, load_validated, validated
from builder.check.validate import CheckedItems, checked_years
from builder.errors import MESSAGES, display_path
from builder.model.holidays import load_holidays
from builder.model.load import CatalogFiles
from builder.rules.workdays import packaged_arrangement

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def test_base_fixture_has_no_problems(run, tmp_path):
    make_catalog(tmp_path)
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 个错误，0 个警告" in result.stderr


def test_example_catalog_validates_without_errors(run):
    result = run("validate", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    problems = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert [p for p in problems if p["severity"] == "error"] == []
    # The real seeds were published late (2014, 2012): the example shows that warning with its facts.
    late = [p for p in problems if p["code"] == "W-PUBLISH-LATE"]
    assert {Path(p["path"]).name for p in late} == {"jizhengfa-2014-26.md", "jizheng-2008-25.md"}


@pytest.mark.parametrize("case_dir", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_reports_its_problem(case_dir, run, tmp_path):
    """Each case: a catalog overlay (validated on its day) or files checked by the command in ``args``."""
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    make_catalog(tmp_path, case_dir / "catalog", case.get("remove", ()))
    for file in case_dir.iterdir():  # the files the command reads, and folders of them (an export's files)
        if file.name not in ("case.yaml", "catalog"):
            (shutil.copytree if file.is_dir() else shutil.copy)(file, tmp_path / file.name)
    result = run(*case.get("args", ["validate", "--today", case.get("today")]))
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == case["exit"], result.output
    lines = result.stdout.splitlines()
    for expected in case["expect"]:
        assert any(line.startswith(expected + " ") for line in lines), f"{expected!r} not in:\n{result.stdout}"
    for line in lines:
        if line.startswith(" "):  # an example of how to write it, below its problem
            continue
        code = line.split(": ", 2)[1].split(" ")[0]
        assert code in MESSAGES
        assert "(" in line and line.endswith(")"), "every message has its English meaning in parentheses"


def test_every_problem_code_fires_in_some_broken_fixture():
    fired = set()
    for case_dir in BROKEN:
        case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
        fired |= {expected.split(": ")[1] for expected in case["expect"]}
    assert set(MESSAGES) - fired == set()


def test_bad_input_corpus_has_at_least_30_error_cases():
    errors = [p for p in BROKEN if yaml.safe_load((p / "case.yaml").read_text(encoding="utf-8"))["exit"] == 1]
    assert len(errors) >= 30


def test_json_format_gives_path_line_code_and_both_languages(run, tmp_path):
    make_catalog(tmp_path, FIXTURES / "broken" / "index-format" / "catalog")
    result = run("validate", "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem == {
        "path": "catalog/items/x.md", "line": 2, "code": "E-INDEX-FORMAT", "severity": "error",
        "message": "索引号“11220000013544357T 2026-00002”不能含空格、换行或控制字符：请改正",
        "message_en": "index number '11220000013544357T 2026-00002' contains white space or control characters",
    }


def test_one_broken_file_does_not_hide_problems_in_others(run, tmp_path):
    catalog = make_catalog(tmp_path, FIXTURES / "broken" / "yaml-syntax-indent" / "catalog")
    (catalog / "items" / "y.md").write_text("no front matter\n", encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert "catalog/organs/bad.yaml:2: E-YAML-SYNTAX" in result.stdout
    assert "catalog/items/y.md:1: E-FRONT-MATTER" in result.stdout


def test_an_organ_whose_file_cannot_be_read_is_named_at_its_file_only(run, tmp_path):
    """Its items, requests, powers and report name the organ; each said it was undefined and its file should be
    added, when the file is there and one line of it is wrong (18 errors and a warning for one)."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    organ = catalog / "organs" / "jiyuan-city.yaml"
    organ.write_text(organ.read_text(encoding="utf-8").replace("kind: government", "kind: 公司"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23", "--format", "json")
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(p["path"], p["code"]) for p in problems if p["severity"] == "error"] == [
        ("catalog/organs/jiyuan-city.yaml", "E-CHOICE")]
    assert not [p for p in problems if "jiyuan-city" in p["message"] and p["code"].startswith("W-REPORT")]
    organ.write_text("kind: government\n", encoding="utf-8")  # mended but for its name: still its own problem only
    problems = json.loads(run("validate", "--today", "2026-11-23", "--format", "json").stdout)
    assert [(p["path"], p["code"]) for p in problems if p["severity"] == "error"] == [
        ("catalog/organs/jiyuan-city.yaml", "E-REQUIRED")]
    organ.unlink()  # gone: every record naming it is told
    problems = json.loads(run("validate", "--today", "2026-11-23", "--format", "json").stdout)
    assert len([p for p in problems if p["code"] == "E-ORGAN-UNKNOWN"]) > 10


def test_an_organs_name_for_its_id_and_a_windows_path_are_named_as_the_slips_they_are(run, tmp_path):
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    (catalog / "items" / "2026" / "附件").mkdir()
    (catalog / "items" / "2026" / "附件" / "指标.txt").write_text("指标", encoding="utf-8")
    notice.write_text(notice.read_text(encoding="utf-8").replace("organ: demo", "organ: 示例市人民政府")
                      .replace("- file: annex.txt", "- file: 附件\\指标.txt"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert ("catalog/items/2026/notice.md:4: E-ORGAN-UNKNOWN 机关“示例市人民政府”未定义：这是机关“示例市人民政府”的名称，"
            "这里应写它的编号（organs/ 下的文件名）：demo") in result.stdout
    assert "E-ATTACHMENT-MISSING 附件“附件\\指标.txt”不存在：路径中的“\\”请改为“/”：附件/指标.txt" in result.stdout


def test_missing_catalog_directory_is_a_message_not_a_traceback(run):
    result = run("validate", "--catalog", "nowhere")
    assert result.exit_code == 1
    assert "E-FILE-MISSING" in result.stdout and "nowhere" in result.stdout


@pytest.mark.parametrize("index_no", ["11341702486344515H/202110-00013", "0142768-8/2022-00185",
                                      "005000001-01-2026-00017", "ZJ-HZ-GT-2019-000123-0001", "吉林省政府/2021-5"])
def test_real_index_numbers_of_other_shapes_are_accepted_without_a_year_guess(run, tmp_path, index_no):
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(re.sub(r"^index_no: .*$", f"index_no: {index_no}", notice.read_text(encoding="utf-8"),
                             count=1, flags=re.M), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "INDEX" not in result.stdout


# ------------------------------------------------------------ checks remembered between builds (CheckedItems)


def test_remembered_checks_find_exactly_what_a_fresh_check_finds(tmp_path):
    """Each step changes what checking an item depends on (or not); the problems found with what the last
    check remembered must be those found from scratch."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    item = catalog / "items" / "jilin-province" / "2014" / "jizhengfa-2014-26.md"
    config = catalog / "gongkai.yaml"
    steps = [
        ("the first check", dt.date(2026, 11, 23), lambda: None),
        ("nothing changed", dt.date(2026, 11, 23), lambda: None),
        ("another day", dt.date(2031, 6, 1), lambda: None),
        ("a setting", dt.date(2031, 6, 1),
         lambda: config.write_text(config.read_text(encoding="utf-8").replace("validity_years: 5", "validity_years: 3"),
                                   encoding="utf-8")),
        ("an organ removed", dt.date(2031, 6, 1), lambda: (catalog / "organs" / "jilin-province.yaml").unlink()),
        ("an attachment removed", dt.date(2031, 6, 1),
         lambda: (item.parent / "吉林省法治政府建设指标体系.txt").unlink()),
        ("an item edited", dt.date(2031, 6, 1),
         lambda: item.write_text(item.read_text(encoding="utf-8").replace("published:", "published: 2014-09-01\n"
                                                                            "old_published:", 1), encoding="utf-8")),
    ]
    previous = CheckedItems()
    reused = 0
    for name, today, change in steps:
        change()
        current = CheckedItems()
        remembered = load_validated(catalog, today, False, checked=(previous, current)).problems
        assert remembered == load_validated(catalog, today, False).problems, name
        assert current.problems, name
        reused += previous.context == current.context
        previous = current
    assert reused == 3  # unchanged context: after nothing changed, the attachment, the item edit


def test_told_which_item_files_changed_only_their_items_are_checked_again(tmp_path):
    """Told the items of the files that changed (as a build is, ``CatalogFiles.changed_items``), validation checks
    only those again, and finds what a fresh check finds: an item edited, added, removed, an attachment gone (looked
    at again every time), and in another context (a later day) every item afresh."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    item = catalog / "items" / "jilin-province" / "2014" / "jizhengfa-2014-26.md"
    added = item.with_name("copy-2014-26.md")
    text = item.read_text(encoding="utf-8")
    steps = [
        ("the first check", dt.date(2026, 11, 23), lambda: None),
        ("nothing changed", dt.date(2026, 11, 23), lambda: None),
        ("an item edited", dt.date(2026, 11, 23),
         lambda: item.write_text(text.replace("published:", "published: 2014-09-01\nold_published:", 1),
                                 encoding="utf-8")),
        ("an item added", dt.date(2026, 11, 23),  # its 索引号 and 文号 twice: an error found across files
         lambda: added.write_text(text, encoding="utf-8")),
        ("an item removed", dt.date(2026, 11, 23), added.unlink),
        ("an attachment removed", dt.date(2026, 11, 23),
         lambda: (item.parent / "吉林省法治政府建设指标体系.txt").unlink()),
        ("another day", dt.date(2031, 6, 1), lambda: None),
    ]
    files, previous, renewed = CatalogFiles(), CheckedItems(), []
    for name, today, change in steps:
        change()
        files, current = CatalogFiles(files.current), CheckedItems()
        loaded = load(catalog, False, files)
        problems = validated(loaded, today, (previous, current), files.changed_items()).problems
        assert problems == load_validated(catalog, today, False).problems, name
        assert set(current.problems) == {i.path for i in loaded.catalog.items if i.digest}, name
        # A report's item, made from another file (no digest), is checked by every build.
        made = {i.path for i in loaded.catalog.items if not i.digest}
        renewed.append({Path(path).name for path in current.renewed if path not in made})
        previous = current
    everything = renewed[0]
    assert len(everything) > 15 and renewed[1:6] == [set(), {item.name}, {added.name}, set(), set()]
    assert renewed[6] == everything - {added.name}


def test_remembered_request_checks_are_those_of_the_very_requests_checked(tmp_path):
    """A request file's problems are the last check's while it holds the very requests checked then (its bytes the
    same, so the kept files give the same objects) in the same context; an edited file's, or any in another
    context (a later day: a reply may have become late), are found again, and always what a fresh check finds."""
    catalog = make_catalog(tmp_path)
    requests = catalog / "requests" / "2026.yaml"
    with requests.open("a", encoding="utf-8") as file:  # late, and answered the day before it was received
        file.write("\n- id: R-2\n  organ: demo\n  received: 2026-04-01\n  replied: 2026-03-31\n"
                   "  channel: 网上\n  applicant_type: 自然人\n  outcome: 予以公开\n")
    steps = [("the first check", dt.date(2026, 11, 23), lambda: None),
             ("nothing changed", dt.date(2026, 11, 23), lambda: None),
             ("another day", dt.date(2026, 11, 24), lambda: None),
             ("a request edited", dt.date(2026, 11, 24),
              lambda: requests.write_text(requests.read_text(encoding="utf-8").replace("2026-03-31", "2026-04-30"),
                                          encoding="utf-8"))]
    files, previous, reused = CatalogFiles(), CheckedItems(), []
    for name, today, change in steps:
        change()
        files, current = CatalogFiles(files.current), CheckedItems()
        remembered = load_validated(catalog, today, False, files, (previous, current)).problems
        assert remembered == load_validated(catalog, today, False).problems, name
        (entries, problems), = current.requests.values()
        assert [r.id for r in entries] == ["R-1", "R-2"] and any(p.code == "E-DATE-ORDER" for p in problems) \
            == (name != "a request edited"), name
        reused.append(entries is previous.requests.get(display_path(requests), (None,))[0])
        previous = current
    assert reused == [False, True, False, False]


def test_a_reports_index_year_is_checked_against_its_written_date_only_where_it_is_stated(run, tmp_path):
    """A report's 成文日期 not stated is unknown: its index number's year is not compared with its publication year
    as if that were its 成文日期 (W-INDEX-YEAR had said 成文日期的年份 2026 of a file stating none)."""
    catalog = make_catalog(tmp_path, FIXTURES / "broken" / "index-year-mismatch" / "catalog", ["items/x.md"])
    report = catalog / "reports" / "2025" / "demo.yaml"
    text = report.read_text(encoding="utf-8").replace("/2026-00090", "/2025-00090")
    report.write_text(text, encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 0 and "W-INDEX-YEAR" not in result.output, result.output
    report.write_text(text.replace("published:", "written: 2026-03-10\npublished:"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert "catalog/reports/2025/demo.yaml:1: W-INDEX-YEAR 索引号中的年份 2025 与成文日期的年份 2026 不一致" \
        in result.stdout, result.output


def test_a_report_file_that_cannot_be_read_is_not_also_said_to_be_missing(run, tmp_path):
    """Its errors say what to fix; W-REPORT-OVERDUE said the report was never published, which the file contradicts."""
    catalog = make_catalog(tmp_path)
    path = catalog / "reports" / "2025" / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("review: {upheld: 0, corrected: 0, other: 0, pending: 0}",
                                                             "review: {upheld: 0, corrected: 0}"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert result.exit_code == 1 and "reports/2025/demo.yaml:7: E-REQUIRED" in result.stdout, result.output
    assert "W-REPORT-OVERDUE" not in result.stdout
    path.write_text(path.read_text(encoding="utf-8").replace("published: 2026-03-20\n", ""), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("{upheld: 0, corrected: 0}",
                                                             "{upheld: 0, corrected: 0, other: 0, pending: 0}"), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")  # read, and not published: it is overdue
    assert "catalog/organs/demo.yaml:1: W-REPORT-OVERDUE" in result.stdout, result.output


def test_a_deadline_counted_on_the_provisional_calendar_is_marked_estimated(run, tmp_path):
    """rules.md §1: a provisional result is always marked 预估 — `due` marked it, validate's warnings did not."""
    make_catalog(tmp_path, FIXTURES / "broken" / "calendar-year-missing" / "catalog")
    result = run("validate", "--today", "2027-01-21", "--provisional", "--format", "json")
    [overdue] = [p for p in json.loads(result.stdout) if p["code"] == "W-REPLY-OVERDUE"]
    assert overdue["estimated"] is True and overdue["message"].endswith("（预估：期限按尚无放假通知的年份估算）")
    [line] = [line for line in run("validate", "--today", "2027-01-21", "--provisional").stdout.splitlines()
              if "W-REPLY-OVERDUE" in line]
    assert line.startswith("catalog/requests/r2.yaml:") and line.endswith("（预估：期限按尚无放假通知的年份估算） "
                                                                        "(open request overdue since 2027-01-13; estimated)")
    # What no count decided is not marked: a date in the future is a fact of the file.
    future = [p for p in json.loads(run("validate", "--today", "2026-11-23", "--provisional", "--format", "json").stdout)
              if p["code"] == "W-DATE-FUTURE"]
    assert future and not any(p.get("estimated") for p in future)


def test_only_what_a_count_on_an_estimated_year_found_is_marked(run, tmp_path):
    """Marked by the year of its deadline, a 30-day consultation rule (no working days counted) was marked once
    another record had estimated 2027, and a reply 14 working days late, counted through estimated days, was not."""
    catalog = make_catalog(tmp_path, FIXTURES / "broken" / "calendar-year-missing" / "catalog")
    (catalog / "consultations").mkdir()
    (catalog / "consultations" / "c.yaml").write_text(
        "title: t\norgan: demo\nkind: 规章\nstart: 2026-12-10\nend: 2026-12-31\nemail: a@example.gov.cn\n", encoding="utf-8")
    (catalog / "requests" / "late.yaml").write_text(
        "- id: R-9\n  organ: demo\n  received: 2026-11-20\n  channel: 网上\n  applicant_type: 自然人\n"
        "  replied: 2027-01-08\n  outcome: 予以公开\n", encoding="utf-8")
    problems = json.loads(run("validate", "--today", "2027-01-10", "--provisional", "--format", "json").stdout)
    marked = {p["code"]: p.get("estimated", False) for p in problems
              if p["code"] in ("E-CONSULTATION-SHORT", "W-REPLY-LATE")}
    assert marked == {"E-CONSULTATION-SHORT": False, "W-REPLY-LATE": True}, marked


def test_a_reply_late_for_sure_is_late_while_its_days_late_wait_for_the_notice(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "requests" / "late.yaml").write_text(
        "- id: L-01\n  organ: demo\n  received: 2026-11-20\n  channel: 网上\n  applicant_type: 自然人\n"
        "  replied: 2027-01-05\n  outcome: 予以公开\n", encoding="utf-8")
    result = run("validate", "--today", "2027-01-10")
    assert ("catalog/requests/late.yaml:6: W-REPLY-LATE 答复日期 2027-01-05 晚于答复期限 2026-12-18（条例第三十三条，20 个工作日）："
            "逾期的工作日数待 2027 年放假安排公布后计算") in result.stdout, result.stdout


def test_electronic_data_is_charged_by_its_size_as_the_office_sets_a_page(run, tmp_path):
    catalog = make_catalog(tmp_path)
    request = ("- id: R-E\n  organ: demo\n  received: 2026-03-02\n  channel: 网上\n  applicant_type: 自然人\n"
               "  fee:\n    notified: 2026-03-05\n    paid: 2026-03-06\n    kib: 5000\n    amount: {amount}\n")
    (catalog / "requests" / "e.yaml").write_text(request.format(amount=200), encoding="utf-8")
    result = run("validate", "--today", "2026-11-23")
    assert "catalog/requests/e.yaml:6: E-FEE-BASIS 电子数据按大小（kib）计收须先在 gongkai.yaml" in result.stdout
    config = catalog / "gongkai.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "settings:\n  fee_electronic_kib_per_page: 100\n",
                      encoding="utf-8")
    assert "E-FEE" not in run("validate", "--today", "2026-11-23").stdout  # 50 pages: 20 at 10 元
    (catalog / "requests" / "e.yaml").write_text(request.format(amount=100), encoding="utf-8")
    assert ("E-FEE-AMOUNT 信息处理费应为 200 元（电子数据 5000 KiB，折合 50 页，按量计收），记录为 100 元"
            in run("validate", "--today", "2026-11-23").stdout)


def test_attachments_of_every_document_kind_from_any_folder_but_the_private_ones(run, tmp_path):
    """A review of the night's change: audio, video, drawings and .webp were refused, and so was a shared folder of
    attachments (catalog/附件/); a hidden folder's PDF was told to be saved as PDF."""
    catalog = make_catalog(tmp_path)
    files = {"附件/共用表格.xlsx": "x", "items/2026/录音.m4a": "x", "items/2026/图.webp": "x", "items/2026/图纸.dwg": "x",
             "items/2026/.old/旧.pdf": "x", "items/2026/草稿.md": "x", "hotline/记录.pdf": "x"}
    for name, text in files.items():
        (catalog / name).parent.mkdir(parents=True, exist_ok=True)
        (catalog / name).write_text(text, encoding="utf-8")
    listed = "".join(f"  - file: {path}\n" for path in ("../../附件/共用表格.xlsx", "录音.m4a", "图.webp", "图纸.dwg",
                                                         ".old/旧.pdf", "草稿.md", "../../hotline/记录.pdf"))
    (catalog / "items" / "2026" / "a.md").write_text(
        "---\nindex_no: 11220000013544357T/2026-00055\ntitle: 附件\norgan: demo\nwritten: 2026-03-02\n"
        f"published: 2026-03-06\ncategory: 20-1\nattachments:\n{listed}---\n\n正文。\n", encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--today", "2026-11-23", "--format", "json")
    found = [(p["line"], p["code"]) for p in json.loads(result.stdout) if p["path"].endswith("items/2026/a.md")]
    assert found == [(13, "E-ATTACHMENT-TYPE"), (14, "E-ATTACHMENT-TYPE"), (15, "E-ATTACHMENT-OUTSIDE")]
    assert "（隐藏文件）" in result.stdout


def test_an_attachment_or_a_consultations_file_naming_the_catalogs_own_folder_is_missing_not_a_crash(run, tmp_path):
    """Found by the fuzz tests (seed 57): `file: ..` in a consultation, the catalog's folder itself, was 内部错误
    (IndexError) in validate, due and build alike."""
    catalog = make_catalog(tmp_path)
    (catalog / "items" / "2026" / "a.md").write_text(
        "---\nindex_no: 11220000013544357T/2026-00055\ntitle: 附件\norgan: demo\nwritten: 2026-03-02\n"
        "published: 2026-03-06\ncategory: 20-1\nattachments:\n  - file: ../..\n---\n\n正文。\n", encoding="utf-8")
    example = make_catalog(tmp_path / "example", source=EXAMPLE)
    consultation = example / "consultations" / "jilin-zhengwu-gongkai-guiding.yaml"
    text = consultation.read_text(encoding="utf-8")
    consultation.write_text(re.sub(r"  - file: \S+", "  - file: ..", text, count=1), encoding="utf-8")
    for folder, name in ((catalog, "a.md"), (example, consultation.name)):
        result = run("validate", "--catalog", str(folder), "--today", "2026-11-23", "--format", "json")
        assert "内部错误" not in result.stdout + result.stderr
        assert (name, "E-ATTACHMENT-MISSING") in {(Path(p["path"]).name, p["code"]) for p in json.loads(result.stdout)}


def test_index_numbers_that_differ_only_in_the_forms_of_their_characters_are_duplicates(run, tmp_path):
    """Found by a review (2026-12-01): 2026 and full-width ２０２６ read as one index number (the import takes them
    for one, and an update of one went to the other), but made two pages and no duplicate was reported."""
    catalog = make_catalog(tmp_path)
    notice = (catalog / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    (catalog / "items" / "2026" / "second.md").write_text(
        notice.replace("/2026-00001", "/２０２６-00001").replace("  - file: annex.txt\n", "").replace(
            "attachments:\n", ""), encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--today", "2026-11-23", "--format", "json")
    assert [(p["path"].endswith("second.md"), p["code"]) for p in json.loads(result.stdout)
            if p["code"].startswith("E-")] == [(True, "E-INDEX-DUPLICATE")]


def test_two_addresses_that_differ_only_in_case_collide_each_named_by_its_own(run, tmp_path):
    """A review of the night's change: the item in upper case was told the other's address as its own."""
    catalog = make_catalog(tmp_path)
    shutil.copytree(FIXTURES / "broken" / "url-collision-case" / "catalog", catalog, dirs_exist_ok=True)
    result = run("validate", "--catalog", str(catalog), "--today", "2026-11-23")
    upper = next(line for line in result.output.splitlines()
                 if "notice.md:2: E-URL-COLLISION" in line and "index.html" not in line)
    assert "地址 items/11220000013544357T_2026-00001.html 与 11220000013544357t/2026-00001（" in upper
    assert "items/11220000013544357t_2026-00001.html） 相同或只差字母大小写" in upper


def test_an_attachment_whose_file_is_named_with_a_control_character_is_refused(run, tmp_path):
    """A review of the night's changes: a link named 表.pdf to a file named with \\x01 crashed the export."""
    catalog = make_catalog(tmp_path)
    target = catalog / "items" / "2026" / "表\x01.pdf"
    target.write_text("x", encoding="utf-8")
    (catalog / "items" / "2026" / "表.pdf").symlink_to(target)
    (catalog / "items" / "2026" / "b.md").write_text(
        "---\nindex_no: 11220000013544357T/2026-00056\ntitle: 附件\norgan: demo\nwritten: 2026-03-02\n"
        "published: 2026-03-06\ncategory: 20-1\nattachments:\n  - file: 表.pdf\n---\n\n正文。\n", encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--today", "2026-11-23", "--format", "json")
    assert [(p["line"], p["code"]) for p in json.loads(result.stdout) if p["path"].endswith("b.md")] == [
        (9, "E-URL-UNSAFE")]


def test_a_reply_dated_after_today_is_not_yet_late_and_the_request_is_overdue_until_it_is_made(run, tmp_path):
    """Found by a review (2026-12-01): received 2026-12-01 (due 12-29) with replied: 2027-01-20, validate said on
    12-31 "逾期 15 个工作日" of a reply not yet made, while `requests` listed the request as open and 已逾期."""
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")
    (catalog / "requests" / "planned.yaml").write_text(
        "- id: R-2\n  organ: demo\n  received: 2026-12-01\n  channel: 网上\n  applicant_type: 自然人\n"
        "  replied: 2027-01-20\n  outcome: 予以公开\n", encoding="utf-8")
    before = [line.split(" ")[0:2] for line in run("validate", "--today", "2026-12-31").stdout.splitlines()]
    assert before == [["catalog/requests/planned.yaml:3:", "W-REPLY-OVERDUE"],
                      ["catalog/requests/planned.yaml:6:", "W-DATE-FUTURE"]], before
    requests = json.loads(run("requests", "--today", "2026-12-31", "--format", "json").stdout)["requests"]
    assert [(r["id"], r["state"], r["due"]) for r in requests] == [("R-2", "已逾期", "2026-12-29")]
    after = run("validate", "--today", "2027-01-20").stdout
    assert ("catalog/requests/planned.yaml:6: W-REPLY-LATE 答复日期 2027-01-20 晚于答复期限 2026-12-29（条例第三十三条，"
            "20 个工作日）：逾期 15 个工作日") in after, after
    assert "W-REPLY-OVERDUE" not in after and "W-DATE-FUTURE" not in after


def test_a_publication_planned_past_its_limit_is_said_as_what_will_happen_until_its_day(run, tmp_path):
    """Found by a review (2026-12-01): formed 2026-12-10 (due 2027-01-08) with published: 2027-01-12, validate said
    on 2026-12-31 "公开日期 2027-01-12 逾期 2 个工作日", a fact of a publication still to come."""
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")
    (catalog / "items" / "2026" / "plan.md").write_text(
        "---\nindex_no: 11220000013544357T/2026-00057\ntitle: 计划公开的通知\norgan: demo\nwritten: 2026-12-10\n"
        "published: 2027-01-12\ncategory: 20-1\n---\n\n正文。\n", encoding="utf-8")
    before = run("validate", "--today", "2026-12-31").stdout
    assert ("catalog/items/2026/plan.md:6: W-PUBLISH-PLANNED-LATE 本信息于 2026-12-10 形成或变更，应在 2027-01-08 前公开"
            "（条例第二十六条，20 个工作日），计划公开日期 2027-01-12 将逾期 2 个工作日：请在 2027-01-08 前发布") in before, before
    assert "W-PUBLISH-LATE" not in before
    on_the_day = run("validate", "--today", "2027-01-12").stdout
    assert "plan.md:6: W-PUBLISH-LATE" in on_the_day and "公开日期 2027-01-12 逾期 2 个工作日" in on_the_day, on_the_day
    assert "W-PUBLISH-PLANNED-LATE" not in on_the_day


def test_a_year_chinesecalendar_holds_is_compared_only_as_counted_and_as_its_notice_has_it(tmp_path):
    """Found by a review: W-HOLIDAY-DIFFERS said 期限按本文件计算 of a year rejected (and so not counted with), and
    named as missing the December days chinesecalendar files under 2018 though the file puts them in 2019's block."""
    path = tmp_path / "holidays.yaml"

    def codes(text: str) -> list[str]:
        path.write_text(text, encoding="utf-8")
        years, problems = load_holidays(path)
        assert problems == []
        return [p.code for p in checked_years(years, "holidays.yaml")[1]]

    # Rejected (春节 and the rest missing): chinesecalendar's 2026 is counted with, not the file's.
    assert codes("2026:\n  notice: 手工\n  holidays: [2026-10-01..2026-10-08]\n") == ["E-HOLIDAY-MISSING"]
    # 2018 as its own notice has it: 2018-12-29 … 12-31 are 2019's notice's, written in 2019's block.
    packaged = packaged_arrangement(2018)
    own = [day for day in sorted(packaged.holidays | packaged.workdays) if day < dt.date(2018, 12, 29)]
    assert len(own) < len(packaged.holidays | packaged.workdays)  # chinesecalendar has some of 2019's notice's days

    def listed(days) -> str:
        return ", ".join(day.isoformat() for day in days if day in own)

    assert codes(f"2018:\n  notice: 国办发明电〔2017〕12号\n  holidays: [{listed(sorted(packaged.holidays))}]\n"
                 f"  workdays: [{listed(sorted(packaged.workdays))}]\n") == []
