"""Writes of membership changes (paras 95-98) and the transition plan (para 83).

A partner's termination is the client's act under the contract (para 19); recording it here, with the
reallocation of its work, is the SRO's or the Alliance Manager's step, and applying the reallocation is the
client's (the SRO's). A termination is first PROPOSED with one ``Reallocation`` per scheme lot the partner is
responsible for, reviewed on its page, then APPLIED (or WITHDRAWN). Until it is applied the partner keeps its
work and the allocation mechanism (allocation.selectors.packages.routing) still routes work to it.

Where the work goes (para 96):
- a design partner's (Lot 2) work → the remaining design partner;
- an on-site partner's (Lot 3) work → the two remaining on-site partners: "put through the initial work
  allocation mechanism ... using Lot 2's geographical region split and the tolerance of 40% - 60%". Each
  scheme is first routed by its region's Lot 2 area (the more northern remaining partner takes North), then
  the lot is balanced with ``allocation.balancing.balance`` at 40-60% on the construction element. What counts
  besides the moving schemes: the two partners' current allocations of awarded schemes in the tolerance
  base (packages notified since the last newly procured partner, para 98). Only the terminated partner's
  schemes move; the others' work stays (para 96: "Non-terminated Partners will keep their existing work");
- the PMP's (Lot 1) work → the client (para 96).
The same routing serves any lot: a partner responsible for another lot's work after an optimisation hands it
to that lot's remaining partner(s).

Applying sets both the initial and the current Responsible Partner to the new one: the work went "through the
initial work allocation mechanism" again (para 96), so the new allocation is the initial one that future
tolerance calculations use (para 87, last bullet).

A newly procured partner (para 98), created beforehand by an administrator as an Organisation of the lot and
area it was procured for, is recorded and applied at once: it resets the tolerance base (earlier packages no
longer count, allocation.selectors.packages.tolerance_base_date) and, since it takes work again, the routing
returns to the original regions. Both kinds raise the Performance Table update of para 224.

The membership change's one workflow table is ``MEMBERSHIP_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.models import (
    Alliance,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Role,
)
from alliance.permissions import alliance_id_of, own_alliance_id
from alliance.workflow import require, save_with_reason, step
from allocation.balancing import Item, balance
from allocation.models import (
    MembershipChange,
    MembershipChangeKind,
    MembershipChangeStatus,
    Reallocation,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.permissions import (
    ERR_MEMBERSHIP_NOT_RECORDER,
    can_apply_membership_change,
    can_record_membership_change,
    can_record_transition_plan,
)
from allocation.selectors.packages import (
    Routing,
    awarded_allocations,
    lot_partners,
    lot_value_field,
    routing,
    terminated_partner_ids,
    tolerance_band,
)
from governance.models.commitments import PerformanceTableReason
from governance.selectors.instructions import role_holder
from governance.services.board import board_seats_sync
from governance.services.performance_table import performance_table_trigger_record

if TYPE_CHECKING:
    from alliance.models import Person


ERR_MEMBERSHIP_NOT_SRO = "Only the SRO can apply a reallocation for the client (paras 19, 96)."
ERR_MEMBERSHIP_NOT_AM = "Only the Alliance Manager can record the transition plan (para 83)."
ERR_MEMBERSHIP_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_MEMBERSHIP_NOT_A_PARTNER = "Choose a partner of the Alliance with a lot (and, for Lots 2 and 3, an area)."
ERR_MEMBERSHIP_ALREADY_TERMINATED = "{partner} has already been terminated."
ERR_MEMBERSHIP_NO_REMAINING = (
    "No other partner of Lot {lot} remains to take {partner}'s work: record the newly procured partner first "
    "(para 95)."
)
ERR_MEMBERSHIP_STEP = "This membership change is {status}: it cannot be {action}."
ERR_MEMBERSHIP_STALE = (
    "The allocation has changed since this reallocation was proposed: record the termination again to "
    "recompute it."
)
ERR_MEMBERSHIP_NOT_YET_EFFECTIVE = "The termination takes effect on {date}: apply the reallocation from then."
ERR_MEMBERSHIP_DATE_IN_FUTURE = "A newly procured partner is recorded from the day it joins, not before."
ERR_MEMBERSHIP_PLAN_DATE_IN_FUTURE = "The date the transition plan was delivered cannot be in the future."
ERR_MEMBERSHIP_REASON_REQUIRED = "Enter the reason."
ERR_MEMBERSHIP_TERMINATED_NOT_NEW = "{partner} was terminated: a newly procured partner is a new organisation."
ERR_MEMBERSHIP_ALREADY_NEW = "{partner} is already recorded as a newly procured partner."
ERR_MEMBERSHIP_AREA_TAKEN = "{other} still holds Lot {lot}{area}: the new partner has no vacancy to fill."
ERR_MEMBERSHIP_TRANSITION_PLAN_MET = "The transition plan has already been recorded as delivered."
ERR_MEMBERSHIP_BEFORE_JOINING = "{partner} joined the Alliance on {date}: its termination takes effect after that."

# The workflow, one table: step -> (the statuses it may be taken from, the status it leads to).
MEMBERSHIP_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "repropose": (frozenset({MembershipChangeStatus.PROPOSED}), MembershipChangeStatus.PROPOSED),
    "apply": (frozenset({MembershipChangeStatus.PROPOSED}), MembershipChangeStatus.APPLIED),
    "withdraw": (frozenset({MembershipChangeStatus.PROPOSED}), MembershipChangeStatus.WITHDRAWN),
}
_STEP_ACTIONS = {"repropose": "proposed again", "apply": "applied", "withdraw": "withdrawn"}
# Para 83: the transition plan within three months of the Alliance Start Date.
TRANSITION_PLAN_MONTHS = 3


# --- Helpers ---------------------------------------------------------------------------------------------


def _step(change: MembershipChange, name: str) -> None:
    step(change, MEMBERSHIP_STEPS, ERR_MEMBERSHIP_STEP, name, _STEP_ACTIONS[name])


def _locked_for(actor: Person, change: MembershipChange) -> MembershipChange:
    require(alliance_id_of(actor) == change.alliance_id, ERR_MEMBERSHIP_OTHER_ALLIANCE)
    return MembershipChange.objects.select_for_update(of=("self",)).select_related("organisation", "alliance").get(
        pk=change.pk)


def _partner_of(actor: Person, organisation: Organisation) -> tuple[Organisation, int]:
    """The partner, re-read under a lock (two recordings for the same partner at once are serialised), and its
    lot's number."""
    require(organisation.alliance_id == alliance_id_of(actor), ERR_MEMBERSHIP_OTHER_ALLIANCE)
    organisation = Organisation.objects.select_for_update(of=("self",)).select_related("lot").get(pk=organisation.pk)
    lot = organisation.lot.number if organisation.lot is not None else None
    if organisation.kind != OrganisationKind.PARTNER or lot is None or (lot in (2, 3) and not organisation.area):
        raise ValidationError({"organisation": [ERR_MEMBERSHIP_NOT_A_PARTNER]})
    return organisation, lot


def _set_membership(partner: Organisation, actor: Person | None, reason: str, **dates: dt.date | None) -> None:
    """Write the partner's membership dates, which its seat on the Alliance Board follows (paras 12, 95-98;
    governance.selectors.voting_organisations), then bring the open decisions' vote obligations in line: a
    termination effective today or earlier cancels them now, a later one on its day (the daily sweep)."""
    for field, value in dates.items():
        setattr(partner, field, value)
    save_with_reason(partner, actor, reason, update_fields=list(dates))
    board_seats_sync(actor=actor, alliance_id=partner.alliance_id)


def _current_allocations(partner: Organisation):
    """Every scheme lot the partner is the current Responsible Partner for, cancelled schemes aside."""
    return (SchemeAllocation.objects.filter(current_partner=partner, scheme__alliance_id=partner.alliance_id)
            .exclude(scheme__status=SchemeStatus.CANCELLED)
            .select_related("scheme", "scheme__region").order_by("lot", "scheme__code"))


def _proposed_reallocations(partner: Organisation) -> list[tuple[SchemeAllocation, Organisation]]:
    """Where each of the partner's scheme lots would go if it were terminated now (para 96)."""
    alliance_id = partner.alliance_id
    terminated = terminated_partner_ids(alliance_id) | {partner.pk}
    route = routing(alliance_id)
    remaining = {lot: lot_partners(alliance_id, lot, terminated=terminated) for lot in (2, 3)}
    remaining_pmp = route.lot1 if route.lot1.pk != partner.pk else None
    by_lot: dict[int, list[SchemeAllocation]] = defaultdict(list)
    for allocation in _current_allocations(partner):
        by_lot[allocation.lot].append(allocation)
    proposals: list[tuple[SchemeAllocation, Organisation]] = []
    for lot, allocations in sorted(by_lot.items()):
        if lot == 1:
            # A terminated PMP: the client covers its role (para 96).
            to = remaining_pmp or Organisation.objects.get(alliance_id=alliance_id, kind=OrganisationKind.CLIENT)
            proposals.extend((a, to) for a in allocations)
            continue
        partners = remaining[lot]
        if not partners:
            raise ValidationError(ERR_MEMBERSHIP_NO_REMAINING.format(lot=lot, partner=partner.name))
        proposals.extend(_route_and_balance(alliance_id, lot, allocations, partners))
    return proposals


def _route_and_balance(alliance_id: int, lot: int, allocations: list[SchemeAllocation],
                       partners: list[Organisation]) -> list[tuple[SchemeAllocation, Organisation]]:
    """Route each scheme by region, then balance the lot at its tolerance moving only these schemes."""
    # The routing of the remaining partners only: with two on-site partners left, Lot 2's North/South split,
    # the more northern taking North (para 96); with one left, all of it.
    route = Routing(lot1=partners[0], lot2=partners if lot == 2 else [], lot3=partners if lot == 3 else [])
    routed = {a.scheme_id: route.partner_for(lot, a.scheme.region) for a in allocations}
    if len(partners) < 2:
        return [(a, routed[a.scheme_id]) for a in allocations]
    field = lot_value_field(lot)
    by_slug = {p.slug: p for p in partners}
    items = [Item(a.scheme_id, getattr(a.scheme, field), routed[a.scheme_id].slug) for a in allocations]
    moving = {a.scheme_id for a in allocations}
    # What else counts: the remaining partners' awarded work in the tolerance base, by its INITIAL partner as
    # every tolerance calculation counts it (para 87, last bullet; allocation.selectors.awarded_allocations).
    others = (awarded_allocations(alliance_id, lot).filter(initial_partner__in=partners)
              .exclude(scheme_id__in=moving).select_related("initial_partner"))
    items += [Item(a.scheme_id, getattr(a.scheme, field), a.initial_partner.slug, awarded=True) for a in others]
    # Two on-site partners remaining: 40-60% (para 96); three (another lot's partner terminated): 25-40%.
    lower, upper = tolerance_band(lot, len(partners))
    result = balance(items, [p.slug for p in partners], lower, upper)
    return [(a, by_slug[result.allocation[a.scheme_id]]) for a in allocations]


# --- Termination ------------------------------------------------------------------------------------------


@transaction.atomic
def membership_termination_record(
    *, actor: Person, organisation: Organisation, effective_on: dt.date, reason: str = "",
) -> MembershipChange:
    """Record a partner's termination and propose the reallocation of its work (paras 95-96).

    Proposing again while a proposal for the same partner is open recomputes it (the allocation may have
    changed meanwhile) and updates its date and reason.
    """
    require(can_record_membership_change(actor), ERR_MEMBERSHIP_NOT_RECORDER)
    partner, _ = _partner_of(actor, organisation)
    if partner.pk in terminated_partner_ids(partner.alliance_id):
        raise ValidationError({"organisation": [ERR_MEMBERSHIP_ALREADY_TERMINATED.format(partner=partner.name)]})
    if partner.member_since is not None and effective_on <= partner.member_since:
        raise ValidationError({"effective_on": [ERR_MEMBERSHIP_BEFORE_JOINING.format(
            partner=partner.name, date=f"{partner.member_since:%-d %B %Y}")]})
    proposals = _proposed_reallocations(partner)
    change = MembershipChange.objects.select_for_update().filter(
        alliance_id=partner.alliance_id, organisation=partner, kind=MembershipChangeKind.TERMINATION,
        status=MembershipChangeStatus.PROPOSED,
    ).first()
    if change is None:
        change = MembershipChange(alliance_id=partner.alliance_id, organisation=partner,
                                  kind=MembershipChangeKind.TERMINATION, recorded_by=actor)
        history = "Termination recorded; reallocation proposed"
    else:
        _step(change, "repropose")
        change.reallocations.all().delete()
        history = "Reallocation proposed again"
    change.effective_on, change.reason = effective_on, reason.strip()
    save_with_reason(change, actor, history)
    Reallocation.objects.bulk_create([
        Reallocation(membership_change=change, scheme_id=a.scheme_id, lot=a.lot, from_partner=partner, to_partner=to)
        for a, to in proposals
    ])
    # The termination is the client's act (para 19): the partner's seat on the Board ends on its effective date
    # whether or not the reallocation of its work has been applied yet (paras 12, 95); withdrawing restores it.
    _set_membership(partner, actor, f"Termination recorded, effective {effective_on:%-d %B %Y} (paras 95-96)",
                    member_until=effective_on)
    return change


@transaction.atomic
def membership_change_apply(*, actor: Person, change: MembershipChange) -> MembershipChange:
    """The client (the SRO) applies a proposed termination's reallocation (para 96)."""
    require(can_apply_membership_change(actor), ERR_MEMBERSHIP_NOT_SRO)
    change = _locked_for(actor, change)
    _step(change, "apply")
    if change.effective_on > local_today():
        raise ValidationError(ERR_MEMBERSHIP_NOT_YET_EFFECTIVE.format(date=f"{change.effective_on:%-d %B %Y}"))
    reallocations = list(change.reallocations.select_related("to_partner"))
    # Lock the partner's allocations: an allocation run or business case changing them meanwhile would make
    # the reviewed proposal wrong; we refuse rather than apply a stale one.
    current = {(a.scheme_id, a.lot): a for a in SchemeAllocation.objects.select_for_update().filter(
        current_partner=change.organisation, scheme__alliance_id=change.alliance_id,
    ).exclude(scheme__status=SchemeStatus.CANCELLED)}
    terminated = terminated_partner_ids(change.alliance_id)
    if (set(current) != {(r.scheme_id, r.lot) for r in reallocations}
            or any(r.to_partner_id in terminated for r in reallocations)):
        raise ValidationError(ERR_MEMBERSHIP_STALE)
    for r in reallocations:
        allocation = current[(r.scheme_id, r.lot)]
        # Both: the work went through the initial allocation mechanism again (para 96), so the new partner is
        # the initial Responsible Partner that future tolerance calculations use (para 87, last bullet).
        allocation.initial_partner = allocation.current_partner = r.to_partner
        save_with_reason(allocation, actor, f"Reallocated on the termination of {change.organisation.name} (para 96)",
                         update_fields=["initial_partner", "current_partner"])
    change.applied_by, change.applied_at = actor, timezone.now()
    save_with_reason(change, actor, "Reallocation applied")
    # The seat ended on the effective date (set when the termination was recorded); the Board duties follow now.
    board_seats_sync(actor=actor, alliance_id=change.alliance_id)
    performance_table_trigger_record(
        actor=actor, alliance=change.alliance, reason=PerformanceTableReason.TERMINATION,
        occurred_on=change.effective_on,
        description=f"Termination of {change.organisation.name}: {len(reallocations)} scheme lot(s) reallocated",
        by_workflow=True,
    )
    return change


@transaction.atomic
def membership_change_withdraw(*, actor: Person, change: MembershipChange, reason: str) -> MembershipChange:
    """A proposed termination not going ahead: nothing is reallocated."""
    require(can_record_membership_change(actor), ERR_MEMBERSHIP_NOT_RECORDER)
    if not reason.strip():
        raise ValidationError({"reason": [ERR_MEMBERSHIP_REASON_REQUIRED]})
    change = _locked_for(actor, change)
    _step(change, "withdraw")
    save_with_reason(change, actor, f"Withdrawn: {reason.strip()}")
    if change.kind == MembershipChangeKind.TERMINATION:
        # Not going ahead: the partner keeps its seat on the Board, and is asked again for its open votes.
        partner = Organisation.objects.select_for_update(of=("self",)).get(pk=change.organisation_id)
        _set_membership(partner, actor, "Termination withdrawn: the partner remains a member", member_until=None)
    return change


# --- A newly procured partner -----------------------------------------------------------------------------


@transaction.atomic
def membership_new_partner_record(
    *, actor: Person, organisation: Organisation, effective_on: dt.date, reason: str = "",
) -> MembershipChange:
    """Record a newly procured partner (para 98), applied at once: from ``effective_on`` earlier packages no
    longer count towards tolerance, and the original regions apply again as the partner takes work."""
    require(can_record_membership_change(actor), ERR_MEMBERSHIP_NOT_RECORDER)
    partner, lot = _partner_of(actor, organisation)
    if effective_on > local_today():
        raise ValidationError({"effective_on": [ERR_MEMBERSHIP_DATE_IN_FUTURE]})
    alliance_id = partner.alliance_id
    terminated = terminated_partner_ids(alliance_id)
    if partner.pk in terminated or partner.member_until is not None:
        raise ValidationError({"organisation": [ERR_MEMBERSHIP_TERMINATED_NOT_NEW.format(partner=partner.name)]})
    if MembershipChange.objects.filter(organisation=partner, kind=MembershipChangeKind.NEW_PARTNER,
                                       status=MembershipChangeStatus.APPLIED).exists():
        raise ValidationError({"organisation": [ERR_MEMBERSHIP_ALREADY_NEW.format(partner=partner.name)]})
    for other in lot_partners(alliance_id, lot, terminated=terminated):
        if other.pk != partner.pk and (lot == 1 or other.area == partner.area):
            area = f" {partner.get_area_display()}" if lot != 1 else ""
            raise ValidationError({"organisation": [ERR_MEMBERSHIP_AREA_TAKEN.format(other=other.name, lot=lot,
                                                                                      area=area)]})
    change = MembershipChange(
        alliance_id=alliance_id, organisation=partner, kind=MembershipChangeKind.NEW_PARTNER,
        effective_on=effective_on, reason=reason.strip(), status=MembershipChangeStatus.APPLIED,
        recorded_by=actor, applied_by=actor, applied_at=timezone.now(),
    )
    save_with_reason(change, actor, "Newly procured partner recorded: tolerances reset, original regions restored")
    # Its seat on the Board from its start date (para 98), with the open decisions' votes asked of it.
    _set_membership(partner, actor, f"Joined the Alliance on {effective_on:%-d %B %Y} (para 98)",
                    member_since=effective_on)
    performance_table_trigger_record(
        actor=actor, alliance=partner.alliance, reason=PerformanceTableReason.MEMBERSHIP_CHANGE,
        occurred_on=effective_on, description=f"{partner.name} joins the Alliance (Lot {lot})", by_workflow=True,
    )
    return change


# --- The transition plan (para 83) ------------------------------------------------------------------------


@transaction.atomic
def transition_plan_obligation_open(alliance: Alliance) -> Obligation:
    """The Alliance's transition plan for schemes transitioning part-way through the PCF process, due within
    three months of the Alliance Start Date (para 83). Idempotent: an existing transition plan obligation of
    the alliance (the core demo seeds one) is the one."""
    # Lock the alliance row: two callers at once must not both open one.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    existing = Obligation.objects.filter(alliance=alliance, kind=ObligationKind.TRANSITION_PLAN).order_by("pk").first()
    if existing is not None:
        return existing
    return alliance_services.obligation_open(
        actor=None, alliance=alliance, kind=ObligationKind.TRANSITION_PLAN,
        title="Transition plan for schemes in progress", start_date=alliance.start_date,
        months=TRANSITION_PLAN_MONTHS, paragraph="para 83",
        responsible_person=role_holder(alliance.pk, Role.ALLIANCE_MANAGER), by_workflow=True,
    )


@transaction.atomic
def transition_plan_deliver(*, actor: Person, on: dt.date | None = None) -> Obligation:
    """The Alliance Manager records the transition plan as delivered: its obligation is met (para 83)."""
    require(can_record_transition_plan(actor), ERR_MEMBERSHIP_NOT_AM)
    on = on or local_today()
    if on > local_today():
        raise ValidationError({"on": [ERR_MEMBERSHIP_PLAN_DATE_IN_FUTURE]})
    obligation = transition_plan_obligation_open(Alliance.objects.get(pk=own_alliance_id(actor)))
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(ERR_MEMBERSHIP_TRANSITION_PLAN_MET)
    return alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(on, obligation.start_date),
                                             reason="Transition plan delivered", by_workflow=True)
