"""Demo risk register (seed 002): fifteen risks across the 5×5 grid, raised over the last months with a monthly
update each month, two of them stale (no update for more than a month), actions with owners and dates, one
escalated to the Alliance Board. Each open risk's owner has the monthly-update obligation the services would
have left. Idempotent: skipped once the alliance has any risk.

The history is dated in the past, so the rows are written here directly (as the services would have left them)
rather than through services, which always act today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from alliance import services as core
from alliance.dates import add_months, local_today
from alliance.models import Alliance, ObligationKind, Person
from alliance.workflow import save_with_reason
from supplychain.models import EscalationTarget, Risk, RiskAction, RiskEscalation, RiskUpdate
from supplychain.services.risks import RISK_NO_CHANGE_NOTE, RISK_PARAGRAPH

# title, owner, likelihood, impact, strategy, months since raised, days since the last update (None: monthly,
# latest within the month), financial exposure
RISKS = [
    ("Steel supply shortfall for bridge decks", "fluor-rep", 4, 5, "treat", 6, None, "1250000"),
    ("Possession windows cancelled by the network operator", "jacobs-rep", 4, 4, "treat", 5, None, "600000"),
    ("Key design resource leaves the Production Hub", "wsp-rep", 3, 4, "tolerate", 4, None, None),
    ("Utility diversions discovered late on RIS1 schemes", "costain-rep", 3, 5, "transfer", 5, 45, "900000"),
    ("Inflation above the Target Cost indexation", "alliance-manager", 4, 3, "accept", 6, None, "2000000"),
    ("Ecology surveys miss the seasonal window", "bam-msjv-rep", 3, 3, "treat", 3, None, "150000"),
    ("Subcontractor insolvency in the commodity segment", "balfour-beatty-rep", 2, 5, "transfer", 4, None, "450000"),
    ("Digital common data environment outage", "fluor-staff", 2, 3, "tolerate", 3, 75, None),
    ("SME spend target missed", "fluor-delegate", 3, 2, "treat", 2, None, None),
    ("Late client instructions compress design time", "jacobs-staff", 2, 4, "accept", 4, None, None),
    ("Carbon reporting data incomplete", "wsp-staff", 2, 2, "tolerate", 2, None, None),
    ("Plant availability in the north west region", "costain-staff", 3, 1, "accept", 3, None, "50000"),
    ("Traffic management permits delayed", "bam-msjv-staff", 1, 4, "treat", 2, None, "80000"),
    ("Safety incident on a live carriageway", "balfour-beatty-staff", 1, 5, "treat", 6, None, None),
    ("Supplier accreditation backlog", "fluor-rep", 5, 2, "treat", 1, None, None),
]


def _person(username: str, fallback: Person) -> Person:
    return Person.objects.filter(username=username).first() or fallback


@transaction.atomic
def seed_demo(alliance: Alliance) -> None:
    if Risk.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.filter(username="alliance-manager").first()
    if manager is None:
        return
    today = local_today()
    for number, (title, owner_name, likelihood, impact, strategy, months, stale_days, exposure) in enumerate(RISKS, 1):
        owner = _person(owner_name, manager)
        raised_on = add_months(today, -months)
        # Updates every month since raised; the last one either within this month or ``stale_days`` ago.
        update_days = [add_months(raised_on, m) for m in range(1, months + 1)]
        update_days = [d for d in update_days if d < today]
        if stale_days is not None:
            last = today - dt.timedelta(days=stale_days)
            update_days = [d for d in update_days if d < last] + [last]
        elif not update_days or (today - update_days[-1]).days > 27:
            update_days.append(today - dt.timedelta(days=3))
        start_l, start_i = min(5, likelihood + 1), impact
        risk = Risk(alliance=alliance, reference=f"R-{number:03d}", title=title, owner=owner,
                    cause="Identified at the monthly risk workshop.", effect="Delay and cost to the programme.",
                    likelihood=start_l, impact=start_i, score=start_l * start_i, strategy=strategy,
                    financial_exposure=Decimal(exposure) if exposure else None, raised_by=owner,
                    raised_on=raised_on, last_updated_on=raised_on)
        save_with_reason(risk, owner, "Raised")
        for index, day in enumerate(update_days):
            final = index == len(update_days) - 1
            l_now, i_now = (likelihood, impact) if final else (start_l, start_i)
            no_change = (l_now, i_now) == (risk.likelihood, risk.impact)
            update = RiskUpdate(risk=risk, updated_on=day, likelihood=l_now, impact=i_now, no_change=no_change,
                                note=RISK_NO_CHANGE_NOTE if no_change else "Mitigation is working; likelihood reduced.",
                                updated_by=owner)
            save_with_reason(update, owner, "Monthly update")
            risk.likelihood, risk.impact, risk.score, risk.last_updated_on = l_now, i_now, l_now * i_now, day
        save_with_reason(risk, owner, "Monthly update")
        core.obligation_open(actor=owner, alliance=alliance, kind=ObligationKind.RISK_UPDATE,
                             title=f"Monthly update of {risk.reference}", paragraph=RISK_PARAGRAPH,
                             start_date=risk.last_updated_on, months=1, subject=risk, responsible_person=owner)
        if number <= 6:
            action = RiskAction(risk=risk, description="Agree a mitigation plan with the supply chain team.",
                                owner=owner, due_on=add_months(raised_on, 1), done_on=add_months(raised_on, 1),
                                progress="Plan agreed at the risk workshop.")
            save_with_reason(action, owner, "Done")
            action = RiskAction(risk=risk, description="Report progress to the Alliance Management Team.",
                                owner=owner, due_on=today + dt.timedelta(days=14 * number),
                                progress="On track." if number % 2 else "")
            save_with_reason(action, owner, "Added")
        if number == 1:
            escalation = RiskEscalation(
                risk=risk, target=EscalationTarget.BOARD, escalated_by=manager, escalated_on=add_months(today, -1),
                reason="Exposure above £1m: the Board decides whether to fund a second steel supplier.")
            save_with_reason(escalation, manager, "Escalated to The Alliance Board")
