"""Dates as real catalogs write them."""

from __future__ import annotations

import datetime as dt
import pickle

import feedparser
import pytest
from conftest import BASE, make_site

from builder.model.dates import (
    DateWithTime,
    as_stated,
    comes_before,
    read_date,
    time_of,
)
from builder.model.source import load_yaml_file


@pytest.mark.parametrize("written, day, time", [
    (dt.date(2017, 7, 14), dt.date(2017, 7, 14), None),
    ("2017-07-14", dt.date(2017, 7, 14), None),       # quoted in YAML
    ("2024-04-06 16:40", dt.date(2024, 4, 6), dt.time(16, 40)),
    ("2024-04-06T16:40:05", dt.date(2024, 4, 6), dt.time(16, 40, 5)),
    (dt.datetime(2024, 4, 6, 16, 40), dt.date(2024, 4, 6), dt.time(16, 40)),
    # a time given in UTC, as systems export it, is Beijing's next morning
    (dt.datetime(2024, 4, 6, 20, 0, tzinfo=dt.timezone.utc), dt.date(2024, 4, 7), dt.time(4, 0)),
])
def test_dates_and_date_times_are_read(written, day, time):
    found, detail, _ = read_date(written)
    assert found == day and detail == "" and time_of(found) == time


@pytest.mark.parametrize("written, detail", [
    ("2026-02-30", "（2 月没有 30 日）"),
    ("2026-13-01", "（没有 13 月）"),
    ("2017年7月14日", "（应写成 2017-07-14）"),
    ("2017/07/14", "（应写成 2017-07-14）"),
    ("2017.7.14", "（应写成 2017-07-14）"),
    ("2024-04-06 25:00", "（时间 25:00 不存在）"),
    ("明年", ""),
])
def test_what_is_wrong_with_a_date_is_said_precisely(written, detail):
    assert read_date(written)[:2] == (None, detail)


def test_a_date_with_time_is_a_date_that_survives_the_cache():
    day = DateWithTime(2024, 4, 6, dt.time(16, 40))
    assert day == dt.date(2024, 4, 6) and hash(day) == hash(dt.date(2024, 4, 6))
    assert day + dt.timedelta(days=1) == dt.date(2024, 4, 7)
    again = pickle.loads(pickle.dumps(day))
    assert again == day and again.time == dt.time(16, 40)


def test_the_time_of_publication_orders_a_day_and_reaches_the_feed(tmp_path):
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    later = (notice.replace("2026-00001", "2026-00002").replace("published: 2026-03-06", "published: 2026-03-06 16:40")
             .replace("title: 示例", "title: 下午发布的示例").replace("attachments:\n  - file: annex.txt\n", ""))
    site, result = make_site(tmp_path, files={"items/2026/later.md": later,
                                               "items/2026/notice.md": notice.replace("published: 2026-03-06",
                                                                                      'published: "2026-03-06"')})
    feed = feedparser.parse((site / "feeds" / "all.xml").read_bytes())
    same_day = [e for e in feed.entries if "示例事项" in e.title]
    assert [e.title for e in same_day] == ["下午发布的示例市人民政府关于示例事项的通知", "示例市人民政府关于示例事项的通知"]
    assert same_day[0].published_parsed[3:5] == (8, 40)  # 16:40 in Beijing is 08:40 UTC


@pytest.mark.parametrize("first, second, before", [
    (DateWithTime(2026, 11, 2, dt.time(9, 20)), DateWithTime(2026, 11, 2, dt.time(10, 0)), True),
    (DateWithTime(2026, 11, 2, dt.time(10, 0)), DateWithTime(2026, 11, 2, dt.time(9, 20)), False),
    (DateWithTime(2026, 11, 2, dt.time(9, 20)), dt.date(2026, 11, 2), False),  # a day without its time: not before
    (dt.date(2026, 11, 1), DateWithTime(2026, 11, 2, dt.time(0, 0)), True),
    (DateWithTime(2026, 11, 3, dt.time(0, 0)), DateWithTime(2026, 11, 2, dt.time(23, 0)), False),
])
def test_one_moment_comes_before_another_by_time_only_where_both_state_one(first, second, before):
    assert comes_before(first, second) is before
    assert as_stated(first).startswith(first.isoformat())


def test_a_utc_time_in_a_file_is_read_as_beijing_time(tmp_path):
    path = tmp_path / "hotline.yaml"
    path.write_text("- received: 2026-11-02T20:00:00Z\n  replied: 2026-11-03 08:00:00+08:00\n", encoding="utf-8")
    _, [case], problems = load_yaml_file(path)
    assert problems == []
    received, replied = read_date(case["received"])[0], read_date(case["replied"])[0]
    assert (received, time_of(received)) == (dt.date(2026, 11, 3), dt.time(4, 0))
    assert (replied, time_of(replied)) == (dt.date(2026, 11, 3), dt.time(8, 0))


def test_a_date_is_shown_as_stated():
    assert as_stated(DateWithTime(2026, 11, 2, dt.time(9, 5))) == "2026-11-02 09:05"
    assert as_stated(dt.date(2026, 11, 2)) == "2026-11-02"
