"""Reads of improvement: improvement processes, plans (seed 002's table), incidents and the efficiency register.

Every read is scoped to the reader's alliance: another alliance's record is not found (404), never refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from alliance.models import Obligation
from alliance.permissions import alliance_id_of
from allocation.models import Scheme
from performance.models import (
    Assurance,
    EfficiencyEntry,
    ImprovementPlan,
    ImprovementProcess,
    Incident,
    PlanAction,
    PlanAim,
    PlanQuery,
    Quarter,
)

if TYPE_CHECKING:
    from alliance.models import Person



def _alliance(user: Person) -> int:
    alliance_id = alliance_id_of(user)
    if alliance_id is None:
        raise Http404("Not found.")
    return alliance_id


def _one(queryset: QuerySet, pk: int, what: str):
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404(f"No such {what}.")
    return record


# --- Processes -------------------------------------------------------------------------------------------------


def improvement_processes_of(user: Person, *, status: str | None = None) -> QuerySet[ImprovementProcess]:
    queryset = (ImprovementProcess.objects.filter(alliance_id=_alliance(user)).select_related("scheme", "metric")
                .annotate(plan_count=Count("plans")).order_by("-opened_on", "-pk"))
    return queryset.filter(status=status) if status else queryset


def improvement_process_for(user: Person, pk: int) -> ImprovementProcess:
    return _one(ImprovementProcess.objects.filter(alliance_id=_alliance(user)).select_related("scheme", "metric"),
                pk, "improvement process")


def _clocks_of(record) -> QuerySet[Obligation]:
    return (Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(type(record)),
                                      subject_id=record.pk).order_by("due_date", "pk"))


def process_clocks(process: ImprovementProcess) -> QuerySet[Obligation]:
    """Every clock of the process, open or not: the plan, the reports and the client's rights."""
    return _clocks_of(process)


# --- Plans -----------------------------------------------------------------------------------------------------


def improvement_plans_of(user: Person, *, status: str | None = None) -> QuerySet[ImprovementPlan]:
    queryset = (ImprovementPlan.objects.filter(alliance_id=_alliance(user))
                .select_related("process__scheme", "process__metric", "incident__scheme", "created_by")
                .annotate(open_queries=Count("queries", filter=Q(queries__answered_at__isnull=True), distinct=True),
                          report_count=Count("reports", distinct=True))
                .order_by("-created_at", "-pk"))
    return queryset.filter(status=status) if status else queryset


def improvement_plan_for(user: Person, pk: int) -> ImprovementPlan:
    return _one(ImprovementPlan.objects.filter(alliance_id=_alliance(user)).select_related(
        "process__scheme", "process__metric", "incident__scheme", "created_by", "approved_by"), pk, "plan")


def plan_query_for(user: Person, pk: int) -> PlanQuery:
    return _one(PlanQuery.objects.filter(plan__alliance_id=_alliance(user)).select_related("plan"), pk, "query")


def plan_rows(plan: ImprovementPlan) -> list[PlanAim]:
    """The aims in order, each with its actions (seed 002: aim | finding | action | due | lead | status |
    evidence); two queries whatever the size of the plan."""
    return list(PlanAim.objects.filter(plan=plan).prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("due_on", "pk"))).order_by("order"))


def plan_clocks(plan: ImprovementPlan) -> QuerySet[Obligation]:
    return _clocks_of(plan.process if plan.process_id else plan.incident)


@dataclass(frozen=True)
class PlanEvent:
    when: dt.datetime
    label: str
    by: str
    note: str = ""


def plan_timeline(plan: ImprovementPlan) -> list[PlanEvent]:
    """What happened to the plan, oldest first: its recorded changes, the client's queries and answers, reports."""
    events = [PlanEvent(h.history_date, h.history_change_reason or "Changed", str(h.history_user or "The system"))
              for h in plan.history.select_related("history_user").order_by("history_date", "history_id")[:200]]
    for query in plan.queries.select_related("raised_by", "answered_by"):
        events.append(PlanEvent(query.raised_at, "Query raised", str(query.raised_by), query.question))
        if query.answered_at:
            events.append(PlanEvent(query.answered_at, "Query answered", str(query.answered_by), query.answer))
    return sorted(events, key=lambda e: e.when)


# --- Incidents --------------------------------------------------------------------------------------------------


def incidents_of(user: Person, *, status: str | None = None) -> QuerySet[Incident]:
    queryset = (Incident.objects.filter(alliance_id=_alliance(user)).select_related("scheme", "reported_by")
                .annotate(plan_count=Count("plans")).order_by("-occurred_on", "-pk"))
    return queryset.filter(status=status) if status else queryset


def incident_for(user: Person, pk: int) -> Incident:
    return _one(Incident.objects.filter(alliance_id=_alliance(user)).select_related("scheme", "reported_by"),
                pk, "incident")


def improvement_schemes_of(user: Person) -> QuerySet[Scheme]:
    return Scheme.objects.filter(alliance_id=_alliance(user)).order_by("code")


def improvement_quarters_of(user: Person) -> QuerySet[Quarter]:
    return Quarter.objects.filter(alliance_id=_alliance(user)).order_by("-year", "-number")


# --- The efficiency register ------------------------------------------------------------------------------------


def efficiencies_of(user: Person, *, quarter: Quarter | None = None, assurance: str | None = None,
                    scheme: Scheme | None = None) -> QuerySet[EfficiencyEntry]:
    queryset = (EfficiencyEntry.objects.filter(alliance_id=_alliance(user))
                .select_related("quarter", "scheme", "logged_by").order_by("-quarter__year", "-quarter__number",
                                                                            "-value", "pk"))
    if quarter is not None:
        queryset = queryset.filter(quarter=quarter)
    if assurance:
        queryset = queryset.filter(assurance=assurance)
    if scheme is not None:
        queryset = queryset.filter(scheme=scheme)
    return queryset


def efficiency_for(user: Person, pk: int) -> EfficiencyEntry:
    return _one(EfficiencyEntry.objects.filter(alliance_id=_alliance(user)).select_related("quarter", "scheme"),
                pk, "efficiency")


@dataclass
class EfficiencyTotals:
    """Totals per quarter and per assurance level, summed in the database."""

    rows: list[dict]  # {"quarter": label, "logged": £, "assured": £, "delivered": £, "total": £, "count": n}
    by_level: dict[str, Decimal]
    total: Decimal
    count: int


def efficiency_totals(user: Person) -> EfficiencyTotals:
    sums = {level: Sum("value", filter=Q(assurance=level), default=Decimal(0)) for level in Assurance.values}
    rows = []
    for row in (EfficiencyEntry.objects.filter(alliance_id=_alliance(user))
                .values("quarter__year", "quarter__number").order_by("-quarter__year", "-quarter__number")
                .annotate(total=Sum("value"), count=Count("pk"), **sums)):
        rows.append({"quarter": f"{row['quarter__year']}-Q{row['quarter__number']}", "total": row["total"],
                     "count": row["count"], **{level: row[level] for level in Assurance.values}})
    by_level = {level: sum((r[level] for r in rows), Decimal(0)) for level in Assurance.values}
    return EfficiencyTotals(rows=rows, by_level=by_level, total=sum((r["total"] for r in rows), Decimal(0)),
                            count=sum(r["count"] for r in rows))
