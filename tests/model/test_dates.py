"""Dates as real catalogs write them."""

from __future__ import annotations

import datetime as dt
import pickle

import feedparser
import pytest
from conftest import BASE, make_site

from builder.model.dates import DateWithTime, read_date, time_of


@pytest.mark.parametrize("written, day, time", [
    (dt.date(2017, 7, 14), dt.date(2017, 7, 14), None),
    ("2017-07-14", dt.date(2017, 7, 14), None),       # quoted in YAML
    ("2024-04-06 16:40", dt.date(2024, 4, 6), dt.time(16, 40)),
    ("2024-04-06T16:40:05", dt.date(2024, 4, 6), dt.time(16, 40, 5)),
    (dt.datetime(2024, 4, 6, 16, 40), dt.date(2024, 4, 6), dt.time(16, 40)),
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
