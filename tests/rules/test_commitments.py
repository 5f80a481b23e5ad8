"""限时办结 and the service targets (rules.md §9): limits by 办件类型, cuts, and the list's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.model.catalog import Power, Removal
from builder.model.settings import Settings
from builder.rules.commitments import (
    commitment_exceeded,
    commitment_limit,
    commitment_stats,
    time_cut,
)

TODAY = dt.date(2026, 11, 23)


def power(id="P", type="行政许可", handling="", legal=20, promised=None, unit="工作日", legal_unit="工作日",
          removed=None) -> Power:
    return Power(id=id, name="n", type=type, handling=handling, organ="o", basis=("b",), legal_limit=legal,
                 legal_limit_unit=legal_unit, promised_limit=promised, promised_limit_unit=unit,
                 decided=dt.date(2026, 1, 5), removed=removed, record=None)


@pytest.mark.parametrize("handling, promised, exceeded", [
    ("承诺件", 7, None), ("承诺件", 8, 7), ("即办件", 8, 7),
    ("联办件", 20, None), ("联办件", 21, 20),
    ("", 15, None), ("", 21, 20),   # 办件类型 not stated: held only to the wider limit
    ("上报件", 60, None),            # decided elsewhere
])
def test_a_promise_is_held_to_the_limit_of_its_kind(handling, promised, exceeded):
    found = commitment_exceeded(power(handling=handling, promised=promised, legal=90), Settings(), TODAY)
    assert (found.limit if found else None) == exceeded


def test_other_types_units_and_removed_entries_are_not_judged():
    settings = Settings()
    assert commitment_limit(power(type="行政处罚", handling="承诺件"), settings) is None
    assert commitment_limit(power(type="行政许可类", handling="承诺件"), settings).limit == 7  # 类 written after
    assert commitment_exceeded(power(handling="承诺件", promised=3, unit="个月", legal=None), settings, TODAY) is None
    assert commitment_exceeded(power(handling="承诺件", promised=30, unit="日", legal=60, legal_unit="日"),
                               settings, TODAY) is None
    removed = Removal(date=dt.date(2026, 3, 1), basis="x")
    assert commitment_exceeded(power(handling="承诺件", promised=15, removed=removed), settings, TODAY) is None
    ending = Removal(date=dt.date(2027, 3, 1), basis="x")  # removed next year: in force, and held to its limit
    assert commitment_exceeded(power(handling="承诺件", promised=15, removed=ending), settings, TODAY).limit == 7
    assert commitment_exceeded(power(handling="承诺件", promised=15), Settings(commitment_general_workdays=15),
                               TODAY) is None


@pytest.mark.parametrize("legal, promised, unit, legal_unit, cut", [
    (20, 7, "工作日", "工作日", 65.0), (30, 5, "工作日", "工作日", 83.3), (20, 20, "工作日", "工作日", 0.0),
    (60, 30, "日", "日", 50.0), (20, 7, "日", "工作日", None), (None, 7, "工作日", "工作日", None),
    (20, None, "工作日", "工作日", None),
])
def test_the_cut_needs_both_limits_in_one_unit(legal, promised, unit, legal_unit, cut):
    assert time_cut(power(legal=legal, promised=promised, unit=unit, legal_unit=legal_unit)) == cut


def test_the_lists_figures_beside_the_targets():
    powers = [power("1", handling="承诺件", promised=7), power("2", handling="即办件"),
              power("3", handling="联办件", promised=15), power("4"),  # no 办件类型, no promise
              power("5", type="行政处罚", handling="即办件"),            # not a type of the targets
              power("6", handling="即办件", removed=Removal(date=dt.date(2026, 3, 1), basis="x"))]
    stats = commitment_stats(powers, Settings(), TODAY)
    assert (stats.entries, stats.handling_known, stats.immediate, stats.cut_entries) == (4, 3, 1, 1)
    assert stats.immediate_share == 33.3
    assert stats.average_cut == 65.0, "the 50 % target is the 承诺件's: the 联办件's 25 % cut is not averaged in"
    unstated = commitment_stats([power("7", promised=10), power("8", handling="即办件", promised=1)], Settings(), TODAY)
    assert (unstated.cut_entries, unstated.average_cut) == (1, 50.0), "a kind not stated may be a 承诺件"
    assert (stats.target_cut, stats.target_immediate, stats.cut_met, stats.immediate_met) == (None, None, None, None), \
        "targets gongkai.yaml does not state are not this office's"
    stated = Settings(target_promise_cut_percent=50, target_immediate_percent=80,
                      stated=frozenset({"target_promise_cut_percent", "target_immediate_percent"}))
    targets = commitment_stats(powers, stated, TODAY)
    assert (targets.target_cut, targets.target_immediate, targets.cut_met, targets.immediate_met) == (50, 80, True, False)
    none = commitment_stats([power("1")], Settings(), TODAY)
    assert none.immediate_share is None and none.average_cut is None and none.cut_met is None


def test_a_promise_of_zero_days_is_a_jiban_jian_not_a_full_cut():
    """A review of the night's change: 承诺时限 0 (即办) with no 办件类型 was averaged as a 100 % cut (45 % → 63 %)."""
    stats = commitment_stats([power("1", promised=11), power("2", promised=0)], Settings(), TODAY)
    assert (stats.average_cut, stats.immediate, stats.handling_known) == (45.0, 1, 1)
