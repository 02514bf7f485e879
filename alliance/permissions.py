"""Permission predicates, used alike by services, views, the API and templates.

Objects of another organisation that a user may not see answer 404, not 403 (CONVENTIONS.md): the
``can_view_*`` predicates decide visibility, the others decide what a visible object allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import OrganisationKind, Role

if TYPE_CHECKING:
    from alliance.models import Obligation, Person

ALLIANCE_WIDE_ROLES = frozenset({Role.SRO, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR})
OBLIGATION_MANAGER_ROLES = frozenset({Role.SRO, Role.ALLIANCE_MANAGER})


def roles_of(user: Person) -> frozenset[str]:
    """The roles a person holds, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_alliance_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.order_by().values_list("role", flat=True))
        user._alliance_roles = cached
    return cached


def has_role(user: Person, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def alliance_id_of(user: Person) -> int | None:
    organisation = getattr(user, "organisation", None)
    return organisation.alliance_id if organisation is not None else None


def sees_whole_alliance(user: Person) -> bool:
    """The SRO, the Alliance Manager and administrators see every obligation of their alliance."""
    return has_role(user, *ALLIANCE_WIDE_ROLES)


def can_view_obligation(user: Person, obligation: Obligation) -> bool:
    if obligation.alliance_id != alliance_id_of(user):
        return False
    if sees_whole_alliance(user):
        return True
    return obligation.responsible_person_id == user.pk or (
        obligation.responsible_organisation_id is not None
        and obligation.responsible_organisation_id == user.organisation_id
    )


def can_manage_obligations(user: Person) -> bool:
    """Add, meet, cancel and re-date obligations by hand: the Alliance Manager and the SRO."""
    return has_role(user, *OBLIGATION_MANAGER_ROLES)


def can_manage_obligation(user: Person, obligation: Obligation) -> bool:
    return can_manage_obligations(user) and obligation.alliance_id == alliance_id_of(user)


def can_use_admin(user: Person) -> bool:
    return bool(user.is_staff)


def can_view_audit(user: Person) -> bool:
    """The history of every change (alliance/audit.py): the Alliance Manager, the SRO and administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser) or has_role(user, *ALLIANCE_WIDE_ROLES)


def is_alliance_member(user: Person, alliance_id: int | None = None) -> bool:
    """Anyone of a member organisation: reads the Implementation Plan, proposes changes to it (para 3)."""
    own = alliance_id_of(user)
    return own is not None and (alliance_id is None or alliance_id == own)


def is_partner(user: Person) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.PARTNER
