"""Statutory clocks: due dates as tables of real dates around 春节 and 国庆 (expected values counted by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.errors import CalendarYearMissing, Location
from builder.model.catalog import Correction, Extension, Pause, Request, RequestFee
from builder.model.fields import Record
from builder.model.settings import Settings
from builder.rules.deadlines import (
    ClockState,
    request_deadlines,
    request_state,
    state_of,
)
from builder.rules.workdays import Interval, WorkCalendar

D = dt.date.fromisoformat
CAL = WorkCalendar()
TODAY = D("2026-12-01")  # the day the requests below stand as recorded


@pytest.mark.parametrize("start, days, due", [
    # 国庆: 10-01..07 off, 10-10 (Sat) a make-up workday.
    ("2026-09-28", 20, "2026-10-30"),
    # Day 0 on a rest day: the first working day after it is day 1 (rules.md §1).
    ("2026-10-03", 20, "2026-11-03"),
    # 春节: 02-15..23 off; 02-14 and 02-28 (Saturdays) are make-up workdays.
    ("2026-02-10", 20, "2026-03-16"),
    # A Saturday start that is itself a make-up workday is still day 0.
    ("2026-02-14", 1, "2026-02-24"),
    # Friday and Sunday starts.
    ("2026-03-06", 1, "2026-03-09"),
    ("2026-03-08", 1, "2026-03-09"),
    # A due date that lands on a make-up Sunday.
    ("2026-08-24", 20, "2026-09-20"),
    # The correction notice clock: 7 working days.
    ("2026-09-29", 7, "2026-10-14"),
    ("2026-05-06", 0, "2026-05-06"),
])
def test_add_workdays_on_2026_calendar(start, days, due):
    assert CAL.add_workdays(D(start), days) == D(due)


def test_paused_days_are_not_counted():
    # (start, end]: 5 working days 03-10..03-16 do not count.
    plain = CAL.add_workdays(D("2026-03-02"), 20)
    paused = CAL.add_workdays(D("2026-03-02"), 20, (Interval(D("2026-03-09"), D("2026-03-16")),))
    assert plain == D("2026-03-30")
    assert paused == D("2026-04-07")  # 04-04..06 清明 off, so five more working days end on 04-07


def _request(**fields) -> Request:
    base = dict(id="R", organ="o", received=D("2026-09-28"), channel="网上", applicant_type="自然人",
                record=Record({}, Location("r.yaml", 1), {}))
    return Request(**{**base, **fields})


def test_reply_due_is_20_working_days_across_national_day():
    deadlines = request_deadlines(CAL, _request(), Settings(), TODAY)
    assert deadlines.reply_due == deadlines.final_due == D("2026-10-30")
    assert deadlines.correction_due == D("2026-10-13")


def test_extension_needs_both_approval_and_notice():
    approved_only = request_deadlines(CAL, _request(extension=Extension(D("2026-10-20"), None)), Settings(), TODAY)
    both = request_deadlines(CAL, _request(extension=Extension(D("2026-10-20"), D("2026-10-21"))), Settings(), TODAY)
    assert approved_only.final_due == D("2026-10-30")
    assert both.final_due == D("2026-11-27") and both.extended


def test_correction_restarts_the_reply_clock():
    request = _request(received=D("2026-03-02"), correction=Correction(D("2026-03-05"), D("2026-03-12")))
    deadlines = request_deadlines(CAL, request, Settings(), TODAY)
    assert deadlines.anchor == D("2026-03-12")
    assert deadlines.reply_due == D("2026-04-10")  # 清明 04-04..06 skipped


def test_open_correction_waits_for_the_applicant():
    request = _request(received=D("2026-03-02"), correction=Correction(D("2026-03-05"), None))
    deadlines = request_deadlines(CAL, request, Settings(), TODAY)
    assert request_state(CAL, request, deadlines, D("2026-11-23"), 5) is ClockState.WAITING


def test_consultation_pause_and_fee_notice_pause_by_setting():
    fee = RequestFee(notified=D("2026-03-09"), amount=100, paid=D("2026-03-13"), nth_in_month=11)
    request = _request(received=D("2026-03-02"), pauses=(Pause("第三方", D("2026-03-16"), D("2026-03-20")),), fee=fee)
    paused = request_deadlines(CAL, request, Settings(), TODAY)
    unpaused_fee = request_deadlines(CAL, request, Settings(fee_notice_pauses_reply=False), TODAY)
    assert paused.final_due == D("2026-04-10")  # 4 fee days + 4 consultation days, 清明 skipped
    assert unpaused_fee.final_due == D("2026-04-03")  # the 4 consultation days only


def test_a_fee_paid_after_its_20_working_days_pauses_the_reply_no_longer_than_them():
    # Notified 03-05: payable by 04-02 (清明 04-04..06 after it). Paid 06-05, or a typo years ahead, it hid an
    # overdue reply until July.
    for paid in (D("2026-06-05"), D("2029-06-05"), None):
        fee = RequestFee(notified=D("2026-03-05"), amount=100, paid=paid, pages=40)
        deadlines = request_deadlines(CAL, _request(received=D("2026-03-02"), fee=fee), Settings(), TODAY)
        assert deadlines.pauses == (Interval(D("2026-03-05"), D("2026-04-02")),), paid


def test_open_consultation_runs_to_its_15_day_statutory_end():
    request = _request(received=D("2026-03-02"), pauses=(Pause("第三方", D("2026-03-03"), None),))
    deadlines = request_deadlines(CAL, request, Settings(), TODAY)
    assert deadlines.pauses == (Interval(D("2026-03-03"), D("2026-03-24")),)


def test_a_consultation_recorded_as_longer_pauses_the_reply_only_for_its_15_working_days():
    """Found by a review as office staff: a pause recorded 10-20 to 12-01 moved the reply to 12-25 (未到期), though
    silence after 15 working days is consent (arts. 32, 34) and the reply was due on 12-04."""
    request = _request(received=D("2026-10-16"), pauses=(Pause("第三方", D("2026-10-20"), D("2026-12-01")),))
    deadlines = request_deadlines(CAL, request, Settings(), TODAY)
    assert deadlines.pauses == (Interval(D("2026-10-20"), D("2026-11-10")),)
    assert deadlines.final_due == D("2026-12-04")


def test_rest_day_receipt_setting_moves_day_zero():
    saturday = _request(received=D("2026-03-07"))
    assert request_deadlines(CAL, saturday, Settings(), TODAY).reply_due == D("2026-04-03")
    moved = request_deadlines(CAL, saturday, Settings(rest_day_receipt="next_workday"), TODAY)
    assert moved.receipt == D("2026-03-09") and moved.reply_due == D("2026-04-07")


def test_a_correction_asked_after_seven_working_days_moves_no_clock():
    """条例 art. 30 gives the office 7 working days to ask: a later notice, corrected or not, leaves the reply due
    from the receipt (it was hiding requests overdue since September)."""
    late = request_deadlines(CAL, _request(received=D("2026-09-01"), correction=Correction(D("2026-11-03"), None)),
                             Settings(), TODAY)
    assert late.correction_late and not late.waiting_for_correction
    assert late.anchor == D("2026-09-01") and late.final_due == D("2026-09-29")
    corrected = _request(received=D("2026-09-01"), correction=Correction(D("2026-11-03"), D("2026-11-05")))
    assert request_deadlines(CAL, corrected, Settings(), TODAY).final_due == D("2026-09-29")
    in_time = _request(received=D("2026-09-01"), correction=Correction(D("2026-09-10"), D("2026-09-14")))
    assert request_deadlines(CAL, in_time, Settings(), TODAY).anchor == D("2026-09-14")


def test_an_extension_notified_after_the_due_date_extends_nothing():
    late = request_deadlines(CAL, _request(received=D("2026-10-12"),
                                           extension=Extension(D("2026-11-12"), D("2026-11-13"))), Settings(), TODAY)
    assert late.extension_late and not late.extended and late.final_due == late.reply_due == D("2026-11-09")
    on_the_day = _request(received=D("2026-10-12"), extension=Extension(D("2026-11-06"), D("2026-11-09")))
    deadlines = request_deadlines(CAL, on_the_day, Settings(), TODAY)
    assert deadlines.extended and deadlines.final_due == D("2026-12-07")


def test_an_extension_counts_only_once_its_consent_and_its_notice_have_both_happened():
    """Found by a review (2026-12-01): an extension recorded with dates after today moved the reply's due date
    already, and a request due in days was 未到期 and left out of `due`."""
    request = _request(received=D("2026-10-12"), extension=Extension(D("2026-11-06"), D("2026-11-09")))
    for today in (D("2026-11-05"), D("2026-11-06")):  # neither, then only the consent, has happened
        deadlines = request_deadlines(CAL, request, Settings(), today)
        assert not deadlines.extended and deadlines.extension_planned and deadlines.final_due == D("2026-11-09")
        assert request_state(CAL, request, deadlines, today, 5) is ClockState.DUE_SOON
    deadlines = request_deadlines(CAL, request, Settings(), D("2026-11-09"))
    assert deadlines.extended and not deadlines.extension_planned and deadlines.final_due == D("2026-12-07")
    assert request_state(CAL, request, deadlines, D("2026-11-09"), 5) is ClockState.ON_TIME


def test_a_correction_received_on_a_rest_day_counts_from_the_next_working_day_where_set():
    request = _request(received=D("2026-10-12"), correction=Correction(D("2026-10-14"), D("2026-10-17")))
    assert request_deadlines(CAL, request, Settings(), TODAY).reply_due == D("2026-11-13")
    moved = request_deadlines(CAL, request, Settings(rest_day_receipt="next_workday"), TODAY)
    assert moved.anchor == D("2026-10-19") and moved.reply_due == D("2026-11-16")


def test_a_request_answered_after_today_is_open_today():
    request = _request(received=D("2026-10-24"), replied=D("2026-11-30"), outcome="予以公开")
    deadlines = request_deadlines(CAL, request, Settings(), TODAY)
    assert request_state(CAL, request, deadlines, D("2026-11-23"), 5) is ClockState.OVERDUE
    assert request_state(CAL, request, deadlines, D("2026-12-01"), 5) is ClockState.CLOSED_LATE


@pytest.mark.parametrize("due, done, today, state", [
    ("2026-10-30", None, "2026-10-01", ClockState.ON_TIME),
    ("2026-10-30", None, "2026-10-26", ClockState.DUE_SOON),
    ("2026-10-30", None, "2026-10-30", ClockState.DUE_SOON),
    ("2026-10-30", None, "2026-10-31", ClockState.OVERDUE),
    ("2026-10-30", "2026-10-30", "2026-11-23", ClockState.CLOSED),
    ("2026-10-30", "2026-11-02", "2026-11-23", ClockState.CLOSED_LATE),
])
def test_clock_state_compares_dates(due, done, today, state):
    assert state_of(CAL, D(due), done and D(done), D(today), 5) is state


def test_a_reply_is_judged_in_time_from_the_days_up_to_it_where_the_whole_deadline_needs_a_later_year():
    """Found by a review (2026-12-01): answered 2 working days after its receipt, a request was 待定 because its 20th
    working day (12-29) waits for 2027's notice. A correction asked in time, and its restart, are counted the same way."""
    answered = _request(received=D("2026-12-01"), replied=D("2026-12-03"), outcome="予以公开")
    deadlines = request_deadlines(CAL, answered, Settings(), D("2026-12-10"))
    assert request_state(CAL, answered, deadlines, D("2026-12-10"), 5) is ClockState.CLOSED
    with pytest.raises(CalendarYearMissing):  # the deadline itself is still pending
        deadlines.final_due
    corrected = _request(received=D("2026-12-01"), correction=Correction(D("2026-12-04"), D("2026-12-07")),
                         replied=D("2026-12-09"), outcome="予以公开")
    deadlines = request_deadlines(CAL, corrected, Settings(), D("2026-12-10"))
    assert deadlines.anchor == D("2026-12-07") and not deadlines.correction_late
    assert request_state(CAL, corrected, deadlines, D("2026-12-10"), 5) is ClockState.CLOSED
    late = _request(received=D("2026-11-20"), replied=D("2027-01-05"), outcome="予以公开")
    deadlines = request_deadlines(CAL, late, Settings(), D("2027-01-10"))
    assert request_state(CAL, late, deadlines, D("2027-01-10"), 5) is ClockState.CLOSED_LATE
    assert deadlines.final_due == D("2026-12-18")
