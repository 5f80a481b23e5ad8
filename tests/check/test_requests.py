"""`gongkai requests`: the open requests, soonest due first, each with its clock and next step."""

from __future__ import annotations

import json

from conftest import EXAMPLE, HOLIDAYS_2027, make_catalog


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


LATE_STEPS = """\
- {id: A3, organ: demo, received: 2026-10-24, channel: 网上, applicant_type: 自然人, replied: 2026-11-30, outcome: 予以公开}
- {id: H1, organ: demo, received: 2026-09-01, channel: 网上, applicant_type: 自然人,
   pauses: [{kind: 第三方, start: 2026-09-03}]}
- {id: H2, organ: demo, received: 2026-09-01, channel: 网上, applicant_type: 自然人,
   fee: {notified: 2026-09-03, pages: 50, amount: 200}}
- {id: H3, organ: demo, received: 2026-10-26, channel: 网上, applicant_type: 自然人,
   pauses: [{kind: 第三方, start: 2026-11-16}]}
"""


def test_a_request_is_listed_as_it_stood_on_the_day_and_its_next_step_follows_the_periods(run, tmp_path):
    (make_catalog(tmp_path) / "requests" / "2026.yaml").write_text(LATE_STEPS, encoding="utf-8")
    result = run("requests", "--catalog", str(tmp_path / "catalog"), "--today", "2026-11-23", "--format", "json")
    found = {r["id"]: r for r in json.loads(result.stdout)["requests"]}
    assert found["A3"]["state"] == "已逾期", "answered on 11-30: on 11-23 it was still to answer, and late"
    assert found["H1"]["next_step"].startswith("征求意见期已满（15 个工作日")
    assert found["H2"]["next_step"].startswith("缴费期限已过（20 个工作日") and "逾期未缴费" in found["H2"]["next_step"]
    assert found["H3"]["next_step"].startswith("正在征求意见")
    due = run("due", "--catalog", str(tmp_path / "catalog"), "--today", "2026-11-23", "--format", "json")
    assert any(e["subject"].startswith("A3") and e["status"] == "已逾期" for e in json.loads(due.stdout)["entries"])
    validated = run("validate", "--catalog", str(tmp_path / "catalog"), "--today", "2026-11-23")
    assert "W-DATE-FUTURE" in validated.stdout and "答复日期" in validated.stdout


def test_an_extension_dated_after_today_is_not_one_yet_and_the_reply_is_due_without_it(run, tmp_path):
    """Found by a review (2026-12-01): received 2026-12-15 with extension {approved: 2027-01-08, notified: 2027-01-11},
    on 2027-01-07 `requests` said 已延期 … 未到期 and `due` left it out, though the reply was due 01-13 unless extended."""
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")
    (catalog / "requests" / "ext.yaml").write_text(
        "- id: R-3\n  organ: demo\n  received: 2026-12-15\n  channel: 网上\n  applicant_type: 自然人\n"
        "  extension:\n    approved: 2027-01-08\n    notified: 2027-01-11\n", encoding="utf-8")
    [request] = json.loads(run("requests", "--today", "2027-01-07", "--format", "json").stdout)["requests"]
    assert (request["due"], request["state"]) == ("2027-01-13", "即将到期")
    assert request["next_step"].startswith("即将到期：请按期答复；确需延长的，经负责人同意并告知申请人，可延长 20 个工作日")
    assert not any(fact.startswith("已延期") for fact in request["clock"]) and "日期未到" in request["clock"][-1]
    entries = json.loads(run("due", "--today", "2027-01-07", "--format", "json").stdout)["entries"]
    assert [(e["due"], e["status"]) for e in entries if e["subject"].startswith("R-3")] == [("2027-01-13", "即将到期")]
    validated = run("validate", "--today", "2027-01-07").stdout
    assert ("catalog/requests/ext.yaml:6: W-DATE-FUTURE 负责人同意延期日期（2027-01-08）晚于今天（2027-01-07）" in validated
            and "catalog/requests/ext.yaml:6: W-DATE-FUTURE 告知申请人延期日期（2027-01-11）" in validated), validated
    # Once both have happened the reply is due 20 working days later (春节 2027-02-05..08 skipped).
    [request] = json.loads(run("requests", "--today", "2027-01-11", "--format", "json").stdout)["requests"]
    assert (request["due"], request["state"]) == ("2027-02-12", "未到期")
    assert "W-DATE-FUTURE" not in run("validate", "--today", "2027-01-11").stdout


def test_a_correction_never_received_is_to_be_closed_once_its_period_ends(run, tmp_path):
    """Found by two reviews: a request whose applicant never sent the correction stayed open for ever, out of `due`
    and silent in validate, carried into every later year's report. The notice's period (条例 art. 30, 合理的补正期限)
    is recorded as correction.due: once it has ended, validate, `due` and `requests` say to close the request as
    逾期不补正; not before, not once the correction came or the request was closed."""
    catalog = make_catalog(tmp_path)
    log = catalog / "requests" / "2026.yaml"
    waiting = ("- {id: C1, organ: demo, received: 2026-11-02, channel: 网上, applicant_type: 自然人,\n"
               "   correction: {notified: 2026-11-04, due: 2026-11-18}}\n")
    log.write_text(log.read_text(encoding="utf-8") + waiting, encoding="utf-8")

    def said(today: str) -> tuple[bool, list, str]:
        validated = run("validate", "--today", today).stdout
        due = [e["status"] for e in json.loads(run("due", "--today", today, "--format", "json").stdout)["entries"]
               if e["subject"].startswith("C1")]
        [request] = [r for r in json.loads(run("requests", "--today", today, "--format", "json").stdout)["requests"]
                     if r["id"] == "C1"] or [{"next_step": ""}]
        return "W-CORRECTION-LAPSED" in validated, due, request["next_step"]

    assert said("2026-11-18") == (False, [], "等待申请人补正（补正期限 2026-11-18）：收到补正后填写 correction.received，"
                                              "答复期限从该日重新起算（条例第三十条）")
    lapsed, due, step = said("2026-11-19")
    assert lapsed and due == ["补正期限已过：可按逾期不补正办结"] and step.startswith("补正期限 2026-11-18 已过")
    log.write_text(log.read_text(encoding="utf-8").replace(
        "due: 2026-11-18}}", "due: 2026-11-18}, replied: 2026-11-19, outcome: 逾期不补正}"), encoding="utf-8")
    assert said("2026-11-20") == (False, [], "")
    log.write_text(log.read_text(encoding="utf-8").replace(
        "due: 2026-11-18}, replied: 2026-11-19, outcome: 逾期不补正}", "due: 2026-11-03}}"), encoding="utf-8")
    assert "E-DATE-ORDER 补正期限（2026-11-03）早于补正告知日期（2026-11-04）" in run("validate", "--today", "2026-11-20").stdout


def test_a_correction_payment_or_answer_dated_after_today_has_not_happened_yet(run, tmp_path):
    """Left by the fix of future replies and extensions, found by the same review: a correction recorded as received
    on a day to come restarted the clock from that day and took the request out of 等待申请人; a payment or a third
    party's answer to come ended its pause early. Each now counts from its day, with W-DATE-FUTURE until then."""
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")  # an open consultation runs into 2027
    log = catalog / "requests" / "2026.yaml"
    log.write_text(log.read_text(encoding="utf-8") + (
        "- {id: F1, organ: demo, received: 2026-11-02, channel: 网上, applicant_type: 自然人,\n"
        "   correction: {notified: 2026-11-04, received: 2026-11-25}}\n"
        "- {id: F2, organ: demo, received: 2026-11-10, channel: 网上, applicant_type: 自然人,\n"
        "   pauses: [{kind: 第三方, start: 2026-11-12, end: 2026-11-25}]}\n"
        "- {id: F3, organ: demo, received: 2026-11-10, channel: 网上, applicant_type: 自然人,\n"
        "   fee: {notified: 2026-11-12, paid: 2026-11-25, nth_in_month: 11, amount: 100}}\n"), encoding="utf-8")

    def state(today: str) -> dict[str, tuple[str, str | None]]:
        found = json.loads(run("requests", "--today", today, "--format", "json").stdout)["requests"]
        return {r["id"]: (r["state"], r["due"]) for r in found if r["id"] in ("F1", "F2", "F3")}

    before = state("2026-11-20")
    assert before["F1"] == ("等待申请人", None)
    validated = run("validate", "--today", "2026-11-20").stdout
    assert validated.count("W-DATE-FUTURE") == 3 and "收到补正日期（2026-11-25）" in validated and "缴费日期（2026-11-25）" in validated
    after = state("2026-12-01")
    assert after["F1"][0] != "等待申请人" and after["F1"][1] == "2026-12-23"  # 20 working days from 11-25
    # Unanswered on 11-20, the consultation is taken to run its 15 working days; answered on 11-25, it ran less.
    assert before["F2"][1] > after["F2"][1], (before, after)
    # Unpaid on 11-20, the fee notice is taken to pause the clock to its end; paid on 11-25, the pause ended then.
    assert before["F3"][1] > after["F3"][1], (before, after)


def test_a_notice_consultation_or_fee_dated_after_today_has_not_begun(run, tmp_path):
    """Found by a review of the fix above: a correction notice, a consultation or a fee notice dated after today
    stopped the clock already, and the next step spoke of an answer or a payment as come when dated later."""
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")  # open consultations run into 2027
    log = catalog / "requests" / "2026.yaml"
    log.write_text(log.read_text(encoding="utf-8") + (
        "- {id: G1, organ: demo, received: 2026-11-27, channel: 网上, applicant_type: 自然人,\n"
        "   correction: {notified: 2026-12-03}}\n"
        "- {id: G2, organ: demo, received: 2026-11-16, channel: 网上, applicant_type: 自然人,\n"
        "   pauses: [{kind: 第三方, start: 2026-11-18, end: 2026-12-04}]}\n"
        "- {id: G3, organ: demo, received: 2026-11-16, channel: 网上, applicant_type: 自然人,\n"
        "   fee: {notified: 2026-11-18, paid: 2026-12-04, amount: 100}}\n"
        "- {id: G4, organ: demo, received: 2026-11-16, channel: 网上, applicant_type: 自然人,\n"
        "   pauses: [{kind: 第三方, start: 2026-12-08}]}\n"), encoding="utf-8")
    found = {r["id"]: r for r in json.loads(run("requests", "--today", "2026-12-01", "--format", "json").stdout)
             ["requests"]}
    assert found["G1"]["state"] != "等待申请人" and found["G1"]["due"] == "2026-12-25"  # 20 working days from 11-27
    assert not any("告知补正" in fact for fact in found["G1"]["clock"])
    assert found["G2"]["next_step"].startswith("正在征求意见")
    assert found["G3"]["next_step"].startswith("等待申请人缴纳信息处理费")
    assert found["G4"]["due"] == "2026-12-14"  # 20 working days from 11-16: not paused before its consultation


def test_a_correction_period_ending_on_a_rest_day_runs_to_the_next_working_day(run, tmp_path):
    """民法典 art. 203 (a review found staff told on Monday to close a request whose period ended on Saturday)."""
    catalog = make_catalog(tmp_path)
    log = catalog / "requests" / "2026.yaml"
    log.write_text(log.read_text(encoding="utf-8") + (
        "- {id: S1, organ: demo, received: 2026-11-16, channel: 网上, applicant_type: 自然人,\n"
        "   correction: {notified: 2026-11-18, due: 2026-11-28}}\n"), encoding="utf-8")
    assert "W-CORRECTION-LAPSED" not in run("validate", "--today", "2026-11-30").stdout
    assert "W-CORRECTION-LAPSED" in run("validate", "--today", "2026-12-01").stdout
