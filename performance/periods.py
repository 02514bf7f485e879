"""Quarters named as people write them: "2025-Q3" is July to September 2025 (calendar quarters).

A quarter is a period a person enters, so its year lies within the range of alliance.dates (2000 to 2100):
"0000-Q1" has no first day in Python's calendar (year 0 does not exist) and "9999-Q4" is no period of the
Alliance; both are refused as not being a quarter, wherever a quarter is read (scores, spend, efficiencies)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from alliance.dates import EARLIEST_DATE, LATEST_DATE

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def parse(label: str) -> tuple[int, int] | None:
    """(2025, 3) for "2025-Q3"; None for anything else, and for a year outside 2000 to 2100."""
    match = PERIOD.match(str(label).strip())
    if not match or not EARLIEST_DATE.year <= int(match[1]) <= LATEST_DATE.year:
        return None
    return int(match[1]), int(match[2])


def bounds(year: int, number: int) -> tuple[dt.date, dt.date]:
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def containing(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous(year: int, number: int) -> tuple[int, int]:
    return (year, number - 1) if number > 1 else (year - 1, 4)


def label(year: int, number: int) -> str:
    return f"{year}-Q{number}"
