"""Who may do what on the Board. Predicates used alike by services, views, the API and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member, is_partner, roles_of  # noqa: F401

if TYPE_CHECKING:
    import datetime as dt

    from alliance.models import Organisation, Person
    from governance.models import Decision, Meeting

BOARD_ROLES = (Role.SRO, Role.ALLIANCE_MANAGER, Role.BOARD_REPRESENTATIVE, Role.DELEGATE, Role.ADMINISTRATOR)


def is_board_member(user: Person) -> bool:
    """Sits on or runs the Board: the SRO, the Alliance Manager, representatives and their delegates."""
    return has_role(user, *BOARD_ROLES)


def can_view_board(user: Person, alliance_id: int | None = None) -> bool:
    own = alliance_id_of(user)
    return own is not None and is_board_member(user) and (alliance_id is None or alliance_id == own)


def can_view_decision(user: Person, decision: Decision) -> bool:
    return can_view_board(user, decision.alliance_id)


def can_view_meeting(user: Person, meeting: Meeting) -> bool:
    return can_view_board(user, meeting.alliance_id)


def can_run_board(user: Person) -> bool:
    """Schedule meetings, table and close decisions, record attendance: the Alliance Manager or the SRO."""
    return has_role(user, Role.SRO, Role.ALLIANCE_MANAGER)


def is_chair(user: Person) -> bool:
    """The SRO chairs the Alliance Board (para 25)."""
    return has_role(user, Role.SRO)


def can_name_delegate(user: Person) -> bool:
    """A board representative names a delegate to vote when they cannot (para 35)."""
    return has_role(user, Role.BOARD_REPRESENTATIVE)


def can_edit_matrix(user: Person) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR)


# --- Client instructions, the Implementation Plan, commitments, the Performance Table, assurance -------


def is_alliance_manager(user: Person) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER)


def is_sro(user: Person) -> bool:
    """The SRO speaks for the client: issues, accepts and rejects instructions (paras 20, 29)."""
    return has_role(user, Role.SRO)


def can_view_instructions(user: Person, alliance_id: int | None = None) -> bool:
    """The register of client instructions: the Board (who reviews them) and the client's reviewers."""
    own = alliance_id_of(user)
    return own is not None and (alliance_id is None or alliance_id == own) and (
        is_board_member(user) or has_role(user, Role.CLIENT_REVIEWER)
    )


def can_view_assurance(user: Person, alliance_id: int | None = None) -> bool:
    return is_alliance_member(user, alliance_id) and has_role(
        user, Role.CLIENT_REVIEWER, Role.SRO, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR
    )


def can_record_assurance(user: Person) -> bool:
    """The client carries out its assurance (paras 22-24): its reviewers and the SRO record it."""
    return has_role(user, Role.CLIENT_REVIEWER, Role.SRO)


ERR_OTHER_ORGANISATION = "You can only vote for your own organisation."
ERR_CLIENT_ONLY = "This is a client decision: only the SRO decides it (para 19)."
ERR_NOT_A_VOTER = (
    "Only an organisation's board representative, or a delegate they have named, can vote. "
    "The Alliance Manager, Subject Matter Resources and staff do not vote (Table 2)."
)
ERR_DELEGATE_WITHOUT_DELEGATION = (
    "Your representative has not named you to vote on this decision or at its meeting (para 35)."
)

ERR_NO_SEAT = (
    "{organisation} has no seat on the Alliance Board on {day}: the Board is the Alliance's members, and its "
    "membership {reason} (paras 12, 95-98)."
)


def seat_refusal(organisation: Organisation, day: dt.date) -> str | None:
    """Why the organisation does not vote on the day, or None when it holds a seat (paras 12, 95-98)."""
    from governance.selectors import has_seat

    if has_seat(organisation, day):
        return None
    if organisation.member_until is not None and organisation.member_until <= day:
        reason = f"ended on {organisation.member_until:%-d %B %Y}, its termination's effective date"
    else:
        reason = f"begins on {organisation.member_since:%-d %B %Y}"
    return ERR_NO_SEAT.format(organisation=organisation.name, day=f"{day:%-d %B %Y}", reason=reason)


def voting_capacity(user: Person, decision: Decision, organisation: Organisation) -> str:
    """In which capacity the user may vote for the organisation on the decision, or PermissionDenied
    saying why not (Table 2: one vote per organisation; paras 12, 95-98: members only; para 19: client
    decisions; para 35: delegates)."""
    from governance.models import Authority, Capacity
    from governance.selectors import has_delegation, voting_day

    if user.organisation_id != organisation.pk:
        raise PermissionDenied(ERR_OTHER_ORGANISATION)
    # A terminated partner's representative and delegates no longer vote; a new partner's from its start date.
    refusal = seat_refusal(organisation, voting_day(decision))
    if refusal is not None:
        raise PermissionDenied(refusal)
    if decision.authority == Authority.CLIENT and organisation.kind != OrganisationKind.CLIENT:
        raise PermissionDenied(ERR_CLIENT_ONLY)
    roles = roles_of(user)
    if Role.BOARD_REPRESENTATIVE in roles or (organisation.kind == OrganisationKind.CLIENT and Role.SRO in roles):
        return Capacity.REPRESENTATIVE
    if Role.DELEGATE in roles:
        if has_delegation(user, decision):
            return Capacity.DELEGATE
        raise PermissionDenied(ERR_DELEGATE_WITHOUT_DELEGATION)
    raise PermissionDenied(ERR_NOT_A_VOTER)


def vote_refusal(user: Person, decision: Decision) -> str | None:
    """Why the user cannot vote on this decision for their organisation, or None when they can."""
    if user.organisation_id is None:
        return ERR_NOT_A_VOTER
    try:
        voting_capacity(user, decision, user.organisation)
    except PermissionDenied as refusal:
        return str(refusal)
    return None
