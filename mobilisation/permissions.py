"""Who may see and do what in mobilisation and maturity. Every member reads (the plan is the alliance's); the
Alliance Manager runs the plan, the phases' assessments and the maturity plan; the SRO records a go / no-go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role, is_alliance_member

if TYPE_CHECKING:
    from alliance.models import Person

WRITING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)

# Refusals (403). Each workflow's pages and API have long said "not a member" in their own words; kept.
ERR_NOT_MEMBER = "The mobilisation pages are for the members of an alliance."
ERR_API_NOT_MEMBER = "Only members of the Alliance can see its mobilisation plan."
ERR_MATURITY_NOT_MEMBER = ("The maturity plan is for the members of an alliance: you do not belong to one of its "
                           "organisations.")
ERR_MATURITY_API_NOT_MEMBER = "Only members of the Alliance can see its maturity plan."
ERR_SELF_ASSESSMENT_NOT_MEMBER = "The self-assessment pages are for the people of an alliance's members."
ERR_DELIVERABLE_NOT_AM = "Only the Alliance Manager adds deliverables and assigns their owners, dates and approvers."
ERR_SELF_ASSESSMENT_NOT_AM = "Only the Alliance Manager opens and closes a self-assessment and turns its gaps into actions."
ERR_SELF_ASSESSMENT_NOT_RATER = "Only the people of the alliance's members taking part can rate the Code's outcomes."
ERR_MATURITY_NOT_AM = "Only the Alliance Manager drafts, edits and submits the maturity plan (paras 216-221)."



def can_view_mobilisation(user: Person, alliance_id: int | None = None) -> bool:
    return is_alliance_member(user, alliance_id)


def is_alliance_manager(user: Person, alliance_id: int | None = None) -> bool:
    """Collates and baselines the mobilisation plan (paras 213-214), prepares assessments and the maturity plan."""
    return has_role(user, Role.ALLIANCE_MANAGER) and is_alliance_member(user, alliance_id)


def is_sro(user: Person, alliance_id: int | None = None) -> bool:
    """Records the outcome of a go / no-go assessment for the client (para 209)."""
    return has_role(user, Role.SRO) and is_alliance_member(user, alliance_id)


def can_review_plan(user: Person, alliance_id: int | None = None) -> bool:
    """A partner's staff, representative or delegate review, comment on and approve the draft plan (para 214)."""
    organisation = getattr(user, "organisation", None)
    return (is_alliance_member(user, alliance_id) and organisation is not None
            and organisation.kind == OrganisationKind.PARTNER
            and has_role(user, *WRITING_ROLES))


def can_work_on_deliverable(user: Person, owner_id: int | None, alliance_id: int) -> bool:
    """The owner organisation's people move a deliverable on and add evidence; the Alliance Manager too."""
    return is_alliance_manager(user, alliance_id) or (
        owner_id is not None and user.organisation_id == owner_id and has_role(user, *WRITING_ROLES))


def can_rate(user: Person, alliance_id: int | None = None) -> bool:
    """Every member's people take part in a self-assessment against the Code of Practice (seed 003)."""
    return is_alliance_member(user, alliance_id) and has_role(
        user, *WRITING_ROLES, Role.SRO, Role.ALLIANCE_MANAGER, Role.CLIENT_REVIEWER)


def can_draft_maturity_plan(user: Person, alliance_id: int | None = None) -> bool:
    """The Alliance Manager prepares the maturity plan with the Alliance (para 216)."""
    return is_alliance_manager(user, alliance_id)


# --- Guards: each refuses (PermissionDenied, 403) with its message, for the pages, the API and the services ------


def require_member(user: Person, message: str = ERR_NOT_MEMBER) -> int:
    """A member of an alliance (every member reads mobilisation); its alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_view_mobilisation(user):
        raise PermissionDenied(message)
    return alliance_id


def require_deliverables_manager(user: Person, alliance_id: int | None = None) -> None:
    if not is_alliance_manager(user, alliance_id):
        raise PermissionDenied(ERR_DELIVERABLE_NOT_AM)


def require_maturity_drafter(user: Person, alliance_id: int | None = None) -> None:
    if not can_draft_maturity_plan(user, alliance_id):
        raise PermissionDenied(ERR_MATURITY_NOT_AM)


def require_self_assessment_manager(user: Person, alliance_id: int | None = None) -> int:
    """The Alliance Manager (of ``alliance_id`` if given); their alliance's id."""
    own = alliance_id_of(user)
    if own is None or not is_alliance_manager(user, alliance_id):
        raise PermissionDenied(ERR_SELF_ASSESSMENT_NOT_AM)
    return own


def require_rater(user: Person, alliance_id: int | None = None) -> None:
    if not can_rate(user, alliance_id):
        raise PermissionDenied(ERR_SELF_ASSESSMENT_NOT_RATER)
