"""Quarters named as people write them: "2025-Q3" is July to September 2025 (calendar quarters)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def parse(label: str) -> tuple[int, int] | None:
    """(2025, 3) for "2025-Q3"; None for anything else."""
    match = PERIOD.match(str(label).strip())
    return (int(match[1]), int(match[2])) if match else None


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
