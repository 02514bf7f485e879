"""Demo self-assessments against the Alliancing Code of Practice (seed 003): one closed two months ago and one
open now, each rated by twelve demo people; idempotent (an alliance with any self-assessment is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from simple_history.utils import bulk_create_with_history

from alliance.dates import add_months, local_today
from alliance.models import Alliance, Person
from alliance.workflow import save_with_reason
from mobilisation.models import CodeOutcome, Rating, SelfAssessment, SelfAssessmentStatus
from mobilisation.services.assessment import code_outcomes_seed

__all__ = ["seed_demo"]

RATERS = ["sro", "alliance-manager", "client-reviewer", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep",
          "bam-msjv-rep", "balfour-beatty-rep", "fluor-staff", "wsp-staff", "costain-staff"]
# The mean each theme and phase is rated around, earlier and now: commercial sustaining and integration
# delivering lag (gaps), most cells move up a little, leadership deciding slips back.
_BASE = {
    ("behaviour", "deciding"): 3.6, ("behaviour", "creating"): 3.4, ("behaviour", "delivering"): 3.0,
    ("behaviour", "sustaining"): 2.8, ("integration", "deciding"): 3.8, ("integration", "creating"): 3.3,
    ("integration", "delivering"): 2.4, ("integration", "sustaining"): 2.9, ("leadership", "deciding"): 4.1,
    ("leadership", "creating"): 3.7, ("leadership", "delivering"): 3.2, ("leadership", "sustaining"): 3.0,
    ("commercial", "deciding"): 3.5, ("commercial", "creating"): 3.1, ("commercial", "delivering"): 2.7,
    ("commercial", "sustaining"): 2.2,
}
_NOW_SHIFT = {("leadership", "deciding"): -0.3, ("integration", "delivering"): 0.1}


def _ratings(assessment: SelfAssessment, people: list[Person], outcomes: list[CodeOutcome], *, now: bool,
             share: float, seed: int) -> list[Rating]:
    rng = random.Random(seed)  # noqa: S311 (demo data, repeatable)
    rows = []
    for person in people:
        for outcome in outcomes:
            if rng.random() > share:
                continue
            cell = (outcome.theme, outcome.phase)
            mean = _BASE[cell] + (0.2 + _NOW_SHIFT.get(cell, 0) if now else 0)
            score = min(5, max(1, round(rng.gauss(mean, 0.8))))
            rating = Rating(assessment=assessment, participant=person, outcome=outcome, score=score)
            rating._history_user = person  # the history names the participant, as ratings_save does
            rows.append(rating)
    return rows


def _assessment(alliance: Alliance, manager: Person, *, title: str, opens_on: dt.date, closes_on: dt.date,
                status: str, previous: SelfAssessment | None) -> SelfAssessment:
    assessment = SelfAssessment(alliance=alliance, title=title, opens_on=opens_on, closes_on=closes_on,
                                status=status, previous=previous, created_by=manager)
    save_with_reason(assessment, manager, "Opened" if status == SelfAssessmentStatus.OPEN else "Demo: closed")
    return assessment


def seed_demo(alliance: Alliance) -> None:
    code_outcomes_seed(alliance)
    manager = Person.objects.filter(username="alliance-manager", organisation__alliance=alliance).first()
    if manager is None or SelfAssessment.objects.filter(alliance=alliance).exists():
        return
    by_name = {p.username: p for p in Person.objects.filter(username__in=RATERS, organisation__alliance=alliance)}
    people = [by_name[u] for u in RATERS if u in by_name]
    outcomes = list(CodeOutcome.objects.filter(alliance=alliance).order_by("order"))
    today = local_today()
    closes_then = add_months(today, -2)
    earlier = _assessment(
        alliance, manager, title=f"Self-assessment, {closes_then:%B %Y}", opens_on=closes_then - dt.timedelta(days=14),
        closes_on=closes_then, status=SelfAssessmentStatus.CLOSED, previous=None)
    bulk_create_with_history(_ratings(earlier, people, outcomes, now=False, share=1.0, seed=3),
                             Rating, default_user=manager, default_change_reason="Demo rating")
    current = _assessment(
        alliance, manager, title=f"Self-assessment, {today:%B %Y}", opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=14), status=SelfAssessmentStatus.OPEN, previous=earlier)
    # Partly rated so far: each participant has rated about three in four outcomes.
    bulk_create_with_history(_ratings(current, people, outcomes, now=True, share=0.75, seed=4),
                             Rating, default_user=manager, default_change_reason="Demo rating")
