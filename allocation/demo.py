"""Demo records of allocation, one section per workflow; ``seed_demo`` is what alliance.demo discovers. Each
step is idempotent."""

from __future__ import annotations

import datetime as dt

from alliance.dates import add_months, local_today
from alliance.models import Alliance, Person, Role
from allocation.models import (
    MinorChange,
    OptimisationBusinessCase,
    OptimisationStage,
    Package,
    PeriodicInstruction,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.packages import lot_partners
from allocation.services.business_cases import ProposedChange, business_case_draft
from allocation.services.membership import transition_plan_obligation_open
from allocation.services.minor_changes import minor_change_raise
from allocation.services.packages import package_allocate, package_award, package_register, schemes_add
from allocation.services.periodic import periodic_instruction_request
from governance.selectors.instructions import role_holder

# --- Packages -----------------------------------------------------------------------------------------------
# RIS1 awarded and balanced within tolerance, RIS2 proposed and allocated with moves in its trace. Skipped once
# any package exists. Values in pounds, design and construction elements.


RIS1 = [
    ("M6-J21A-26", "M6 J21a-26 all lane running", "smart_motorway", "north-west", 5, "1200000", "9000000"),
    ("M62-J10-12", "M62 J10-12 all lane running", "smart_motorway", "north-east", 5, "900000", "7000000"),
    ("M1-J13-16", "M1 J13-16 all lane running", "smart_motorway", "midlands", 6, "1000000", "8000000"),
    ("M11-J8-14", "M11 J8-14 technology upgrade", "technology_overlay", "east", 4, "1100000", "8500000"),
    ("M25-J10-16", "M25 J10-16 emergency areas", "smart_motorway", "south-east", 5, "1300000", "9500000"),
    ("M4-J3-12", "M4 J3-12 all lane running", "smart_motorway", "south-west", 6, "800000", "7500000"),
]
RIS2 = [
    ("M60-J24-4", "M60 J24-4 all lane running", "smart_motorway", "north-west", 3, "2000000", "14000000"),
    ("M56-J6-8", "M56 J6-8 emergency areas", "supporting_work", "north-west", 2, "400000", "3000000"),
    ("M18-J4-5", "M18 J4-5 stopped vehicle detection", "technology_overlay", "north-east", 2, "600000", "4500000"),
    ("A1-J48", "A1(M) J48 signalling overlay", "technology_overlay", "midlands", 1, "300000", "2000000"),
    ("M20-J3-5", "M20 J3-5 emergency areas", "supporting_work", "south-east", 2, "500000", "4000000"),
]
COLUMNS = ("code", "name", "scheme_type", "region", "pcf_stage", "design_value", "construction_value")


def seed_packages(alliance: Alliance) -> None:
    if Package.objects.filter(alliance=alliance).exists():
        return
    sro, manager = Person.objects.get(username="sro"), Person.objects.get(username="alliance-manager")
    today = local_today()
    ris1 = package_register(actor=sro, code="RIS1", name="Road Investment Strategy 1 and mobilisation",
                                     notified_on=today - dt.timedelta(days=100))
    schemes_add(actor=sro, package=ris1, rows=[dict(zip(COLUMNS, row, strict=True)) for row in RIS1])
    package_allocate(actor=manager, package=ris1)
    package_award(actor=sro, package=ris1, awarded_on=today - dt.timedelta(days=60))
    ris2 = package_register(actor=sro, code="RIS2", name="Road Investment Strategy 2",
                                     notified_on=today - dt.timedelta(days=10))
    schemes_add(actor=manager, package=ris2, rows=[dict(zip(COLUMNS, row, strict=True)) for row in RIS2])
    package_allocate(actor=manager, package=ris2)


# --- Optimisation -------------------------------------------------------------------------------------------
# A draft pre-award business case and a minor change awaiting agreement; nothing until the packages demo has
# allocated schemes.


CASE_TITLE = "Rebalance on-site assembly between neighbouring areas"
MINOR_DESCRIPTION = "Digital design support for the gantry foundations while the Responsible Partner keeps the design."


def seed_optimisation(alliance: Alliance) -> None:
    manager = role_holder(alliance.pk, Role.ALLIANCE_MANAGER)
    if manager is None:
        return
    allocations = SchemeAllocation.objects.filter(scheme__alliance=alliance).select_related("scheme", "current_partner")
    if not allocations.exists():
        return
    _business_case(alliance, manager, allocations)
    _minor_change(alliance, manager, allocations)


def _business_case(alliance, manager, allocations) -> None:
    if OptimisationBusinessCase.objects.filter(alliance=alliance, title=CASE_TITLE).exists():
        return
    on_site = lot_partners(alliance.pk, 3)
    allocation = allocations.filter(lot=3, scheme__status=SchemeStatus.PROPOSED).order_by("scheme__code").first()
    if allocation is None:
        return
    proposed = next((p for p in on_site if p.pk != allocation.current_partner_id), None)
    if proposed is None:
        return
    business_case_draft(
        actor=manager, title=CASE_TITLE, stage=OptimisationStage.PRE_AWARD_WITHIN_LOT,
        scope=f"Move the Lot 3 work of {allocation.scheme.code} from {allocation.current_partner} to {proposed}, "
              "whose gangs finish a neighbouring scheme in the same quarter (para 90, within a lot).",
        changes=[ProposedChange(scheme=allocation.scheme, lot=3, proposed_partner=proposed)],
        effect_on_time_days=-21, effect_on_safety="Fewer night-time lane closures: one traffic management set-up.",
        effect_on_customer="Shorter disruption on the corridor.", effect_on_ris_delivery="Completes a quarter earlier.",
        risks="Resource peak for the receiving partner in the spring.", criteria_met=False,
    )


def _minor_change(alliance, manager, allocations) -> None:
    if MinorChange.objects.filter(alliance=alliance, description=MINOR_DESCRIPTION).exists():
        return
    allocation = allocations.filter(lot=2).exclude(scheme__status=SchemeStatus.CANCELLED).order_by(
        "scheme__status", "scheme__code").first()  # awarded first
    if allocation is None:
        return
    supporter = next((p for p in lot_partners(alliance.pk, 2) if p.pk != allocation.current_partner_id), None)
    if supporter is None:
        return
    minor_change_raise(actor=manager, scheme=allocation.scheme, lot=2, supporting_partner=supporter,
                       description=MINOR_DESCRIPTION)


# --- Membership changes -------------------------------------------------------------------------------------
# Only the transition plan's obligation (para 83), which the core demo usually seeds already; no termination.


def seed_membership(alliance: Alliance) -> None:
    transition_plan_obligation_open(alliance)


# --- Periodic Instructions: one requested for the next quarter ------------------------------------------------


def _next_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = add_months(start, 3)
    return start, add_months(start, 3) - dt.timedelta(days=1)


def seed_periodic(alliance: Alliance) -> None:
    if PeriodicInstruction.objects.filter(alliance=alliance).exists():
        return
    sro = role_holder(alliance.pk, Role.SRO)
    if sro is None:
        return
    start, end = _next_quarter(local_today())
    periodic_instruction_request(
        actor=sro, period_start=start, period_end=end,
        scope="Production Management Partner work on the RIS2 smart motorway schemes at PCF stages 3 to 5: "
              "programme controls, commercial management and the Production Hub's core resources.",
    )


def seed_demo(alliance: Alliance) -> None:
    seed_packages(alliance)
    seed_optimisation(alliance)
    seed_membership(alliance)
    seed_periodic(alliance)
