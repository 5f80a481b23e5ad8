"""信息处理费 tiers (国办函〔2020〕109号), at every boundary, through the CLI users call."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("count, yuan", [
    (0, 0), (1, 0), (10, 0),        # 1–10 free
    (11, 100), (30, 2000),          # 11–30: 100 each
    (31, 2200), (35, 3000),         # 31–40: 200 each (35 → 3 000, rules.md §5)
    (40, 4000), (41, 4300),         # 41–50: 300 each
    (50, 7000), (51, 7400),
])
def test_fee_by_count(run, count, yuan):
    result = run("fee", "--count", str(count))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{yuan}\n"


def test_the_count_th_requests_own_fee_is_said_beside_the_months_total(run):
    """Found by a review as office staff: `fee --count 12` printed 200, and the 12th request's amount: 200 was
    E-FEE-AMOUNT (its own fee is 100)."""
    result = run("fee", "--count", "12")
    assert result.stdout == "200\n" and "其中第 12 件 100 元" in result.stderr and "amount: 100" in result.stderr


@pytest.mark.parametrize("pages, yuan", [
    (0, 0), (30, 0),                # 1–30 free
    (31, 10), (100, 700),           # 31–100: 10 per page
    (101, 720), (200, 2700),        # 101–200: 20 per page
    (201, 2740), (250, 4700),       # from 201: 40 per page (250 → 4 700, rules.md §5)
])
def test_fee_by_pages(run, pages, yuan):
    result = run("fee", "--pages", str(pages))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{yuan}\n"


@pytest.mark.parametrize("args", [[], ["--count", "3", "--pages", "40"], ["--count", "-1"], ["--pages", "十"]])
def test_fee_rejects_bad_arguments(run, args):
    result = run("fee", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_count_no_applicant_could_make_is_refused_at_once(run):
    result = run("fee", "--count", "1000000000")  # summed request by request: it ran for minutes
    assert result.exit_code == 2 and "不大于 100000" in result.output
