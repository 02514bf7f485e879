"""Who may see and do what in mobilisation and maturity. Every member reads (the plan is the alliance's); the
Alliance Manager runs the plan, the phases' assessments and the maturity plan; the SRO records a go / no-go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import OrganisationKind, Role
from alliance.permissions import has_role, is_alliance_member

if TYPE_CHECKING:
    from alliance.models import Person

WRITING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)


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
    return (is_alliance_member(user, alliance_id) and organisation.kind == OrganisationKind.PARTNER
            and has_role(user, *WRITING_ROLES))


def can_work_on_deliverable(user: Person, owner_id: int | None, alliance_id: int) -> bool:
    """The owner organisation's people move a deliverable on and add evidence; the Alliance Manager too."""
    return is_alliance_manager(user, alliance_id) or (
        owner_id is not None and user.organisation_id == owner_id and has_role(user, *WRITING_ROLES))


def can_rate(user: Person, alliance_id: int | None = None) -> bool:
    """Every member's people take part in a self-assessment against the Code of Practice (seed 003)."""
    return is_alliance_member(user, alliance_id) and has_role(
        user, *WRITING_ROLES, Role.SRO, Role.ALLIANCE_MANAGER, Role.CLIENT_REVIEWER)
