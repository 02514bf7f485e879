"""Helpers shared by the optimisation workflows (business cases, minor changes, the client taking Lot 1): each
is written once here and imported by ``business_cases``, ``minor_changes`` and ``lot1``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.dates import local_today

if TYPE_CHECKING:
    from alliance.models import Person

__all__ = ["BOARD_DAYS", "ERR_CLOSES_ON_PAST"]

ERR_CLOSES_ON_PAST = "The Board's decision must close after today."

# A business case or minor change goes to the Board as a written resolution closing at 17:00 (Europe/London)
# this many days after it is tabled, unless the Alliance Manager names another day. The seeds set no period.
BOARD_DAYS = 14
_BOARD_CLOSING_HOUR = 17


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# django-simple-history keeps a change reason of up to 100 characters.
_REASON_LENGTH = 100


def _save(record, actor: Person | None, reason: str) -> None:
    record._history_user = actor
    record._change_reason = reason if len(reason) <= _REASON_LENGTH else reason[:_REASON_LENGTH - 1] + "…"
    record.save()


def _step(record, steps: dict, actions: dict, message: str, step: str) -> None:
    """Move a record by one step of its workflow's table or refuse, saying why."""
    allowed_from, to = steps[step]
    if record.status not in allowed_from:
        shown = record.get_status_display()
        raise ValidationError(message.format(status=shown[0].lower() + shown[1:], action=actions[step]))
    record.status = to


def _board_closes_at(closes_on: dt.date | None) -> dt.datetime:
    closes_on = closes_on or (local_today() + dt.timedelta(days=BOARD_DAYS))
    if closes_on <= local_today():
        raise ValidationError({"closes_on": [ERR_CLOSES_ON_PAST]})
    return timezone.make_aware(dt.datetime.combine(closes_on, dt.time(_BOARD_CLOSING_HOUR)))

