"""Who may see and do what with key persons, Production Hub resourcing and CVs.

CVs are personal data (docs/domain.md section 3): a nomination is seen by the organisation that submitted it, by the
Alliance Manager, and by the Board's voting members while it is before the Board; its CV by the submitting
organisation, the Alliance Manager and, while it is before the Board, the one person voting for each
organisation on it (the representative, or the delegate named for that decision or meeting); never by another
partner. Anything else answers 404 (docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member
from alliance.selectors import NOMINATING_ROLES
from alliance.workflow import require
from people.models import NominationStatus, PortfolioStatus, ProposalStatus, Selection

if TYPE_CHECKING:
    from alliance.models import Organisation, Person
    from people.models import KeyPersonRole, Nomination, ResourcingProposal

ERR_NOT_MEMBER = "The People pages are for the members of an alliance: you do not belong to one of its organisations."

# The Board's voting members (Table 2) read the CVs of what they are asked to decide.
DECIDING_ROLES = (Role.SRO, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)


def can_view_people(user: Person, alliance_id: int | None = None) -> bool:
    """The People area (roles, organisation chart, one's own nominations): any member of the alliance."""
    return is_alliance_member(user, alliance_id)


def require_member(user: Person, message: str = ERR_NOT_MEMBER) -> int:
    """The alliance of a member who may see the People area (its pages, and the API with its own message);
    403 for anyone else (e.g. an administrator with no organisation)."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_view_people(user):
        raise PermissionDenied(message)
    return alliance_id


def require_selection_runner(user: Person, alliance_id: int, message: str) -> int:
    """The Alliance Manager of ``alliance_id`` (``can_run_selection``), else 403 with the workflow's message."""
    require(can_run_selection(user, alliance_id), message)
    return alliance_id


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


def _board_decision(nomination: Nomination):
    """The Board decision the nomination is before: its own (a key person, para 59), its proposal's (the
    Production Hub's core resources, para 66) or its portfolio's (the residual posts, para 69)."""
    if nomination.status == NominationStatus.PROPOSED and nomination.decision_id is not None:
        return nomination.decision
    recommendation = nomination.recommendation
    if recommendation is not None and recommendation.status == PortfolioStatus.WITH_BOARD:
        return recommendation.decision
    proposal = nomination.proposal
    if proposal is not None and proposal.status == ProposalStatus.WITH_BOARD:
        return proposal.decision
    return None


def votes_on_nomination(user: Person, nomination: Nomination) -> bool:
    """Whether the user is the one voting for their organisation on the decision the nomination is before: its
    representative (the SRO for the client), or the delegate the representative named for that decision or its
    meeting (para 35, Table 2); governance's own rule of who votes, so a seat lost or a delegation revoked
    counts at once."""
    from governance.selectors.board import vote_refusal

    decision = _board_decision(nomination)
    return decision is not None and vote_refusal(user, decision) is None


def can_view_cv(user: Person, nomination: Nomination) -> bool:
    """The submitting organisation and the Alliance Manager; while the nomination is before the Board, the one
    person voting for each organisation on it (``votes_on_nomination``), not every delegate: a CV is personal
    data (docs/domain.md section 3), read by those who need it. Only while the file is kept."""
    if not nomination.has_cv or alliance_id_of(user) != nomination.alliance_id:
        return False
    if user.organisation_id == nomination.organisation_id or has_role(user, Role.ALLIANCE_MANAGER):
        return True
    return _before_the_board(nomination) and votes_on_nomination(user, nomination)


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


def require_nominator_for(user: Person, role: KeyPersonRole, *, not_nominator: str, not_open: str) -> KeyPersonRole:
    """A nominator of an organisation that may put someone forward for ``role`` (para 57), else 403 saying which
    of the two it is not."""
    require(can_nominate(user), not_nominator)
    require(user.organisation is not None and may_nominate_for(user.organisation, role), not_open)
    return role


def require_may_change(user: Person, nomination: Nomination, message: str) -> Nomination:
    """One of the nominating organisation's nominators (withdraw, replace, delete the CV), else 403."""
    require(can_change_nomination(user, nomination), message)
    return nomination
