"""Who may do what on the Board. Predicates used alike by services, views, the API and templates, and one
``require_*`` per guard that pages and API views both call.

Predicates here read only the user's roles and the record in hand: those that need more data (who holds a
seat on a day, whether a delegate was named) are the Board's selectors (governance/selectors/board.py:
``seat_refusal``, ``voting_capacity``, ``vote_refusal``), which raise or return the refusal texts kept here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member

if TYPE_CHECKING:
    from alliance.models import Alliance, Person
    from governance.models.board import Decision, Meeting

BOARD_ROLES = (Role.SRO, Role.ALLIANCE_MANAGER, Role.BOARD_REPRESENTATIVE, Role.DELEGATE, Role.ADMINISTRATOR)


ERR_RECORD_OF_OTHER_ALLIANCE = "That belongs to another alliance."


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


# --- Guards: one per rule, called by the page and the API view alike ----------------------------------------
# Each raises PermissionDenied with its text (a page and the API that have always worded it differently pass
# their own ``message``) and returns what it checked: the user's alliance.

ERR_BOARD_PAGES = "Only members of the Alliance Board can see the Board's pages."
ERR_BOARD_API = "Only members of the Alliance Board can see its decisions."
ERR_NOT_BOARD_RUNNER = "Only the Alliance Manager or the SRO can do that."
ERR_MATRIX_EDITOR = "Only the Alliance Manager or an administrator can edit the Decision Matrix."
ERR_INSTRUCTIONS_VIEWER = "Only the Alliance Board and the client's reviewers can see client instructions."
ERR_PLAN_VIEWER = "Only members of the alliance can see the Implementation Plan."
ERR_COMMITMENTS_PAGES = "Only people of the alliance's organisations can see its commitments and Performance Table."
ERR_COMMITMENTS_API = "Only people of the alliance's organisations can see its commitments and tables."
ERR_ASSURANCE_PAGES = "Only the client's reviewers, the SRO and the Alliance Manager see the assurance calendar."
ERR_ASSURANCE_API = "Only the client's reviewers, the SRO and the Alliance Manager see assurance."


def _alliance(user: Person, message: str) -> Alliance:
    """The user's alliance (the guards have checked they belong to one; refused with ``message`` if not)."""
    if user.organisation is None:
        raise PermissionDenied(message)
    return user.organisation.alliance


def require_board_member(user: Person, message: str = ERR_BOARD_PAGES) -> Alliance:
    """The Board's pages and API: members of the Alliance Board (``can_view_board``)."""
    if not can_view_board(user):
        raise PermissionDenied(message)
    return _alliance(user, message)


def require_board_runner(user: Person) -> Alliance:
    """Schedule meetings, table decisions, record attendance: a Board member who runs the Board."""
    alliance = require_board_member(user)
    if not can_run_board(user):
        raise PermissionDenied(ERR_NOT_BOARD_RUNNER)
    return alliance


def require_matrix_editor(user: Person) -> Alliance:
    alliance = require_board_member(user)
    if not can_edit_matrix(user):
        raise PermissionDenied(ERR_MATRIX_EDITOR)
    return alliance


def require_instructions_viewer(user: Person) -> Alliance:
    """The register of client instructions: the Board and the client's reviewers (``can_view_instructions``)."""
    if not can_view_instructions(user):
        raise PermissionDenied(ERR_INSTRUCTIONS_VIEWER)
    return _alliance(user, ERR_INSTRUCTIONS_VIEWER)


def require_sro(user: Person, message: str) -> None:
    if not is_sro(user):
        raise PermissionDenied(message)


def require_alliance_member(user: Person, message: str) -> Alliance:
    """Anyone of the alliance's organisations (the plan, the commitments and the Performance Table)."""
    if not is_alliance_member(user):
        raise PermissionDenied(message)
    return _alliance(user, message)


def require_manager_of(user: Person, alliance_id: int, message: str) -> int:
    """The Alliance Manager (else ``message``) of this alliance (else "That belongs to another alliance."):
    the guard on a record of the alliance's (a commitment, a Performance Period, an assurance review)."""
    if not is_alliance_manager(user):
        raise PermissionDenied(message)
    if alliance_id_of(user) != alliance_id:
        raise PermissionDenied(ERR_RECORD_OF_OTHER_ALLIANCE)
    return alliance_id


def require_alliance_manager(user: Person, message: str, *, member_message: str) -> Alliance:
    """A member (else ``member_message``) who is the Alliance Manager (else ``message``)."""
    alliance = require_alliance_member(user, member_message)
    if not is_alliance_manager(user):
        raise PermissionDenied(message)
    return alliance


def require_assurance_viewer(user: Person, message: str = ERR_ASSURANCE_PAGES) -> Alliance:
    if not can_view_assurance(user):
        raise PermissionDenied(message)
    return _alliance(user, message)


def require_assurance_recorder(user: Person, message: str) -> Alliance:
    """The calendar's viewers who record the client's assurance (``can_record_assurance``)."""
    alliance = require_assurance_viewer(user)
    if not can_record_assurance(user):
        raise PermissionDenied(message)
    return alliance
