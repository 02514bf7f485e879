"""Who may do what in allocation. Predicates used alike by services, views, the API and templates; and the
guards (``require_*``) the pages and the API both call before they read or write: each raises PermissionDenied
with its message, or returns what it checked (the actor's alliance id)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import Role
from alliance.permissions import alliance_id_of, has_role

if TYPE_CHECKING:
    from alliance.models import Person
    from allocation.models import MinorChange



def can_view_allocation(user: Person, alliance_id: int | None = None) -> bool:
    """Every member of the alliance sees the allocation of every scheme and the lots' shares."""
    own = alliance_id_of(user)
    return own is not None and (alliance_id is None or alliance_id == own)


ERR_NOT_MEMBER = "Only members of the alliance can see its allocation."
ERR_MEMBERSHIP_NOT_MEMBER = "Only members of the Alliance can see its membership changes."
ERR_PERIODIC_NOT_MEMBER = "Only members of the Alliance can see its Periodic Instructions."
ERR_CASE_NOT_AM = "Only the Alliance Manager drafts and submits optimisation business cases (paras 91, 101)."
ERR_MEMBERSHIP_NOT_RECORDER = "Only the SRO or the Alliance Manager can record a change in the Alliance's membership."


def _require_viewer(user: Person, message: str) -> int:
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_view_allocation(user):
        raise PermissionDenied(message)
    return alliance_id


def require_member(user: Person) -> int:
    """The allocation's pages and API (packages, schemes, runs, business cases, minor changes, Lot 1): a member
    of the alliance; returns its id."""
    return _require_viewer(user, ERR_NOT_MEMBER)


def require_membership_viewer(user: Person) -> int:
    """The membership changes' pages and API: a member of the alliance; returns its id."""
    return _require_viewer(user, ERR_MEMBERSHIP_NOT_MEMBER)


def require_periodic_viewer(user: Person) -> int:
    """The Periodic Instructions' pages and API: a member of the alliance; returns its id."""
    return _require_viewer(user, ERR_PERIODIC_NOT_MEMBER)


def can_register_packages(user: Person) -> bool:
    """The client notifies packages (para 81): the SRO, or the Alliance Manager for it."""
    return has_role(user, Role.SRO, Role.ALLIANCE_MANAGER)


def can_allocate(user: Person) -> bool:
    """The Alliance Manager runs the allocation and balancing (paras 86-88) and raises business cases."""
    return has_role(user, Role.ALLIANCE_MANAGER)


def is_client_decider(user: Person) -> bool:
    """The client's decisions in allocation (Scheme Orders, approvals, Lot 1, Periodic Instructions): the SRO."""
    return has_role(user, Role.SRO)


# --- Optimisation (paras 90-102) --------------------------------------------------------------------------


def require_case_drafter(user: Person) -> int:
    """Drafting or editing a business case from its page: a member who is the Alliance Manager; returns the
    alliance id."""
    alliance_id = require_member(user)
    if not can_allocate(user):
        raise PermissionDenied(ERR_CASE_NOT_AM)
    return alliance_id


def can_withdraw_optimisation(user: Person) -> bool:
    """The Alliance Manager, who drafts a business case or raises a minor change, may take it back before the
    Board sees it (a draft case; a minor change still awaiting the partners' agreement)."""
    return can_allocate(user)


def speaks_for_own_organisation(user: Person) -> bool:
    """A partner's word (its agreement to a minor change, para 100) is given by its Board representative or
    delegate; the client's by the SRO."""
    return has_role(user, Role.BOARD_REPRESENTATIVE, Role.DELEGATE, Role.SRO)


def is_affected_by_minor_change(user: Person, change: MinorChange) -> bool:
    """The partners affected by a minor change: the Responsible Partner and the supporting partner (para 100)."""
    return user.organisation_id in (change.responsible_partner_id, change.supporting_partner_id)


def can_record_minor_agreement(user: Person, change: MinorChange) -> bool:
    """Who may record a partner's agreement to a minor change: an affected partner's representative (para 100)."""
    return is_affected_by_minor_change(user, change) and speaks_for_own_organisation(user)


# --- Membership changes (paras 19, 83, 95-98) -------------------------------------------------------------


def can_record_membership_change(user: Person) -> bool:
    """Recording a termination or a newly procured partner: the SRO (the client's act, para 19) or the
    Alliance Manager for it."""
    return has_role(user, Role.SRO, Role.ALLIANCE_MANAGER)


def require_membership_recorder(user: Person) -> int:
    """Recording a membership change, from its page or the API: a member who may record one (the wrong role is
    refused before any form or body is read); returns the alliance id."""
    alliance_id = require_membership_viewer(user)
    if not can_record_membership_change(user):
        raise PermissionDenied(ERR_MEMBERSHIP_NOT_RECORDER)
    return alliance_id


def can_apply_membership_change(user: Person) -> bool:
    """The allocation of work is the client's (para 19): the SRO applies a reallocation."""
    return has_role(user, Role.SRO)


def can_record_transition_plan(user: Person) -> bool:
    """The transition plan is the Alliance Manager's (para 83)."""
    return has_role(user, Role.ALLIANCE_MANAGER)


# --- Periodic Instructions (paras 103-107) ----------------------------------------------------------------


def can_request_periodic_instruction(user: Person) -> bool:
    """The client asks for a cost resource profile: the SRO (paras 104, 107)."""
    return has_role(user, Role.SRO)


def can_prepare_periodic_instruction(user: Person) -> bool:
    """The Alliance Manager prepares the profile and tables it for the Board (para 104)."""
    return has_role(user, Role.ALLIANCE_MANAGER)


def can_issue_periodic_instruction(user: Person) -> bool:
    """The client issues the Periodic Instruction the Board agreed: the SRO (paras 104, 107)."""
    return has_role(user, Role.SRO)
