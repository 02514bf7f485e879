"""The one place where contractual day and month arithmetic happens (docs/domain.md section 8).

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


# --- The dates a person may enter ----------------------------------------------------------------------------
# Every date or date and time typed into a form, an API body or an uploaded file (a decision's closing, a due
# date, a meeting, an effective date, a quarter) lies between 1 January 2000 and 31 December 2100. That is far
# wider than any real date of the Alliance (its records start in the 2020s; a five-year plan or a long
# accreditation still ends well before 2100) and far from the limits of Python's dates (years 1 to 9999), so
# that the day and month arithmetic above, a calendar feed's "the day after", or a time zone conversion never
# overflows on a date someone typed (a decision closing on 9999-12-31 was accepted and then broke every
# voter's calendar feed). One bound for every field rather than one per field: a date outside it is a typing
# mistake, never a plan, and the person is told at once which dates are accepted.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
ERR_DATE_RANGE = "Enter a date between 1 January 2000 and 31 December 2100."


def date_in_range(value: dt.date | dt.datetime) -> bool:
    """Whether a date (or a date and time, by its calendar day as written) lies within the accepted range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def validate_date_range(value: dt.date | dt.datetime | None) -> None:
    """The validator of every date a person enters (forms, serializers, uploads): a ValidationError outside the
    range. Django forms and DRF serializers both accept it (DRF turns Django's ValidationError into its own)."""
    from django.core.exceptions import ValidationError

    if value is not None and not date_in_range(value):
        raise ValidationError(ERR_DATE_RANGE, code="date_range")
