"""Reads of commitments, the Performance Table and the assurance calendar. Another alliance's record is 404."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from alliance.dates import local_today
from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, OrganisationKind
from alliance.permissions import alliance_id_of
from governance.models import (
    AssuranceKind,
    AssuranceReview,
    AssuranceStatus,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableRow,
    PerformanceTableStatus,
    PerformanceTableTrigger,
)

if TYPE_CHECKING:
    from alliance.models import Person

__all__ = [
    "assurance_calendar",
    "assurance_review_for",
    "assurance_reviews",
    "commitment_for",
    "commitment_obligations",
    "commitment_register",
    "commitment_selection_for",
    "commitments_selectable",
    "partners_of",
    "performance_period_for",
    "performance_periods",
    "performance_periods_open",
    "performance_table_current",
    "performance_table_for",
    "performance_table_obligations",
    "performance_table_row_for",
    "performance_table_triggers",
    "performance_tables",
]


def _own(user: Person) -> int | None:
    return alliance_id_of(user)


# --- The Commitment SLA Register ------------------------------------------------------------------------


def partners_of(alliance_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER).order_by("name")


def commitment_register(alliance_id: int, *, active_only: bool = False) -> QuerySet[Commitment]:
    """Each commitment with its lead partner, the partners it depends on, its conflicts and its selections."""
    qs = Commitment.objects.filter(alliance_id=alliance_id)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("lead_partner").prefetch_related(
        Prefetch("dependent_partners", queryset=Organisation.objects.order_by("name")),
        Prefetch("conflicts_with", queryset=Commitment.objects.order_by("reference")),
        Prefetch("selections", queryset=CommitmentSelection.objects.select_related("period", "decision")
                 .order_by("period__starts_on", "-selected_at")),
    ).order_by("reference")


def commitment_for(user: Person, pk: int) -> Commitment:
    commitment = Commitment.objects.filter(alliance_id=_own(user), pk=pk).select_related("lead_partner").first()
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def commitment_selection_for(user: Person, pk: int) -> CommitmentSelection:
    selection = (
        CommitmentSelection.objects.filter(commitment__alliance_id=_own(user), pk=pk)
        .select_related("commitment", "period", "decision").first()
    )
    if selection is None:
        raise Http404("No such selection.")
    return selection


def commitments_selectable(alliance_id: int) -> QuerySet[Commitment]:
    return Commitment.objects.filter(alliance_id=alliance_id, is_active=True).order_by("reference")


def commitment_obligations(alliance_id: int) -> QuerySet[Obligation]:
    """The open commitments clocks: the first selection and the quarterly review (para 227)."""
    return Obligation.objects.filter(
        alliance_id=alliance_id, kind=ObligationKind.COMMITMENTS, status=ObligationStatus.OPEN
    ).order_by("due_date")


# --- Performance Periods and the Performance Table -------------------------------------------------------


def performance_periods(alliance_id: int) -> QuerySet[PerformancePeriod]:
    return PerformancePeriod.objects.filter(alliance_id=alliance_id).prefetch_related(
        Prefetch("performance_tables", queryset=PerformanceTable.objects.order_by("-version"))
    ).order_by("starts_on")


def performance_periods_open(alliance_id: int, today: dt.date | None = None) -> QuerySet[PerformancePeriod]:
    """Periods that have not ended: commitments are selected for these."""
    return PerformancePeriod.objects.filter(alliance_id=alliance_id, ends_on__gte=today or local_today()).order_by(
        "starts_on")


def performance_period_for(user: Person, pk: int) -> PerformancePeriod:
    period = PerformancePeriod.objects.filter(alliance_id=_own(user), pk=pk).first()
    if period is None:
        raise Http404("No such Performance Period.")
    return period


def performance_tables(alliance_id: int) -> QuerySet[PerformanceTable]:
    return (
        PerformanceTable.objects.filter(alliance_id=alliance_id)
        .select_related("period", "created_by", "agreed_by")
        .prefetch_related(Prefetch("rows", queryset=PerformanceTableRow.objects.select_related("commitment")))
        .order_by("period__starts_on", "-version")
    )


def performance_table_for(user: Person, pk: int) -> PerformanceTable:
    table = performance_tables(_own(user)).filter(pk=pk).first() if _own(user) else None
    if table is None:
        raise Http404("No such Performance Table.")
    return table


def performance_table_row_for(table: PerformanceTable, pk: int) -> PerformanceTableRow:
    row = table.rows.filter(pk=pk).select_related("commitment").first()
    if row is None:
        raise Http404("No such row.")
    return row


def performance_table_current(alliance_id: int, today: dt.date | None = None) -> PerformanceTable | None:
    """The agreed version in force: that of the period running today, else the latest agreed one."""
    today = today or local_today()
    agreed = performance_tables(alliance_id).filter(status=PerformanceTableStatus.AGREED)
    return (
        agreed.filter(period__starts_on__lte=today, period__ends_on__gte=today).order_by("-version").first()
        or agreed.order_by("-period__starts_on", "-version").first()
    )


def performance_table_triggers(alliance_id: int) -> list[PerformanceTableTrigger]:
    """Events requiring an update (para 224), newest first, each with ``obligation`` (its 3-month clock)."""
    triggers = list(
        PerformanceTableTrigger.objects.filter(alliance_id=alliance_id)
        .select_related("answered_by__period", "recorded_by").order_by("-occurred_on", "-id")
    )
    clocks = {
        o.subject_id: o for o in Obligation.objects.filter(
            subject_type=ContentType.objects.get_for_model(PerformanceTableTrigger),
            subject_id__in=[t.pk for t in triggers], kind=ObligationKind.PERFORMANCE_TABLE,
        )
    }
    for trigger in triggers:
        trigger.obligation = clocks.get(trigger.pk)
    return triggers


def performance_table_obligations(alliance_id: int) -> QuerySet[Obligation]:
    return Obligation.objects.filter(
        alliance_id=alliance_id, kind=ObligationKind.PERFORMANCE_TABLE, status=ObligationStatus.OPEN
    ).order_by("due_date")


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
    review = AssuranceReview.objects.filter(alliance_id=_own(user), pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    return review

