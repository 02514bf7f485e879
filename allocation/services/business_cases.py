"""Writes of optimisation business cases (paras 90-94, 101). docs/domain.md section 4.

An **optimisation business case** (Annex D is not in the seeds; its fields are docs/domain.md's reading) is drafted
by the Alliance Manager, pre-award (within a lot or across lots, para 90: proposed schemes only) or post-award
as a major change (para 101: awarded schemes only, with the change to the Lump Sum Fees). It reaches the Board
only when its criteria are marked met (para 92, first bullet); the Board's decision is of the matrix type
``optimisation-business-case``; approved, it goes to the client (the SRO), whose approval changes each line's
*current* Responsible Partner, never the initial one (para 87, last bullet). Any of the three conditions not
met and "the initial allocation will stand" (para 93): the case is closed as not approved and nothing in the
allocation moves. While it is a draft the Alliance Manager may withdraw it.

The workflow's one table of steps is ``BUSINESS_CASE_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.models import Organisation, Role
from alliance.money import pounds
from alliance.permissions import alliance_id_of, own_alliance_id
from alliance.workflow import require, save_with_reason, step
from allocation import permissions
from allocation.models import (
    LOTS,
    BusinessCaseChange,
    BusinessCaseStatus,
    OptimisationBusinessCase,
    OptimisationStage,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.permissions import ERR_CASE_NOT_AM
from allocation.selectors.business_cases import lot_candidates
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.selectors.instructions import role_holder
from governance.tabling import put_to_board

if TYPE_CHECKING:
    from alliance.models import Person


ERR_CASE_NOT_CLIENT = "Only the SRO approves or rejects an optimisation business case for the client (para 92)."
ERR_CASE_NOT_WITHDRAWER = "Only the Alliance Manager withdraws a draft business case."
ERR_CASE_OTHER_ALLIANCE = "That business case belongs to another alliance."
ERR_CASE_TITLE_REQUIRED = "Enter the business case's title."
ERR_CASE_SCOPE_REQUIRED = "Enter the scope: the schemes and lots affected and why."
ERR_CASE_STAGE = "Choose pre-award within a lot, pre-award across lots or post-award major change."
ERR_CASE_NO_CHANGES = "Name at least one change of Responsible Partner: a scheme, its lot and the proposed partner."
ERR_CASE_LOT = "The lot must be 1, 2 or 3."
ERR_CASE_SCHEME_OTHER_ALLIANCE = "That scheme belongs to another alliance."
ERR_CASE_SCHEME_CANCELLED = "Scheme {code} is cancelled."
ERR_CASE_NOT_ALLOCATED = "Scheme {code} has no Responsible Partner for Lot {lot} yet: run the allocation first."
ERR_CASE_PRE_AWARD_AWARDED = (
    "Scheme {code} is awarded: a pre-award business case covers proposed schemes only (para 90). A change to an "
    "awarded scheme is a post-award major change (para 101)."
)
ERR_CASE_POST_AWARD_NOT_AWARDED = (
    "Scheme {code} is not awarded: a post-award major change covers awarded schemes only (para 101); use a "
    "pre-award business case (para 90)."
)
ERR_CASE_PARTNER_NOT_OF_LOT = (
    "{partner} is not a partner of Lot {lot}: the proposed Responsible Partner must be one of the lot's partners "
    "(or, for Lot 1, the client, para 102)."
)
ERR_CASE_SAME_PARTNER = "{partner} is already the Responsible Partner for Lot {lot} of {code}: propose another partner."
ERR_CASE_DUPLICATE_LINE = "Lot {lot} of {code} is named twice."
ERR_CASE_WITHIN_ONE_LOT = "A within-lot business case changes one lot only (para 90); this one names Lots {lots}."
ERR_CASE_ACROSS_NEEDS_TWO_LOTS = (
    "An across-lots business case changes the work of two or more lots (para 90); this one names Lot {lots} only: "
    "make it a within-lot case."
)
ERR_CASE_LUMP_SUM_REQUIRED = "A post-award major change states the proposed change to the Lump Sum Fees (para 101)."
ERR_CASE_CRITERIA_NOT_MET = (
    "The business case goes to the Board only when the optimisation meets the pre-determined criteria: budgetary "
    "or time efficiencies and outcomes against the client's imperatives of safety, customer and delivery of the "
    "RIS (para 92). Otherwise the initial allocation stands (para 93)."
)
ERR_CASE_IN_OPEN_CASE = "Lot {lot} of {code} is already in business case “{title}”, which is still open."
ERR_CASE_ALLOCATION_MOVED = (
    "Lot {lot} of {code} is no longer with {partner} (now {current}): the business case is out of date."
)
ERR_CASE_REASON_REQUIRED = "Enter the reason for rejecting the business case."
ERR_CASE_STEP = "The business case is {status}: it cannot be {action}."

# --- The workflow: step -> (the statuses it may be taken from, the status it leads to) --------------------

BUSINESS_CASE_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "edit": (frozenset({BusinessCaseStatus.DRAFT}), BusinessCaseStatus.DRAFT),
    "submit": (frozenset({BusinessCaseStatus.DRAFT}), BusinessCaseStatus.WITH_BOARD),
    "board_approves": (frozenset({BusinessCaseStatus.WITH_BOARD}), BusinessCaseStatus.WITH_CLIENT),
    # Rejected or not taken: the Board did not approve, so the initial allocation stands (para 93).
    "board_rejects": (frozenset({BusinessCaseStatus.WITH_BOARD}), BusinessCaseStatus.REJECTED),
    "client_approves": (frozenset({BusinessCaseStatus.WITH_CLIENT}), BusinessCaseStatus.APPROVED),
    "client_rejects": (frozenset({BusinessCaseStatus.WITH_CLIENT}), BusinessCaseStatus.REJECTED),
    # Taken back by the Alliance Manager before the Board saw it: nothing in the allocation moves.
    "withdraw": (frozenset({BusinessCaseStatus.DRAFT}), BusinessCaseStatus.WITHDRAWN),
}
_CASE_ACTIONS = {
    "edit": "edited", "submit": "submitted to the Board", "board_approves": "decided by the Board",
    "board_rejects": "decided by the Board", "client_approves": "approved by the client",
    "client_rejects": "rejected by the client", "withdraw": "withdrawn",
}



def _step(case: OptimisationBusinessCase, name: str) -> None:
    step(case, BUSINESS_CASE_STEPS, ERR_CASE_STEP, name, _CASE_ACTIONS[name])


_PRE_AWARD = (OptimisationStage.PRE_AWARD_WITHIN_LOT, OptimisationStage.PRE_AWARD_ACROSS_LOTS)


@dataclass(frozen=True)
class ProposedChange:
    """One line of a business case as drafted: a scheme's lot and its proposed Responsible Partner."""

    scheme: Scheme
    lot: int
    proposed_partner: Organisation


# --- Business cases ---------------------------------------------------------------------------------------


def _case_for(actor: Person, business_case: OptimisationBusinessCase) -> OptimisationBusinessCase:
    """Re-read the case under a row lock after checking it is the actor's alliance's: two people taking steps
    on one case at once must not both succeed."""
    require(alliance_id_of(actor) == business_case.alliance_id, ERR_CASE_OTHER_ALLIANCE)
    return OptimisationBusinessCase.objects.select_for_update(of=("self",)).select_related("alliance").get(
        pk=business_case.pk)


def _check_case_fields(*, title: str, stage: str, scope: str, lump_sum_fee_change: Decimal | None) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [ERR_CASE_TITLE_REQUIRED]
    if stage not in OptimisationStage.values:
        errors["stage"] = [ERR_CASE_STAGE]
    if not scope.strip():
        errors["scope"] = [ERR_CASE_SCOPE_REQUIRED]
    if stage == OptimisationStage.POST_AWARD and lump_sum_fee_change is None:
        errors["lump_sum_fee_change"] = [ERR_CASE_LUMP_SUM_REQUIRED]
    if errors:
        raise ValidationError(errors)


def _check_line(alliance_id: int, stage: str, scheme: Scheme, lot: int, proposed: Organisation,
                *, lock: bool = False) -> SchemeAllocation:
    """One change line's rules; returns the scheme's allocation for the lot (locked when asked)."""
    if scheme.alliance_id != alliance_id:
        raise ValidationError({"changes": [ERR_CASE_SCHEME_OTHER_ALLIANCE]})
    if lot not in LOTS:
        raise ValidationError({"changes": [ERR_CASE_LOT]})
    if scheme.status == SchemeStatus.CANCELLED:
        raise ValidationError({"changes": [ERR_CASE_SCHEME_CANCELLED.format(code=scheme.code)]})
    if stage in _PRE_AWARD and scheme.status != SchemeStatus.PROPOSED:
        raise ValidationError({"changes": [ERR_CASE_PRE_AWARD_AWARDED.format(code=scheme.code)]})
    if stage == OptimisationStage.POST_AWARD and scheme.status != SchemeStatus.AWARDED:
        raise ValidationError({"changes": [ERR_CASE_POST_AWARD_NOT_AWARDED.format(code=scheme.code)]})
    allocations = SchemeAllocation.objects.select_related("current_partner")
    if lock:
        allocations = allocations.select_for_update(of=("self",))
    allocation = allocations.filter(scheme=scheme, lot=lot).first()
    if allocation is None:
        raise ValidationError({"changes": [ERR_CASE_NOT_ALLOCATED.format(code=scheme.code, lot=lot)]})
    if proposed.pk not in {o.pk for o in lot_candidates(alliance_id, lot)}:
        raise ValidationError({"changes": [ERR_CASE_PARTNER_NOT_OF_LOT.format(partner=proposed, lot=lot)]})
    if proposed.pk == allocation.current_partner_id:
        raise ValidationError({"changes": [ERR_CASE_SAME_PARTNER.format(partner=proposed, lot=lot, code=scheme.code)]})
    return allocation


def _check_lines(alliance_id: int, stage: str, changes: Sequence[ProposedChange]) -> list[SchemeAllocation]:
    if not changes:
        raise ValidationError({"changes": [ERR_CASE_NO_CHANGES]})
    seen: set[tuple[int, int]] = set()
    allocations = []
    for change in changes:
        key = (change.scheme.pk, change.lot)
        if key in seen:
            raise ValidationError({"changes": [ERR_CASE_DUPLICATE_LINE.format(lot=change.lot, code=change.scheme.code)]})
        seen.add(key)
        allocations.append(_check_line(alliance_id, stage, change.scheme, change.lot, change.proposed_partner))
    lots = sorted({lot for _, lot in seen})
    if stage == OptimisationStage.PRE_AWARD_WITHIN_LOT and len(lots) > 1:
        raise ValidationError({"changes": [ERR_CASE_WITHIN_ONE_LOT.format(lots=" and ".join(map(str, lots)))]})
    if stage == OptimisationStage.PRE_AWARD_ACROSS_LOTS and len(lots) < 2:
        raise ValidationError({"changes": [ERR_CASE_ACROSS_NEEDS_TWO_LOTS.format(lots=lots[0])]})
    return allocations


def _write_lines(case: OptimisationBusinessCase, changes: Sequence[ProposedChange],
                 allocations: list[SchemeAllocation]) -> None:
    """The current partner of each line is read from the allocation, never typed in."""
    case.changes.all().delete()
    BusinessCaseChange.objects.bulk_create(
        BusinessCaseChange(business_case=case, scheme=c.scheme, lot=c.lot, current_partner_id=a.current_partner_id,
                           proposed_partner=c.proposed_partner)
        for c, a in zip(changes, allocations, strict=True)
    )


_CASE_FIELDS = ("effect_on_budget", "effect_on_time_days", "effect_on_safety", "effect_on_customer",
                "effect_on_ris_delivery", "lump_sum_fee_change", "risks")


@transaction.atomic
def business_case_draft(
    *, actor: Person, title: str, stage: str, scope: str, changes: Sequence[ProposedChange],
    effect_on_budget: Decimal | None = None, effect_on_time_days: int | None = None, effect_on_safety: str = "",
    effect_on_customer: str = "", effect_on_ris_delivery: str = "", lump_sum_fee_change: Decimal | None = None,
    risks: str = "", criteria_met: bool = False,
) -> OptimisationBusinessCase:
    """The Alliance Manager drafts an optimisation business case (paras 91, 101) recommending changes of
    Responsible Partner; each line's current partner is read from the allocation."""
    require(permissions.can_allocate(actor), ERR_CASE_NOT_AM)
    alliance_id = own_alliance_id(actor)
    _check_case_fields(title=title, stage=stage, scope=scope, lump_sum_fee_change=lump_sum_fee_change)
    allocations = _check_lines(alliance_id, stage, changes)
    case = OptimisationBusinessCase(
        alliance_id=alliance_id, title=title.strip(), stage=stage, scope=scope.strip(), criteria_met=criteria_met,
        effect_on_budget=effect_on_budget, effect_on_time_days=effect_on_time_days,
        effect_on_safety=effect_on_safety.strip(), effect_on_customer=effect_on_customer.strip(),
        effect_on_ris_delivery=effect_on_ris_delivery.strip(), lump_sum_fee_change=lump_sum_fee_change,
        risks=risks.strip(), raised_by=actor,
    )
    save_with_reason(case, actor, "Drafted")
    _write_lines(case, changes, allocations)
    return case


@transaction.atomic
def business_case_edit(
    *, actor: Person, business_case: OptimisationBusinessCase, title: str, stage: str, scope: str,
    changes: Sequence[ProposedChange], effect_on_budget: Decimal | None = None, effect_on_time_days: int | None = None,
    effect_on_safety: str = "", effect_on_customer: str = "", effect_on_ris_delivery: str = "",
    lump_sum_fee_change: Decimal | None = None, risks: str = "", criteria_met: bool = False,
) -> OptimisationBusinessCase:
    """The Alliance Manager changes a draft; every field and every line is replaced."""
    require(permissions.can_allocate(actor), ERR_CASE_NOT_AM)
    case = _case_for(actor, business_case)
    _step(case, "edit")
    _check_case_fields(title=title, stage=stage, scope=scope, lump_sum_fee_change=lump_sum_fee_change)
    allocations = _check_lines(case.alliance_id, stage, changes)
    case.title, case.stage, case.scope, case.criteria_met = title.strip(), stage, scope.strip(), criteria_met
    values = {"effect_on_budget": effect_on_budget, "effect_on_time_days": effect_on_time_days,
              "effect_on_safety": effect_on_safety.strip(), "effect_on_customer": effect_on_customer.strip(),
              "effect_on_ris_delivery": effect_on_ris_delivery.strip(), "lump_sum_fee_change": lump_sum_fee_change,
              "risks": risks.strip()}
    for name in _CASE_FIELDS:
        setattr(case, name, values[name])
    save_with_reason(case, actor, "Edited")
    _write_lines(case, changes, allocations)
    return case


def _stored_changes(case: OptimisationBusinessCase) -> list[BusinessCaseChange]:
    return list(case.changes.select_related("scheme", "current_partner", "proposed_partner"))


def _recheck_stored(case: OptimisationBusinessCase, *, lock: bool) -> list[tuple[BusinessCaseChange, SchemeAllocation]]:
    """The lines as they stand now: still valid, and each lot still with the partner the case was drafted
    against (another case may have moved it meanwhile)."""
    lines = _stored_changes(case)
    if not lines:
        raise ValidationError({"changes": [ERR_CASE_NO_CHANGES]})
    checked = []
    for line in lines:
        allocations = SchemeAllocation.objects.select_related("current_partner")
        if lock:
            allocations = allocations.select_for_update(of=("self",))
        allocation = allocations.filter(scheme_id=line.scheme_id, lot=line.lot).first()
        if allocation is not None and allocation.current_partner_id != line.current_partner_id:
            raise ValidationError(ERR_CASE_ALLOCATION_MOVED.format(
                lot=line.lot, code=line.scheme.code, partner=line.current_partner, current=allocation.current_partner))
        checked.append((line, _check_line(case.alliance_id, case.stage, line.scheme, line.lot, line.proposed_partner,
                                          lock=lock)))
    return checked


def _board_description(case: OptimisationBusinessCase, lines: list[BusinessCaseChange]) -> str:
    effects = [
        f"Budget: {pounds(case.effect_on_budget)}" if case.effect_on_budget is not None else "",
        f"Time: {case.effect_on_time_days} days" if case.effect_on_time_days is not None else "",
        f"Lump Sum Fees: {pounds(case.lump_sum_fee_change)}" if case.lump_sum_fee_change is not None else "",
    ]
    moves = [f"{line.scheme.code} Lot {line.lot}: {line.current_partner} → {line.proposed_partner}" for line in lines]
    return "\n\n".join(part for part in [
        f"{case.get_stage_display()}.", case.scope, "\n".join(moves), "\n".join(e for e in effects if e),
        "For: approve the business case; it then goes to the client for approval (para 92). Against: the initial "
        "allocation stands (para 93).",
    ] if part)


@transaction.atomic
def business_case_submit(
    *, actor: Person, business_case: OptimisationBusinessCase, closes_on: dt.date | None = None,
) -> OptimisationBusinessCase:
    """The Alliance Manager submits a draft whose criteria are met to the Board (para 92): a decision of the
    matrix type ``optimisation-business-case`` is tabled as a written resolution."""
    require(permissions.can_allocate(actor), ERR_CASE_NOT_AM)
    case = _case_for(actor, business_case)
    _step(case, "submit")
    if not case.criteria_met:
        raise ValidationError({"criteria_met": [ERR_CASE_CRITERIA_NOT_MET]})
    _check_case_fields(title=case.title, stage=case.stage, scope=case.scope,
                       lump_sum_fee_change=case.lump_sum_fee_change)
    lines = [line for line, _ in _recheck_stored(case, lock=False)]
    # One lot of one scheme is in one open case at a time: two approved cases on the same lot would each
    # move it from a partner it no longer has.
    for line in lines:
        other = BusinessCaseChange.objects.filter(
            scheme_id=line.scheme_id, lot=line.lot, business_case__status__in=[
                BusinessCaseStatus.WITH_BOARD, BusinessCaseStatus.WITH_CLIENT],
        ).exclude(business_case=case).select_related("business_case").first()
        if other is not None:
            raise ValidationError({"changes": [ERR_CASE_IN_OPEN_CASE.format(
                lot=line.lot, code=line.scheme.code, title=other.business_case.title)]})
    case.decision = put_to_board(
        actor=actor, subject=case, code="optimisation-business-case",
        title=f"Optimisation business case: {case.title}"[:300], description=_board_description(case, lines),
        closes_on=closes_on,
    )
    save_with_reason(case, actor, "Submitted to the Board")
    return case


def _on_case_outcome(case: OptimisationBusinessCase, decision: Decision) -> None:
    """The Board's decision on a business case closed: approved, it goes to the client; otherwise the initial
    allocation stands (para 93)."""
    if decision.outcome == Outcome.APPROVED:
        _step(case, "board_approves")
        save_with_reason(case, decision.closed_by, "Approved by the Board: with the client (para 92)")
        sro = role_holder(case.alliance_id, Role.SRO)
        if sro is not None:
            alliance_services.notification_send(
                recipients=[sro], title=f"A business case awaits the client's approval: {case.title}",
                link=reverse("business-case", args=[case.pk]),
                body="The Board approved it; the allocation changes only with the client's approval (para 92).",
            )
        return
    _step(case, "board_rejects")
    not_taken = decision.outcome == Outcome.NOT_TAKEN
    save_with_reason(case, decision.closed_by,
          f"{'The Board decision was not taken' if not_taken else 'Rejected by the Board'}: "
          "the initial allocation stands (para 93)")


@transaction.atomic
def business_case_client_decide(
    *, actor: Person, business_case: OptimisationBusinessCase, approve: bool, reason: str = "",
) -> OptimisationBusinessCase:
    """The client, through the SRO, approves or rejects a business case the Board approved (para 92).
    Approved, each line's current Responsible Partner changes (the initial one never does, para 87) and the
    allocation's history records why; rejected, the initial allocation stands (para 93)."""
    require(permissions.is_client_decider(actor), ERR_CASE_NOT_CLIENT)
    case = _case_for(actor, business_case)
    _step(case, "client_approves" if approve else "client_rejects")
    if not approve and not reason.strip():
        raise ValidationError({"reason": [ERR_CASE_REASON_REQUIRED]})
    case.client_decided_by, case.client_decided_at, case.client_reason = actor, timezone.now(), reason.strip()
    if approve:
        # The allocations are locked: a Lot 1 instruction or another case landing at the same moment must
        # not be overwritten by a line checked against the partner it replaced.
        for line, allocation in _recheck_stored(case, lock=True):
            allocation.current_partner = line.proposed_partner
            save_with_reason(allocation, actor, f"Business case {case.pk} approved by the Board and the client (para 92); "
                                     f"from {line.current_partner}")
        save_with_reason(case, actor, "Approved by the client: the allocation is changed (para 92)")
    else:
        save_with_reason(case, actor, "Rejected by the client: the initial allocation stands (para 93)")
    return case


@transaction.atomic
def business_case_withdraw(*, actor: Person, business_case: OptimisationBusinessCase) -> OptimisationBusinessCase:
    """The Alliance Manager withdraws a draft before it goes to the Board. The case stays on record, withdrawn,
    with its history; nothing in the allocation moves."""
    require(permissions.can_withdraw_optimisation(actor), ERR_CASE_NOT_WITHDRAWER)
    case = _case_for(actor, business_case)
    _step(case, "withdraw")
    save_with_reason(case, actor, "Withdrawn by the Alliance Manager")
    return case


# Registered in allocation/apps.py; governance calls the handler only while the case waits on its current decision.
BOARD_OUTCOMES = BoardOutcomes(
    OptimisationBusinessCase, waiting=BusinessCaseStatus.WITH_BOARD,
    handlers={"optimisation-business-case": _on_case_outcome},
)
