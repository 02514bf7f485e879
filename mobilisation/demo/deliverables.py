"""Demo records of the mobilisation plan: Table 7 on the demo alliance (started four months ago), owners
assigned, most four-week and three-month products approved (two of them late), some six-month ones in progress,
and the plan baselined with the six partners' approvals; afterwards one due date moved, to show slippage.

The core demo (alliance/demo.py) already opens obligations for some of the same products (the Performance Table,
the PMP's core resources, the supply chain documents, the transition plan). We leave those as they are: each
deliverable also has its own MOBILISATION_DELIVERABLE obligation, which is fine (the two clocks are two views of
the same date), and we do not open any further reminder for them.

Idempotent: each step looks at the state first.
"""

from __future__ import annotations

import datetime as dt

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.models import Alliance, ObligationKind, Organisation, OrganisationKind, Person
from alliance.people.selectors import alliance_manager
from alliance.selectors import open_obligations_of
from alliance.workflow import save_with_reason
from mobilisation.models import (
    Deliverable,
    DeliverableStatus,
    DuePeriod,
    MobilisationPlanStatus,
    PlanReviewVerdict,
)
from mobilisation.services import deliverables as services

# Production Hub items go to the Production Management Partner (Fluor); the rest to the client's team.
FLUOR_ITEMS = {"MOB-04", "MOB-05", "MOB-14", "MOB-24", "MOB-25"}
# (reference: days after its due date it was approved): two late, the rest early.
LATE = {"MOB-19": 5, "MOB-01": 3}
NOT_YET_APPROVED = {"MOB-08": DeliverableStatus.SUBMITTED, "MOB-21": DeliverableStatus.IN_PROGRESS}
IN_PROGRESS_SIX_MONTHS = {"MOB-02", "MOB-09", "MOB-10", "MOB-13", "MOB-14", "MOB-26"}
SLIPPED = ("MOB-02", 14)  # moved two weeks after the baseline


def seed_demo(alliance: Alliance) -> None:
    manager = alliance_manager(alliance.pk)
    if manager is None:
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(alliance=alliance)}
    client = manager.organisation
    fluor = organisations.get("fluor", client)
    owners = {f"MOB-{n:02d}": (fluor if f"MOB-{n:02d}" in FLUOR_ITEMS else client) for n in range(1, 29)}
    services.deliverables_seed(alliance, owners=owners)
    today = local_today()
    for d in Deliverable.objects.filter(alliance=alliance, from_table_7=True).select_related("alliance"):
        if d.status != DeliverableStatus.NOT_STARTED:
            continue
        if d.due_period in (DuePeriod.FOUR_WEEKS, DuePeriod.THREE_MONTHS) and d.due_on < today:
            if d.reference in NOT_YET_APPROVED:
                services.deliverable_start(actor=manager, deliverable=d)
                if NOT_YET_APPROVED[d.reference] == DeliverableStatus.SUBMITTED:
                    services.deliverable_submit(actor=manager, deliverable=d)
                continue
            _approved_on(d, manager, d.due_on + dt.timedelta(days=LATE.get(d.reference, -4)), today)
        elif d.reference in IN_PROGRESS_SIX_MONTHS:
            services.deliverable_start(actor=manager, deliverable=d)
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
    plan = services.mobilisation_plan_ensure(alliance=alliance)
    if plan.status == MobilisationPlanStatus.DRAFT:
        plan = services.mobilisation_plan_send(actor=manager, alliance=alliance)
    if plan.status == MobilisationPlanStatus.IN_REVIEW:
        for partner in Organisation.objects.filter(alliance=alliance, kind=OrganisationKind.PARTNER):
            reviewer = Person.objects.filter(username=f"{partner.slug}-rep").first()
            if reviewer is not None:
                services.mobilisation_plan_review(actor=reviewer, alliance=alliance,
                                                  verdict=PlanReviewVerdict.APPROVED)
        services.mobilisation_plan_baseline(actor=manager, alliance=alliance)
        reference, days = SLIPPED
        d = Deliverable.objects.filter(alliance=alliance, reference=reference).first()
        if d is not None and d.baseline_due_on == d.due_on:
            services.deliverable_update(actor=manager, deliverable=d, due_period=DuePeriod.DATE,
                                        due_on=d.due_on + dt.timedelta(days=days),
                                        reason="Business Plan needs the Board's March meeting")
