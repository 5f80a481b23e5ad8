"""有效性: stated wins and is published; the default period only estimates, as advice."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from builder.model.catalog import Item, Repeal
from builder.model.dates import DateWithTime
from builder.model.fields import Record
from builder.model.settings import Settings
from builder.rules.validity import Validity, estimated_ended, is_trial, validity_on

TODAY = dt.date(2026, 11, 23)


def _item(**values) -> Item:
    base = dict(index_no="X/2015-1", title="示例市公共资源交易管理办法", organ="demo", written=dt.date(2015, 3, 2),
                published=dt.date(2015, 3, 6), category="20-1", doc_type="行政规范性文件", record=Record({}, None, {}),
                path="x.md")
    return Item(**{**base, **values})


def test_an_estimate_from_a_date_with_its_time_of_day_is_a_date_that_can_be_kept():
    """Found by a review (2026-12-01): published 2015-03-06 09:00, the estimated end was made with ``replace``,
    which gave a date with its time of day left unset; it could not be pickled, and once it came within the
    warning's months every build whose kept checks held it ended in an internal error."""
    published = DateWithTime(2015, 3, 6, dt.time(9, 0))
    state = validity_on(_item(written=published, published=published), TODAY, Settings())
    assert state.expires == dt.date(2020, 3, 6) and not state.stated
    assert pickle.loads(pickle.dumps(state.expires)) == dt.date(2020, 3, 6)


def test_a_stated_validity_is_kept_however_old_the_document():
    state = validity_on(_item(validity="有效"), TODAY, Settings())
    assert (state.validity, state.stated) == (Validity.VALID, True)
    assert estimated_ended(_item(validity="有效"), TODAY, Settings()) is None


def test_stated_expiry_with_date_and_basis():
    item = _item(validity="失效", validity_date=dt.date(2021, 1, 1), validity_basis="示政发〔2020〕9号")
    state = validity_on(item, TODAY, Settings())
    assert (state.validity, state.expires, state.stated) == (Validity.EXPIRED, dt.date(2021, 1, 1), True)
    assert "示政发〔2020〕9号" in state.reason


def test_a_stated_end_still_to_come_leaves_the_document_valid_until_that_day():
    # 废止 from 2026-06-01, stated: the annual report of 2024 and 2025 counted it as no longer valid, and the page
    # said it had been repealed months before the day.
    item = _item(validity="废止", validity_date=dt.date(2026, 6, 1), validity_basis="示政发〔2026〕3号")
    before = validity_on(item, dt.date(2026, 5, 31), Settings())
    assert (before.validity, before.expires, before.stated) == (Validity.VALID, dt.date(2026, 6, 1), True)
    assert "示政发〔2026〕3号" in before.reason
    assert validity_on(item, dt.date(2026, 6, 1), Settings()).validity is Validity.REPEALED
    undated = _item(validity="废止", validity_basis="示政发〔2026〕3号")
    assert validity_on(undated, dt.date(2016, 1, 1), Settings()).validity is Validity.REPEALED  # as stated


def test_the_default_period_is_only_an_estimate():
    state = validity_on(_item(), TODAY, Settings())
    assert (state.validity, state.expires, state.stated) == (Validity.EXPIRED, dt.date(2020, 3, 6), False)
    assert estimated_ended(_item(), TODAY, Settings()) == state


def test_a_repeal_and_an_expiry_date_are_stated_facts():
    repealed = _item(repealed=Repeal(date=dt.date(2024, 6, 1), by="示政〔2024〕12号"))
    assert validity_on(repealed, TODAY, Settings()).stated
    assert validity_on(repealed, TODAY, Settings()).validity is Validity.REPEALED
    expires = _item(expires=dt.date(2027, 1, 1))
    assert validity_on(expires, TODAY, Settings()).stated


def test_a_document_is_valid_through_its_stated_last_day():
    """有效期至 2026-12-19 is the last valid day: the document is 失效 from the 20th, not on the 19th."""
    item = _item(expires=dt.date(2026, 12, 19))
    assert validity_on(item, dt.date(2026, 12, 19), Settings()).validity is Validity.VALID
    ended = validity_on(item, dt.date(2026, 12, 20), Settings())
    assert (ended.validity, ended.expires, ended.reason) == (Validity.EXPIRED, dt.date(2026, 12, 20),
                                                             "有效期至 2026-12-19")


@pytest.mark.parametrize("title, trial", [
    ("示例市公共资源交易管理暂行办法", True),
    ("示例市人民政府关于印发示例市政府信息公开申请办理暂行办法的通知", True),
    ("示例市人民政府关于印发《示例市公共资源交易管理暂行办法》的通知", False),
    ("关于废止《示例市试行规定》的通知", False),
    ("示例市试行《示例规定》的办法", True),
])
def test_trial_only_from_the_documents_own_title(title, trial):
    assert is_trial(title) is trial
    years = validity_on(_item(title=title), TODAY, Settings()).expires.year - 2015
    assert years == (2 if trial else 5)


