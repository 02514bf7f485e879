"""Demo records of the supply chain; ``seed_demo`` is what alliance.demo discovers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from alliance import services as alliance_services
from alliance import services as core
from alliance.dates import add_months, add_period, local_today
from alliance.models import Alliance, Obligation, ObligationKind, ObligationStatus, Person
from alliance.workflow import save_with_reason
from allocation.models import Scheme
from governance.demo import seed_matrix
from governance.services import board as governance_services
from performance import periods
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import (
    DocumentKind,
    EscalationTarget,
    ManagementPlan,
    Risk,
    RiskAction,
    RiskEscalation,
    RiskUpdate,
    Segment,
    StrategyDocument,
    Supplier,
)
from supplychain.services import documents as document_services
from supplychain.services import plans as plan_services
from supplychain.services import suppliers as supplier_services
from supplychain.services.risks import RISK_NO_CHANGE_NOTE, RISK_PARAGRAPH

# --- Documents ----------------------------------------------------------------------------------------------
# Demo strategy documents: an accepted first Supply Chain Strategy (it meets the core demo's six-month clock,
# which it becomes the subject of), a draft industrial plan, and a Collaborative Procurement Hub plan with the Board.
# Idempotent: a kind that already has a version is left alone. Built through the services.

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]

STRATEGY_TEXT = {
    "objective-safety": "Safety, health and wellbeing come first in every sourcing decision: suppliers are selected "
                        "on their safety record and culture, and every tender is scored on how the supplier designs "
                        "safety into its work.",
    "objective-value": "Value for money at a fair and appropriate cost: we buy on whole life cost and quality, and "
                       "ask for zero defects at handover through clear specifications and supplier quality plans.",
    "objective-compliance": "Every procurement follows the relevant legislation, Procurement Policy Notes and the "
                            "Alliance and client governance; the Collaborative Procurement Hub keeps the audit trail.",
    "objective-relationships": "Long term relationships with key suppliers through framework agreements of up to "
                               "five years, with joint objectives and annual relationship reviews.",
    "objective-value-creation": "Savings are measured as value created (programme certainty, carbon, social value) "
                                "rather than price reduction alone.",
    "objective-fairness": "Opportunities are advertised on Contracts Finder, evaluated against published criteria and "
                          "debriefed openly.",
    "objective-sustainability": "Responsible sourcing of timber, steel and aggregates; a carbon baseline for each "
                                "category; the Prompt Payment commitments of the Project Bank Account.",
    "objective-risk": "A supplier risk register, monitored monthly, with dual sourcing for critical categories and "
                      "financial health checks on key suppliers.",
    "principle-1-leadership": "An integrated Alliance Supply Chain team in the Production Hub acts as an intelligent "
                              "client, working to ISO 44001.",
    "principle-2-safety": "Safety performance is a pass or fail criterion of accreditation; supplier safety "
                          "leadership days twice a year.",
    "principle-3-market": "Quarterly meet the buyer events in each region, an annual industry day and shared "
                          "market intelligence with the client.",
    "principle-4-sourcing": "An annual procurement pipeline published each April; category strategies for "
                            "structures, surfacing, drainage and technology; aggregated demand across partners.",
    "principle-5-agreements": "Client and CCS supply agreements are used by default; alternatives only through a "
                              "business case accepted by the client.",
    "principle-6-sustainable": "Ethical sourcing, equality and diversity, environmental management, prompt payment "
                               "through the Project Bank Account, regional investment, UK steel guidance.",
    "principle-7-contracting": "Fair flow down of main contract terms, no retentions, collateral warranties from "
                               "manufacturers.",
    "principle-8-collaboration": "An Alliance Supply Chain charter, joint objectives and lean interfaces; early "
                                 "supplier involvement paid by business case when it lasts.",
    "principle-9-suppliers": "Accreditation, induction, key and commodity relationship plans, 360° reviews each "
                             "quarter.",
}
INDUSTRIAL_TEXT = {
    "stakeholder-needs": "Regional stakeholders want local employment, apprenticeships and SME access to the "
                         "programme.",
    "regional-sourcing": "Regional lots for surfacing and drainage so that spend stays in each region.",
}
HUB_TEXT = {
    "composition": "A hub lead from the Production Management Partner, four category managers (one per partner "
                   "group) and a client procurement lead.",
    "specialists": "Procurement, logistics and supply chain specialists seconded from the client and each partner.",
    "delivery": "The hub runs the pipeline, the category strategies and supplier management for the Alliance.",
    "partner-accountability": "Partners contract with the supply chain and answer for compliance with the "
                              "strategy (para 131).",
}


def _person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def _drafted(actor: Person, alliance: Alliance, kind: str, title: str, texts: dict[str, str]) -> StrategyDocument:
    document = document_services.document_draft(actor=actor, alliance=alliance, kind=kind)
    return document_services.document_edit(actor=actor, document=document, title=title,
                                  horizon_from=alliance.start_date.year, sections=texts)


def _seed_strategy(alliance: Alliance) -> None:
    team, sro = _person("fluor-staff"), _person("sro")
    document = _drafted(team, alliance, DocumentKind.STRATEGY, "SMP Alliance Supply Chain Strategy", STRATEGY_TEXT)
    # The core demo opened the six-month clock with no subject: it becomes this document's (para 108).
    clock = Obligation.objects.filter(alliance=alliance, kind=ObligationKind.SUPPLY_CHAIN_STRATEGY,
                                      status=ObligationStatus.OPEN, subject_id=None).first()
    if clock is not None:
        alliance_services.obligation_attach(actor=team, obligation=clock, subject=document)
    decision = document_services.document_submit(actor=team, document=document)
    for username in VOTERS:
        governance_services.vote_cast(actor=_person(username), decision=decision, choice="for")
    governance_services.decision_close(actor=sro, decision=decision)
    document.refresh_from_db()
    document_services.document_accept(actor=sro, document=document)


@transaction.atomic
def seed_documents(alliance: Alliance) -> None:
    seed_matrix(alliance)
    existing = set(StrategyDocument.objects.filter(alliance=alliance).values_list("kind", flat=True))
    if DocumentKind.STRATEGY not in existing:
        _seed_strategy(alliance)
    if DocumentKind.INDUSTRIAL_PLAN not in existing:
        _drafted(_person("fluor-staff"), alliance, DocumentKind.INDUSTRIAL_PLAN, "SMP Alliance industrial plan",
                 INDUSTRIAL_TEXT)
    if DocumentKind.PROCUREMENT_HUB_PLAN not in existing:
        manager = _person("alliance-manager")
        document = _drafted(manager, alliance, DocumentKind.PROCUREMENT_HUB_PLAN,
                            "Collaborative Procurement Hub plan", HUB_TEXT)
        document_services.document_submit(actor=manager, document=document)


# --- Plans --------------------------------------------------------------------------------------------------
# Demo Supply Chain Management Plans: Fluor's accepted (its six-month clock and the alliance's first one attached),
# Costain's returned naming what it misses, Jacobs' submitted and complete, WSP with nothing yet. Idempotent.

def _text(organisation: str, item: str) -> str:
    return f"{organisation}'s approach to {item[0].lower()}{item[1:]}: owners, procedures and how it is reported."


def _complete(name: str) -> dict[str, str]:
    return {code: _text(name, text) for code, text in MANAGEMENT_PLAN_CHECKLIST}


def seed_plans(alliance: Alliance) -> None:
    if ManagementPlan.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.get(username="alliance-manager")
    staff = {p.organisation.slug: p for p in Person.objects.filter(username__endswith="-staff").select_related("organisation")}

    fluor = plan_services.plan_draft(actor=staff["fluor"], sections=_complete("Fluor"))
    plan_services.plan_submit(actor=staff["fluor"], plan=fluor)
    plan_services.plan_accept(actor=manager, plan=fluor)

    partial = dict(list(_complete("Costain").items())[:14])
    costain = plan_services.plan_draft(actor=staff["costain"], sections=partial)
    plan_services.plan_submit(actor=staff["costain"], plan=costain)
    plan_services.plan_return(actor=manager, plan=costain, comments="Please add the tender management process, steel, "
                         "and the Project Bank Account details.")

    jacobs = plan_services.plan_draft(actor=staff["jacobs"], sections=_complete("Jacobs"))
    plan_services.plan_submit(actor=staff["jacobs"], plan=jacobs)


# --- Suppliers ----------------------------------------------------------------------------------------------
# Demo suppliers (para 128): twelve on the register, some SME or VCSE, one whose accreditation has expired and
# one that failed a criterion; 360° reviews over the last two quarters; spend on the first demo schemes (when
# allocation's demo has seeded schemes); and this year's procurement pipeline (para 123). Idempotent (skipped once
# the alliance has a supplier). Everything goes through the services, as the supply chain team would.

# (name, category, segment, SME, VCSE, relationship owner, accreditation: None, "current", "expired" or "failed")
SUPPLIERS = [
    ("Northern Traffic Management Ltd", "Traffic management", Segment.KEY, True, False, "fluor-staff", "current"),
    ("Pennine Surfacing Ltd", "Surfacing", Segment.KEY, False, False, "fluor-delegate", "current"),
    ("Highway Barrier Systems plc", "Vehicle restraint systems", Segment.KEY, False, False, "fluor-rep", "current"),
    ("Mersey Drainage Services Ltd", "Drainage", Segment.COMMODITY, True, False, "jacobs-staff", "current"),
    ("Signal & Detect Ltd", "Technology", Segment.KEY, True, False, "wsp-staff", "current"),
    ("Green Verge Landscapes CIC", "Landscaping", Segment.COMMODITY, True, True, "costain-staff", "current"),
    ("Roadside Skills Trust", "Training", Segment.COMMODITY, False, True, "alliance-manager", "current"),
    ("Midland Lining Co Ltd", "Road markings", Segment.COMMODITY, True, False, "bam-msjv-staff", "expired"),
    ("Concrete Products UK Ltd", "Precast concrete", Segment.COMMODITY, False, False, "balfour-beatty-staff",
     "current"),
    ("Eastern Fencing Ltd", "Fencing", Segment.COMMODITY, True, False, None, "failed"),
    ("Gantry Steel Fabrications Ltd", "Steel", Segment.KEY, False, False, "fluor-staff", None),
    ("Lighting Maintenance Partners Ltd", "Street lighting", Segment.COMMODITY, True, False, None, "current"),
]
REVIEWERS = ["alliance-manager", "fluor-staff", "fluor-delegate"]
# (title, category, value, route, months after 1 January for the advert, months from advert to award)
PIPELINE = [
    ("Traffic management framework 2027-2031", "Traffic management", "12000000", "Open tender", 1, 4),
    ("Emergency area surfacing lots", "Surfacing", "4500000", "Framework call-off", 3, 2),
    ("Stopped vehicle detection supply", "Technology", "3200000", "CCS agreement", 4, 3),
    ("Landscape and biodiversity works", "Landscaping", "650000", "Open tender (SME lots)", 6, 2),
    ("Drainage survey and repair", "Drainage", "900000", "Framework call-off", 8, 2),
]


def _people() -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation__lot")}


def _add_months(day: dt.date, months: int) -> dt.date:
    return add_period(day, months=months)


def seed_suppliers(alliance: Alliance) -> None:
    if Supplier.objects.filter(alliance=alliance).exists():
        return
    people = _people()
    manager = people["alliance-manager"]
    today = local_today()
    suppliers = {}
    for name, category, segment, sme, vcse, owner, accreditation in SUPPLIERS:
        supplier = supplier_services.supplier_register(
            actor=manager, name=name, category=category, segment=segment, is_sme=sme, is_vcse=vcse,
            inducted_on=today - dt.timedelta(days=60) if accreditation == "current" else None,
            relationship_owner=people.get(owner) if owner else None)
        suppliers[name] = supplier
        if accreditation == "expired":
            supplier_services.accreditation_record(
                actor=manager, supplier=supplier, assessed_on=today - dt.timedelta(days=400),
                expires_on=today - dt.timedelta(days=35), safety_performance=True, financial_standing=True,
                capacity_and_capability=True, management_systems=True, resilience=True,
                notes="Renewal overdue: the supplier has not returned its updated financial statements.")
        elif accreditation is not None:
            passed = accreditation == "current"
            supplier_services.accreditation_record(
                actor=manager, supplier=supplier, assessed_on=today - dt.timedelta(days=90),
                expires_on=today - dt.timedelta(days=90) + dt.timedelta(days=365), safety_performance=True,
                financial_standing=passed, capacity_and_capability=True, management_systems=True, resilience=True,
                notes="" if passed else "Financial standing below the threshold: reassess after the next accounts.")
    this_quarter = periods.containing(today)
    last_quarter = periods.previous(*this_quarter)
    quarters = [periods.label(*periods.previous(*last_quarter)), periods.label(*last_quarter)]
    for index, supplier in enumerate(list(suppliers.values())[:8]):
        for q, period in enumerate(quarters):
            for r, username in enumerate(REVIEWERS):
                score = max(0, min(10, 6 + (index + r) % 4 - (1 if q == 0 and index % 3 == 0 else 0)
                                   + (1 if q == 1 and index % 2 == 0 else 0)))
                supplier_services.review_record(actor=people[username], supplier=supplier, period=period, score=score,
                                       comments="Responsive and safe on site." if score >= 7 else
                                       "Late paperwork on two occasions; agreed an action plan.")
    schemes = list(Scheme.objects.filter(alliance=alliance).order_by("code")[:4])
    if schemes:
        rows = []
        for s, scheme in enumerate(schemes):
            for q, period in enumerate(quarters):
                for i, supplier in enumerate(list(suppliers.values())[:9]):
                    amount = Decimal(20_000 + 7_500 * ((i * 3 + s + q) % 7))
                    rows.append({"supplier": supplier.name, "scheme": scheme.code, "period": period,
                                 "amount": str(amount)})
        supplier_services.spend_record(actor=manager, rows=rows)
    year = today.year + 1 if today.month >= 10 else today.year
    january = dt.date(year, 1, 1)
    for title, category, value, route, advert_month, award_months in PIPELINE:
        advert_on = _add_months(january, advert_month)
        supplier_services.opportunity_add(actor=manager, title=title, category=category, value=Decimal(value), route=route,
                                 pipeline_year=year, advert_on=advert_on, award_on=_add_months(advert_on, award_months))
    supplier_services.pipeline_publish(actor=manager, year=year)


# --- Risks --------------------------------------------------------------------------------------------------
# Demo risk register (seed 002): fifteen risks across the 5×5 grid, raised over the last months with a monthly
# update each month, two of them stale (no update for more than a month), actions with owners and dates, one
# escalated to the Alliance Board. Each open risk's owner has the monthly-update obligation the services would
# have left. Idempotent: skipped once the alliance has any risk.
#
# The history is dated in the past, so the rows are written here directly (as the services would have left them)
# rather than through services, which always act today.

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


def _person_or(username: str, fallback: Person) -> Person:
    return Person.objects.filter(username=username).first() or fallback


@transaction.atomic
def seed_risks(alliance: Alliance) -> None:
    if Risk.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.filter(username="alliance-manager").first()
    if manager is None:
        return
    today = local_today()
    for number, (title, owner_name, likelihood, impact, strategy, months, stale_days, exposure) in enumerate(RISKS, 1):
        owner = _person_or(owner_name, manager)
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


def seed_demo(alliance: Alliance) -> None:
    seed_documents(alliance)
    seed_plans(alliance)
    seed_suppliers(alliance)
    seed_risks(alliance)
