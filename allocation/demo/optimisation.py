"""Demo records of optimisation: a draft pre-award business case and a minor change awaiting agreement.
Idempotent; does nothing until the packages demo has allocated schemes."""

from __future__ import annotations

from alliance.models import Alliance, Role
from allocation.models import (
    MinorChange,
    OptimisationBusinessCase,
    OptimisationStage,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.packages import lot_partners
from allocation.services.business_cases import ProposedChange, business_case_draft
from allocation.services.minor_changes import minor_change_raise
from governance.selectors.instructions import role_holder

CASE_TITLE = "Rebalance on-site assembly between neighbouring areas"
MINOR_DESCRIPTION = "Digital design support for the gantry foundations while the Responsible Partner keeps the design."


def seed_demo(alliance: Alliance) -> None:
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
