"""Who may see and do what in the supply chain. Partners see the shared registers (open book, an alliance
principle) but change only what their role allows; another organisation's draft plan is 404 until submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member

if TYPE_CHECKING:
    from alliance.models import Person
    from supplychain.models import ManagementPlan, Risk

WRITING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)


def can_view_supply_chain(user: Person, alliance_id: int | None = None) -> bool:
    """Every member reads the strategy, plans once submitted, suppliers, pipeline and risks (open book)."""
    return is_alliance_member(user, alliance_id)


def is_supply_chain_team(user: Person, alliance_id: int | None = None) -> bool:
    """The Alliance Supply Chain team, facilitated from the Production Hub (para 116): the Alliance Manager and
    the Production Management Partner's (Lot 1) people. They draft the strategy documents and keep the supplier
    register, spend and the pipeline."""
    if not is_alliance_member(user, alliance_id):
        return False
    if has_role(user, Role.ALLIANCE_MANAGER):
        return True
    organisation = user.organisation
    return organisation.lot is not None and organisation.lot.number == 1 and has_role(user, *WRITING_ROLES)


def can_review_supplier(user: Person, alliance_id: int | None = None) -> bool:
    """A 360° review (para 128) gathers scores from across the alliance: any member's staff, representatives and
    delegates, the client's people and the Alliance Manager."""
    return is_alliance_member(user, alliance_id) and has_role(
        user, *WRITING_ROLES, Role.SRO, Role.ALLIANCE_MANAGER, Role.CLIENT_REVIEWER)


def can_read_report(user: Person) -> bool:
    """Para 137: the supply chain team reports to the client; the client's people and the team read the report."""
    if not can_view_supply_chain(user):
        return False
    return user.organisation.kind == OrganisationKind.CLIENT or is_supply_chain_team(user)


def is_alliance_manager(user: Person, alliance_id: int | None = None) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER) and is_alliance_member(user, alliance_id)


def is_client_decider(user: Person, alliance_id: int | None = None) -> bool:
    """The client accepts a strategy recommended by the Board (para 113): the SRO."""
    return has_role(user, Role.SRO) and is_alliance_member(user, alliance_id)


def can_draft_plan(user: Person) -> bool:
    """A partner's staff, representative or delegate keep their organisation's plan (paras 132-134)."""
    organisation = getattr(user, "organisation", None)
    return (organisation is not None and organisation.kind == OrganisationKind.PARTNER
            and has_role(user, *WRITING_ROLES))


def can_write_plan(user: Person, plan: ManagementPlan) -> bool:
    """A partner's people draft and submit its own Supply Chain Management Plan (paras 132-134)."""
    return (plan.organisation_id == user.organisation_id and has_role(user, *WRITING_ROLES)
            and alliance_id_of(user) == plan.alliance_id)


def can_view_plan(user: Person, plan: ManagementPlan) -> bool:
    if alliance_id_of(user) != plan.alliance_id:
        return False
    return plan.status != "draft" or plan.organisation_id == user.organisation_id


def can_raise_risk(user: Person) -> bool:
    """Any member may raise a risk for the register."""
    return is_alliance_member(user)


def can_update_risk(user: Person, risk: Risk) -> bool:
    """Its owner, and the supply chain team, update a risk and its actions."""
    return alliance_id_of(user) == risk.alliance_id and (risk.owner_id == user.pk or is_supply_chain_team(user))


def can_escalate_risk(user: Person, risk: Risk) -> bool:
    """Escalation to the Board or to the client's register (seed 002): the Alliance Manager or the SRO."""
    return alliance_id_of(user) == risk.alliance_id and has_role(user, Role.ALLIANCE_MANAGER, Role.SRO)
