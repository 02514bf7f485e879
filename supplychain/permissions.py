"""Who may see and do what in the supply chain. Partners see the shared registers (open book, an alliance
principle) but change only what their role allows; another organisation's draft plan is 404 until submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member
from supplychain.models import DocumentKind

if TYPE_CHECKING:
    from alliance.models import Person
    from supplychain.models import ManagementPlan, Risk

WRITING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)

# Refusals (403). Each workflow's pages and API have long said "not a member" in their own words; kept.
ERR_NOT_MEMBER = "Only members of the alliance can see its supply chain."
ERR_DOCUMENTS_NOT_MEMBER = ("The supply chain pages are for the members of an alliance: you do not belong to one of "
                            "its organisations.")
ERR_PLANS_NOT_MEMBER = "The supply chain pages are for the members of an alliance."
ERR_PLANS_API_NOT_MEMBER = "Only members of the Alliance can see its supply chain."
ERR_RISKS_NOT_MEMBER = "Only members of the Alliance read its risk register."
ERR_REPORT = "The supply chain report is for the client and the Alliance Supply Chain team (para 137)."
ERR_DOCUMENT_NOT_TEAM = ("Only the Alliance Supply Chain team drafts and submits the Supply Chain Strategy and the "
                         "Alliance industrial plan (paras 113, 116-117).")
ERR_DOCUMENT_NOT_AM = "Only the Alliance Manager drafts and submits the Collaborative Procurement Hub plan (para 130)."
ERR_DOCUMENT_NOT_CLIENT = "Only the client's Senior Responsible Owner accepts or returns a recommended document (para 113)."
ERR_PLAN_NOT_AM = "Only the Alliance Manager accepts or returns a Supply Chain Management Plan (para 132)."
ERR_SUPPLIER_NOT_TEAM = ("Only the supply chain team (the Alliance Manager and the Production Management Partner's "
                         "people) keeps the supplier register, spend and the pipeline (paras 116, 128).")
ERR_SUPPLIER_NOT_REVIEWER = "Only the people of a member organisation review suppliers (para 128)."
ERR_SPEND_NOT_MANAGER = "Only the Alliance Manager feeds the SME share into the scorecard."
ERR_RISK_NOT_MEMBER = "Only members of the Alliance raise risks for its register."
ERR_RISK_NOT_UPDATER = "Only the risk's owner or the Alliance supply chain team update a risk and its actions."
ERR_RISK_NOT_ESCALATOR = "Only the Alliance Manager or the SRO escalate a risk to the Board or the client's register."



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
    return (organisation is not None and organisation.lot is not None and organisation.lot.number == 1
            and has_role(user, *WRITING_ROLES))


def can_review_supplier(user: Person, alliance_id: int | None = None) -> bool:
    """A 360° review (para 128) gathers scores from across the alliance: any member's staff, representatives and
    delegates, the client's people and the Alliance Manager."""
    return is_alliance_member(user, alliance_id) and has_role(
        user, *WRITING_ROLES, Role.SRO, Role.ALLIANCE_MANAGER, Role.CLIENT_REVIEWER)


def can_read_report(user: Person) -> bool:
    """Para 137: the supply chain team reports to the client; the client's people and the team read the report."""
    if not can_view_supply_chain(user):
        return False
    organisation = user.organisation
    return (organisation is not None and organisation.kind == OrganisationKind.CLIENT) or is_supply_chain_team(user)


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


def can_draft_document(user: Person, kind: str, alliance_id: int | None = None) -> bool:
    """Who drafts and submits a strategy document: the Alliance Manager alone for the procurement hub plan
    (para 130), the Alliance Supply Chain team for the others (paras 113, 116-117)."""
    if kind == DocumentKind.PROCUREMENT_HUB_PLAN:
        return is_alliance_manager(user, alliance_id)
    return is_supply_chain_team(user, alliance_id)


# --- Guards: each refuses (PermissionDenied, 403) with its message, for the pages, the API and the services ------


def require_member(user: Person, message: str = ERR_NOT_MEMBER) -> int:
    """A member of an alliance (every member reads the supply chain: open book); its alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_view_supply_chain(user):
        raise PermissionDenied(message)
    return alliance_id


def require_report_reader(user: Person) -> None:
    if not can_read_report(user):
        raise PermissionDenied(ERR_REPORT)


def require_document_drafter(user: Person, kind: str, alliance_id: int | None = None) -> None:
    if not can_draft_document(user, kind, alliance_id):
        raise PermissionDenied(ERR_DOCUMENT_NOT_AM if kind == DocumentKind.PROCUREMENT_HUB_PLAN
                               else ERR_DOCUMENT_NOT_TEAM)


def require_client_decider(user: Person, alliance_id: int | None = None) -> None:
    if not is_client_decider(user, alliance_id):
        raise PermissionDenied(ERR_DOCUMENT_NOT_CLIENT)


def require_plan_change(user: Person) -> bool:
    """Who brings a partner's resubmission forward (para 134): the Alliance Manager for any partner (True), a
    partner's people for their own (False)."""
    manager = is_alliance_manager(user)
    if not manager and not can_draft_plan(user):
        raise PermissionDenied(ERR_PLAN_NOT_AM)
    return manager


def require_supply_chain_team(user: Person) -> int:
    """A member of the Alliance Supply Chain team; its alliance's id."""
    alliance_id = require_member(user)
    if not is_supply_chain_team(user):
        raise PermissionDenied(ERR_SUPPLIER_NOT_TEAM)
    return alliance_id


def require_supplier_reviewer(user: Person) -> None:
    if not can_review_supplier(user):
        raise PermissionDenied(ERR_SUPPLIER_NOT_REVIEWER)


def require_sme_share_feeder(user: Person) -> int:
    """The Alliance Manager records the SME share in the scorecard; their alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not is_alliance_manager(user):
        raise PermissionDenied(ERR_SPEND_NOT_MANAGER)
    return alliance_id


def require_risk_raiser(user: Person) -> int:
    """A member of an alliance; its alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_raise_risk(user):
        raise PermissionDenied(ERR_RISK_NOT_MEMBER)
    return alliance_id


def require_risk_updater(user: Person, risk: Risk) -> Risk:
    if not can_update_risk(user, risk):
        raise PermissionDenied(ERR_RISK_NOT_UPDATER)
    return risk


def require_risk_escalator(user: Person, risk: Risk) -> Risk:
    if not can_escalate_risk(user, risk):
        raise PermissionDenied(ERR_RISK_NOT_ESCALATOR)
    return risk
