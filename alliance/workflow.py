"""Small helpers every workflow's services share: refuse with a reason, move a record by its transitions
table, save with a change reason for its history, and refuse naming a person the actor may not name.

One place for each (docs/architecture.md: anything two apps need lives in the lowest layer both may use). When a
record goes to the Board, governance/tabling.py says when the decision closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

from alliance.permissions import naming_refusal

if TYPE_CHECKING:
    from alliance.models import Person

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


def step(record, steps: Mapping[str, tuple[AbstractSet[str], str]], message: str, name: str, action: str,
         **fields: object) -> None:
    """Move ``record.status`` by the step ``name`` of its workflow's table ``{step: (from states, to)}`` or
    refuse, saying why: ``message`` is formatted with the record's current ``status`` (its label, first letter
    lowered), the ``action`` and any other ``fields`` (which may also give ``status`` as the message shows it)."""
    allowed_from, to = steps[name]
    if record.status not in allowed_from:
        shown = record.get_status_display()
        raise ValidationError(message.format(**{"status": shown[0].lower() + shown[1:], "action": action, **fields}))
    record.status = to


def move(record, transitions: Mapping[str, AbstractSet[str]], to: str, message: str, action: str,
         **fields: object) -> None:
    """Move ``record.status`` to ``to`` when its workflow's table ``{from state: {to states}}`` allows it, or
    refuse, saying why (``message`` formatted as by ``step``). For workflows whose table names the states a
    record may go to rather than the steps it may take."""
    if to not in transitions[record.status]:
        shown = record.get_status_display()
        raise ValidationError(message.format(**{"status": shown[0].lower() + shown[1:], "action": action, **fields}))
    record.status = to
