"""The one way a workflow puts one of its records to the Alliance Board (docs/architecture.md, "Board decisions").

``put_to_board`` tables a decision about the record (its ``subject``) under the alliance's Decision Matrix type
named by ``code``, as a written resolution closing at the one default time: 17:00 (Europe/London)
``BOARD_DAYS`` days after it is tabled, unless the sender names another day or time. The workflow's own service
has checked its actor and the record's state; governance records the rule (the matrix type's authority and
paragraph) and opens each voting organisation's obligation. What the outcome does to the record is the
workflow's ``BoardOutcomes`` (governance/outcomes.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance.dates import local_today
from governance.models.board import DecisionType
from governance.services.board import decision_table

if TYPE_CHECKING:
    from django.db.models import Model

    from alliance.models import Alliance, Person
    from governance.models.board import Decision, Meeting

ERR_CLOSES_ON_PAST = "The Board's decision must close after today."
ERR_NO_DECISION_TYPE = "The Decision Matrix has no decision type {code!r}: the Alliance Manager adds it first."
# A record sent to the Board goes as a written resolution closing at 17:00 (Europe/London) this many days after
# it is tabled, unless its sender names another day (docs/domain.md: the seeds set no period).
BOARD_DAYS = 14
BOARD_CLOSING_HOUR = 17


def board_closes_at(closes_on: dt.date | None, *, field: str = "closes_on") -> dt.datetime:
    """When a written resolution closes: 17:00 on ``closes_on``, by default ``BOARD_DAYS`` from today; a day
    that is not after today is refused on ``field``."""
    closes_on = closes_on or (local_today() + dt.timedelta(days=BOARD_DAYS))
    if closes_on <= local_today():
        raise ValidationError({field: [ERR_CLOSES_ON_PAST]})
    return timezone.make_aware(dt.datetime.combine(closes_on, dt.time(BOARD_CLOSING_HOUR)))


def put_to_board(
    *,
    actor: Person,
    subject: Model,
    code: str,
    title: str,
    description: str = "",
    alliance: Alliance | None = None,
    closes_on: dt.date | None = None,
    closes_at: dt.datetime | None = None,
    meeting: Meeting | None = None,
    field: str = "closes_on",
) -> Decision:
    """Table a decision about ``subject`` (a workflow's record) for the Board, under the Decision Matrix type
    ``code`` of the record's alliance (``alliance`` when the record has none of its own).

    It closes at ``closes_at`` when given, else at 17:00 on ``closes_on`` (by default ``BOARD_DAYS`` from
    today), unless it is taken at ``meeting``. The caller sets ``record.decision`` to what this returns: that
    is how the outcome handler knows the decision is still the record's current one."""
    alliance = alliance if alliance is not None else subject.alliance  # type: ignore[attr-defined]
    decision_type = DecisionType.objects.filter(alliance=alliance, code=code).first()
    if decision_type is None:
        raise ValidationError(ERR_NO_DECISION_TYPE.format(code=code))
    if meeting is None and closes_at is None:
        closes_at = board_closes_at(closes_on, field=field)
    return decision_table(
        actor=actor, alliance=alliance, decision_type=decision_type, title=title, description=description,
        closes_at=closes_at, meeting=meeting, subject=subject, by_workflow=True,
    )
