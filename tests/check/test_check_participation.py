"""The rules of rules.md §9 on real catalogs: each problem at its line, and what `gongkai due` lists."""

from __future__ import annotations

import json

from conftest import EXAMPLE, make_catalog


def _write(catalog, relative: str, text: str) -> None:
    path = catalog / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _problems(run, today="2026-11-23"):
    result = run("validate", "--today", today, "--format", "json")
    return result, [(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)]


CONSULTATION = "title: t\norgan: demo\nkind: {kind}\nstart: {start}\nend: {end}\nemail: a@example.gov.cn\n"


def test_a_normative_draft_open_fewer_than_seven_working_days_is_an_error_at_its_end(run, tmp_path):
    catalog = make_catalog(tmp_path)
    # 09-28 + 7 working days over 国庆 is 10-13: ending on 10-12 is one working day short.
    _write(catalog, "consultations/short.yaml", CONSULTATION.format(kind="行政规范性文件", start="2026-09-28",
                                                                    end="2026-10-12"))
    _write(catalog, "consultations/long.yaml", CONSULTATION.format(kind="行政规范性文件", start="2026-09-28",
                                                                   end="2026-10-13"))
    result, problems = _problems(run, "2026-10-14")
    assert ("catalog/consultations/short.yaml", 5, "E-CONSULTATION-SHORT") in problems
    assert not any(p[0].endswith("long.yaml") for p in problems), problems
    assert "6 个工作日" in result.stdout and "2026-10-13" in result.stdout


def test_a_hearing_needs_its_hearing_and_the_hearing_follows_the_start(run, tmp_path):
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/h1.yaml", CONSULTATION.format(kind="听证", start="2026-11-02", end="2026-11-09"))
    _write(catalog, "consultations/h2.yaml", CONSULTATION.format(kind="听证", start="2026-11-02", end="2026-11-09")
           + "hearing:\n  date: 2026-10-30\n")
    _, problems = _problems(run)
    assert ("catalog/consultations/h1.yaml", 1, "E-REQUIRED") in problems
    assert ("catalog/consultations/h2.yaml", 8, "E-DATE-ORDER") in problems
    # A hearing held before its sign-up closed: the page invited people to sign up for a hearing already held.
    _write(catalog, "consultations/h2.yaml", CONSULTATION.format(kind="听证", start="2026-11-02", end="2026-11-09")
           + "hearing:\n  date: 2026-11-05 09:30\n")
    _, problems = _problems(run)
    assert ("catalog/consultations/h2.yaml", 8, "E-DATE-ORDER") in problems


def test_an_end_before_the_start_and_feedback_before_the_end_are_out_of_order(run, tmp_path):
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/c.yaml", CONSULTATION.format(kind="规章", start="2026-11-02", end="2026-10-02")
           + "feedback:\n  published: 2026-09-01\n  received: 0\n")
    _, problems = _problems(run)
    assert ("catalog/consultations/c.yaml", 5, "E-DATE-ORDER") in problems
    assert ("catalog/consultations/c.yaml", 8, "E-DATE-ORDER") in problems
    assert not any(p[2] == "E-CONSULTATION-SHORT" for p in problems)  # the order is the one mistake


def test_consultation_files_must_exist_inside_the_catalog(run, tmp_path):
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/c.yaml", CONSULTATION.format(kind="其他", start="2026-11-02", end="2026-11-09")
           + "files:\n  - file: missing.pdf\n  - file: ../../outside.txt\n")
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    _, problems = _problems(run)
    assert ("catalog/consultations/c.yaml", 8, "E-ATTACHMENT-MISSING") in problems
    assert ("catalog/consultations/c.yaml", 9, "E-ATTACHMENT-OUTSIDE") in problems


def test_personal_data_in_feedback_and_hotline_fields_is_an_error_at_its_line(run, tmp_path):
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/c.yaml", CONSULTATION.format(kind="其他", start="2026-09-01", end="2026-09-15")
           + "feedback:\n  published: 2026-09-20\n  received: 2\n  not_adopted:\n"
             "    - opinion: 张先生（zhang@163.com）建议推迟\n      reason: 已论证\n")
    _write(catalog, "hotline/2026.yaml",
           "- id: '1'\n  received: 2026-11-02\n  type: 咨询\n  question: 咨询社保\n  unit: 人社局\n"
           "  replied: 2026-11-03\n  result: 已答复，可拨打 0431-88886666 咨询\n"
           "- id: '2'\n  received: 2026-11-02\n  type: 投诉\n  question: 反映噪音\n  unit: 城管局\n"
           "  replied: 2026-11-03\n  result: 已联系来电人，身份证号 220102199001011234\n"
           "- id: '3'\n  received: 2026-11-02\n  type: 举报\n  question: 举报 13912345678 的经营者\n  unit: 市场监管局\n"
           "  withheld: 保护举报人\n"
           "- id: '13800138000'\n  received: 2026-11-02\n  type: 咨询\n  question: 咨询公积金\n  unit: 公积金中心\n"
           "  replied: 2026-11-03\n  result: 已答复\n")
    result, problems = _problems(run)
    found = [p for p in problems if p[2] == "E-PERSONAL-DATA"]
    assert found == [("catalog/consultations/c.yaml", 11, "E-PERSONAL-DATA"),
                     ("catalog/hotline/2026.yaml", 14, "E-PERSONAL-DATA"),
                     ("catalog/hotline/2026.yaml", 21, "E-PERSONAL-DATA")]  # an office's landline is public, a
    # withheld case is never shown, and a case's number is published (a caller's mobile number as one was not looked at)
    assert "220***********1234" in result.stdout and "220102199001011234" not in result.stdout


def test_personal_data_in_what_a_consultation_publishes_is_an_error_at_its_line(run, tmp_path):
    """Its title is in the feeds and the search index; its hearing's sign-up names people. Only the description was
    looked at."""
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/c.yaml",
           CONSULTATION.format(kind="听证", start="2026-11-02", end="2026-11-09").replace("title: t", "title: 听证（报名咨询 13912345679）")
           + "contact: 市发改委价格科 0431-88886666\nhearing:\n  date: 2026-11-18\n  place: 市政府第一会议室\n"
             "  signup: 已确定的消费者代表：王某某（身份证 220102199003071234）\n")
    _, problems = _problems(run)
    assert sorted(p for p in problems if p[2] == "E-PERSONAL-DATA") == [
        ("catalog/consultations/c.yaml", 1, "E-PERSONAL-DATA"), ("catalog/consultations/c.yaml", 11, "E-PERSONAL-DATA")]


def test_a_hotline_reply_dated_in_the_future_is_not_yet_a_reply(run, tmp_path):
    """validate called it 48 working days late while `due` and the site showed the case open."""
    catalog = make_catalog(tmp_path)
    _write(catalog, "hotline/2026.yaml", "- id: S-F\n  received: 2026-09-11\n  type: 咨询\n  question: q\n  unit: u\n"
           "  replied: 2026-12-01\n  result: 已答复\n")
    _, problems = _problems(run)
    codes = {p[2] for p in problems if p[0] == "catalog/hotline/2026.yaml"}
    assert codes == {"W-DATE-FUTURE", "W-HOTLINE-OVERDUE"}, problems


def test_duplicate_hotline_case_numbers_are_an_error(run, tmp_path):
    catalog = make_catalog(tmp_path)
    case = "- id: '7'\n  received: 2026-11-02\n  type: 咨询\n  question: q\n  unit: u\n"
    _write(catalog, "hotline/2026.yaml", case + case)
    _, problems = _problems(run)
    assert ("catalog/hotline/2026.yaml", 6, "E-ID-DUPLICATE") in problems


def test_an_interpretation_published_later_than_allowed_is_a_warning_when_required(run, tmp_path):
    catalog = make_catalog(tmp_path)
    _write(catalog, "gongkai.yaml", "site:\n  title: t\nsettings:\n  interpretation_required: true\n"
                                    "  interpretation_workdays: 3\n")
    _write(catalog, "items/jiedu.md", "---\nindex_no: 11220000013544357T/2026-00002\ntitle: 解读\norgan: demo\n"
                                      "written: 2026-03-12\npublished: 2026-03-12\ncategory: 20-1\n"
                                      "interprets: 11220000013544357T/2026-00001\n---\n\n解读。\n")
    result, problems = _problems(run)
    assert ("catalog/items/2026/notice.md", 7, "W-INTERPRETATION-MISSING") in problems
    assert "最迟应在 2026-03-11 发布" in result.stdout  # 03-06 + 3 working days
    _write(catalog, "gongkai.yaml", "site:\n  title: t\nsettings:\n  interpretation_required: true\n"
                                    "  interpretation_workdays: 4\n")
    assert not any(p[2] == "W-INTERPRETATION-MISSING" for p in _problems(run)[1])


def test_the_example_warns_of_its_late_and_overdue_cases_and_its_commitment(run):
    result = run("validate", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    codes = {(p["path"].rsplit("/", 1)[1], p["code"]) for p in json.loads(result.stdout)}
    assert {("2026.yaml", "W-HOTLINE-LATE"), ("2026.yaml", "W-HOTLINE-OVERDUE"),
            ("jilin-province.yaml", "W-COMMITMENT-EXCEEDS")} <= codes
    assert not any(code.startswith(("W-FEEDBACK", "E-")) for _, code in codes)


def test_due_lists_feedback_to_publish_and_hotline_cases_due(run):
    result = run("due", "--catalog", str(EXAMPLE), "--today", "2026-11-23", "--format", "json")
    entries = json.loads(result.stdout)["entries"]
    feedback = [e for e in entries if e["section"] == "意见采纳情况"]
    # 20 working days after the hearing (11-18), not after its sign-up (11-06)
    assert [(e["due"], e["status"]) for e in feedback] == [("2026-12-16", "未到期")]
    assert feedback[0]["subject"].startswith("吉林市城市公共交通票价调整方案听证会公告")
    hotline = [(e["subject"].split()[0], e["status"]) for e in entries if e["section"] == "12345热线工单"]
    assert hotline == [("20261110-0102", "已逾期"), ("20261119-0120", "即将到期"), ("20261120-0045", "即将到期")]
    later = json.loads(run("due", "--catalog", str(EXAMPLE), "--today", "2027-01-04", "--format", "json").stdout)
    # The hearing's feedback is overdue; the rule draft's (12-10 + 20 working days) needs 2027's calendar.
    overdue, pending = [e["status"] for e in later["entries"] if e["section"] == "意见采纳情况"]
    assert overdue == "已逾期" and pending.startswith("待定：缺少 2027 年节假日数据：通知发布后用 gongkai holidays import 导入")
    assert pending.endswith("catalog/holidays.yaml")


def test_a_consultation_holds_a_placeholder_until_it_opens_and_a_work_orders_number_may_be_long(run, tmp_path):
    """Found by a review: `gongkai new consultation` without a title wrote （待填写）, and every build stopped though
    the consultation was weeks from opening; an 18-digit work order number read as an identity number."""
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/later.yaml", CONSULTATION.format(kind="其他", start="2026-12-15", end="2027-01-15")
           .replace("title: t", "title: （待填写）"))
    _write(catalog, "consultations/open.yaml", CONSULTATION.format(kind="其他", start="2026-11-02", end="2026-11-30")
           .replace("title: t", "title: （待填写）"))
    _write(catalog, "hotline/2026.yaml", "- id: '202611190001234567'\n  received: 2026-11-19\n  type: 咨询\n"
           "  question: 咨询社保\n  unit: 人社局\n  replied: 2026-11-20\n  result: 已答复\n")
    result, problems = _problems(run)
    assert [p for p in problems if p[2] in ("E-PLACEHOLDER", "E-PERSONAL-DATA")] == [
        ("catalog/consultations/open.yaml", 1, "E-PLACEHOLDER")]
    assert "意见征集自开始日期（start）起在网站上公开" in result.stdout


def test_a_hearings_feedback_is_counted_from_the_hearing_and_the_message_says_so(run, tmp_path):
    """Found by a review as office staff: the message named the sign-up's end (11-06) as the start of the 20 working
    days, though they were counted from the hearing (11-18)."""
    catalog = make_catalog(tmp_path)
    _write(catalog, "consultations/h.yaml", CONSULTATION.format(kind="听证", start="2026-10-26", end="2026-11-06")
           + "hearing:\n  date: 2026-11-18\n  place: 市政府第一会议室\n")
    result, problems = _problems(run, today="2026-12-28")
    assert ("catalog/consultations/h.yaml", 5, "W-FEEDBACK-OVERDUE") in problems
    assert "征集已于 2026-11-18 结束（有听证会的，以听证会日为准）" in result.stdout
