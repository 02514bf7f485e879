"""Demo records of the mobilisation phases (the demo alliance started four months ago): the phases laid out;
the accelerated interim phase assessed a month ago at its end, a go; the full interim phase's assessment in
preparation with some criteria marked. Made through the services, so that the history reads as real use."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alliance.models import Alliance, Person, Role
from alliance.people.selectors import alliance_manager
from mobilisation.models import Assessment, AssessmentOutcome, CriterionLevel, Phase, PhaseKind, Stage
from mobilisation.services.phases import (
    assessment_outcome_record,
    assessment_prepare,
    criteria_mark,
    phases_seed,
)

__all__ = ["seed_demo"]

ACCELERATED_CRITERIA = [
    (CriterionLevel.SCHEME, "Schemes with a SoW date in the first six months have a confirmed delivery team",
     "Delivery teams named for all four early Schemes; confirmed at the Scheme readiness review."),
    (CriterionLevel.SCHEME, "Construction phase plans accepted for the early Schemes",
     "Plans accepted by the Principal Designer; filed in the common data environment."),
    (CriterionLevel.ALLIANCE, "Senior and operational roles appointed",
     "Alliance Manager, Production Hub lead and commercial lead in post."),
    (CriterionLevel.ALLIANCE, "Internal performance reporting process established",
     "First monthly performance report issued to the Board."),
]
FULL_CRITERIA = [
    (CriterionLevel.SCHEME, "Delivery plans baselined for every Scheme in the current work bank",
     True, "Delivery plans baselined for 11 of 11 Schemes."),
    (CriterionLevel.SCHEME, "Scheme-level risk registers linked to the alliance risk register", None, ""),
    (CriterionLevel.ALLIANCE, "Supply Chain Management Plans accepted for every partner",
     False, "Four of six partners' plans accepted; two returned with comments."),
    (CriterionLevel.ALLIANCE, "Business Readiness Implementation Group meeting monthly", True,
     "BRIG terms of reference agreed; three meetings held."),
    (CriterionLevel.ALLIANCE, "Collaborative working environment in place at the Production Hub", None, ""),
]


def _sro(alliance: Alliance) -> Person | None:
    return (Person.objects.filter(organisation__alliance=alliance, role_assignments__role=Role.SRO)
            .select_related("organisation").first())


def seed_demo(alliance: Alliance) -> None:
    phases_seed(alliance)
    manager, sro = alliance_manager(alliance.pk), _sro(alliance)
    if manager is None or sro is None:
        return
    accelerated = Phase.objects.get(alliance=alliance, kind=PhaseKind.INTERIM, stage=Stage.ACCELERATED)
    if not accelerated.assessments.exists():
        assessment = assessment_prepare(actor=manager, phase=accelerated, held_on=accelerated.ends_on,
                                        criteria=[(level, text) for level, text, _ in ACCELERATED_CRITERIA])
        evidence = {text: e for _, text, e in ACCELERATED_CRITERIA}
        criteria_mark(actor=manager, assessment=assessment,
                      marks={c.pk: (True, evidence[c.text]) for c in assessment.criteria.all()})
        assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.GO,
                                  notes="Every criterion met: the early Schemes can start on their SoW dates.")
        # The go was recorded on the day of the assessment, a month ago.
        Assessment.objects.filter(pk=assessment.pk).update(decided_at=timezone.make_aware(
            dt.datetime.combine(accelerated.ends_on, dt.time(16))))
    full = Phase.objects.get(alliance=alliance, kind=PhaseKind.INTERIM, stage=Stage.FULL)
    if not full.assessments.exists():
        assessment = assessment_prepare(actor=manager, phase=full, held_on=full.ends_on,
                                        criteria=[(level, text) for level, text, _, _ in FULL_CRITERIA])
        marks = {text: (met, e) for _, text, met, e in FULL_CRITERIA}
        criteria_mark(actor=manager, assessment=assessment,
                      marks={c.pk: marks[c.text] for c in assessment.criteria.all()})
