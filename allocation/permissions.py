"""Who may do what in allocation. Predicates used alike by services, views, the API and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import Role
from alliance.permissions import alliance_id_of, has_role

if TYPE_CHECKING:
    from alliance.models import Person


def can_view_allocation(user: Person, alliance_id: int | None = None) -> bool:
    """Every member of the alliance sees the allocation of every scheme and the lots' shares."""
    own = alliance_id_of(user)
    return own is not None and (alliance_id is None or alliance_id == own)


def can_register_packages(user: Person) -> bool:
    """The client notifies packages (para 81): the SRO, or the Alliance Manager for it."""
    return has_role(user, Role.SRO, Role.ALLIANCE_MANAGER)


def can_allocate(user: Person) -> bool:
    """The Alliance Manager runs the allocation and balancing (paras 86-88) and raises business cases."""
    return has_role(user, Role.ALLIANCE_MANAGER)


def is_client_decider(user: Person) -> bool:
    """The client's decisions in allocation (Scheme Orders, approvals, Lot 1, Periodic Instructions): the SRO."""
    return has_role(user, Role.SRO)
