"""Small helpers every workflow's services share: refuse with a reason, move a record by its transitions
table, save with a change reason for its history, and when a written resolution of the Board closes.

One place for each (CONVENTIONS.md: anything two apps need lives in alliance/); earlier workflows keep local
copies of some of these, to be folded in here as they are next touched.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.dates import local_today
from alliance.permissions import naming_refusal

if TYPE_CHECKING:
    from alliance.models import Person

ERR_CLOSES_ON_PAST = "The Board's decision must close after today."
# A record sent to the Board goes as a written resolution closing at 17:00 (Europe/London) this many days after
# it is tabled, unless its sender names another day. The seeds set no period.
BOARD_DAYS = 14
BOARD_CLOSING_HOUR = 17
# django-simple-history keeps a change reason of up to 100 characters.
REASON_LENGTH = 100


def require(condition: bool, message: str) -> None:
    """Refuse a step the actor may not take (403 in the API, a message on the page)."""
    if not condition:
        raise PermissionDenied(message)


def require_nameable(actor: Person, person: Person | None, *, field: str, across_alliance: bool = False) -> None:
    """Refuse naming ``person`` in ``field`` (an owner, lead, approver...) unless ``actor`` may name them
    (alliance.permissions.may_name_person: a partner names its own people only); ValidationError on the field."""
    refusal = naming_refusal(actor, person, across_alliance=across_alliance)
    if refusal is not None:
        raise ValidationError({field: [refusal]})


def save_with_reason(record, actor: Person | None, reason: str, **kwargs) -> None:
    """Save a tracked record, its history row naming who and why."""
    record._history_user = actor
    record._change_reason = reason if len(reason) <= REASON_LENGTH else reason[:REASON_LENGTH - 1] + "…"
    record.save(**kwargs)


def step(record, steps: dict[str, tuple[set[str], str]], message: str, name: str, action: str) -> None:
    """Move ``record.status`` by the step ``name`` of its workflow's table ``{step: (from states, to)}`` or
    refuse, saying why: ``message`` is formatted with the record's current ``status`` and the ``action``."""
    allowed_from, to = steps[name]
    if record.status not in allowed_from:
        shown = record.get_status_display()
        raise ValidationError(message.format(status=shown[0].lower() + shown[1:], action=action))
    record.status = to


def board_closes_at(closes_on: dt.date | None, *, field: str = "closes_on") -> dt.datetime:
    """When a written resolution closes: 17:00 on ``closes_on``, by default ``BOARD_DAYS`` from today."""
    closes_on = closes_on or (local_today() + dt.timedelta(days=BOARD_DAYS))
    if closes_on <= local_today():
        raise ValidationError({field: [ERR_CLOSES_ON_PAST]})
    return timezone.make_aware(dt.datetime.combine(closes_on, dt.time(BOARD_CLOSING_HOUR)))
