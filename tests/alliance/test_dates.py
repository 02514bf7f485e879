"""The one date helper (docs/domain.md section 8: calendar days; months clamped to month end)."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.dates import add_days, add_months, add_period


def test_impact_assessment_is_due_28_calendar_days_after_issue():
    # para 27: within 28 days of a proposed instruction's issue.
    assert add_days(dt.date(2026, 11, 23), 28) == dt.date(2026, 12, 21)


def test_ministerial_instruction_is_due_14_days_after_issue():
    # para 31: a ministerial requirement shortens the clocks to 14 days.
    assert add_days(dt.date(2026, 12, 25), 14) == dt.date(2027, 1, 8)


def test_28_days_across_february_counts_calendar_days():
    assert add_days(dt.date(2027, 2, 1), 28) == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),  # clamped at month end
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 8, 31), 3, dt.date(2026, 11, 30)),
        (dt.date(2026, 7, 23), 6, dt.date(2027, 1, 23)),  # para 108: six months across a year end
        (dt.date(2026, 11, 23), -4, dt.date(2026, 7, 23)),
        (dt.date(2026, 5, 31), 12, dt.date(2027, 5, 31)),
    ],
)
def test_months_are_calendar_months_clamped_to_month_end(start, months, due):
    assert add_months(start, months) == due


def test_leap_day_plus_twelve_months_is_28_february():
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


def test_period_counts_months_then_weeks_and_days():
    # "one month and two weeks" from 31 January: 28 February, then 14 days.
    assert add_period(dt.date(2027, 1, 31), months=1, weeks=2) == dt.date(2027, 3, 14)
