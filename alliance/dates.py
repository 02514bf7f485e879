"""The one place where contractual day and month arithmetic happens (DOMAIN.md section 8).

Days are calendar days; "N months" is calendar months, clamped to the end of a shorter month
(31 January + 1 month = 28 or 29 February). Dates are the Europe/London calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone


def add_days(start: dt.date, days: int) -> dt.date:
    """Due date = start date + N calendar days (e.g. para 27's 28 days, para 31's 14)."""
    return start + dt.timedelta(days=days)


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day N calendar months later, clamped to the last day of a shorter month."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_period(start: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0) -> dt.date:
    """Months first, then weeks and days: "3 months and 14 days" reads as people count it."""
    return add_days(add_months(start, months), days + 7 * weeks)


def local_today() -> dt.date:
    """Today in Europe/London (the alliance's calendar), whatever the server's clock zone."""
    return timezone.localdate()
