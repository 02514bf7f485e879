"""Reads of the client's assurance calendar (paras 22-24). Another alliance's review is 404."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from alliance.dates import local_today
from alliance.permissions import own_alliance_id
from governance.models.commitments import AssuranceKind, AssuranceReview, AssuranceStatus

if TYPE_CHECKING:
    from alliance.models import Person


# --- The assurance calendar ------------------------------------------------------------------------------


def assurance_reviews(alliance_id: int) -> QuerySet[AssuranceReview]:
    return AssuranceReview.objects.filter(alliance_id=alliance_id).select_related("recorded_by").order_by(
        "due_on", "kind")


def assurance_calendar(alliance_id: int, today: dt.date | None = None) -> dict:
    """Due reviews (``overdue`` set on each), held ones with their records newest first, and cancelled ones."""
    today = today or local_today()
    reviews = list(assurance_reviews(alliance_id))
    due = [r for r in reviews if r.status == AssuranceStatus.DUE]
    for review in due:
        review.overdue = review.due_on < today
    return {
        "due": due,
        "held": sorted((r for r in reviews if r.status == AssuranceStatus.HELD), key=lambda r: r.held_on, reverse=True),
        "cancelled": [r for r in reviews if r.status == AssuranceStatus.CANCELLED],
        "kinds_without_due": [k for k in AssuranceKind if not any(r.kind == k for r in due)],
    }


def assurance_review_for(user: Person, pk: int) -> AssuranceReview:
    review = AssuranceReview.objects.filter(alliance_id=own_alliance_id(user), pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    return review
