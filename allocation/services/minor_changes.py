"""Writes of minor post-allocation changes (paras 99-100). docs/domain.md section 4.

A **minor change** (a partner supports the Responsible Partner, no transfer, para 99) needs the affected
partners' recorded agreement and then a unanimous Board (para 100, matrix type ``minor-post-allocation-change``);
approved, the Board instructs the supporting partner. While it awaits agreement (a partner refused, say) the
Alliance Manager may withdraw it.

The workflow's one table of steps is ``MINOR_CHANGE_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Organisation, OrganisationKind
from alliance.permissions import alliance_id_of, own_alliance_id
from alliance.workflow import require, save_with_reason, step
from allocation import permissions
from allocation.models import (
    LOTS,
    MinorChange,
    MinorChangeStatus,
    PartnerAgreement,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.packages import terminated_partner_ids
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.selectors.board import board_representatives
from governance.tabling import put_to_board

if TYPE_CHECKING:
    from alliance.models import Person


ERR_MINOR_NOT_AM = "Only the Alliance Manager raises a minor change and presents it to the Board (para 100)."
ERR_MINOR_NOT_WITHDRAWER = "Only the Alliance Manager withdraws a minor change."
ERR_MINOR_OTHER_ALLIANCE = "That minor change belongs to another alliance."
ERR_MINOR_SCHEME_OTHER_ALLIANCE = "That scheme belongs to another alliance."
ERR_MINOR_SCHEME_CANCELLED = "Scheme {code} is cancelled."
ERR_MINOR_LOT = "The lot must be 1, 2 or 3."
ERR_MINOR_NOT_ALLOCATED = "Scheme {code} has no Responsible Partner for Lot {lot} yet: run the allocation first."
ERR_MINOR_SUPPORTER_NOT_PARTNER = "The supporting partner must be a partner of this alliance taking work (para 99)."
ERR_MINOR_SAME_PARTNER = (
    "{partner} is the Responsible Partner for Lot {lot} of {code}: a partner supports another one (para 99)."
)
ERR_MINOR_DESCRIPTION_REQUIRED = "Describe the support the partner gives."
ERR_MINOR_NOT_AFFECTED = (
    "Only the partners affected (the Responsible Partner and the supporting partner) record their agreement "
    "(para 100)."
)
ERR_MINOR_NOT_REPRESENTATIVE = "Only the partner's Board representative or its delegate records its agreement."
ERR_MINOR_AGREEMENT_MISSING = (
    "The affected partners' agreement is needed before the Board (para 100); still to record: {names}."
)
ERR_MINOR_PARTNER_REFUSED = "{names} did not agree: the minor change cannot go to the Board (para 100)."
ERR_MINOR_RESPONSIBLE_MOVED = (
    "Lot {lot} of {code} is no longer with {partner}: the minor change is out of date."
)
ERR_MINOR_STEP = "The minor change is {status}: it cannot be {action}."

# --- The workflow: step -> (the statuses it may be taken from, the status it leads to) --------------------

MINOR_CHANGE_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "agree": (frozenset({MinorChangeStatus.PROPOSED}), MinorChangeStatus.PROPOSED),
    "table": (frozenset({MinorChangeStatus.PROPOSED}), MinorChangeStatus.WITH_BOARD),
    "board_approves": (frozenset({MinorChangeStatus.WITH_BOARD}), MinorChangeStatus.APPROVED),
    "board_rejects": (frozenset({MinorChangeStatus.WITH_BOARD}), MinorChangeStatus.REJECTED),
    # Taken back by the Alliance Manager while it awaits agreement (a partner refused, say): never tabled.
    "withdraw": (frozenset({MinorChangeStatus.PROPOSED}), MinorChangeStatus.WITHDRAWN),
}
_MINOR_ACTIONS = {
    "agree": "agreed to or refused", "table": "tabled at the Board", "board_approves": "decided by the Board",
    "board_rejects": "decided by the Board", "withdraw": "withdrawn",
}


def _step(change: MinorChange, name: str) -> None:
    step(change, MINOR_CHANGE_STEPS, ERR_MINOR_STEP, name, _MINOR_ACTIONS[name])


def _minor_for(actor: Person, minor_change: MinorChange) -> MinorChange:
    require(alliance_id_of(actor) == minor_change.alliance_id, ERR_MINOR_OTHER_ALLIANCE)
    return MinorChange.objects.select_for_update(of=("self",)).select_related(
        "alliance", "scheme", "responsible_partner", "supporting_partner").get(pk=minor_change.pk)


def _affected(minor_change: MinorChange) -> list[Organisation]:
    return [minor_change.responsible_partner, minor_change.supporting_partner]


def _notify_affected(change: MinorChange, *, title: str, body: str) -> None:
    """A notice to the affected partners' Board representatives (para 100), linking to the change."""
    representatives = board_representatives(change.alliance_id)
    alliance_services.notification_send(
        recipients=[representatives[o.pk] for o in _affected(change) if o.pk in representatives],
        title=title, link=reverse("minor-change", args=[change.pk]), body=body,
    )


@transaction.atomic
def minor_change_raise(
    *, actor: Person, scheme: Scheme, lot: int, supporting_partner: Organisation, description: str,
) -> MinorChange:
    """The Alliance Manager records a minor change (para 99): a partner is to support the lot's Responsible
    Partner on a scheme, with no transfer of responsibility; the affected partners then record agreement."""
    require(permissions.can_allocate(actor), ERR_MINOR_NOT_AM)
    alliance_id = own_alliance_id(actor)
    if scheme.alliance_id != alliance_id:
        raise ValidationError({"scheme": [ERR_MINOR_SCHEME_OTHER_ALLIANCE]})
    if lot not in LOTS:
        raise ValidationError({"lot": [ERR_MINOR_LOT]})
    if scheme.status == SchemeStatus.CANCELLED:
        raise ValidationError({"scheme": [ERR_MINOR_SCHEME_CANCELLED.format(code=scheme.code)]})
    allocation = SchemeAllocation.objects.select_related("current_partner").filter(scheme=scheme, lot=lot).first()
    if allocation is None:
        raise ValidationError({"lot": [ERR_MINOR_NOT_ALLOCATED.format(code=scheme.code, lot=lot)]})
    # Support may come from any lot's partner (para 99: "within or across lots"), not from the client.
    if (supporting_partner.alliance_id != alliance_id or supporting_partner.kind != OrganisationKind.PARTNER
            or supporting_partner.pk in terminated_partner_ids(alliance_id)):
        raise ValidationError({"supporting_partner": [ERR_MINOR_SUPPORTER_NOT_PARTNER]})
    if supporting_partner.pk == allocation.current_partner_id:
        raise ValidationError({"supporting_partner": [ERR_MINOR_SAME_PARTNER.format(
            partner=supporting_partner, lot=lot, code=scheme.code)]})
    if not description.strip():
        raise ValidationError({"description": [ERR_MINOR_DESCRIPTION_REQUIRED]})
    change = MinorChange(
        alliance_id=alliance_id, scheme=scheme, lot=lot, responsible_partner=allocation.current_partner,
        supporting_partner=supporting_partner, description=description.strip(), raised_by=actor,
    )
    save_with_reason(change, actor, "Raised: the affected partners' agreement is needed (para 100)")
    _notify_affected(change, title=f"Your organisation's agreement is asked: {change}",
                     body="A minor change needs the affected partners' agreement before the Board (para 100).")
    return change


@transaction.atomic
def minor_change_agree(
    *, actor: Person, minor_change: MinorChange, agreed: bool, note: str = "",
) -> PartnerAgreement:
    """An affected partner records whether it agrees (para 100). It may change its answer until the change is
    tabled; history keeps every answer."""
    change = _minor_for(actor, minor_change)
    require(permissions.is_affected_by_minor_change(actor, change), ERR_MINOR_NOT_AFFECTED)
    require(permissions.speaks_for_own_organisation(actor), ERR_MINOR_NOT_REPRESENTATIVE)
    _step(change, "agree")
    organisation_id = actor.organisation_id
    if organisation_id is None:  # refused above already: an affected partner's representative has one
        raise PermissionDenied(ERR_MINOR_NOT_AFFECTED)
    agreement = PartnerAgreement.objects.filter(minor_change=change, organisation_id=organisation_id).first()
    if agreement is None:
        agreement = PartnerAgreement(minor_change=change, organisation_id=organisation_id)
    agreement.agreed, agreement.recorded_by, agreement.note = agreed, actor, note.strip()
    save_with_reason(agreement, actor, "Agreed" if agreed else "Did not agree")
    return agreement


@transaction.atomic
def minor_change_table(
    *, actor: Person, minor_change: MinorChange, closes_on: dt.date | None = None,
) -> MinorChange:
    """The Alliance Manager presents the minor change to the Board once every affected partner has agreed
    (para 100): a unanimous decision of the matrix type ``minor-post-allocation-change``."""
    require(permissions.can_allocate(actor), ERR_MINOR_NOT_AM)
    change = _minor_for(actor, minor_change)
    _step(change, "table")
    answers = dict(change.agreements.values_list("organisation_id", "agreed"))
    refused = [o for o in _affected(change) if answers.get(o.pk) is False]
    if refused:
        raise ValidationError(ERR_MINOR_PARTNER_REFUSED.format(names=" and ".join(map(str, refused))))
    missing = [o for o in _affected(change) if o.pk not in answers]
    if missing:
        raise ValidationError(ERR_MINOR_AGREEMENT_MISSING.format(names=" and ".join(map(str, missing))))
    current = SchemeAllocation.objects.filter(scheme_id=change.scheme_id, lot=change.lot).values_list(
        "current_partner_id", flat=True).first()
    if current != change.responsible_partner_id:
        raise ValidationError(ERR_MINOR_RESPONSIBLE_MOVED.format(lot=change.lot, code=change.scheme.code,
                                                                 partner=change.responsible_partner))
    change.decision = put_to_board(
        actor=actor, subject=change, code="minor-post-allocation-change",
        title=f"Minor change: {change.supporting_partner} to support {change.responsible_partner} on "
              f"{change.scheme.code} Lot {change.lot}"[:300],
        description="\n\n".join([
            change.description,
            "No transfer of responsibility or liabilities (para 99). Both affected partners have agreed. For: the "
            "Board instructs the supporting partner to support the Responsible Partner (para 100); unanimous.",
        ]),
        closes_on=closes_on,
    )
    save_with_reason(change, actor, "Tabled at the Board (unanimous, para 100)")
    return change


def _on_minor_outcome(change: MinorChange, decision: Decision) -> None:
    """Unanimous approval: the Board instructs the supporting partner (para 100); anything else, not approved."""
    if decision.outcome != Outcome.APPROVED:
        _step(change, "board_rejects")
        save_with_reason(change, decision.closed_by, "Not approved by the Board (unanimity needed, para 100)")
        return
    _step(change, "board_approves")
    save_with_reason(change, decision.closed_by, "Approved: the Board instructs the supporting partner (para 100)")
    _notify_affected(
        change,
        title=f"The Board instructs {change.supporting_partner} to support {change.responsible_partner} on "
              f"{change.scheme.code} Lot {change.lot}",
        body=f"{change.description}\n\n{change.responsible_partner} remains the Responsible Partner (paras 99-100).",
    )


@transaction.atomic
def minor_change_withdraw(*, actor: Person, minor_change: MinorChange) -> MinorChange:
    """The Alliance Manager withdraws a minor change not yet tabled (for instance after a partner refused,
    para 100). It stays on record, withdrawn; the affected partners are told their agreement is no longer asked."""
    require(permissions.can_withdraw_optimisation(actor), ERR_MINOR_NOT_WITHDRAWER)
    change = _minor_for(actor, minor_change)
    _step(change, "withdraw")
    save_with_reason(change, actor, "Withdrawn by the Alliance Manager")
    _notify_affected(change, title=f"A minor change is withdrawn: {change}",
                     body="The Alliance Manager withdrew it before the Board: your organisation's agreement is no "
                          "longer asked.")
    return change


# Registered in allocation/apps.py; governance calls the handler only while the change waits on its current decision.
BOARD_OUTCOMES = BoardOutcomes(
    MinorChange, waiting=MinorChangeStatus.WITH_BOARD, select_related=("scheme", "responsible_partner",
                                                                       "supporting_partner"),
    handlers={"minor-post-allocation-change": _on_minor_outcome},
)
