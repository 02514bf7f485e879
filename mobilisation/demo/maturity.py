"""Demo maturity plan: version 1, drafted by the Alliance Manager with para 217's focus areas, targets rising over
the five years and a few actions, signed off by a unanimous Board about a month after the Alliance Start Date.
Idempotent: an alliance with a maturity plan is left alone. Built through the services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from alliance.dates import add_months
from alliance.models import Alliance, ObligationStatus, Organisation, Person
from governance import services as governance_services
from governance.demo import seed_matrix
from governance.models import Decision
from mobilisation.focus_areas import FOCUS_AREAS
from mobilisation.models import MaturityLevel, MaturityPlan, TargetPeriod
from mobilisation.selectors import maturity as selectors
from mobilisation.services import maturity as services

__all__ = ["seed_demo"]

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
        manager = selectors.maturity_alliance_manager(alliance.pk)
        return manager.organisation if manager else None
    return Organisation.objects.filter(alliance=alliance, slug=key).first()


def _backdate(plan: MaturityPlan, decision: Decision, signed_off_on: dt.date) -> None:
    """Tell the story of a plan signed off a month after the start: the services ran today (they are the only
    way a plan moves), so move the dates they stamped to that day. Demo data only: no history row is wanted
    for a date no one changed."""
    closed_at = timezone.make_aware(dt.datetime.combine(signed_off_on, dt.time(17)))
    Decision.objects.filter(pk=decision.pk).update(tabled_at=closed_at - dt.timedelta(days=14), closes_at=closed_at,
                                                   closed_at=closed_at)
    next_update = add_months(signed_off_on, services.MATURITY_UPDATE_MONTHS)
    MaturityPlan.objects.filter(pk=plan.pk).update(signed_off_on=signed_off_on, next_update_due=next_update)
    selectors.maturity_plan_clocks(plan).filter(status=ObligationStatus.OPEN).update(start_date=signed_off_on,
                                                                      due_date=next_update)


@transaction.atomic
def seed_demo(alliance: Alliance) -> None:
    seed_matrix(alliance)
    if MaturityPlan.objects.filter(alliance=alliance).exists():
        return
    manager, sro = _person("alliance-manager"), _person("sro")
    plan = services.maturity_plan_draft(actor=manager, alliance=alliance)
    periods = TargetPeriod.values
    services.maturity_plan_edit(
        actor=manager, plan=plan,
        targets={spec.code: dict(zip(periods, _pace(spec.code), strict=True)) for spec in FOCUS_AREAS},
        summary="From each Partner meeting its contract to one high-performing integrated Alliance in five years: "
                "people and culture first, then shared systems and supply chain, then decision making authority.",
    )
    areas = {row.focus_area.code: row.focus_area for group in selectors.maturity_grid(plan) for row in group.rows}
    for code, description, owner, months, source in ACTIONS:
        services.maturity_action_add(actor=manager, plan=plan, focus_area_id=areas[code].pk,
                                     description=description, owner=_owner(alliance, owner),
                                     due_on=add_months(alliance.start_date, months), source=source)
    decision = services.maturity_plan_submit(actor=manager, plan=plan)
    for username in VOTERS:
        governance_services.vote_cast(actor=_person(username), decision=decision, choice="for")
    governance_services.decision_close(actor=sro, decision=decision)
    _backdate(plan, decision, add_months(alliance.start_date, 1))

