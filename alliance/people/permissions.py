"""Who may see and do what with key persons, Production Hub resourcing and CVs.

CVs are personal data (DOMAIN.md section 3): a nomination and its CV are seen by the organisation that
submitted it, by the Alliance Manager, and by the Board's voting members while it is before the Board; never by
another partner. Anything else answers 404 (CONVENTIONS.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import OrganisationKind, Role
from alliance.people.models import NominationStatus, PortfolioStatus, ProposalStatus, Selection
from alliance.permissions import alliance_id_of, has_role, is_alliance_member

if TYPE_CHECKING:
    from alliance.models import Organisation, Person
    from alliance.people.models import KeyPersonRole, Nomination, ResourcingProposal

# The Board's voting members (Table 2) read the CVs of what they are asked to decide.
DECIDING_ROLES = (Role.SRO, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)
# Who puts names forward for their organisation: its staff, its board representative and delegate (para 48).
NOMINATING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)


def can_view_people(user: Person, alliance_id: int | None = None) -> bool:
    """The People area (roles, organisation chart, one's own nominations): any member of the alliance."""
    return is_alliance_member(user, alliance_id)


def is_alliance_manager_of(user: Person, alliance_id: int) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER) and alliance_id_of(user) == alliance_id


def can_run_selection(user: Person, alliance_id: int | None = None) -> bool:
    """Shortlist, interview, reject, ask for alternatives, propose to the Board, record departures, issue
    calls for CVs and recommend a portfolio: the Alliance Manager (paras 56-60, 66-68)."""
    return has_role(user, Role.ALLIANCE_MANAGER) and (alliance_id is None or alliance_id_of(user) == alliance_id)


def can_nominate(user: Person) -> bool:
    """Staff, representatives and delegates put forward people of their own organisation."""
    return is_alliance_member(user) and has_role(user, *NOMINATING_ROLES)


def may_nominate_for(organisation: Organisation, role: KeyPersonRole) -> bool:
    """Which members may put someone forward for a role (para 57): a partner-specific role, the partners of its
    lot; a lot-specific role, the partners of its lot and the client; a pan-alliance role, any member."""
    if organisation.alliance_id != role.alliance_id:
        return False
    if role.selection == Selection.PAN_ALLIANCE:
        return True
    if organisation.kind == OrganisationKind.CLIENT:
        return role.selection == Selection.LOT_SPECIFIC
    return organisation.lot_id == role.lot_id


def _before_the_board(nomination: Nomination) -> bool:
    if nomination.status == NominationStatus.PROPOSED:
        return True
    recommendation = nomination.recommendation
    if recommendation is not None and recommendation.status == PortfolioStatus.WITH_BOARD:
        return True
    proposal = nomination.proposal
    return proposal is not None and proposal.status == ProposalStatus.WITH_BOARD


def can_view_nomination(user: Person, nomination: Nomination) -> bool:
    if alliance_id_of(user) != nomination.alliance_id:
        return False
    if user.organisation_id == nomination.organisation_id or has_role(user, Role.ALLIANCE_MANAGER):
        return True
    return has_role(user, *DECIDING_ROLES) and _before_the_board(nomination)


def can_view_cv(user: Person, nomination: Nomination) -> bool:
    """The submitting organisation, the Alliance Manager, the Board while it decides; and only while the file
    is kept."""
    return nomination.has_cv and can_view_nomination(user, nomination)


def can_view_cv_log(user: Person, nomination: Nomination) -> bool:
    """The log of who opened a CV: the Alliance Manager and the submitting organisation."""
    return alliance_id_of(user) == nomination.alliance_id and (
        user.organisation_id == nomination.organisation_id or has_role(user, Role.ALLIANCE_MANAGER)
    )


def can_change_nomination(user: Person, nomination: Nomination) -> bool:
    """Withdraw, replace or delete the CV of a nomination: its own organisation's nominators."""
    return can_nominate(user) and user.organisation_id == nomination.organisation_id


def is_pmp(user: Person, proposal: ResourcingProposal) -> bool:
    """The Production Management Partner's people prepare its proposal (para 65)."""
    return can_nominate(user) and user.organisation_id == proposal.organisation_id


def can_view_proposal(user: Person, proposal: ResourcingProposal) -> bool:
    if alliance_id_of(user) != proposal.alliance_id:
        return False
    return (user.organisation_id == proposal.organisation_id or has_role(user, Role.ALLIANCE_MANAGER)
            or (has_role(user, *DECIDING_ROLES) and proposal.status in (ProposalStatus.WITH_BOARD, ProposalStatus.APPROVED)))
