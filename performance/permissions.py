"""Who may do what with the scorecard. Predicates used alike by services, views, the API and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import OrganisationKind, Role
from alliance.permissions import has_role

if TYPE_CHECKING:
    from alliance.models import Person


def scores_every_scheme(user: Person) -> bool:
    """The Alliance Manager and administrators score any scheme."""
    return has_role(user, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR)


def can_enter_scores(user: Person) -> bool:
    """The Alliance Manager, administrators and partners' people (a partner only the schemes it is a
    Responsible Partner on: the service checks each row). A client reviewer cannot edit scores."""
    organisation = getattr(user, "organisation", None)
    return scores_every_scheme(user) or (organisation is not None and organisation.kind == OrganisationKind.PARTNER)


def can_freeze_quarter(user: Person) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR)


def can_decide_quarter(user: Person) -> bool:
    """The client accepts or returns the quarter's scorecard (para 160): its reviewers and the SRO."""
    return has_role(user, Role.CLIENT_REVIEWER, Role.SRO)
