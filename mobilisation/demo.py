"""Demo records of mobilisation and maturity; ``seed_demo`` is what alliance.demo discovers."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import (
    Alliance,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from alliance.selectors import alliance_manager, open_obligations_of
from alliance.workflow import save_with_reason
from governance.demo import seed_matrix
from governance.models import Decision
from governance.services import board as governance_services
from mobilisation.focus_areas import FOCUS_AREAS
from mobilisation.models import (
    Assessment,
    AssessmentOutcome,
    CodeOutcome,
    CriterionLevel,
    Deliverable,
    DeliverableStatus,
    DuePeriod,
    MaturityLevel,
    MaturityPlan,
    MobilisationPlanStatus,
    Phase,
    PhaseKind,
    PlanReviewVerdict,
    Rating,
    SelfAssessment,
    SelfAssessmentStatus,
    Stage,
    TargetPeriod,
)
from mobilisation.selectors import maturity as maturity_selectors
from mobilisation.services import deliverables as deliverable_services
from mobilisation.services import maturity as maturity_services
from mobilisation.services.assessment import code_outcomes_seed
from mobilisation.services.phases import (
    assessment_outcome_record,
    assessment_prepare,
    criteria_mark,
    phases_seed,
)

# --- Deliverables -------------------------------------------------------------------------------------------
# Demo records of the mobilisation plan: Table 7 on the demo alliance (started four months ago), owners
# assigned, most four-week and three-month products approved (two of them late), some six-month ones in progress,
# and the plan baselined with the six partners' approvals; afterwards one due date moved, to show slippage.
#
# The core demo (alliance/demo.py) already opens obligations for some of the same products (the Performance Table,
# the PMP's core resources, the supply chain documents, the transition plan). We leave those as they are: each
# deliverable also has its own MOBILISATION_DELIVERABLE obligation, which is fine (the two clocks are two views of
# the same date), and we do not open any further reminder for them.
#
# Idempotent: each step looks at the state first.

# Production Hub items go to the Production Management Partner (Fluor); the rest to the client's team.
FLUOR_ITEMS = {"MOB-04", "MOB-05", "MOB-14", "MOB-24", "MOB-25"}
# (reference: days after its due date it was approved): two late, the rest early.
LATE = {"MOB-19": 5, "MOB-01": 3}
NOT_YET_APPROVED = {"MOB-08": DeliverableStatus.SUBMITTED, "MOB-21": DeliverableStatus.IN_PROGRESS}
IN_PROGRESS_SIX_MONTHS = {"MOB-02", "MOB-09", "MOB-10", "MOB-13", "MOB-14", "MOB-26"}
SLIPPED = ("MOB-02", 14)  # moved two weeks after the baseline


def seed_deliverables(alliance: Alliance) -> None:
    manager = alliance_manager(alliance.pk)
    if manager is None:
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(alliance=alliance)}
    client = manager.organisation
    fluor = organisations.get("fluor", client)
    owners = {f"MOB-{n:02d}": (fluor if f"MOB-{n:02d}" in FLUOR_ITEMS else client) for n in range(1, 29)}
    deliverable_services.deliverables_seed(alliance, owners=owners)
    today = local_today()
    for d in Deliverable.objects.filter(alliance=alliance, from_table_7=True).select_related("alliance"):
        if d.status != DeliverableStatus.NOT_STARTED:
            continue
        if d.due_period in (DuePeriod.FOUR_WEEKS, DuePeriod.THREE_MONTHS) and d.due_on < today:
            if d.reference in NOT_YET_APPROVED:
                deliverable_services.deliverable_start(actor=manager, deliverable=d)
                if NOT_YET_APPROVED[d.reference] == DeliverableStatus.SUBMITTED:
                    deliverable_services.deliverable_submit(actor=manager, deliverable=d)
                continue
            _approved_on(d, manager, d.due_on + dt.timedelta(days=LATE.get(d.reference, -4)), today)
        elif d.reference in IN_PROGRESS_SIX_MONTHS:
            deliverable_services.deliverable_start(actor=manager, deliverable=d)
    _plan(alliance, manager)


def _approved_on(d: Deliverable, manager: Person, day: dt.date, today: dt.date) -> None:
    """A past approval: the services approve today, so the demo writes the day it happened (as alliance/demo.py
    meets its past obligations)."""
    day = min(max(day, d.alliance.start_date), today)
    d.status, d.approved_on = DeliverableStatus.APPROVED, day
    save_with_reason(d, manager, f"Approved {d.late_by_days} days late" if d.late_by_days else "Approved")
    for obligation in open_obligations_of(d, kind=ObligationKind.MOBILISATION_DELIVERABLE):
        alliance_services.obligation_meet(actor=manager, obligation=obligation, on=max(day, obligation.start_date),
                                          reason="Deliverable approved", by_workflow=True)


def _plan(alliance: Alliance, manager: Person) -> None:
    plan = deliverable_services.mobilisation_plan_ensure(alliance=alliance)
    if plan.status == MobilisationPlanStatus.DRAFT:
        plan = deliverable_services.mobilisation_plan_send(actor=manager, alliance=alliance)
    if plan.status == MobilisationPlanStatus.IN_REVIEW:
        for partner in Organisation.objects.filter(alliance=alliance, kind=OrganisationKind.PARTNER):
            reviewer = Person.objects.filter(username=f"{partner.slug}-rep").first()
            if reviewer is not None:
                deliverable_services.mobilisation_plan_review(actor=reviewer, alliance=alliance,
                                                  verdict=PlanReviewVerdict.APPROVED)
        deliverable_services.mobilisation_plan_baseline(actor=manager, alliance=alliance)
        reference, days = SLIPPED
        d = Deliverable.objects.filter(alliance=alliance, reference=reference).first()
        if d is not None and d.baseline_due_on == d.due_on:
            deliverable_services.deliverable_update(actor=manager, deliverable=d, due_period=DuePeriod.DATE,
                                        due_on=d.due_on + dt.timedelta(days=days),
                                        reason="Business Plan needs the Board's March meeting")


# --- Phases -------------------------------------------------------------------------------------------------
# Demo records of the mobilisation phases (the demo alliance started four months ago): the phases laid out;
# the accelerated interim phase assessed a month ago at its end, a go; the full interim phase's assessment in
# preparation with some criteria marked. Made through the services, so that the history reads as real use.

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


def seed_phases(alliance: Alliance) -> None:
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


# --- Maturity -----------------------------------------------------------------------------------------------
# Demo maturity plan: version 1, drafted by the Alliance Manager with para 217's focus areas, targets rising over
# the five years and a few actions, signed off by a unanimous Board about a month after the Alliance Start Date.
# Idempotent: an alliance with a maturity plan is left alone. Built through the services.

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]

B, D, A = MaturityLevel.BASE, MaturityLevel.DEVELOPING, MaturityLevel.ADVANCED
# Three paces of evolution (para 216), by focus area: quick to integrate, steady, and slow (the hardest changes).
PACES = {
    "quick": [B, D, D, A, A, A],
    "steady": [B, B, D, D, A, A],
    "slow": [B, B, B, D, D, A],
}
SLOW = {"client-presence", "primary-contracts", "decision-making-authority", "systems-landscape",
        "asset-data-integrity", "tier-two-involvement"}
QUICK = {"location", "culture-and-behaviours", "engagement-strategy", "health-safety-wellbeing",
         "management-information", "kpi-alignment"}

ACTIONS = [
    ("culture-and-behaviours", "Run the Behavioural Maturity Framework survey (Annex B) across all partners and "
     "agree the three behaviours to focus on.", "alliance-manager", 2, "Self-assessment: behaviour, creating"),
    ("location", "Co-locate the Production Hub's core teams in the regional hubs.", "fluor", 5, ""),
    ("digital-strategy", "Draft the Alliance digital strategy and take it to the Board.", "jacobs", 6,
     "Self-assessment: integration, creating"),
    ("sme-spend-plan", "Publish the SME spend plan against the government's target.", "fluor", 4, ""),
    ("health-safety-wellbeing", "Agree one integrated health, safety and wellbeing management system.",
     "balfour-beatty", 8, "Self-assessment: leadership, delivering"),
]


def _person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def _pace(code: str) -> list[str]:
    return PACES["slow" if code in SLOW else "quick" if code in QUICK else "steady"]


def _owner(alliance: Alliance, key: str) -> Organisation | None:
    if key == "alliance-manager":
        manager = maturity_selectors.maturity_alliance_manager(alliance.pk)
        return manager.organisation if manager else None
    return Organisation.objects.filter(alliance=alliance, slug=key).first()


def _backdate(plan: MaturityPlan, decision: Decision, signed_off_on: dt.date) -> None:
    """Tell the story of a plan signed off a month after the start: the services ran today (they are the only
    way a plan moves), so move the dates they stamped to that day. Demo data only: no history row is wanted
    for a date no one changed."""
    closed_at = timezone.make_aware(dt.datetime.combine(signed_off_on, dt.time(17)))
    Decision.objects.filter(pk=decision.pk).update(tabled_at=closed_at - dt.timedelta(days=14), closes_at=closed_at,
                                                   closed_at=closed_at)
    next_update = add_months(signed_off_on, maturity_services.MATURITY_UPDATE_MONTHS)
    MaturityPlan.objects.filter(pk=plan.pk).update(signed_off_on=signed_off_on, next_update_due=next_update)
    maturity_selectors.maturity_plan_clocks(plan).filter(status=ObligationStatus.OPEN).update(start_date=signed_off_on,
                                                                      due_date=next_update)


@transaction.atomic
def seed_maturity(alliance: Alliance) -> None:
    seed_matrix(alliance)
    if MaturityPlan.objects.filter(alliance=alliance).exists():
        return
    manager, sro = _person("alliance-manager"), _person("sro")
    plan = maturity_services.maturity_plan_draft(actor=manager, alliance=alliance)
    periods = TargetPeriod.values
    maturity_services.maturity_plan_edit(
        actor=manager, plan=plan,
        targets={spec.code: dict(zip(periods, _pace(spec.code), strict=True)) for spec in FOCUS_AREAS},
        summary="From each Partner meeting its contract to one high-performing integrated Alliance in five years: "
                "people and culture first, then shared systems and supply chain, then decision making authority.",
    )
    areas = {row.focus_area.code: row.focus_area for group in maturity_selectors.maturity_grid(plan) for row in group.rows}
    for code, description, owner, months, source in ACTIONS:
        maturity_services.maturity_action_add(actor=manager, plan=plan, focus_area_id=areas[code].pk,
                                     description=description, owner=_owner(alliance, owner),
                                     due_on=add_months(alliance.start_date, months), source=source)
    decision = maturity_services.maturity_plan_submit(actor=manager, plan=plan)
    for username in VOTERS:
        governance_services.vote_cast(actor=_person(username), decision=decision, choice="for")
    governance_services.decision_close(actor=sro, decision=decision)
    _backdate(plan, decision, add_months(alliance.start_date, 1))


# --- Assessment ---------------------------------------------------------------------------------------------
# Demo self-assessments against the Alliancing Code of Practice (seed 003): one closed two months ago and one
# open now, each rated by twelve demo people; idempotent (an alliance with any self-assessment is left alone).

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


def seed_assessment(alliance: Alliance) -> None:
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


def seed_demo(alliance: Alliance) -> None:
    seed_deliverables(alliance)
    seed_phases(alliance)
    seed_maturity(alliance)
    seed_assessment(alliance)
