"""Reads of Performance Periods and the Performance Table (section 12): versions with their rows, the version in
force, and the events requiring an update with their clocks. Another alliance's record is 404."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from alliance.dates import local_today
from alliance.models import Obligation, ObligationKind, ObligationStatus
from alliance.permissions import own_alliance_id
from governance.models.commitments import (
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableRow,
    PerformanceTableStatus,
    PerformanceTableTrigger,
)

if TYPE_CHECKING:
    from alliance.models import Person


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
    period = PerformancePeriod.objects.filter(alliance_id=own_alliance_id(user), pk=pk).first()
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
    table = performance_tables(own_alliance_id(user)).filter(pk=pk).first() if own_alliance_id(user) else None
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
