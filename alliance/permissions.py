"""Permission predicates, used alike by services, views, the API and templates.

Objects of another organisation that a user may not see answer 404, not 403 (docs/architecture.md): the
``can_view_*`` predicates decide visibility, the others decide what a visible object allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from alliance.dates import local_today
from alliance.models import OrganisationKind, Person, Role

if TYPE_CHECKING:
    from alliance.models import Obligation

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


def own_alliance_id(user: Person) -> int:
    """The user's alliance, to find its records by id: someone of no alliance finds none (0 is no row's id)."""
    return alliance_id_of(user) or 0


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


def can_use_site(user: Person) -> bool:
    """The pages every member has (home, What's due, the directory): a person of an organisation, or staff."""
    return user.organisation_id is not None or bool(user.is_staff)


def can_use_admin(user: Person) -> bool:
    return bool(user.is_staff)


def can_view_audit(user: Person) -> bool:
    """The history of every change (audit/): the Alliance Manager, the SRO and administrators."""
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


# --- Naming people ------------------------------------------------------------------------------------------
# Every field through which a user names a person (a risk's or an action's owner, a supplier's relationship
# owner, a deliverable's approver, the person an obligation is for, a delegate) hands that person work, and
# often a dated obligation with reminders. A partner hands work only to its own people: it has no authority
# over another organisation's staff. The client's SRO and the Alliance Manager run the Alliance (paras 14, 25)
# and name anyone in it; every other client person (a client reviewer, an administrator) names client people
# only, as a partner names its own. A register kept for the whole Alliance by a team drawn from across it may
# widen this: the supply chain team (the Alliance Manager and the Production Management Partner's people,
# para 116) keeps the risk register and assigns supplier relationships "at an appropriate level within the
# Alliance" (para 136), so its services pass ``across_alliance=is_supply_chain_team(actor)``.
# Nobody names a person who cannot act: inactive, of another alliance, or of an organisation that is not a
# member today (before its start date, para 98, or from its termination's effective date, paras 95-96).
# The services check it through alliance.workflow.require_nameable; forms offer selectors.people_nameable_by.

ERR_NAME_OWN_ORGANISATION = "You can only name people of your own organisation."
ERR_NAME_UNAVAILABLE = "Name an active person of a member organisation of your Alliance."
NAMES_ACROSS_ALLIANCE_ROLES = frozenset({Role.SRO, Role.ALLIANCE_MANAGER})


def names_across_alliance(actor: Person, *, across_alliance: bool = False) -> bool:
    """Whether ``actor`` names people of every member organisation, not only of their own."""
    return across_alliance or has_role(actor, *NAMES_ACROSS_ALLIANCE_ROLES)


def available_people(alliance_id: int | None) -> Q:
    """The people anyone of the alliance may name, as a filter on Person: active, of a member organisation."""
    if alliance_id is None:
        return Q(pk__in=[])
    today = local_today()
    return (Q(is_active=True, organisation__alliance_id=alliance_id)
            & (Q(organisation__member_since__isnull=True) | Q(organisation__member_since__lte=today))
            & (Q(organisation__member_until__isnull=True) | Q(organisation__member_until__gt=today)))


def nameable_people(actor: Person, *, across_alliance: bool = False) -> Q:
    """The people ``actor`` may name, as a filter on Person (the one rule: see the note above)."""
    allowed = available_people(alliance_id_of(actor))
    if not names_across_alliance(actor, across_alliance=across_alliance):
        allowed &= Q(organisation_id=actor.organisation_id)
    return allowed


def naming_refusal(actor: Person, person: Person | None, *, across_alliance: bool = False) -> str | None:
    """Why ``actor`` may not name ``person`` (the message to show), or None if they may."""
    if person is None or not Person.objects.filter(available_people(alliance_id_of(actor)), pk=person.pk).exists():
        return ERR_NAME_UNAVAILABLE
    if not Person.objects.filter(nameable_people(actor, across_alliance=across_alliance), pk=person.pk).exists():
        return ERR_NAME_OWN_ORGANISATION
    return None


def may_name_person(actor: Person, person: Person | None, *, across_alliance: bool = False) -> bool:
    """Whether ``actor`` may name ``person`` as an owner, lead, approver or delegate."""
    return naming_refusal(actor, person, across_alliance=across_alliance) is None
