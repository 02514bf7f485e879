"""What the core adds to the home page and the navigation (alliance/portal_registry.py; registered in apps.py).

Two panels of the home page (issue 10), from one read of the obligations the person holds:

- Clocks you hold: open dated obligations the person holds, other than votes and documents;
- Plans and CVs due: the documents the person or their organisation owes (management plans, CVs, improvement
  plans, deliverables...).

"Holds" is narrower than What's due, which shows the SRO and the Alliance Manager the whole alliance: an obligation
is held by its responsible person; one held by an organisation without a named person is held by each of that
partner's people, and, at the client, by the role that acts for it (CLIENT_HOLDER_ROLES). The whole alliance's
counts are shown to those who oversee it as a separate line, never mixed into what is theirs (portal/home.py).

The navigation entries of the core's own pages: What's due, the alliance directory and the Django admin.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from alliance import permissions, selectors
from alliance.models import ObligationKind, ObligationStatus, OrganisationKind, Role
from alliance.portal_registry import HomeItem, HomePanel, NavEntry

if TYPE_CHECKING:
    from alliance.models import Obligation, Person

# Documents a person or organisation owes: shown under "Plans and CVs due" rather than among the clocks.
DOCUMENT_KINDS = frozenset({
    ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
    ObligationKind.CV_CALL,
    ObligationKind.KEY_PERSON_CANDIDATES,
    ObligationKind.KEY_PERSON_HANDOVER,
    ObligationKind.PMP_CORE_RESOURCES,
    ObligationKind.IMPROVEMENT_PLAN,
    ObligationKind.IMPROVEMENT_REPORT,
    ObligationKind.TRANSITION_PLAN,
    ObligationKind.MOBILISATION_DELIVERABLE,
    ObligationKind.MATURITY_PLAN,
    ObligationKind.SUPPLY_CHAIN_STRATEGY,
    ObligationKind.INDUSTRIAL_PLAN,
    ObligationKind.PROCUREMENT_HUB_PLAN,
    ObligationKind.STRATEGY_REFRESH,
    ObligationKind.PERFORMANCE_TABLE,
    ObligationKind.COMMITMENTS,
})
# A vote obligation is shown as its decision, under "Decisions to vote on" (governance/portal.py).
VOTE_KINDS = frozenset({ObligationKind.BOARD_VOTE})

# Who at the client holds an obligation addressed to the client without a named person: the client's rights are the
# SRO's (paras 19, 172), its assurance reviews its reviewers'; everything else the Alliance Manager runs (para 25).
CLIENT_HOLDER_ROLES: dict[str, frozenset[str]] = {
    ObligationKind.INTERVENTION_RIGHT: frozenset({Role.SRO}),
    ObligationKind.CLIENT_ACCEPTANCE: frozenset({Role.SRO}),
    ObligationKind.ASSURANCE_REVIEW: frozenset({Role.CLIENT_REVIEWER}),
}
CLIENT_DEFAULT_HOLDER_ROLES = frozenset({Role.ALLIANCE_MANAGER})


def _holds(user: Person, obligation: Obligation, roles: frozenset[str]) -> bool:
    if obligation.responsible_person_id is not None:
        return obligation.responsible_person_id == user.pk
    organisation = user.organisation  # never None here: obligations_held_by reads nothing without one
    if organisation is None or obligation.responsible_organisation_id != organisation.pk:
        return False
    if organisation.kind != OrganisationKind.CLIENT:
        return True
    return bool(roles & CLIENT_HOLDER_ROLES.get(obligation.kind, CLIENT_DEFAULT_HOLDER_ROLES))


def obligations_held_by(user: Person) -> list[Obligation]:
    """Open obligations the person holds (see the module docstring), earliest due first: one query."""
    if permissions.alliance_id_of(user) is None:
        return []
    roles = permissions.roles_of(user)
    candidates = (
        selectors.obligations_visible_to(user)
        .filter(status=ObligationStatus.OPEN)
        .filter(Q(responsible_person=user) | Q(responsible_person__isnull=True, responsible_organisation_id=user.organisation_id))
        .order_by("due_date", "id")
    )
    return [o for o in candidates if _holds(user, o, roles)]


def _obligation_item(obligation: Obligation, today: dt.date) -> HomeItem:
    return HomeItem(obligation.title, reverse("obligation-detail", args=[obligation.pk]), obligation.due_date,
                    (obligation.due_date - today).days)


def _obligation_panel(key: str, heading: str, empty_text: str, jump_text: str, obligations: list[Obligation],
                      today: dt.date) -> HomePanel:
    panel = HomePanel(key, heading, empty_text, reverse("whats-due"), "See what's due", jump_text)
    panel.items = [_obligation_item(o, today) for o in obligations]
    panel.count = len(obligations)
    panel.overdue = sum(1 for o in obligations if o.due_date < today)
    return panel


def obligation_panels(user: Person, today: dt.date) -> list[HomePanel]:
    """Clocks you hold, then Plans and CVs due: everyone's, from one read of what the person holds."""
    held = obligations_held_by(user)
    documents = [o for o in held if o.kind in DOCUMENT_KINDS]
    clocks = [o for o in held if o.kind not in DOCUMENT_KINDS and o.kind not in VOTE_KINDS]
    return [
        _obligation_panel("clocks", "Clocks you hold", "You hold no open clock.", "See your clocks", clocks, today),
        _obligation_panel("documents", "Plans and CVs due", "No plan, CV or other document is due from you.",
                          "See what is due from you", documents, today),
    ]


NAV_ENTRIES = (
    NavEntry("What's due", "whats-due", "/due/", permissions.can_use_site),
    NavEntry("Alliance", "alliance-directory", "/alliance/", permissions.can_use_site),
    NavEntry("Administration", "admin:index", "/admin/", permissions.can_use_admin),
)
HOME_PANELS = (obligation_panels,)
