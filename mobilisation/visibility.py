"""Which mobilisation and maturity records a person may open (alliance/visibility.py).

The plan, phases, assessments and the maturity plan are the alliance's: every member reads them. A rating in a
self-assessment is its participant's own: the others read only the sums and averages (seed 003), so a rating and
its history are the participant's alone."""

from __future__ import annotations

from django.db.models import Q

from alliance.permissions import alliance_id_of
from alliance.visibility import Rule, alliance_rules, along
from mobilisation.models import (
    Assessment,
    CodeOutcome,
    Criterion,
    Deliverable,
    DeliverableEvidence,
    FocusArea,
    MaturityAction,
    MaturityPlan,
    MobilisationPlan,
    NoGoAction,
    Phase,
    PlanReview,
    Rating,
    SelfAssessment,
    TargetLevel,
)
from mobilisation.permissions import can_view_mobilisation


def rating_scope(person) -> Q | None:
    """One's own ratings, in one's own alliance."""
    alliance_id = alliance_id_of(person)
    if alliance_id is None:
        return None
    return along(Rating, "assessment__alliance_id", alliance_id) & Q(participant_id=person.pk)


def ratings_visible_to(person):
    scope = rating_scope(person)
    return Rating.objects.none() if scope is None else Rating.objects.filter(scope)


RULES = [
    Rule(Rating, records=ratings_visible_to, history=rating_scope, by_version=True),
    *alliance_rules(can_view_mobilisation, [
        (CodeOutcome, "alliance_id"), (Deliverable, "alliance_id"), (MaturityPlan, "alliance_id"),
        (MobilisationPlan, "alliance_id"), (Phase, "alliance_id"), (SelfAssessment, "alliance_id"),
        (Assessment, "phase__alliance_id"), (Criterion, "assessment__phase__alliance_id"),
        (NoGoAction, "assessment__phase__alliance_id"), (DeliverableEvidence, "deliverable__alliance_id"),
        (FocusArea, "plan__alliance_id"), (MaturityAction, "focus_area__plan__alliance_id"),
        (TargetLevel, "focus_area__plan__alliance_id"), (PlanReview, "plan__alliance_id"),
    ]),
]
