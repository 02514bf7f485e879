"""Reads of the five-year rolling maturity plan (paras 216-221): the current plan, a version, its grid of focus
areas by period (the plan on a page, para 220), its actions, history and clocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from alliance.models import Obligation, ObligationKind, ObligationStatus, Person, Role
from alliance.permissions import alliance_id_of
from mobilisation.models import (
    FocusArea,
    MaturityAction,
    MaturityLevel,
    MaturityPlan,
    MaturityPlanStatus,
    TargetLevel,
    TargetPeriod,
)

if TYPE_CHECKING:
    pass

# A version being worked on: a draft, one with the Board, or one the Board did not sign off (editable again).
MATURITY_IN_PROGRESS = (MaturityPlanStatus.DRAFT, MaturityPlanStatus.WITH_BOARD, MaturityPlanStatus.RETURNED)


def maturity_plans(alliance_id: int) -> QuerySet[MaturityPlan]:
    """Every version of the alliance's plan, newest first."""
    return (MaturityPlan.objects.filter(alliance_id=alliance_id)
            .select_related("decision", "drafted_by").order_by("-version"))


def maturity_plan_latest(alliance_id: int) -> MaturityPlan | None:
    return MaturityPlan.objects.filter(alliance_id=alliance_id).order_by("-version").first()


def maturity_plan_in_progress(alliance_id: int) -> MaturityPlan | None:
    return (MaturityPlan.objects.filter(alliance_id=alliance_id, status__in=MATURITY_IN_PROGRESS)
            .order_by("-version").first())


def maturity_plan_current(alliance_id: int | None) -> MaturityPlan | None:
    """The plan the alliance works to: the latest signed-off version, else the latest one being drafted."""
    if alliance_id is None:
        return None
    plans = MaturityPlan.objects.filter(alliance_id=alliance_id).select_related("decision", "drafted_by")
    return (plans.filter(status=MaturityPlanStatus.SIGNED_OFF).order_by("-version").first()
            or plans.filter(status__in=MATURITY_IN_PROGRESS).order_by("-version").first())


def maturity_plan_for(user: Person, pk: int) -> MaturityPlan:
    """A version of the user's alliance's plan (every member reads it); 404 for another alliance's."""
    alliance_id = alliance_id_of(user)
    plan = (MaturityPlan.objects.select_related("decision", "drafted_by", "alliance")
            .filter(pk=pk, alliance_id=alliance_id).first() if alliance_id is not None else None)
    if plan is None:
        raise Http404("No such maturity plan.")
    return plan


def maturity_focus_areas(plan: MaturityPlan) -> QuerySet[FocusArea]:
    """A version's focus areas in order, with their targets and actions (owner organisations joined)."""
    return (FocusArea.objects.filter(plan=plan).order_by("order", "pk")
            .prefetch_related(Prefetch("targets", queryset=TargetLevel.objects.order_by("pk")),
                              Prefetch("actions", queryset=MaturityAction.objects.select_related("owner")
                                       .order_by("due_on", "pk"))))


_LEVEL_LABELS = dict(MaturityLevel.choices)


@dataclass
class MaturityCell:
    period: str
    period_label: str
    level: str | None
    level_label: str


@dataclass
class MaturityRow:
    focus_area: FocusArea
    cells: list[MaturityCell]
    actions: list[MaturityAction]

    @property
    def complete(self) -> bool:
        return all(cell.level for cell in self.cells)


@dataclass
class MaturityGroup:
    heading: str
    rows: list[MaturityRow] = field(default_factory=list)


def maturity_grid(plan: MaturityPlan) -> list[MaturityGroup]:
    """The plan on a page (para 220): para 217's headings in the plan's order, each with its focus areas and the
    level aimed for at each period of para 218."""
    groups: dict[str, MaturityGroup] = {}
    for area in maturity_focus_areas(plan):
        levels = {target.period: target.level for target in area.targets.all()}
        cells = [MaturityCell(period=value, period_label=label, level=levels.get(value),
                              level_label=_LEVEL_LABELS.get(levels.get(value) or "", "Not set"))
                 for value, label in TargetPeriod.choices]
        groups.setdefault(area.group, MaturityGroup(heading=area.group)).rows.append(
            MaturityRow(focus_area=area, cells=cells, actions=list(area.actions.all())))
    return list(groups.values())


def maturity_plan_history(plan: MaturityPlan) -> QuerySet:
    return plan.history.select_related("history_user").order_by("-history_date", "-history_id")


def maturity_plan_clocks(plan: MaturityPlan) -> QuerySet[Obligation]:
    """The obligations of a version: its annual update (para 221)."""
    return (Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(MaturityPlan),
                                      subject_id=plan.pk)
            .select_related("responsible_person").order_by("due_date", "pk"))


def maturity_update_clocks(alliance_id: int, exclude_plan_id: int) -> QuerySet[Obligation]:
    """What a newly signed-off version meets: the open annual update of an earlier version, and any maturity
    plan obligation opened by hand with no subject (the first plan, during mobilisation)."""
    earlier = MaturityPlan.objects.filter(alliance_id=alliance_id).exclude(pk=exclude_plan_id).values("pk")
    return Obligation.objects.filter(
        Q(subject_id=None) | Q(subject_type=ContentType.objects.get_for_model(MaturityPlan), subject_id__in=earlier),
        alliance_id=alliance_id, kind=ObligationKind.MATURITY_PLAN, status=ObligationStatus.OPEN,
    ).order_by("due_date", "pk")


def maturity_alliance_manager(alliance_id: int) -> Person | None:
    return (Person.objects.filter(role_assignments__role=Role.ALLIANCE_MANAGER,
                                  organisation__alliance_id=alliance_id, is_active=True)
            .select_related("organisation").distinct().order_by("pk").first())
