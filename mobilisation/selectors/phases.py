"""Reads of the mobilisation phases and their go / no-go assessments (paras 208-210): every member of the
alliance reads them; another alliance's are not there (404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from alliance.models import Organisation
from alliance.permissions import own_alliance_id
from mobilisation.models import Assessment, Criterion, CriterionLevel, NoGoAction, Phase

if TYPE_CHECKING:
    from alliance.models import Person


def _assessments() -> QuerySet[Assessment]:
    return (Assessment.objects.select_related("decided_by", "created_by")
            .annotate(criteria_count=Count("criteria", distinct=True),
                      met_count=Count("criteria", filter=Q(criteria__met=True), distinct=True),
                      actions_count=Count("actions", distinct=True))
            .order_by("held_on", "id"))


def phases_of(user: Person) -> QuerySet[Phase]:
    """The phases of the user's alliance, in order, each with its assessments and their counts."""
    return (Phase.objects.filter(alliance_id=own_alliance_id(user))
            .prefetch_related(Prefetch("assessments", queryset=_assessments()))
            .order_by("starts_on", "kind", "id"))


def phase_for(user: Person, pk: int) -> Phase:
    phase = phases_of(user).filter(pk=pk).first()
    if phase is None:
        raise Http404
    return phase


def assessment_for(user: Person, pk: int) -> Assessment:
    """One assessment of the user's alliance with its phase, criteria and actions; 404 otherwise."""
    assessment = (_assessments().select_related("phase__alliance")
                  .prefetch_related(Prefetch("actions", queryset=NoGoAction.objects.select_related("owner")))
                  .filter(phase__alliance_id=own_alliance_id(user), pk=pk).first())
    if assessment is None:
        raise Http404
    return assessment


@dataclass
class CriteriaLevel:
    level: str
    label: str
    criteria: list[Criterion] = field(default_factory=list)


def assessment_criteria_by_level(assessment: Assessment) -> list[CriteriaLevel]:
    """The criteria grouped Scheme level first, then Alliance level (para 209)."""
    groups = {value: CriteriaLevel(value, label) for value, label in CriterionLevel.choices}
    for criterion in Criterion.objects.filter(assessment=assessment).order_by("id"):
        groups[criterion.level].criteria.append(criterion)
    return list(groups.values())


def assessment_history(assessment: Assessment, limit: int = 100) -> list:
    """The assessment's record of changes, its criteria's and its actions', newest first."""
    rows = [*assessment.history.select_related("history_user").order_by("-history_date")[:limit],
            *Criterion.history.filter(assessment_id=assessment.pk).select_related("history_user")
            .order_by("-history_date")[:limit],
            *NoGoAction.history.filter(assessment_id=assessment.pk).select_related("history_user")
            .order_by("-history_date")[:limit]]
    rows.sort(key=lambda h: h.history_date, reverse=True)
    return rows[:limit]


def no_go_action_for(user: Person, pk: int) -> NoGoAction:
    action = (NoGoAction.objects.select_related("assessment__phase", "owner")
              .filter(assessment__phase__alliance_id=own_alliance_id(user), pk=pk).first())
    if action is None:
        raise Http404
    return action


def phase_organisations(alliance_id: int) -> QuerySet[Organisation]:
    """The organisations that may own a no-go action: every member of the alliance."""
    return Organisation.objects.filter(alliance_id=alliance_id).order_by("name")

